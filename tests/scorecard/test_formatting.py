"""Pure display rules and the edition comparison (no database)."""
from decimal import Decimal

import pytest

from indicators.arithmetic import IndicatorSeries, evaluate_with_trajectory
from scorecard import compare, formatting

D = Decimal


@pytest.mark.parametrize("value, measure, unit, shown", [
    (D("1234.5000"), "number", "", "1,234.5"),
    (D("20.0000"), "number", "cities", "20"),
    (D("0.3333333"), "number", "", "0.33"),
    (D("45"), "percentage", "", "45%"),
    (D("45.125"), "percentage", "", "45.13%"),
    (D("1200000"), "currency", "USD", "USD 1,200,000"),
    (D("1"), "yes_no", "", "Yes"),
    (D("0"), "yes_no", "", "No"),
    (None, "number", "", "—"),
])
def test_number(value, measure, unit, shown):
    assert formatting.number(value, measure, unit) == shown


@pytest.mark.parametrize("fraction, shown", [
    (D(2) / D(3), "67%"), (D("0.005"), "1%"), (D("1.2"), "120%"), (D("-0.25"), "-25%"), (None, ""),
])
def test_percent(fraction, shown):
    assert formatting.percent(fraction) == shown


def test_sparkline_scales_into_the_box():
    points = formatting.sparkline([D(0), D(5), D(10)])
    assert points == "0.0,15 30.0,8 60.0,1"  # lowest at the bottom (y=15), highest at the top (y=1)
    assert formatting.sparkline([D(3)]) == "0.0,8 60.0,8"
    assert formatting.sparkline([]) == ""


def test_trajectory_of_a_cumulative_indicator_starts_after_its_baseline():
    series = IndicatorSeries(direction="increase", aggregation="sum", baseline=D(5), baseline_period=1,
                             measurements={1: D(3), 2: D(4), 3: D(6), 4: D(1)}, targets={3: D(17)})
    evaluation, path = evaluate_with_trajectory(series, 3)
    assert evaluation.actual == D(15)
    assert path == [(2, D(9)), (3, D(15))]  # running totals from the baseline; period 4 is after the period


def test_trajectory_of_average_and_qualitative():
    average = IndicatorSeries(direction="increase", aggregation="average",
                              measurements={1: D(2), 2: D(4), 3: D(9)}, targets={3: D(10)})
    assert [v for _, v in evaluate_with_trajectory(average, 3)[1]] == [D(2), D(3), D(5)]
    rated = IndicatorSeries(direction="increase", aggregation="latest", qualitative=True,
                            ratings={1: "off_track", 2: "on_track"})
    assert [v for _, v in evaluate_with_trajectory(rated, 2)[1]] == [D(0), D(2)]


def _sections(*rows):
    return [{"level_name": "Output", "results": [{"rows": [
        {"code": code, "name": code, "status": status, "status_label": formatting.STATUS_LABELS[status],
         "progress": progress, "progress_raw": raw, "actual": actual, "target": "10"}
        for code, status, progress, raw, actual in rows]}]}]


def test_compare_status_changes_deltas_added_removed():
    older = _sections(("A", "needs_attention", "67%", "0.6667", "20"), ("B", "on_track", "95%", "0.95", "9"),
                      ("C", "off_track", "10%", "0.1", "1"))
    newer = _sections(("A", "on_track", "100%", "1", "25"), ("B", "on_track", "95%", "0.95", "9"),
                      ("D", "no_data", "", None, "—"))
    result = compare.editions_compare(older, newer)
    assert [(e["code"], e["delta"], e["direction"]) for e in result["changed"]] == [("A", "+33 pp", "better")]
    assert [e["code"] for e in result["unchanged"]] == ["B"]
    assert [e["code"] for e in result["added"]] == ["D"] and [e["code"] for e in result["removed"]] == ["C"]
    assert (result["status_changes"], result["better"], result["worse"]) == (1, 1, 0)


def test_compare_a_fall():
    older = _sections(("A", "on_track", "95%", "0.95", "19"))
    newer = _sections(("A", "off_track", "40%", "0.4", "8"))
    entry = compare.editions_compare(older, newer)["changed"][0]
    assert (entry["delta"], entry["direction"]) == ("−55 pp", "worse")


def test_row_html_escapes_text():
    row = {"code": "X", "name": "<b>bold</b> & co", "kind": "latest value", "unit": "", "note": "",
           "baseline": "1", "baseline_period": "FY2014", "actual": "2", "actual_period": "FY2015",
           "target": "3", "target_period": "FY2015", "target_preliminary": False, "progress": "50%",
           "bar": 50, "status": "off_track", "status_label": "Off track", "trend": "", "trend_symbol": "",
           "trend_label": "", "spark": "", "url": "/i/X/", "result_code": "R-1", "result_url": "/r/R-1/"}
    html = formatting.row_html(row)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html and "<b>" not in html
    assert '<a href="/i/X/">X</a>' in html and '<a href="/r/R-1/">R-1</a>' in html  # indicator and result


def test_progress_spark_draws_progress_against_the_target_line():
    spark = formatting.progress_spark([D("0.5"), D("1.2")])
    (x1, y1), (x2, y2) = [tuple(map(float, p.split(","))) for p in spark["spark"].split()]
    ref = float(spark["spark_ref"])
    assert x1 < x2 and y2 < ref < y1  # 50% below the target line, 120% above it (higher is up)
    assert spark["spark_dot"] == ""


def test_progress_spark_of_one_period_is_a_dot():
    spark = formatting.progress_spark([D("0.8")])
    assert spark["spark"] == "" and spark["spark_dot"] and spark["spark_ref"]
    html = formatting.spark_html(spark)
    assert "<circle" in html and "<polyline" not in html and 'class="ref"' in html
    assert formatting.progress_spark([]) == {"spark": "", "spark_dot": "", "spark_ref": ""}
