"""Pages and forms through Django's test client: what each role sees, and every bad input's message."""
import re
from datetime import date

import pytest
from django.urls import reverse

from citiesalliance import roles
from indicators import services
from indicators.models import Measurement, Target


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def indicator(make_indicator, officer, manager):
    ind = make_indicator(code="CITIES-1", aggregation="sum", measure="number")
    services.baseline_record(indicator=ind, by=officer, value="10", period="FY2013")
    for label, value in (("FY2014", "15"), ("FY2015", "20")):
        t = services.target_set(indicator=ind, period=label, by=officer, value=value, rationale="Plan")
        services.target_approve(target=t, by=manager, version=t.version)
    m = services.measurement_record(indicator=ind, period="FY2014", by=officer, value="4",
                                    evidence_url="https://example.org/a", so_what="Used to plan the next round.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    return ind


def test_indicator_page_shows_definition_table_chart_and_history(client, committee, indicator):
    client.force_login(committee)
    page = text_of(client.get(indicator.get_absolute_url()))
    assert "CITIES-1: Cities supported" in page
    assert "10 cities" in page                       # baseline
    assert "14 cities" in page                       # FY2014 actual = baseline 10 + 4
    assert "80%" in page                             # progress (14 - 10) / (15 - 10)
    assert "Needs attention" in page
    assert "<svg" in page and "FY2014 actual: 14 cities" in page and "FY2015 approved target: 20 cities" in page
    # The history shows the approvals and the baseline; the working steps (drafts, submissions) are
    # the M&E staff's, not the Committee's.
    assert "Approved" in page and "Baseline recorded" in page and "Submitted for review" not in page
    # The Executive Committee reads; it gets no write buttons.
    for label in ("Edit indicator", "Record a measurement", "Add a target", "Edit baseline", ">revise<"):
        assert label not in page


def test_officer_sees_write_buttons(client, officer, indicator):
    client.force_login(officer)
    page = text_of(client.get(indicator.get_absolute_url()))
    for label in ("Edit indicator", "Record a measurement", "Add a target", "Edit baseline"):
        assert label in page


@pytest.mark.parametrize("value, period, message", [
    ("abc", "FY2015", "&#x27;abc&#x27; is not a number"),
    ("12 cities", "FY2015", "&#x27;12 cities&#x27; is not a number"),
    ("5", "FY2030", "FY2030 is outside"),
    ("5", "FY2014", "already has a measurement for FY2014"),
])
def test_measurement_form_bad_inputs(client, officer, indicator, value, period, message):
    client.force_login(officer)
    before = list(Measurement.objects.values_list("period__label", "value", "version"))
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                           {"period": period, "value": value, "version": "0", "action_draft": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Measurement.objects.values_list("period__label", "value", "version")) == before


def test_percentage_over_100_in_the_form(client, officer, make_indicator):
    ind = make_indicator(measure="percentage", aggregation="latest")
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[ind.code]),
                           {"period": "FY2015", "value": "120%", "version": "0", "action_draft": "1"})
    assert "&#x27;120%&#x27; is not a percentage between 0 and 100." in response.content.decode()
    assert not Measurement.objects.exists()


def test_stale_edit_gets_a_conflict_message_with_current_values(client, officer, manager, indicator):
    m = services.measurement_save_draft(indicator=indicator, period="FY2015", by=officer, value="3")
    url = reverse("indicators:measurement_edit", args=[indicator.code, "FY2015"])
    client.force_login(manager)
    loaded_version = m.version
    # Meanwhile the officer changes it.
    services.measurement_save_draft(indicator=indicator, period="FY2015", by=officer, value="6",
                                    comment="Officer's update", version=m.version)
    response = client.post(url, {"value": "9", "version": str(loaded_version), "action_draft": "1"})
    page = text_of(response)
    assert response.status_code == 200
    assert "was changed by officer1" in page and "Value: 6 cities" in page and "Officer&#x27;s update" in page
    assert Measurement.objects.get(period__label="FY2015").value == 6
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in response.content.decode()
    response = client.post(url, {"value": "9", "version": "2", "action_draft": "1"})
    assert response.status_code == 302
    assert Measurement.objects.get(period__label="FY2015").value == 9


