"""The API's scorecard is the CSV export's, cell by cell, at every period; editions come as frozen."""
import csv
import io

import pytest
from django.urls import reverse

from api.selectors import ROW_KEYS
from citiesalliance.formula_guard import csv_safe
from scorecard.formatting import EXPORT_HEADERS

SCORECARD = reverse("api:scorecard")


def _csv_rows(client, **query):
    response = client.get(reverse("scorecard:export", args=["csv"]), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS
    return rows[1:]


@pytest.mark.parametrize("framework", ["SC", "SSC"])
def test_the_api_scorecard_equals_the_csv_export_cell_by_cell(scorecard_data, client, committee, client_as,
                                                             framework):
    client.force_login(committee)
    api = client_as("committee")
    compared = 0
    for period in ("FY2014", "FY2015", "FY2016", "FY2017"):
        response = api.get(SCORECARD, {"framework": framework, "period": period})
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["framework"], body["period"]) == (framework, period)
        exported = _csv_rows(client, framework=framework, period=period)
        assert len(body["rows"]) == len(exported)
        for row, cells in zip(body["rows"], exported):
            # The CSV guards would-be formulas with an apostrophe (csv_safe); the API gives the text.
            assert [csv_safe(row[key]) for key in ROW_KEYS] == cells
            compared += len(cells)
    assert compared > 50


def test_the_default_period_and_raw_figures(scorecard_data, client_as):
    body = client_as("committee").get(SCORECARD, {"framework": "sc"}).json()
    assert body["period"] == "FY2016" and body["periods"][:2] == ["FY2017", "FY2016"]  # FY2017: targets only
    rows = {r["indicator_code"]: r for r in body["rows"]}
    assert rows["LAT"]["progress"] == "95%" and rows["PRELIM"]["status_code"] == "not_due"
    assert body["summary"]["indicators"] >= len(rows)


@pytest.mark.parametrize("query, status, field", [
    ({"framework": "NOPE"}, 404, "detail"),
    ({"framework": "SC", "period": "FY1999"}, 400, "period"),
    ({"framework": "SC", "period": "soon"}, 400, "period"),
    ({"framework": "SC", "line": "NOPE"}, 400, "line"),
    ({"framework": "SC\x00"}, 400, "framework"),
    ({"framework": "S" * 31}, 400, "framework"),
])
def test_unknown_or_malformed_choices_are_refused(scorecard_data, client_as, query, status, field):
    response = client_as("committee").get(SCORECARD, query)
    assert response.status_code == status, response.content
    assert field in response.json()


def test_an_unknown_period_or_line_is_named_in_the_readers_language(scorecard_data, client_as):
    api = client_as("committee")
    assert api.get(SCORECARD, {"framework": "SC", "period": "FY1999", "line": "NOPE"}).json() == {
        "period": ["There is no reporting period 'FY1999'."], "line": ["There is no business line 'NOPE'."]}
    french = api.get(SCORECARD, {"framework": "SC", "period": "FY1999", "line": "NOPE"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json() == {"period": ["Il n'existe pas de période de rapport 'FY1999'."],
                             "line": ["Il n'existe pas de ligne d'activité 'NOPE'."]}


def test_an_edition_comes_exactly_as_frozen(scorecard_data, client_as, manager):
    from indicators.models import Measurement, ReportingPeriod
    from results.models import ResultsFramework
    from scorecard import services as scorecard_services
    from scorecard.models import Edition

    edition = scorecard_services.edition_publish(
        framework=ResultsFramework.objects.get(code="SC"), period=ReportingPeriod.objects.get(label="FY2016"),
        commentary="What works, what does not, and why.", published_by=manager)
    frozen = Edition.objects.get(pk=edition.pk)
    Measurement.objects.filter(approved_at__isnull=False).exclude(measure="rating").update(approved_value=0)  # later corrections
    api = client_as("committee")
    listed = api.get(reverse("api:edition-list"), {"framework": "sc"}).json()["results"]
    assert [e["id"] for e in listed] == [edition.pk] and "sections" not in listed[0]
    detail = api.get(reverse("api:edition-detail", args=[edition.pk])).json()
    assert (detail["sections"], detail["summary"], detail["standard"]) == (frozen.sections, frozen.summary,
                                                                          frozen.standard)
    assert detail["commentary"] == "What works, what does not, and why."
    assert detail["published_by"] == (manager.get_full_name() or manager.username)
    assert api.get(reverse("api:scorecard"), {"framework": "SC", "period": "FY2016"}).json()["rows"] != [
        row for s in frozen.sections for r in s["results"] for row in r["rows"]]
