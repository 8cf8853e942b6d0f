"""Computed corporate indicators on the scorecard (issue 18): the computed figures are what the
scorecard, its exports and its cache show; an approval of a programme's figure changes the corporate
figure by exactly that amount; the query count does not grow with the number of programmes."""
import csv
import io
import re
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from scorecard.selectors import scorecard_build

URL = reverse("scorecard:scorecard")


def row(card, code):
    return next(r for r in card.rows if r["code"] == code)


def row_html(html: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}".*?</tr>', html, re.S)
    assert match, f"no row {code}"
    return re.sub(r"\s+", " ", match.group(0))


def test_scorecard_uses_the_computed_figures_and_shows_the_formula(programmes):
    programmes["define"]()
    card = scorecard_build(framework_code="CRP", period_label="FY2015")
    corp = row(card, "CORP-CITIES")
    # P1's running total 20 (baseline 10 + 5 + 5) plus P2's latest 7; target 40, no baseline.
    assert (corp["actual"], corp["actual_raw"], corp["target"]) == ("27", "27", "40")
    assert "computed: Sum of: P1-CITIES, P2-CITIES" in corp["note"]
    assert corp["progress"] == "68%"


def test_an_approved_programme_figure_changes_the_corporate_figure_by_exactly_that_amount(
        programmes, officer, manager, client, committee):
    programmes["define"]()
    client.force_login(committee)

    def shown():
        html = client.get(URL, {"framework": "CRP", "period": "FY2016"}).content.decode()
        card = scorecard_build(framework_code="CRP", period_label="FY2016")
        return Decimal(row(card, "CORP-CITIES")["actual_raw"]), row_html(html, "CORP-CITIES")

    before, html = shown()
    assert before == 27 and ">27<" in html.replace(" ", "")
    m = services.measurement_record(indicator=programmes["p1"], period="FY2016", by=officer, value="4.5",
                                    evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    assert shown()[0] == before  # submitted, not yet approved: not counted
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    after, html = shown()
    assert after - before == Decimal("4.5")
    assert ">31.5<" in html.replace(" ", "")  # the cached page changed too


def test_count_met_on_the_scorecard(programmes, make_indicator):
    met = make_indicator(programmes["corporate"]["outputs"][0], code="CORP-MET", aggregation="latest",
                         unit="programmes")
    programmes["define"](kind="count_met", indicator=met)
    card = scorecard_build(framework_code="CRP", period_label="FY2015")
    assert row(card, "CORP-MET")["actual"] == "1"  # P1 met 20 of 20; P2 reached 7 of 10
    assert "Number of programmes meeting their target" in row(card, "CORP-MET")["note"]


def test_exports_show_the_formula(programmes, client, committee):
    programmes["define"]()
    client.force_login(committee)
    response = client.get(reverse("scorecard:export", args=["csv"]), {"framework": "CRP", "period": "FY2015"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    corp = next(r for r in rows if "CORP-CITIES" in r)
    assert "27" in corp and any("Sum of: P1-CITIES, P2-CITIES" in cell for cell in corp)


def generate(prefix, programmes):
    call_command("generate_programmes", corporate="CORPQ", programmes=programmes, indicators=60, periods=3,
                 prefix=prefix, stdout=io.StringIO())


def test_scorecard_query_count_does_not_grow_with_programmes(db, django_assert_num_queries):
    call_command("generate_organisation", indicators=40, periods=3, code="CORPQ", name="Corporate Q",
                 stdout=io.StringIO())
    generate("QA", 2)
    with CaptureQueriesContext(connection) as few:
        card = scorecard_build(framework_code="CORPQ")
    computed_rows = [r for r in card.rows if r["formula"]]
    assert computed_rows and all(r["actual"] != "—" for r in computed_rows)
    generate("QB", 6)  # three times as many programmes (and contributions) aligned to the same chain
    with django_assert_num_queries(len(few)):
        card = scorecard_build(framework_code="CORPQ")
    assert len([r for r in card.rows if r["formula"]]) == 2 * len(computed_rows)
