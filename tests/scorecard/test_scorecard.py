"""The scorecard page against hand calculations (see conftest.py for the data).

At FY2016, progress = (actual - baseline) / (target - baseline):
  INC   latest, increasing: (20 - 10) / (25 - 10) = 0.667 -> 67%, needs attention; FY2015 was
        (16 - 10) / (20 - 10) = 60%, so the trend is up. The working value 24 is under revision and
        must not show.
  DEC   latest, decreasing: (22 - 40) / (20 - 40) = 0.90 -> 90%, on track (22/20 = 110% would be the
        classic mistake).
  PCT   percentage: (45 - 30) / (60 - 30) = 0.50 -> 50%, off track (45/60 = 75% would be wrong).
  QUAL  qualitative: rated "needs attention" -> needs attention; FY2015 was off track: trend up.
  CUM   cumulative: actual = 5 + 4 + 6 = 15 (FY2014's 3 is inside the baseline);
        (15 - 5) / (17 - 5) = 0.833 -> 83%, needs attention (18 and 108% if counted twice).
  LAT   latest: 95 (not 120, not 215); 95 / 100 = 95%, on track: the approved target 100 counts while
        a revision to 80 awaits approval (95 / 80 = 119% would score an unapproved target).
  NODATA due, only a draft -> no data.
  NOBASE planned baseline -> missing: 150 / 200 = 75%; its own standard (70%) -> on track.
  FUT   target in FY2017 only -> not due.
  PRELIM its FY2016 target (10) was never approved -> not due (2 / 10 = 20%, off track, would be wrong);
        the row says the target awaits approval.
Counts: 3 on track, 3 needs attention, 1 off track, 1 no data, 2 not due; 7 of 8 due have data (88%).
Framework score: capped progress weighted (CUM weight 3):
  (0.667 + 0.90 + 0.50 + 3 x 0.833 + 0.95 + 0.75) / 8 = 6.267 / 8 = 0.783 -> 78%.
"""
from decimal import Decimal

import pytest
from django.urls import reverse

from scorecard.selectors import scorecard_build

from .pages import page_rows

D = Decimal


@pytest.fixture
def page(client, committee, scorecard_data):
    client.force_login(committee)

    def get(**params):
        response = client.get(reverse("scorecard:scorecard"), params)
        assert response.status_code == 200
        return response.content.decode()
    return get


def test_rows_match_the_hand_calculation(page):
    rows = page_rows(page())
    inc = rows["INC"]
    assert (inc["baseline"], inc["baseline_period"]) == ("10", "FY2014")
    assert (inc["actual"], inc["actual_period"]) == ("20", "FY2016")  # not the 24 under revision
    assert (inc["target"], inc["target_period"]) == ("25", "FY2016")
    assert (inc["progress"], inc["status"]) == ("67%", "Needs attention")
    assert inc["trend"] == "▲"

    dec = rows["DEC"]
    assert (dec["baseline"], dec["actual"], dec["target"]) == ("40%", "22%", "20%")
    assert (dec["progress"], dec["status"]) == ("90%", "On track")

    pct = rows["PCT"]
    assert (pct["baseline"], pct["actual"], pct["target"], pct["progress"], pct["status"]) == \
        ("30%", "45%", "60%", "50%", "Off track")

    qual = rows["QUAL"]
    assert (qual["baseline"], qual["actual"], qual["target"]) == \
        ("No city strategy in place", "Needs attention", "On track")
    assert (qual["progress"], qual["status"], qual["trend"]) == ("", "Needs attention", "▲")

    cum = rows["CUM"]
    assert (cum["baseline"], cum["actual"], cum["actual_period"], cum["target"]) == ("5", "15", "FY2016", "17")
    assert (cum["progress"], cum["status"]) == ("83%", "Needs attention")
    assert "cumulative" in cum["detail"] and "cities" in cum["detail"]

    lat = rows["LAT"]
    assert (lat["actual"], lat["target"], lat["progress"], lat["status"]) == ("95", "100", "95%", "On track")
    assert "revised FY2016 target awaiting approval: the approved one counts" in lat["detail"]
    assert not any(row["preliminary"] for row in rows.values())  # only approved targets are shown

    nodata = rows["NODATA"]
    assert (nodata["actual"], nodata["progress"], nodata["status"]) == ("—", "", "No data")

    nobase = rows["NOBASE"]
    assert (nobase["baseline"], nobase["baseline_period"]) == ("—", "")
    assert (nobase["progress"], nobase["status"]) == ("75%", "On track")
    assert "no baseline" in nobase["detail"]

    fut = rows["FUT"]
    assert (fut["target"], fut["progress"], fut["status"]) == ("—", "", "Not due")

    prelim = rows["PRELIM"]
    assert (prelim["actual"], prelim["target"], prelim["progress"], prelim["status"]) == ("2", "—", "", "Not due")
    assert "FY2016 target awaiting approval" in prelim["detail"]
    assert "awaiting approval" not in inc["detail"]
    assert "SINC" not in rows  # the Secretariat's indicators are not on the corporate scorecard


