"""Unit and property tests for indicators.arithmetic (DESIGN.md section 3).

No Django, no database: run with
    .venv/bin/python -m pytest -p no:django --noconftest tests/indicators/test_arithmetic.py -q
Every expected number is worked by hand in the comment next to it.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# The project root is not always on sys.path (e.g. when the pytest script is
# run instead of `python -m pytest`); the module under test lives there.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from indicators.arithmetic import (  # noqa: E402
    AGGREGATIONS,
    DIRECTIONS,
    IndicatorSeries,
    Standard,
    Status,
    Trend,
    actual_at,
    evaluate,
    history,
    progress_of,
    status_of,
)

D = Decimal


def series(**kwargs) -> IndicatorSeries:
    kwargs.setdefault("direction", "increase")
    kwargs.setdefault("aggregation", "latest")
    return IndicatorSeries(**kwargs)


# --------------------------------------------------------------------------
# Enums and constants
# --------------------------------------------------------------------------


def test_status_values_and_labels():
    assert [s.value for s in Status] == ["on_track", "needs_attention", "off_track", "no_data", "not_due"]
    assert [s.label for s in Status] == ["On track", "Needs attention", "Off track", "No data", "Not due"]
    assert Status.ON_TRACK == "on_track"
    assert str(Status.NEEDS_ATTENTION) == "needs_attention"


def test_trend_values_and_constants():
    assert [t.value for t in Trend] == ["up", "down", "flat"]
    assert AGGREGATIONS == ("sum", "latest", "average")
    assert DIRECTIONS == ("increase", "decrease", "maintain")


# --------------------------------------------------------------------------
# Progress: both directions, and the peer mistake actual / target
# --------------------------------------------------------------------------


def test_increasing_progress_uses_baseline():
    # baseline 100, target 200, actual 150: (150-100)/(200-100) = 0.5.
    # The peer mistake actual/target would say 150/200 = 0.75 (needs attention).
    ev = evaluate(series(baseline=D(100), measurements={1: D(150)}, targets={1: D(200)}), 1)
    assert ev.progress == D("0.5")
    assert ev.progress != D("0.75")
    assert ev.status is Status.OFF_TRACK
    assert ev.baseline_missing is False


def test_decreasing_progress_maternal_mortality():
    # baseline 50, target 30, actual 40: (40-50)/(30-50) = -10/-20 = 0.5.
    # actual/target would say 40/30 = 1.33 and call a halfway result on track.
    ev = evaluate(
        series(direction="decrease", baseline=D(50), measurements={1: D(40)}, targets={1: D(30)}),
        1,
    )
    assert ev.progress == D("0.5")
    assert ev.status is Status.OFF_TRACK


def test_decreasing_indicator_getting_worse_is_negative_and_capped_to_zero():
    # baseline 50, target 30, actual 55: (55-50)/(30-50) = 5/-20 = -0.25 -> capped 0.
    ev = evaluate(
        series(direction="decrease", baseline=D(50), measurements={1: D(55)}, targets={1: D(30)}),
        1,
    )
    assert ev.progress == D("-0.25")
    assert ev.capped_progress == D(0)
    assert ev.status is Status.OFF_TRACK


def test_decreasing_indicator_beating_target_is_above_one_uncapped():
    # baseline 50, target 30, actual 26: (26-50)/(30-50) = -24/-20 = 1.2 -> capped 1.
    ev = evaluate(
        series(direction="decrease", baseline=D(50), measurements={1: D(26)}, targets={1: D(30)}),
        1,
    )
    assert ev.progress == D("1.2")
    assert ev.capped_progress == D(1)
    assert ev.status is Status.ON_TRACK


def test_progress_of_returns_none_without_actual_or_target():
    assert progress_of(actual=None, baseline=D(1), target=D(2), direction="increase") == (None, False)
    assert progress_of(actual=D(1), baseline=None, target=None, direction="increase") == (None, True)


def test_progress_of_rejects_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        progress_of(actual=D(1), baseline=D(0), target=D(2), direction="up")


# --------------------------------------------------------------------------
# Aggregations
# --------------------------------------------------------------------------


def test_cumulative_sum_from_baseline():
    # baseline 10 (at period 0), per-period measurements 5 and 5, target 25 at 3:
    # actual(3) = 10 + 5 + 5 = 20 (last contribution from period 2),
    # progress = (20-10)/(25-10) = 10/15 = 0.666... -> needs attention.
    s = series(
        aggregation="sum",
        baseline=D(10),
        baseline_period=0,
        measurements={1: D(5), 2: D(5)},
        targets={3: D(25)},
    )
    assert actual_at(s, 3) == (D(20), 2)
    ev = evaluate(s, 3)
    assert ev.actual == D(20)
    assert ev.actual_period == 2
    assert ev.progress == D(10) / D(15)
    assert ev.status is Status.NEEDS_ATTENTION


def test_sum_does_not_count_baseline_period_measurement_twice():
    # The baseline 10 already is the total at period 0; a measurement recorded
    # for period 0 must not be added again: actual(2) = 10 + 5 + 5 = 20, not 30.
    s = series(
        aggregation="sum",
        baseline=D(10),
        baseline_period=0,
        measurements={0: D(10), 1: D(5), 2: D(5)},
        targets={2: D(25)},
    )
    assert actual_at(s, 2) == (D(20), 2)
    # Earlier-than-baseline measurements are ignored too.
    s2 = series(aggregation="sum", baseline=D(10), baseline_period=3, measurements={1: D(7), 4: D(2)})
    assert actual_at(s2, 4) == (D(12), 4)


def test_sum_with_only_its_baseline_has_no_actual():
    # Nothing measured after the baseline: the baseline is not an actual.
    s = series(
        aggregation="sum",
        baseline=D(10),
        baseline_period=0,
        measurements={0: D(10)},
        targets={1: D(25)},
    )
    assert actual_at(s, 1) == (None, None)
    ev = evaluate(s, 1)
    assert ev.actual is None
    assert ev.status is Status.NO_DATA
    assert ev.progress is None


def test_sum_carries_forward_between_measurements():
    # baseline 10 at 0, measurements at 1 (5) and 3 (5): actual(2) = 15 from period 1.
    s = series(aggregation="sum", baseline=D(10), baseline_period=0, measurements={1: D(5), 3: D(5)})
    assert actual_at(s, 2) == (D(15), 1)
    assert actual_at(s, 3) == (D(20), 3)


def test_sum_with_missing_baseline_counts_from_zero():
    # people trained, no baseline: actual(2) = 0 + 5 + 5 = 10; target 20.
    # Baseline missing -> progress falls back to actual/target = 10/20 = 0.5, flagged.
    s = series(aggregation="sum", measurements={1: D(5), 2: D(5)}, targets={2: D(20)})
    ev = evaluate(s, 2)
    assert ev.actual == D(10)
    assert ev.progress == D("0.5")
    assert ev.baseline_missing is True


def test_already_cumulative_figures_use_latest_not_sum():
    # Running totals 15, 20 reported each period are "latest" figures:
    # actual(2) = 20 and progress = (20-10)/(25-10) = 10/15, the same as the
    # per-period sum above. Summing them would give 10 + 15 + 20 = 45.
    s = series(baseline=D(10), baseline_period=0, measurements={1: D(15), 2: D(20)}, targets={2: D(25)})
    ev = evaluate(s, 2)
    assert ev.actual == D(20)
    assert ev.progress == D(10) / D(15)


def test_latest_takes_most_recent_at_or_before_period():
    s = series(measurements={2013: D(40), 2015: D(70), 2016: D(60)})
    assert actual_at(s, 2012) == (None, None)
    assert actual_at(s, 2013) == (D(40), 2013)
    assert actual_at(s, 2014) == (D(40), 2013)  # carried from 2013
    assert actual_at(s, 2015) == (D(70), 2015)
    assert actual_at(s, 2020) == (D(60), 2016)


def test_latest_includes_measurement_at_baseline_period():
    # For latest/average every measurement at or before P is eligible.
    s = series(baseline=D(40), baseline_period=2013, measurements={2013: D(40)})
    assert actual_at(s, 2014) == (D(40), 2013)


def test_average_is_mean_of_measurements_at_or_before_period():
    # {1: 10, 2: 20, 3: 60}: avg(2) = (10+20)/2 = 15; avg(3) = 90/3 = 30.
    s = series(aggregation="average", measurements={1: D(10), 2: D(20), 3: D(60)})
    assert actual_at(s, 0) == (None, None)
    assert actual_at(s, 2) == (D(15), 2)
    assert actual_at(s, 3) == (D(30), 3)


def test_percentage_indicator_latest_is_never_summed_nor_progress_averaged():
    # Share of women in decision roles, 0-100 scale, baseline 30, targets 40 then 50,
    # measured 35 then 45. At period 2: actual is 45 (not 35+45 = 80),
    # progress = (45-30)/(50-30) = 15/20 = 0.75.
    # Averaging per-period progress would give ((35-30)/(40-30) + 0.75)/2 = (0.5+0.75)/2 = 0.625.
    s = series(
        baseline=D(30),
        baseline_period=0,
        measurements={1: D(35), 2: D(45)},
        targets={1: D(40), 2: D(50)},
    )
    first, second = history(s, [1, 2])
    assert first.progress == D("0.5")
    assert second.actual == D(45)
    assert second.progress == D("0.75")
    assert second.progress != D("0.625")
    assert second.status is Status.NEEDS_ATTENTION


def test_percentage_average_recomputes_progress_from_the_mean_value():
    # Average aggregation: mean value (35+45)/2 = 40, progress (40-30)/(50-30) = 0.5.
    s = series(
        aggregation="average",
        baseline=D(30),
        measurements={1: D(35), 2: D(45)},
        targets={2: D(50)},
    )
    ev = evaluate(s, 2)
    assert ev.actual == D(40)
    assert ev.progress == D("0.5")


def test_actual_at_for_qualitative_is_none():
    s = series(qualitative=True, ratings={1: "on_track"}, measurements={1: D(3)})
    assert actual_at(s, 1) == (None, None)


# --------------------------------------------------------------------------
# Target equal to baseline, maintain, tolerance
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "tolerance", "expected"),
    [
        (D(100), D(0), D(1)),  # at target
        (D(105), D(0), D(1)),  # beyond, in the desired direction
        (D(99), D(0), D(0)),  # short by 1, no tolerance
        (D(99), D(1), D(1)),  # 99 >= 100 - 1
        (D("98.5"), D(1), D(0)),  # 98.5 < 99
    ],
)
def test_target_equals_baseline_increase(actual, tolerance, expected):
    progress, missing = progress_of(
        actual=actual, baseline=D(100), target=D(100), direction="increase", tolerance=tolerance
    )
    assert (progress, missing) == (expected, False)


@pytest.mark.parametrize(
    ("actual", "tolerance", "expected"),
    [
        (D(0), D(0), D(1)),  # zero incidents, target zero
        (D(1), D(0), D(0)),  # one incident over
        (D(1), D(1), D(1)),  # 1 <= 0 + 1
        (D(2), D(1), D(0)),  # 2 > 1
    ],
)
def test_target_equals_baseline_decrease(actual, tolerance, expected):
    progress, _ = progress_of(actual=actual, baseline=D(0), target=D(0), direction="decrease", tolerance=tolerance)
    assert progress == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D(95), D(1)),
        (D(93), D(1)),  # |93 - 95| = 2 <= 2
        (D(97), D(1)),  # |97 - 95| = 2 <= 2
        (D("92.99"), D(0)),  # 2.01 > 2
        (D("97.01"), D(0)),
    ],
)
def test_maintain_within_tolerance(actual, expected):
    progress, missing = progress_of(
        actual=actual, baseline=D(95), target=D(95), direction="maintain", tolerance=D(2)
    )
    assert (progress, missing) == (expected, False)


def test_maintain_uses_standard_tolerance_via_evaluate():
    s = series(direction="maintain", baseline=D(95), measurements={1: D(93)}, targets={1: D(95)})
    assert evaluate(s, 1).status is Status.OFF_TRACK  # default tolerance 0: progress 0
    ev = evaluate(s, 1, Standard(tolerance=D(2)))
    assert ev.progress == D(1)
    assert ev.status is Status.ON_TRACK


def test_maintain_ignores_baseline_even_when_it_differs_or_is_missing():
    # Maintain is pass/fail around the target; baseline 80 does not matter.
    assert progress_of(actual=D(95), baseline=D(80), target=D(95), direction="maintain") == (D(1), False)
    assert progress_of(actual=D(95), baseline=None, target=D(95), direction="maintain") == (D(1), True)


def test_tolerance_does_not_bend_the_ratio_formula():
    # With a distance to travel, the plain ratio applies: (99-0)/(100-0) = 0.99.
    progress, _ = progress_of(actual=D(99), baseline=D(0), target=D(100), direction="increase", tolerance=D(5))
    assert progress == D("0.99")


# --------------------------------------------------------------------------
# Missing baseline
# --------------------------------------------------------------------------


def test_missing_baseline_falls_back_to_actual_over_target_and_flags_it():
    # 150 / 200 = 0.75.
    assert progress_of(actual=D(150), baseline=None, target=D(200), direction="increase") == (D("0.75"), True)
    ev = evaluate(series(measurements={1: D(150)}, targets={1: D(200)}), 1)
    assert ev.progress == D("0.75")
    assert ev.baseline_missing is True
    assert ev.status is Status.NEEDS_ATTENTION


def test_missing_baseline_with_target_zero_is_met_or_not():
    # No ratio to form (target 0), but there is an actual: judged met (at or beyond the target in
    # the desired direction) or not met, never "no data", which means "due, no approved actual".
    assert progress_of(actual=D(5), baseline=None, target=D(0), direction="increase") == (D(1), True)
    assert progress_of(actual=D(-2), baseline=None, target=D(0), direction="increase") == (D(0), True)
    ev = evaluate(series(measurements={1: D(5)}, targets={1: D(0)}), 1)
    assert ev.actual == D(5)
    assert ev.progress == D(1)
    assert ev.status is Status.ON_TRACK
    assert ev.baseline_missing is True


def test_missing_baseline_decreasing_turns_the_ratio_over():
    # Decrease, target 30: actual 40 -> 30/40 = 0.75 (short of target);
    # actual 24 -> 30/24 = 1.25 (beat it). Plain 40/30 = 1.33 would reward failure.
    assert progress_of(actual=D(40), baseline=None, target=D(30), direction="decrease") == (D("0.75"), True)
    assert progress_of(actual=D(24), baseline=None, target=D(30), direction="decrease") == (D("1.25"), True)
    # A zero actual leaves no ratio to form; it is at or below the target: met, the best result.
    assert progress_of(actual=D(0), baseline=None, target=D(30), direction="decrease") == (D(1), True)
    ev = evaluate(series(direction="decrease", measurements={1: D(0)}, targets={1: D(5)}), 1)
    assert ev.status is Status.ON_TRACK and ev.baseline_missing is True


def test_baseline_missing_flag_is_false_with_a_zero_baseline():
    ev = evaluate(series(baseline=D(0), measurements={1: D(5)}, targets={1: D(10)}), 1)
    assert ev.baseline_missing is False
    assert ev.progress == D("0.5")


# --------------------------------------------------------------------------
# Status: no data, not due, bands, standards
# --------------------------------------------------------------------------


def test_no_data_when_due_without_approved_actual():
    ev = evaluate(series(baseline=D(0), measurements={5: D(10)}, targets={3: D(10)}), 3)
    assert ev.status is Status.NO_DATA
    assert ev.actual is None and ev.actual_period is None
    assert ev.target == D(10)
    assert ev.progress is None and ev.trend is None


def test_not_due_when_period_has_no_target_but_actual_still_shown():
    ev = evaluate(series(baseline=D(0), measurements={1: D(10)}, targets={3: D(10)}), 2)
    assert ev.status is Status.NOT_DUE
    assert ev.actual == D(10)  # the sparkline still has a value
    assert ev.actual_period == 1
    assert ev.target is None
    assert ev.progress is None and ev.capped_progress is None and ev.trend is None


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (D(90), Status.ON_TRACK),  # 90/100 = 0.90 exactly -> on track
        (D("89.99"), Status.NEEDS_ATTENTION),  # 0.8999
        (D(60), Status.NEEDS_ATTENTION),  # 0.60 exactly -> needs attention
        (D("59.99"), Status.OFF_TRACK),  # 0.5999
        (D(0), Status.OFF_TRACK),
    ],
)
def test_band_edges(actual, status):
    s = series(baseline=D(0), measurements={1: actual}, targets={1: D(100)})
    assert evaluate(s, 1).status is status


def test_status_of_edges_and_none():
    assert status_of(D("0.90"), Standard()) is Status.ON_TRACK
    assert status_of(D("0.60"), Standard()) is Status.NEEDS_ATTENTION
    assert status_of(D("0.5999999"), Standard()) is Status.OFF_TRACK
    assert status_of(D("-3"), Standard()) is Status.OFF_TRACK
    assert status_of(None, Standard()) is Status.NO_DATA


def test_custom_standard_moves_the_bands():
    lenient = Standard(on_track=D("0.80"), needs_attention=D("0.50"))
    # 0.85: on track under the lenient standard, needs attention by default.
    assert status_of(D("0.85"), lenient) is Status.ON_TRACK
    assert status_of(D("0.85"), Standard()) is Status.NEEDS_ATTENTION
    # 0.55: needs attention vs off track.
    assert status_of(D("0.55"), lenient) is Status.NEEDS_ATTENTION
    assert status_of(D("0.55"), Standard()) is Status.OFF_TRACK
    s = series(baseline=D(0), measurements={1: D(85)}, targets={1: D(100)})
    assert evaluate(s, 1, lenient).status is Status.ON_TRACK


def test_standard_defaults():
    assert Standard() == Standard(D("0.90"), D("0.60"), D("0"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on_track": D("0.5"), "needs_attention": D("0.6")}, "must not exceed"),
        ({"needs_attention": D("-0.1")}, "needs_attention must be >= 0"),
        ({"tolerance": D("-1")}, "tolerance must be >= 0"),
    ],
)
def test_invalid_standard_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Standard(**kwargs)


def test_standard_refuses_float():
    with pytest.raises(TypeError, match="Decimal"):
        Standard(on_track=0.9)


def test_equal_bands_are_allowed():
    s = Standard(on_track=D("0.7"), needs_attention=D("0.7"))
    assert status_of(D("0.7"), s) is Status.ON_TRACK
    assert status_of(D("0.69"), s) is Status.OFF_TRACK


# --------------------------------------------------------------------------
# Series validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"direction": "up"},
        {"aggregation": "max"},
        {"qualitative": True, "ratings": {1: "great"}},
        {"weight": D(-1)},
    ],
)
def test_invalid_series_raises_value_error(kwargs):
    with pytest.raises(ValueError):
        series(**kwargs)


def test_series_refuses_float_numbers_and_accepts_ints():
    with pytest.raises(TypeError):
        series(measurements={1: 0.1})
    with pytest.raises(TypeError):
        series(baseline=1.5)
    s = series(baseline=10, measurements={1: 15}, targets={1: 20})
    assert isinstance(s.baseline, Decimal)
    assert evaluate(s, 1).progress == D("0.5")  # (15-10)/(20-10)


# --------------------------------------------------------------------------
# Qualitative indicators
# --------------------------------------------------------------------------


def test_qualitative_status_and_trend_come_from_ratings():
    s = series(
        qualitative=True,
        ratings={2013: "needs_attention", 2015: "on_track", 2016: "off_track"},
    )
    evs = history(s, [2012, 2013, 2014, 2015, 2016])
    assert [e.status for e in evs] == [
        Status.NO_DATA,  # nothing rated yet
        Status.NEEDS_ATTENTION,
        Status.NEEDS_ATTENTION,  # 2013's rating still the latest
        Status.ON_TRACK,
        Status.OFF_TRACK,
    ]
    assert [e.rating for e in evs] == [None, "needs_attention", "needs_attention", "on_track", "off_track"]
    assert [e.actual_period for e in evs] == [None, 2013, 2013, 2015, 2016]
    # Trend by rank (on_track > needs_attention > off_track) against the
    # previous rated period: none, none, same, better, worse.
    assert [e.trend for e in evs] == [None, None, Trend.FLAT, Trend.UP, Trend.DOWN]
    assert all(e.progress is None and e.capped_progress is None and e.actual is None for e in evs)
    assert all(e.baseline_missing is False for e in evs)


def test_qualitative_with_targets_is_only_due_at_target_periods():
    s = series(qualitative=True, ratings={1: "off_track", 3: "on_track"}, targets={2: D(1), 4: D(1)})
    evs = history(s, [1, 2, 3, 4])
    assert [e.status for e in evs] == [Status.NOT_DUE, Status.OFF_TRACK, Status.NOT_DUE, Status.ON_TRACK]
    # Period 4 compares with period 2 (the previous due period with a rating).
    assert evs[3].trend is Trend.UP


# --------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------


def _trend_series() -> IndicatorSeries:
    # baseline 0, target 100 at periods 1, 2, 4, 5, 6 (period 3 is not due).
    # latest measurements: 2 -> 50, 4 -> 70, 5 -> 60, 6 -> 60.4.
    return series(
        baseline=D(0),
        baseline_period=0,
        measurements={2: D(50), 4: D(70), 5: D(60), 6: D("60.4")},
        targets={p: D(100) for p in (1, 2, 4, 5, 6)},
    )


def test_trend_up_down_flat_and_none_skipping_periods_without_data():
    evs = history(_trend_series(), [1, 2, 3, 4, 5, 6])
    assert [e.status for e in evs] == [
        Status.NO_DATA,  # 1: due, nothing measured yet
        Status.OFF_TRACK,  # 2: 0.5
        Status.NOT_DUE,  # 3
        Status.NEEDS_ATTENTION,  # 4: 0.7
        Status.NEEDS_ATTENTION,  # 5: 0.6
        Status.NEEDS_ATTENTION,  # 6: 0.604
    ]
    assert [e.trend for e in evs] == [
        None,  # no data
        None,  # period 1 had no data, so nothing earlier to compare with
        None,  # not due
        Trend.UP,  # 0.7 vs 0.5 at period 2 (period 3 skipped)
        Trend.DOWN,  # 0.6 vs 0.7
        Trend.FLAT,  # 0.604 vs 0.6: +0.004 is within the epsilon
    ]


def test_evaluate_trend_does_not_depend_on_periods_requested():
    # evaluate() alone finds period 2 as the previous period with data.
    assert evaluate(_trend_series(), 4).trend is Trend.UP
    assert history(_trend_series(), [4])[0].trend is Trend.UP


def test_trend_for_decreasing_indicator_follows_progress_not_value():
    # Mortality falling 50 -> 45 -> 40 toward 30 is improvement: progress 0.25 then 0.5.
    s = series(
        direction="decrease",
        baseline=D(50),
        baseline_period=0,
        measurements={1: D(45), 2: D(40)},
        targets={1: D(30), 2: D(30)},
    )
    assert [e.progress for e in history(s, [1, 2])] == [D("0.25"), D("0.5")]
    assert evaluate(s, 2).trend is Trend.UP


def test_trend_uses_uncapped_progress():
    # 1.2 -> 1.5 of target is still news: up, though both cap to 1.
    s = series(baseline=D(0), measurements={1: D(120), 2: D(150)}, targets={1: D(100), 2: D(100)})
    assert evaluate(s, 2).trend is Trend.UP


# --------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------

# Two decimal places within +-10^6: every sum and difference is exact at 28
# digits, so invariants can be asserted with ==.
values = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
positives = st.decimals(min_value=D("0.01"), max_value=1_000_000, places=2)
non_negatives = st.decimals(min_value=0, max_value=1_000_000, places=2)
fractions = st.decimals(min_value=0, max_value=D("1.5"), places=3)

_RANK = {Status.OFF_TRACK: 0, Status.NEEDS_ATTENTION: 1, Status.ON_TRACK: 2}


@st.composite
def standards(draw) -> Standard:
    low = draw(st.decimals(min_value=0, max_value=1, places=2))
    high = draw(st.decimals(min_value=low, max_value=D("1.5"), places=2))
    tolerance = draw(st.decimals(min_value=0, max_value=10, places=2))
    return Standard(on_track=high, needs_attention=low, tolerance=tolerance)


def _status(direction, baseline, target, actual, standard) -> Status:
    s = series(direction=direction, baseline=baseline, measurements={1: actual}, targets={1: target})
    return evaluate(s, 1, standard).status


@settings(max_examples=200, deadline=None)
@given(baseline=values, gap=non_negatives, a=values, b=values, standard=standards())
def test_property_increasing_larger_actual_never_worse(baseline, gap, a, b, standard):
    # (1) target at or above the baseline (gap 0 covers target == baseline).
    low, high = sorted((a, b))
    target = baseline + gap
    assert _RANK[_status("increase", baseline, target, high, standard)] >= _RANK[
        _status("increase", baseline, target, low, standard)
    ]


@settings(max_examples=200, deadline=None)
@given(target=positives, a=non_negatives, b=non_negatives, standard=standards())
def test_property_increasing_monotone_without_baseline(target, a, b, standard):
    low, high = sorted((a, b))
    assert _RANK[_status("increase", None, target, high, standard)] >= _RANK[
        _status("increase", None, target, low, standard)
    ]


@settings(max_examples=200, deadline=None)
@given(baseline=values, gap=non_negatives, a=values, b=values, standard=standards())
def test_property_decreasing_smaller_actual_never_worse(baseline, gap, a, b, standard):
    # (2) target at or below the baseline.
    low, high = sorted((a, b))
    target = baseline - gap
    assert _RANK[_status("decrease", baseline, target, low, standard)] >= _RANK[
        _status("decrease", baseline, target, high, standard)
    ]


@settings(max_examples=200, deadline=None)
@given(target=positives, a=positives, b=positives, standard=standards())
def test_property_decreasing_monotone_without_baseline(target, a, b, standard):
    low, high = sorted((a, b))
    assert _RANK[_status("decrease", None, target, low, standard)] >= _RANK[
        _status("decrease", None, target, high, standard)
    ]


period_maps = st.dictionaries(st.integers(min_value=0, max_value=12), values, max_size=8)


@st.composite
def any_series(draw) -> IndicatorSeries:
    qualitative = draw(st.booleans()) and draw(st.booleans())  # about a quarter
    return IndicatorSeries(
        direction=draw(st.sampled_from(DIRECTIONS)),
        aggregation=draw(st.sampled_from(AGGREGATIONS)),
        qualitative=qualitative,
        baseline=draw(st.none() | values),
        baseline_period=draw(st.none() | st.integers(min_value=0, max_value=12)),
        measurements=draw(period_maps),
        ratings=draw(
            st.dictionaries(
                st.integers(min_value=0, max_value=12),
                st.sampled_from(["on_track", "needs_attention", "off_track"]),
                max_size=5,
            )
        )
        if qualitative
        else {},
        targets=draw(period_maps),
    )


@settings(max_examples=200, deadline=None)
@given(s=any_series(), standard=standards())
def test_property_capped_progress_within_unit_interval(s, standard):
    # (3) and: capped is exactly the clamp of the uncapped progress.
    for ev in history(s, range(14), standard):
        if ev.progress is None:
            assert ev.capped_progress is None
        else:
            assert D(0) <= ev.capped_progress <= D(1)
            assert ev.capped_progress == min(max(ev.progress, D(0)), D(1))
            assert ev.status is status_of(ev.progress, standard)


@settings(max_examples=200, deadline=None)
@given(s=any_series(), standard=standards())
def test_property_evaluate_matches_history(s, standard):
    periods = list(range(14))
    assert history(s, periods, standard) == [evaluate(s, p, standard) for p in periods]


@settings(max_examples=200, deadline=None)
@given(
    baseline=st.none() | values,
    baseline_period=st.none() | st.integers(min_value=0, max_value=10),
    measurements=period_maps,
    period=st.integers(min_value=0, max_value=12),
    later=values,
    offset=st.integers(min_value=1, max_value=5),
)
def test_property_sum_is_baseline_plus_later_measurements(
    baseline, baseline_period, measurements, period, later, offset
):
    # (5)
    s = series(aggregation="sum", baseline=baseline, baseline_period=baseline_period, measurements=measurements)
    floor = -1 if baseline_period is None else baseline_period
    counted = {p: v for p, v in measurements.items() if floor < p <= period}
    actual, actual_period = actual_at(s, period)
    if counted:
        assert actual == (baseline or D(0)) + sum(counted.values())
        assert actual_period == max(counted)
    else:
        assert (actual, actual_period) == (None, None)
    # A measurement added after `period` never changes the actual at `period`.
    extended = series(
        aggregation="sum",
        baseline=baseline,
        baseline_period=baseline_period,
        measurements={**measurements, max([period, *measurements]) + offset: later},
    )
    assert actual_at(extended, period) == (actual, actual_period)


@settings(max_examples=200, deadline=None)
@given(
    actual=values,
    baseline=st.none() | values,
    target=values,
    shift=values,
    direction=st.sampled_from(["increase", "decrease", "maintain"]),
    tolerance=st.decimals(min_value=0, max_value=10, places=2),
)
def test_property_progress_shift_invariant(actual, baseline, target, shift, direction, tolerance):
    # (6) Only differences matter when there is a baseline (or for maintain).
    if baseline is None and direction != "maintain":
        return  # the ratio fallback is deliberately not shift-invariant
    before = progress_of(actual=actual, baseline=baseline, target=target, direction=direction, tolerance=tolerance)
    after = progress_of(
        actual=actual + shift,
        baseline=None if baseline is None else baseline + shift,
        target=target + shift,
        direction=direction,
        tolerance=tolerance,
    )
    assert after == before


# --------------------------------------------------------------------------
# Lazy per-period evaluation (scorecards evaluate one period of many)
# --------------------------------------------------------------------------


def test_trend_skips_earlier_target_periods_without_data():
    # Targets at 1, 2, 3; data only at 1 and 3: the trend at 3 compares with 1.
    s = series(baseline=D(0), measurements={1: D(5), 3: D(4)}, targets={1: D(10), 2: D(10), 3: D(10)})
    # period 2's actual is period 1's value (latest), so it has data: compare 3 (0.4) with 2 (0.5).
    assert evaluate(s, 3).trend == Trend.DOWN
    s = series(baseline=D(0), aggregation="sum", baseline_period=0,
               measurements={2: D(5), 3: D(1)}, targets={1: D(10), 3: D(10)})
    # period 1 has no actual yet (no data), so the trend at 3 has nothing to compare with.
    assert evaluate(s, 3).trend is None


def test_evaluate_equals_history_for_every_period():
    s = series(baseline=D(10), measurements={1: D(12), 2: D(11), 4: D(20)},
               targets={1: D(15), 2: D(15), 3: D(18), 4: D(20)})
    periods = [0, 1, 2, 3, 4, 5]
    assert [evaluate(s, p) for p in periods] == history(s, periods)


def test_progress_path_is_what_the_trend_compares():
    """The sparkline's points are the progress at each due period with data, the last two being the
    two the trend arrow compares (the same arithmetic, not a second formula)."""
    from indicators.arithmetic import evaluate_with_progress_path, history

    series = IndicatorSeries(direction="increase", aggregation="sum", baseline=D(10), baseline_period=0,
                             measurements={1: D(5), 2: D(7), 4: D(4)},
                             targets={1: D(16), 2: D(24), 3: D(28), 4: D(32)})
    evaluation, path = evaluate_with_progress_path(series, 4)
    by_period = {e.period: e.progress for e in history(series, [1, 2, 3, 4])}
    assert path == [(p, by_period[p]) for p in (1, 2, 3, 4)]
    previous, current = path[-2][1], path[-1][1]
    assert evaluation.progress == current
    assert str(evaluation.trend) == ("up" if current > previous else "down")
    assert evaluate_with_progress_path(series, 4, limit=2)[1] == path[-2:]
    qualitative = IndicatorSeries(direction="increase", aggregation="latest", qualitative=True,
                                  ratings={1: "off_track", 2: "on_track"}, targets={1: D(1), 2: D(1)})
    assert [rank for _, rank in evaluate_with_progress_path(qualitative, 2)[1]] == [D(0), D(2)]