def test_evidence_upload_and_download(client, officer, committee, indicator, pdf):
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                           {"period": "FY2015", "value": "5", "version": "0", "evidence": pdf("survey.pdf"),
                            "so_what": "Shared with the city teams.", "action_submit": "1"})
    assert response.status_code == 302
    m = Measurement.objects.get(period__label="FY2015")
    assert m.status == "submitted" and m.evidence.name.endswith(".pdf")
    client.force_login(committee)
    download = client.get(reverse("indicators:evidence", args=[m.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.logout()
    assert client.get(reverse("indicators:evidence", args=[m.pk])).status_code == 302  # to the login page


def test_evidence_of_the_wrong_type_is_refused_in_the_form(client, officer, indicator, pdf):
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                           {"period": "FY2015", "value": "5", "version": "0", "evidence": pdf("macro.exe"),
                            "action_submit": "1"})
    assert "evidence must be one of these file types" in response.content.decode()
    assert not Measurement.objects.filter(period__label="FY2015").exists()


def test_submit_without_evidence_is_refused_and_nothing_half_written(client, officer, indicator):
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                           {"period": "FY2015", "value": "5", "version": "0", "action_submit": "1"})
    assert "Attach the evidence (a file or a link) before submitting." in response.content.decode()
    assert not Measurement.objects.filter(period__label="FY2015").exists()  # one transaction


def test_review_from_the_measurement_page(client, officer, manager, indicator):
    m = services.measurement_record(indicator=indicator, period="FY2015", by=officer, value="5",
                                    evidence_url="https://example.org/b", so_what="Used to plan the next round.", submit=True)
    client.force_login(manager)
    page = client.get(reverse("indicators:measurement", args=[indicator.code, "FY2015"])).content.decode()
    assert "Return for revision" in page
    url = reverse("indicators:measurement_review", args=[indicator.code, "FY2015"])
    response = client.post(url, {"version": m.version, "note": "", "action_return": "1"}, follow=True)
    assert "Say what should change" in response.content.decode()
    response = client.post(url, {"version": m.version, "note": "Wrong year", "action_return": "1"})
    assert response.status_code == 302
    assert Measurement.objects.get(pk=m.pk).review_note == "Wrong year"
    client.force_login(officer)
    assert client.post(url, {"version": m.version + 1, "action_approve": "1"}).status_code == 403


def test_target_forms(client, officer, manager, indicator):
    client.force_login(officer)
    response = client.post(reverse("indicators:target_create", args=[indicator.code]),
                           {"period": "FY2016", "value": "1,000", "rationale": "Pipeline", "version": "0"})
    assert response.status_code == 302
    target = Target.objects.get(period__label="FY2016")
    assert (target.value, target.status) == (1000, "preliminary")
    response = client.post(reverse("indicators:target_create", args=[indicator.code]),
                           {"period": "FY2016", "value": "5", "version": "0"})
    assert "already has a target for FY2016" in response.content.decode()
    # Revising an approved target asks for the reason.
    response = client.post(reverse("indicators:target_edit", args=[indicator.code, "FY2015"]),
                           {"value": "25", "rationale": "", "version": "2"})
    assert "This field is required" in response.content.decode()
    client.force_login(manager)
    queue = text_of(client.get(reverse("indicators:review_queue")))
    assert "FY2016" in queue and "Pipeline" in queue
    response = client.post(reverse("indicators:target_review", args=[indicator.code, "FY2016"]),
                           {"version": target.version, "action_approve": "1"})
    assert response.status_code == 302
    assert Target.objects.get(pk=target.pk).status == "approved"


def test_indicator_create_and_edit_forms(client, officer, make_chain):
    out = make_chain()["outputs"][0]
    client.force_login(officer)
    data = {"result": out.pk, "code": "NEW-1", "name": "People trained", "kind": "quantitative",
            "measure": "number", "unit": "people", "direction": "increase", "aggregation": "sum",
            "frequency": "annual", "weight": "1", "order": "0"}
    assert client.post(reverse("indicators:indicator_create"), data).status_code == 302
    response = client.post(reverse("indicators:indicator_create"),
                           {**data, "code": "NEW-2", "kind": "qualitative"})
    assert "A qualitative indicator is measured by a rating." in response.content.decode()
    response = client.post(reverse("indicators:indicator_edit", args=["NEW-1"]),
                           {**data, "name": "People trained well", "version": "1"})
    assert response.status_code == 302
    response = client.post(reverse("indicators:indicator_edit", args=["NEW-1"]),
                           {**data, "name": "Stale", "version": "1"})
    assert "was changed by officer1" in response.content.decode()


def test_result_page_lists_its_indicators(client, committee, indicator):
    client.force_login(committee)
    page = text_of(client.get(indicator.result.get_absolute_url()))
    assert "CITIES-1" in page and "14 cities" in page and "(FY2014)" in page
    assert "Add an indicator" not in page


def test_worklist_shows_what_is_due(client, officer, make_user, make_indicator, indicator):
    planned = make_indicator(code="NO-BASELINE")
    services.baseline_record(indicator=planned, by=officer, status="planned", due_date=date(2014, 1, 31))
    services.target_set(indicator=planned, period="FY2016", by=officer, value="3")
    m = services.measurement_record(indicator=indicator, period="FY2015", by=officer, value="5",
                                    evidence_url="https://example.org/c", so_what="Used to plan the next round.", submit=True)
    services.measurement_return(measurement=m, by=make_user(roles.MANAGER), note="Please attach the survey",
                                version=m.version)
    client.force_login(officer)
    page = text_of(client.get(reverse("indicators:worklist")))
    baselines = page[page.index("Baselines missing"):]
    assert "NO-BASELINE" in baselines and '31 Jan 2014 <span class="badge text-bg-danger">overdue' in baselines
    returned = page[page.index("Returned for revision"):page.index("Measurements due")]
    assert "CITIES-1 · FY2015 measurement" in returned and "Please attach the survey" in returned
    due = page[page.index("Measurements due"):page.index("Baselines missing")]
    assert "NO-BASELINE" in due and "FY2016" in due and "CITIES-1" not in due
    # Another officer's worklist is empty: the list is per responsible person.
    client.force_login(make_user(roles.OFFICER))
    assert "Nothing returned." in text_of(client.get(reverse("indicators:worklist")))


def test_anonymous_users_are_sent_to_login(client, indicator):
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