def test_header_counts_completeness_and_scores(page):
    html = page()
    card = scorecard_build()
    counts = {c["status"]: c["count"] for c in card.summary["counts"]}
    assert counts == {"on_track": 3, "needs_attention": 3, "off_track": 1, "no_data": 1, "not_due": 2}
    assert "7 of 8 indicators due have approved figures for FY2016 (88%)" in html
    assert card.summary["score"] == "78%" and card.summary["status"] == "needs_attention"
    assert "Framework score: <strong>78%</strong>" in html
    for status, _count in counts.items():
        assert f'<span data-status="{status}">' in html
    results = {r["code"]: r for s in card.sections for r in s["results"]}
    assert results["SC-OC"]["rollup"]["score"] == "78%"        # (0.667 + 0.90) / 2
    assert results["SC-IO"]["rollup"]["score"] == "50%"        # QUAL is counted, not scored
    assert results["SC-OUT-1"]["rollup"]["score"] == "86%"     # (3 x 0.833 + 0.95) / 4 = 0.8625
    assert results["SC-OUT-2"]["rollup"]["score"] == "75%"
    assert results["SC-OUT-2"]["rollup"]["status"] == "needs_attention"  # roll-ups use the default standard
    assert results["SC-IMP"]["rollup"] is None
    levels = {s["level_name"]: s["rollup"]["score"] for s in card.sections}
    assert levels == {"Impact": "", "Outcome": "78%", "Intermediate Outcome": "50%", "Output": "84%"}
    # Output level: (3 x 0.833 + 0.95 + 0.75) / 5 = 4.2 / 5 = 0.84


def test_default_period_is_the_latest_with_approved_figures(page, scorecard_data):
    card = scorecard_build()
    assert card.framework == scorecard_data["framework"]  # the corporate chain by default
    assert card.period.label == "FY2016"
    assert card.periods == [("FY2017", False), ("FY2016", True), ("FY2015", True), ("FY2014", True)]
    assert '<option value="FY2017">FY2017 (no approved figures)</option>' in page()


def test_an_earlier_period(page):
    rows = page_rows(page(period="FY2015"))
    assert (rows["INC"]["actual"], rows["INC"]["target"], rows["INC"]["progress"]) == ("16", "20", "60%")
    assert rows["INC"]["status"] == "Needs attention" and rows["INC"]["trend"] == ""
    assert (rows["QUAL"]["actual"], rows["QUAL"]["status"]) == ("Off track", "Off track")
    assert rows["CUM"]["status"] == "Not due" and rows["CUM"]["actual"] == "9"  # 5 + 4, shown though not due
    assert rows["DEC"]["status"] == "Not due"


def test_business_line_filter_shows_its_outputs_only(page):
    html = page(line="CP")
    assert set(page_rows(html)) == {"CUM", "LAT"}
    assert "Country Programmes" in html


def test_secretariat_contribution_on_the_corporate_result(page):
    card = scorecard_build()
    out1 = next(r for s in card.sections for r in s["results"] if r["code"] == "SC-OUT-1")
    assert [(c["code"], c["status_label"], c["score"]) for c in out1["contributions"]] == \
        [("SSC-OUT-1", "On track", "100%")]
    assert "Contributing:" in page()
    secretariat = page(framework="SSC")
    assert "Contributes to:" in secretariat and "SC-OUT-1" in secretariat
    assert set(page_rows(secretariat)) == {"SINC"}


def test_rows_link_to_their_result_and_indicator(page, scorecard_data):
    html = page()
    row = html[html.index('<tr data-code="INC">'):]
    row = row[:row.index("</tr>")]
    assert f'<a href="{scorecard_data["inc"].result.get_absolute_url()}">SC-OC</a>' in row
    assert f'<a href="{scorecard_data["inc"].get_absolute_url()}">INC</a>' in row


def test_correction_after_approval_changes_the_live_page(page, scorecard_data):
    from indicators.models import Measurement
    Measurement.objects.filter(indicator=scorecard_data["inc"], period__label="FY2016").update(
        approved_value=D(25), status="approved")
    rows = page_rows(page())
    assert (rows["INC"]["actual"], rows["INC"]["progress"], rows["INC"]["status"]) == ("25", "100%", "On track")


def test_unknown_choices_are_reported_not_a_server_error(page):
    html = page(framework="NOPE", period="FY1999X", line="ZZ")
    assert "There is no results framework &#x27;NOPE&#x27;" in html
    assert "There is no reporting period" in html and "There is no business line" in html
    assert "67%" in html  # the default scorecard is shown


def test_empty_framework(client, committee, make_framework):
    make_framework(code="EMPTY")
    client.force_login(committee)
    html = client.get(reverse("scorecard:scorecard")).content.decode()
    assert "has a target or an approved figure yet" in html


def test_status_shown_by_word_and_colour_and_legend(page):
    html = page()
    assert '<span class="st st-off_track">Off track</span>' in html
    assert "How to read this scorecard" in html and "Targets</strong> count once a manager approves them" in html
    assert "@page { size: A4 landscape" in html


BANNER = '<div class="alert alert-warning sc-illustrative py-2" role="note" id="illustrative"><strong>Illustrative figures.</strong>'


def test_illustrative_banner(page, scorecard_data, settings):
    assert BANNER not in page()
    fw = scorecard_data["framework"]
    fw.description = "Illustrative demonstration data."
    fw.save()
    assert BANNER in page()
    fw.description = ""
    fw.save()
    settings.DEBUG = True
    html = page()
    assert BANNER in html and "development server" in html


def test_demo_indicator_code_marks_the_page_illustrative(page, scorecard_data):
    from indicators.models import Indicator
    Indicator.objects.filter(pk=scorecard_data["fut"].pk).update(code="DEMO-FUT")
    html = page()
    assert BANNER in html and "1 indicator is demonstration data" in html


def test_login_required(client, scorecard_data):
    response = client.get(reverse("scorecard:scorecard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_period_without_data_stays_selected(page):
    from indicators.models import ReportingPeriod
    ReportingPeriod.objects.create(label="FY2013", kind="year", fiscal_year=2013, number=0,
                                   start="2012-07-01", end="2013-06-30")
    html = page(period="FY2013")
    assert '<option value="FY2013" selected>FY2013 (no approved figures)</option>' in html
    assert {row["status"] for row in page_rows(html).values()} == {"Not due"}
