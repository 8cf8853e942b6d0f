"""The API's scorecard sliced by a dimension value (issue 14): ?slice= as on the scorecard page, the
same arithmetic (scorecard.slices.slice_apply), the slice named in the answer, and a 400 naming
`slice` for what is not a dimension value.

The figures are the hand calculation of tests/scorecard/test_slices.py (the `sliced` fixture), FY2015:
    female: PPL actual 60 + 80 = 140 of target 200, no baseline part: 70% (needs attention)
            SHR 27 of 50 = 54% of target 30 of 50 = 60%, baseline 20% unsplit: 54 / 60 = 90% (on track)
            BSE baseline 3, actual 3 + 1 = 4, target 5: (4 - 3) / (5 - 3) = 50% (off track)
            framework score (70% + 90% + 50%) / 3 = 70%; CIT left out (not split), CRS left out (unsplit baseline)
    male:   PPL 90 + 90 = 180 of 200: 90% (on track)
"""
import pytest
from django.urls import reverse

from tests.api.test_permissions import programme_client, programmes_demo  # noqa: F401
from tests.scorecard.pages import page_rows
from tests.scorecard.test_slices import sliced  # noqa: F401

SCORECARD = reverse("api:scorecard")
FY2015 = {"framework": "SL", "period": "FY2015"}


def test_the_sliced_api_matches_the_hand_calculation_and_the_sliced_page(sliced, client, committee,  # noqa: F811
                                                                        client_as):
    api = client_as("committee")
    client.force_login(committee)
    for asked in ("sex:female", "female", " Sex:Female "):
        body = api.get(SCORECARD, {**FY2015, "slice": asked}).json()
        rows = {r["indicator_code"]: r for r in body["rows"]}
        assert set(rows) == {"PPL", "SHR", "BSE"}, asked
        assert (rows["PPL"]["actual"], rows["PPL"]["target"], rows["PPL"]["progress"], rows["PPL"]["status"]) == (
            "140", "200", "70%", "Needs attention")
        assert (rows["SHR"]["actual"], rows["SHR"]["target"], rows["SHR"]["progress"]) == ("54%", "60%", "90%")
        assert (rows["BSE"]["baseline"], rows["BSE"]["actual"], rows["BSE"]["progress"],
                rows["BSE"]["status_code"]) == ("3", "4", "50%", "off_track")
        assert rows["PPL"]["progress_raw"] == "0.7"
        assert body["summary"]["score"] == "70%"
        assert body["slice"] == {"key": "female", "name": "Sex: female", "dimension": "Sex", "value": "female",
                                 "included": ["PPL", "SHR", "BSE"], "excluded": ["CIT"], "unsliced": ["CRS"]}
    page = page_rows(client.get(reverse("scorecard:scorecard"), {**FY2015, "slice": "female"}).content.decode())
    assert set(page) == set(rows)
    for code, row in rows.items():  # the page's cells, figure for figure
        assert (page[code]["baseline"], page[code]["actual"], page[code]["target"], page[code]["progress"],
                page[code]["status"]) == (row["baseline"], row["actual"], row["target"], row["progress"],
                                          row["status"]), code
    male = {r["indicator_code"]: r for r in api.get(SCORECARD, {**FY2015, "slice": "sex:male"}).json()["rows"]}
    assert (male["PPL"]["progress"], male["PPL"]["status"]) == ("90%", "On track")
    whole = api.get(SCORECARD, FY2015).json()
    assert whole["slice"] is None and {r["indicator_code"]: r for r in whole["rows"]}["PPL"]["progress"] == "80%"


@pytest.mark.parametrize("asked", ["nobody", "sex:nobody", "age:female", "sex:", ":female", "sex:female:x",
                                   "female male", "femme\x00", "s" * 200, "sex;female"])
def test_an_unknown_or_malformed_slice_is_refused_naming_the_parameter(sliced, client_as, asked):  # noqa: F811
    response = client_as("committee").get(SCORECARD, {**FY2015, "slice": asked})
    assert response.status_code == 400, (asked, response.content)
    assert list(response.json()) == ["slice"], response.json()
    assert response.json()["slice"][0]


def test_the_refusal_is_translated(sliced, client_as):  # noqa: F811
    response = client_as("committee").get(SCORECARD, {**FY2015, "slice": "nobody"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and "tranche" in response.json()["slice"][0]
    response = client_as("committee").get(SCORECARD, {**FY2015, "slice": "a;b"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and "dimension:valeur" in response.json()["slice"][0]


def test_the_slice_is_in_the_openapi_schema(client_as):
    schema = client_as("committee").get(reverse("api:schema"), {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/scorecard/"]["get"]["parameters"]}
    assert "dimension:value" in parameters["slice"]["description"]
    answer = schema["components"]["schemas"]["Scorecard"]["properties"]
    assert "slice" in answer and "ScorecardSlice" in schema["components"]["schemas"]


def test_every_role_reads_a_slice_and_no_role_none(demo, client_as):
    for role in ("officer", "manager", "committee", "administrator"):
        response = client_as(role).get(SCORECARD, {"slice": "sex:female"})
        assert response.status_code == 200, role
        assert response.json()["slice"]["name"] == "Sex: female"
        assert "CORP-OUT-3-I1" in {r["indicator_code"] for r in response.json()["rows"]}
    assert client_as("no role").get(SCORECARD, {"slice": "sex:female"}).status_code == 403
    assert client_as(None).get(SCORECARD, {"slice": "sex:female"}).status_code == 401


def test_a_programme_role_slices_what_it_may_see_only(programmes_demo, programme_client):  # noqa: F811
    client = programme_client("illustrative-bfa-officer")
    assert client.get(SCORECARD, {"slice": "sex:female"}).status_code == 200  # the corporate chain
    assert client.get(SCORECARD, {"framework": "BFA-OUA", "slice": "sex:female"}).status_code == 200
    assert client.get(SCORECARD, {"framework": "MOZ-MPM", "slice": "sex:female"}).status_code == 404
