"""Parts in the REST API (issue 14): what it reads (an indicator's dimensions, the dimensions list,
approved and working parts of targets and measurements) and what it writes (a measurement's parts,
through the same services and rules.check_parts as the site's form)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.dimensions import Dimension, DimensionValue, MeasurementPart
from indicators.models import Measurement
from indicators.services.parts import PartInput

D = Decimal
LIST = reverse("api:measurement-list")


@pytest.fixture
def trained(make_indicator, sex):
    """A cumulative count split by sex, and a Country dimension it is not split by."""
    indicator = make_indicator(code="PA-1", aggregation="sum", unit="people")
    sex[0].indicators.add(indicator)
    country = Dimension.objects.create(name="Country", slug="country", order=2)
    DimensionValue.objects.create(dimension=country, name="Uganda", slug="uganda")
    return indicator


def _parts(response_parts):
    return {(p["dimension"], p["dimension_value"]): p["value"] for p in response_parts}


def _post(client, **data):
    return client.post(LIST, {"indicator": "PA-1", "period": "FY2014", **data}, format="json")


# -- reading -------------------------------------------------------------------------------------

def test_an_indicator_says_its_dimensions_and_the_list_gives_their_values(client_as, trained):
    client = client_as("committee")
    indicator = client.get(reverse("api:indicator-detail", args=["PA-1"])).json()
    assert indicator["disaggregated_by"] == [{"slug": "sex", "name": "Sex"}]
    dimensions = client.get(reverse("api:dimension-list")).json()["results"]
    assert [(d["slug"], [v["slug"] for v in d["values"]], d["indicators"]) for d in dimensions] == [
        ("sex", ["female", "male"], ["PA-1"]), ("country", ["uganda"], [])]
    one = client.get(reverse("api:dimension-detail", args=["SEX"])).json()
    assert one["name"] == "Sex" and [v["name"] for v in one["values"]] == ["female", "male"]
    assert client.get(reverse("api:dimension-detail", args=["nope"])).status_code == 404


def test_the_approved_parts_are_served_and_a_revisions_parts_only_as_working(client_as, trained, sex, officer, manager):
    _, female, male = sex
    m = services.measurement_record(indicator=trained, period="FY2014", by=officer, value="100",
                                    parts={female.pk: PartInput(D(60)), male.pk: PartInput(D(40))},
                                    evidence_url="https://example.org/e", so_what="Used.", submit=True)
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="100", version=m.version,
                                    parts={female.pk: PartInput(D(70)), male.pk: PartInput(D(30))})
    t = services.target_set(indicator=trained, period="FY2015", by=officer, value="200",
                            parts={female.pk: PartInput(D(100)), male.pk: PartInput(D(100))})
    t = services.target_approve(target=t, by=manager, version=t.version)
    services.target_revise(target=t, by=officer, value="200", rationale="Rebalanced", version=t.version,
                           parts={female.pk: PartInput(D(120)), male.pk: PartInput(D(80))})

    approved = client_as("committee").get(reverse("api:measurement-detail", args=[m.pk])).json()
    assert approved["under_revision"] is True
    assert _parts(approved["parts"]) == {("sex", "female"): "60.0000", ("sex", "male"): "40.0000"}
    assert approved["parts"][0] == {"dimension": "sex", "dimension_name": "Sex", "dimension_value": "female",
                                    "dimension_value_name": "female", "value": "60.0000", "numerator": None,
                                    "denominator": None}
    working = client_as("officer").get(reverse("api:measurement-detail", args=[m.pk]), {"figures": "working"}).json()
    assert [(p["dimension_value"], p["value"], p["approved_value"]) for p in working["parts"]] == [
        ("female", "70.0000", "60.0000"), ("male", "30.0000", "40.0000")]

    targets = client_as("committee").get(reverse("api:target-list"), {"indicator": "PA-1"}).json()["results"]
    assert _parts(targets[0]["parts"]) == {("sex", "female"): "100.0000", ("sex", "male"): "100.0000"}
    working = client_as("manager").get(reverse("api:target-list"), {"indicator": "PA-1", "figures": "working"}).json()
    assert [(p["dimension_value"], p["value"], p["approved_value"]) for p in working["results"][0]["parts"]] == [
        ("female", "120.0000", "100.0000"), ("male", "80.0000", "100.0000")]


def test_a_baseline_shows_its_parts(client_as, trained, sex, officer):
    _, female, male = sex
    services.baseline_record(indicator=trained, by=officer, value="10", period="FY2013",
                             parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    baseline = client_as("committee").get(reverse("api:baseline-detail", args=["PA-1"])).json()
    assert _parts(baseline["parts"]) == {("sex", "female"): "6.0000", ("sex", "male"): "4.0000"}


# -- writing -------------------------------------------------------------------------------------

def test_a_measurement_is_recorded_with_its_parts(client_as, trained):
    response = _post(client_as("officer"), value="100", parts=[
        {"dimension": "sex", "dimension_value": "female", "value": "60"},
        {"dimension_value": "MALE", "value": 40}])
    assert response.status_code == 201, response.content
    assert _parts(response.json()["parts"]) == {("sex", "female"): "60.0000", ("sex", "male"): "40.0000"}
    m = Measurement.objects.get(indicator__code="PA-1")
    assert sorted(MeasurementPart.objects.filter(measurement=m).values_list("value", flat=True)) == [D(40), D(60)]


def test_parts_that_do_not_add_up_are_refused_naming_the_dimension_and_the_difference(client_as, trained):
    response = _post(client_as("officer"), value="100", parts=[
        {"dimension_value": "female", "value": "55"}, {"dimension_value": "male", "value": "40"}])
    assert response.status_code == 400
    assert response.json() == {"parts": ["Sex: the parts add up to 95, 5 less than the total 100."]}
    assert not Measurement.objects.exists()


def test_a_patch_replaces_the_parts_keeps_them_when_omitted_and_clears_them_with_an_empty_list(client_as, trained):
    client = client_as("officer")
    created = _post(client, value="100", parts=[{"dimension_value": "female", "value": "60"},
                                                {"dimension_value": "male", "value": "40"}]).json()
    url = reverse("api:measurement-detail", args=[created["id"]])
    changed = client.patch(url, {"version": created["version"], "value": "90", "parts": [
        {"dimension_value": "female", "value": "45"}, {"dimension_value": "male", "value": "45"}]}, format="json")
    assert changed.status_code == 200, changed.content
    assert _parts(changed.json()["parts"]) == {("sex", "female"): "45.0000", ("sex", "male"): "45.0000"}
    kept = client.patch(url, {"version": changed.json()["version"], "comment": "Checked"}, format="json")
    assert kept.status_code == 200 and _parts(kept.json()["parts"]) == _parts(changed.json()["parts"])
    cleared = client.patch(url, {"version": kept.json()["version"], "value": "80", "parts": []}, format="json")
    assert cleared.status_code == 200 and cleared.json()["parts"] == []
    assert cleared.json()["value"] == "80.0000"


@pytest.mark.parametrize("parts, field, words", [
    ([{"dimension_value": "nobody", "value": "1"}], "parts[0].dimension_value", "There is no dimension value 'nobody'."),
    ([{"dimension_value": "uganda", "value": "100"}], "parts", "PA-1 is not disaggregated by Country: Uganda"),
    ([{"dimension": "country", "dimension_value": "female", "value": "100"}], "parts[0].dimension",
     "Sex: female is a value of 'sex', not of 'country'."),
    ([{"dimension_value": "female", "value": "60"}, {"dimension_value": "female", "value": "40"}],
     "parts[1].dimension_value", "Sex: female: given twice"),
    ([{"dimension_value": "female", "value": "9" * 30}], "parts[0].value", "Sex: female: '99999999999999999999"),
    ([{"dimension_value": "female", "value": "1e400"}], "parts[0].value", "is not a number"),
    ([{"dimension_value": "female", "value": "sixty"}], "parts[0].value", "'sixty' is not a number"),
    ([{"dimension_value": "female", "value": "-5"}, {"dimension_value": "male", "value": "105"}], "parts",
     "Sex, female: a part of a count is a number of 0 or more."),
    ([{"dimension_value": "female", "numerator": "60"}, {"dimension_value": "male", "value": "40"}], "parts",
     "a part of a count is a number of 0 or more"),
])
def test_bad_parts_are_refused_naming_the_field(client_as, trained, parts, field, words):
    response = _post(client_as("officer"), value="100", parts=parts)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert words in " ".join(body[field]), body
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("parts, words", [
    ("female=60", "Expected a list of items"),
    ({"female": "60"}, "Expected a list of items"),
    ([["female", "60"]], "Invalid data"),
    ([{"value": "60"}], "This field is required."),
    ([{"dimension_value": "fem\x00ale", "value": "60"}], "Null characters are not allowed."),
    ([{"dimension_value": "female", "value": {"n": 1}}], "Not a valid string."),
    ([{"dimension_value": "female", "value": True}], "Not a valid string."),
    ([{"dimension_value": "x" * 81, "value": "1"}], "no more than 80 characters"),
    ([{"dimension_value": "female", "value": "1"}] * 501, "no more than 500"),
])
def test_parts_of_the_wrong_shape_are_a_400_under_parts(client_as, trained, parts, words):
    response = _post(client_as("officer"), value="100", parts=parts)
    assert response.status_code == 400, response.content
    text = response.content.decode()
    # one shape for every 400, {field: [messages]}, the field naming the part (parts[0].value)
    assert all(key == "parts" or key.startswith("parts[") for key in response.json()), response.json()
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m) for m in response.json().values())
    assert words in text, text
    assert not Measurement.objects.exists()


def test_a_percentages_parts_are_numerator_and_denominator_and_make_the_total(client_as, make_indicator, sex):
    indicator = make_indicator(code="PA-PCT", measure="percentage", aggregation="latest", unit="%")
    sex[0].indicators.add(indicator)
    client = client_as("officer")
    response = client.post(LIST, {"indicator": "PA-PCT", "period": "FY2014", "parts": [
        {"dimension_value": "female", "numerator": "30", "denominator": "50"},
        {"dimension_value": "male", "numerator": "10", "denominator": "150"}]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["value"] == "20.0000"  # 40 of 200, never the mean of 60% and 6.67%
    assert [(p["value"], p["numerator"], p["denominator"]) for p in body["parts"]] == [
        ("60.0000", "30.0000", "50.0000"), ("6.6667", "10.0000", "150.0000")]
    refused = client.post(LIST, {"indicator": "PA-PCT", "period": "FY2015", "parts": [
        {"dimension_value": "female", "value": "60"}]}, format="json")
    assert refused.status_code == 400
    assert "numerator and denominator" in refused.json()["parts[0].value"][0]
    wrong = client.post(LIST, {"indicator": "PA-PCT", "period": "FY2015", "value": "50", "parts": [
        {"dimension_value": "female", "numerator": "30", "denominator": "50"},
        {"dimension_value": "male", "numerator": "10", "denominator": "150"}]}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["parts"] == ["Sex: the parts make 20% (40 of 200), not the total 50%; leave the total empty "
                                     "to take it from the parts."]


def test_the_committee_cannot_write_parts(client_as, trained):
    response = _post(client_as("committee"), value="100", parts=[{"dimension_value": "female", "value": "100"}])
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_hostile_dimension_names_come_back_as_data(client_as, make_indicator, officer):
    dim = Dimension.objects.create(name='<script>alert("d")</script>', slug="hostile")
    value = DimensionValue.objects.create(dimension=dim, name="<img src=x onerror=alert(1)>", slug="v")
    indicator = make_indicator(code="PA-H", aggregation="latest", unit="people")
    dim.indicators.add(indicator)
    services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3",
                                    parts={value.pk: PartInput(D(3))})
    response = client_as("officer").get(LIST, {"indicator": "PA-H", "figures": "working"})
    assert response["Content-Type"].startswith("application/json")
    part = response.json()["results"][0]["parts"][0]
    assert part["dimension_name"] == '<script>alert("d")</script>'
    assert part["dimension_value_name"] == "<img src=x onerror=alert(1)>"
