"""Measurements through the API: the same services as the site's forms, so the same rules and the
same messages (as JSON, under the field they name), optimistic concurrency, and approved figures
by default."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import Measurement

LIST = reverse("api:measurement-list")


@pytest.fixture
def indicator(make_indicator):
    return make_indicator(code="API-1", measure="percentage", aggregation="latest", unit="")


def _post(client, **data):
    return client.post(LIST, data, format="json")


def test_a_bad_value_gets_the_forms_message_naming_the_field(client_as, indicator, officer):
    response = _post(client_as("officer"), indicator="API-1", period="FY2014", value="12O")
    assert response.status_code == 400
    # The service's own words for the same input (the form shows exactly these).
    with pytest.raises(ValidationError) as raised:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="12O")
    assert response.json() == {"value": raised.value.message_dict["value"]}
    assert response.json()["value"] == ["'12O' is not a number: write digits, e.g. 1200 or 12.5."]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("data, field, words", [
    ({"value": "140"}, "value", "not a percentage between 0 and 100"),
    ({"value": "45", "period": "FY2031"}, "period", "outside"),
    ({"value": "45", "period": "FY2014-Q3"}, "period", "measured annually: record FY2014"),
    ({"value": "45", "period": "next year"}, "period", "next year"),
    ({"value": "45", "indicator": "NOPE"}, "indicator", "There is no indicator 'NOPE'."),
    ({"value": "45", "submit": True}, "evidence", "Attach the evidence"),
    ({"rating": "on track"}, "rating", "Only qualitative indicators take a rating"),
    ({"value": "45", "evidence_url": "not a link"}, "evidence_url", "Enter a valid URL."),
    ({"value": "45", "comment": "a\x00b"}, "comment", "Null characters are not allowed."),
    ({"value": "4" * 41}, "value", "no more than 40 characters"),
])
def test_each_rule_answers_400_naming_its_field(client_as, indicator, data, field, words):
    body = {"indicator": "API-1", "period": "FY2014", **data}
    response = _post(client_as("officer"), **body)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert any(words in message for message in response.json()[field]), response.json()
    assert not Measurement.objects.exists()


def test_record_submit_approve_and_the_approved_figures(client_as, indicator):
    officer, manager, committee = client_as("officer"), client_as("manager"), client_as("committee")
    created = _post(officer, indicator="api-1", period="fy2014", value="45%", comment="Desk review",
                    evidence_url="https://example.org/e", so_what="Used to plan the next round.")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["value"], body["status"], body["period"], body["version"]) == ("45.0000", "draft", "FY2014", 1)
    assert committee.get(LIST).json()["results"] == []  # a draft is no approved figure
    submitted = officer.post(reverse("api:measurement-submit", args=[body["id"]]), {"version": 1}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    stale = manager.post(reverse("api:measurement-approve", args=[body["id"]]), {"version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and "after you opened it" in stale.json()["non_field_errors"][0]
    approved = manager.post(reverse("api:measurement-approve", args=[body["id"]]), {"version": 2}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    rows = committee.get(LIST, {"framework": indicator.result.framework.code.lower()}).json()["results"]
    assert [(r["indicator"], r["period"], r["value"], r["comment"], r["under_revision"]) for r in rows] == [
        ("API-1", "FY2014", "45.0000", "Desk review", False)]


def test_a_revision_keeps_serving_the_approved_figure_and_words(client_as, indicator, officer, manager):
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="45",
                                    comment="Approved words", evidence_url="https://example.org/ok", so_what="Used to plan the next round.", submit=True)
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    patched = client_as("officer").patch(reverse("api:measurement-detail", args=[m.pk]),
                                         {"version": m.version, "value": "50", "comment": "Draft words"},
                                         format="json")
    assert patched.status_code == 200, patched.content
    working = patched.json()
    assert (working["value"], working["status"], working["revision"], working["evidence_url"]) == (
        "50.0000", "draft", 2, "https://example.org/ok")  # omitted fields keep their value
    shown = client_as("committee").get(reverse("api:measurement-detail", args=[m.pk])).json()
    assert (shown["value"], shown["comment"], shown["evidence_url"], shown["under_revision"]) == (
        "45.0000", "Approved words", "https://example.org/ok", True)
    working_list = client_as("officer").get(LIST, {"figures": "working"}).json()["results"]
    assert working_list[0]["value"] == "50.0000" and working_list[0]["approved_value"] == "45.0000"


def test_return_needs_a_note_and_the_officer_sees_it(client_as, indicator, officer):
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="45",
                                    evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=True)
    url = reverse("api:measurement-return-for-revision", args=[m.pk])
    empty = client_as("manager").post(url, {"version": m.version, "note": "  "}, format="json")
    assert empty.status_code == 400 and empty.json() == {
        "note": ["Say what should change: the officer sees this note."]}
    returned = client_as("manager").post(url, {"version": m.version, "note": "Cite the source"}, format="json")
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["review_note"]) == ("returned", "Cite the source")


def test_a_second_measurement_for_the_same_period_is_refused(client_as, indicator):
    officer = client_as("officer")
    assert _post(officer, indicator="API-1", period="FY2014", value="1").status_code == 201
    again = _post(officer, indicator="API-1", period="FY2014", value="2")
    assert again.status_code == 400 and "already has a measurement for FY2014" in again.json()["period"][0]


def test_a_qualitative_rating_and_yes_no(client_as, make_indicator):
    make_indicator(code="QUAL", kind="qualitative", measure="rating", aggregation="latest")
    make_indicator(code="YN", measure="yes_no", aggregation="latest")
    officer = client_as("officer")
    rated = _post(officer, indicator="QUAL", period="FY2014", rating="Needs attention", text="Slow start")
    assert rated.status_code == 201 and rated.json()["rating"] == "needs_attention"
    assert _post(officer, indicator="QUAL", period="FY2015", value="3").json() == {
        "value": ["This indicator is rated, not counted: choose a rating and leave the number empty."]}
    assert _post(officer, indicator="YN", period="FY2014", value="yes").json()["value"] == "1.0000"
    assert _post(officer, indicator="YN", period="FY2015", value=True).status_code == 400
