"""Unit and property tests for scorecard.rollup (DESIGN.md section 3): weighted, capped roll-up.

No Django, no database: run with
    .venv/bin/python -m pytest -p no:django --noconftest tests/scorecard/test_rollup.py -q
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from indicators.arithmetic import Evaluation, IndicatorSeries, Standard, Status, evaluate, status_of  # noqa: E402
from scorecard.rollup import RollUp, count_statuses, roll_up  # noqa: E402

D = Decimal


def series(**kwargs) -> IndicatorSeries:
    kwargs.setdefault("direction", "increase")
    kwargs.setdefault("aggregation", "latest")
    return IndicatorSeries(**kwargs)


@st.composite
def standards(draw) -> Standard:
    low = draw(st.decimals(min_value=0, max_value=1, places=2))
    high = draw(st.decimals(min_value=low, max_value=D("1.5"), places=2))
    tolerance = draw(st.decimals(min_value=0, max_value=10, places=2))
    return Standard(on_track=high, needs_attention=low, tolerance=tolerance)

# --------------------------------------------------------------------------
# Roll-up
# --------------------------------------------------------------------------


def _ev(status: Status, progress: Decimal | None = None, rating: str | None = None) -> Evaluation:
    capped = None if progress is None else min(max(progress, D(0)), D(1))
    return Evaluation(
        period=1,
        actual=None,
        actual_period=None,
        target=None,
        progress=progress,
        capped_progress=capped,
        status=status,
        baseline_missing=False,
        rating=rating,
        trend=None,
    )


def test_roll_up_weighted_mean_with_capping():
    over = evaluate(series(baseline=D(0), measurements={1: D(120)}, targets={1: D(100)}), 1)
    under = evaluate(series(baseline=D(0), measurements={1: D(40)}, targets={1: D(100)}), 1)
    not_due = evaluate(series(baseline=D(0), measurements={1: D(40)}, targets={2: D(100)}), 1)
    no_data = evaluate(series(baseline=D(0), targets={1: D(100)}), 1)
    rated = evaluate(series(qualitative=True, ratings={1: "on_track"}), 1)
    # The over-achiever still shows 120%.
    assert over.progress == D("1.2") and over.capped_progress == D(1)
    result = roll_up([(D(2), over), (D(1), under), (D(5), not_due), (D(5), no_data), (D(5), rated)])
    # (2 * 1 + 1 * 0.4) / (2 + 1) = 2.4 / 3 = 0.8 -> needs attention.
    # Uncapped it would be (2 * 1.2 + 0.4) / 3 = 0.933 -> on track.
    assert result.score == D("0.8")
    assert result.status is Status.NEEDS_ATTENTION
    assert result.contributing == 2
    assert result.counts == {
        Status.ON_TRACK: 2,  # the over-achiever and the qualitative rating
        Status.NEEDS_ATTENTION: 0,
        Status.OFF_TRACK: 1,
        Status.NO_DATA: 1,
        Status.NOT_DUE: 1,
    }


def test_roll_up_with_nothing_contributing():
    result = roll_up([(D(1), _ev(Status.NOT_DUE)), (D(1), _ev(Status.ON_TRACK, rating="on_track"))])
    assert result == RollUp(
        score=None,
        status=Status.NO_DATA,
        counts={
            Status.ON_TRACK: 1,
            Status.NEEDS_ATTENTION: 0,
            Status.OFF_TRACK: 0,
            Status.NO_DATA: 0,
            Status.NOT_DUE: 1,
        },
        contributing=0,
    )
    empty = roll_up([])
    assert empty.score is None and empty.status is Status.NO_DATA and empty.contributing == 0
    assert set(empty.counts.values()) == {0}


def test_roll_up_negative_progress_counts_as_zero():
    # (1 * 0 + 1 * 1) / 2 = 0.5: a backwards indicator cannot drag below 0.
    result = roll_up([(D(1), _ev(Status.OFF_TRACK, D("-0.5"))), (D(1), _ev(Status.ON_TRACK, D(1)))])
    assert result.score == D("0.5")
    assert result.status is Status.OFF_TRACK


def test_roll_up_zero_weight_is_counted_but_not_scored_and_negative_weight_raises():
    result = roll_up([(D(0), _ev(Status.OFF_TRACK, D(0))), (D(1), _ev(Status.ON_TRACK, D(1)))])
    assert result.score == D(1)
    assert result.contributing == 1
    assert result.counts[Status.OFF_TRACK] == 1
    with pytest.raises(ValueError, match="weight"):
        roll_up([(D(-1), _ev(Status.ON_TRACK, D(1)))])


def test_roll_up_uses_custom_standard():
    # score 0.85: on track with bands 0.80/0.50.
    result = roll_up([(D(1), _ev(Status.NEEDS_ATTENTION, D("0.85")))], Standard(D("0.80"), D("0.50")))
    assert result.status is Status.ON_TRACK


def test_count_statuses_includes_all_five_in_order():
    counts = count_statuses([Status.ON_TRACK, Status.ON_TRACK, Status.NOT_DUE])
    assert list(counts) == list(Status)
    assert counts == {
        Status.ON_TRACK: 2,
        Status.NEEDS_ATTENTION: 0,
        Status.OFF_TRACK: 0,
        Status.NO_DATA: 0,
        Status.NOT_DUE: 1,
    }
    assert count_statuses([]) == dict.fromkeys(Status, 0)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=100, places=2),
            st.none() | st.decimals(min_value=-2, max_value=3, places=4),
        ),
        max_size=10,
    ),
    standard=standards(),
)
def test_property_roll_up_score_between_min_and_max(items, standard):
    # (4)
    pairs = [(w, _ev(status_of(p, standard), p)) for w, p in items]
    result = roll_up(pairs, standard)
    contributors = [ev.capped_progress for w, ev in pairs if ev.capped_progress is not None and w > 0]
    assert result.contributing == len(contributors)
    assert sum(result.counts.values()) == len(pairs)
    if contributors:
        assert min(contributors) <= result.score <= max(contributors)
        assert result.status is status_of(result.score, standard)
    else:
        assert result.score is None and result.status is Status.NO_DATA


