"""The scorecard and the indicator page agree: same progress and status for the same indicator and
period (both build the arithmetic's input with indicators.series). The hand-calculated chain covers
a revision awaiting approval (LAT), a target never approved (PRELIM), a figure under revision (INC),
a cumulative count with a baseline inside it (CUM), a planned baseline (NOBASE) with its own
standard, a decreasing percentage (DEC) and a qualitative indicator (QUAL)."""
from indicators import selectors
from scorecard.selectors import scorecard_build


def test_every_indicator_and_period_agrees(scorecard_data):
    compared = 0
    for period in ("FY2014", "FY2015", "FY2016", "FY2017"):
        card = scorecard_build(framework_code="SC", period_label=period)
        for row in card.rows:
            indicator = selectors.indicator_get(code=row["code"])
            page = {r.period.label: r for r in selectors.indicator_page(indicator=indicator)["rows"]}
            if period not in page:
                continue  # the page lists the periods with a target or a measurement
            evaluation = page[period].evaluation
            shown = (str(evaluation.progress) if evaluation.progress is not None else None, evaluation.status.value)
            assert shown == (row["progress_raw"], row["status"]), (row["code"], period)
            compared += 1
    assert compared >= 15
    lat = {r["code"]: r for r in scorecard_build(framework_code="SC").rows}
    assert (lat["LAT"]["progress"], lat["PRELIM"]["status"]) == ("95%", "not_due")



def test_roll_ups_use_the_managers_default_standard(scorecard_data, client, committee):
    """Results, levels and the framework are banded by the configured default standard, like rows."""
    from decimal import Decimal

    from django.urls import reverse

    from indicators.models import PerformanceStandard

    # INC is at 67%: needs attention under 90/60, on track once the manager sets 50/40.
    PerformanceStandard.objects.filter(indicator__isnull=True).update(
        on_track=Decimal("0.50"), needs_attention=Decimal("0.40"))
    client.force_login(committee)
    html = client.get(reverse("scorecard:scorecard"), {"framework": "SC", "period": "FY2016"}).content.decode()
    row = html[html.index('<tr data-code="INC">'):]
    row = row[:row.index("</tr>")]
    assert "67%" in row and "On track" in row
    header = html[html.index('<a href="/results/SC-OC/">SC-OC</a>'):]
    header = header[:header.index("</tr>")]
    assert "score 78%" in header and "On track" in header  # 78% needs attention under 90/60
