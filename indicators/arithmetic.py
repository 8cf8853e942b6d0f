"""Per-indicator arithmetic: actuals, progress, status and trend.

Pure standard-library code (DESIGN.md section 3). Callers turn model rows into
plain ``IndicatorSeries`` values; nothing here touches Django or a database, so
the rules can be unit- and property-tested in isolation.

Periods are plain sortable ints (ordinals chosen by the caller). Numbers are
``Decimal`` throughout and are never quantized here: formatting for display is
the caller's job.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from decimal import Decimal

from .scores import (
    AGGREGATIONS,
    DECIMAL_CONTEXT,
    DEFAULT_STANDARD,
    DIRECTIONS,
    RATINGS,
    TREND_EPSILON,
    Evaluation,
    IndicatorSeries,
    Standard,
    Status,
    Trend,
    as_decimal,
)
from .scores import CONTEXT as _CTX
from .scores import DEFAULT_STANDARD as _DEFAULT_STANDARD
from .scores import ONE as _ONE
from .scores import RATING_SCORE as _RATING_SCORE
from .scores import ZERO as _ZERO

__all__ = [
    "AGGREGATIONS",
    "DECIMAL_CONTEXT",
    "DEFAULT_STANDARD",
    "DIRECTIONS",
    "TREND_EPSILON",
    "Evaluation",
    "IndicatorSeries",
    "RATINGS",
    "Standard",
    "Status",
    "Trend",
    "actual_at",
    "as_decimal",
    "evaluate",
    "evaluate_with_progress_path",
    "evaluate_with_trajectory",
    "history",
    "progress_of",
    "status_of",
]


# --------------------------------------------------------------------------
# Single-value rules
# --------------------------------------------------------------------------


def progress_of(
    *,
    actual: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    direction: str,
    tolerance: Decimal = _ZERO,
) -> tuple[Decimal | None, bool]:
    """Return (uncapped progress, baseline_missing).

    (actual - baseline) / (target - baseline) serves both directions: when a
    decreasing indicator goes well both terms are negative.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    baseline_missing = baseline is None
    if actual is None or target is None:
        return None, baseline_missing

    if direction == "maintain":
        # Holding a level is pass/fail; the baseline plays no part.
        held = _CTX.subtract(actual, target).copy_abs() <= tolerance
        return (_ONE if held else _ZERO), baseline_missing

    if baseline is None:
        return _fallback_ratio(actual, target, direction, tolerance), True

    span = _CTX.subtract(target, baseline)
    if span == 0:
        # No distance to travel, so the ratio is undefined.
        return _met(actual, target, direction, tolerance), False

    return _CTX.divide(_CTX.subtract(actual, baseline), span), False


def _met(actual: Decimal, target: Decimal, direction: str, tolerance: Decimal) -> Decimal:
    """1 when the actual is at or beyond the target in the desired direction (within tolerance), else 0."""
    if direction == "increase":
        met = actual >= _CTX.subtract(target, tolerance)
    else:
        met = actual <= _CTX.add(target, tolerance)
    return _ONE if met else _ZERO


def _fallback_ratio(actual: Decimal, target: Decimal, direction: str, tolerance: Decimal) -> Decimal:
    """Progress without a baseline: how close the actual is to the target.

    actual / target for an increasing indicator; for a decreasing one the ratio
    is turned over (target / actual) so that being below the target still reads
    as success rather than failure. Where that ratio has a zero denominator (a
    target of 0 to rise to, an actual of 0 after a reduction), there is an actual
    all the same: it is judged met or not met, never "no data".
    """
    denominator = target if direction == "increase" else actual
    if denominator == 0:
        return _met(actual, target, direction, tolerance)
    return _CTX.divide(actual, target) if direction == "increase" else _CTX.divide(target, actual)


def status_of(progress: Decimal | None, standard: Standard = _DEFAULT_STANDARD) -> Status:
    if progress is None:
        return Status.NO_DATA
    if progress >= standard.on_track:
        return Status.ON_TRACK
    if progress >= standard.needs_attention:
        return Status.NEEDS_ATTENTION
    return Status.OFF_TRACK


def _cap(progress: Decimal | None) -> Decimal | None:
    if progress is None:
        return None
    if progress < _ZERO:
        return _ZERO
    if progress > _ONE:
        return _ONE
    return progress


def _trend(current: Decimal, previous: Decimal, epsilon: Decimal = TREND_EPSILON) -> Trend:
    change = _CTX.subtract(current, previous)
    if change > epsilon:
        return Trend.UP
    if change < -epsilon:
        return Trend.DOWN
    return Trend.FLAT


# --------------------------------------------------------------------------
# Series evaluation
# --------------------------------------------------------------------------


class _Prepared:
    """Per-series lookups built once, so each period costs a bisect, not a scan.

    history() over N periods of a series with M measurements and T targets is
    O((M + T) log M + N log(M + T)) instead of O(N * M).
    """

    __slots__ = (
        "series",
        "standard",
        "keys",
        "values",
        "running",
        "chain_periods",
        "chain_scores",
        "at_target",
        "target_periods",
    )

    def __init__(self, series: IndicatorSeries, standard: Standard) -> None:
        self.series = series
        self.standard = standard
        if series.qualitative:
            self._prepare_qualitative()
        else:
            self._prepare_numeric()

    # -- numeric ------------------------------------------------------------

    def _prepare_numeric(self) -> None:
        series = self.series
        periods = sorted(series.measurements)
        if series.aggregation == "sum" and series.baseline_period is not None:
            # The baseline already is the total up to its period: counting a
            # measurement of that period (or earlier) would count it twice.
            periods = periods[bisect_right(periods, series.baseline_period):]
        self.keys = periods
        self.values = [series.measurements[p] for p in periods]
        running: list[Decimal] = []
        if series.aggregation != "latest":
            # Running totals; a sum starts from the baseline (0 for a count
            # that starts from nothing), so running[i] is the actual itself.
            total = _ZERO
            if series.aggregation == "sum" and series.baseline is not None:
                total = series.baseline
            for value in self.values:
                total = _CTX.add(total, value)
                running.append(total)
        self.running = running

        # Actual and progress at a target period are computed on first use and
        # kept: a scorecard evaluates one period (and looks back one or two for
        # the trend), so computing all of them up front would waste most of it.
        self.at_target: dict[int, tuple[Decimal | None, int | None, Decimal | None]] = {}
        self.target_periods = sorted(series.targets)
        self.chain_periods = []
        self.chain_scores = []

    def _at(self, period: int) -> tuple[Decimal | None, int | None, Decimal | None]:
        """(actual, actual period, progress) at a target period, memoised."""
        found = self.at_target.get(period)
        if found is None:
            series = self.series
            actual, actual_period = self.actual_at(period)
            progress, _ = progress_of(
                actual=actual,
                baseline=series.baseline,
                target=series.targets[period],
                direction=series.direction,
                tolerance=self.standard.tolerance,
            )
            found = self.at_target[period] = (actual, actual_period, progress)
        return found

    def actual_at(self, period: int) -> tuple[Decimal | None, int | None]:
        count = bisect_right(self.keys, period)
        if count == 0:
            return None, None
        last = count - 1
        aggregation = self.series.aggregation
        if aggregation == "latest":
            actual = self.values[last]
        elif aggregation == "sum":
            actual = self.running[last]
        else:
            actual = _CTX.divide(self.running[last], count)
        return actual, self.keys[last]

    def _evaluate_numeric(self, period: int) -> Evaluation:
        series = self.series
        target = series.targets.get(period)
        if target is None:
            # Not due; the actual is still reported for sparklines.
            actual, actual_period = self.actual_at(period)
            status, progress, trend = Status.NOT_DUE, None, None
        else:
            actual, actual_period, progress = self._at(period)
            if actual is None:
                status, trend = Status.NO_DATA, None
            else:
                status = status_of(progress, self.standard)
                trend = None if progress is None else self._numeric_trend_at(period, progress)
        return Evaluation(
            period=period,
            actual=actual,
            actual_period=actual_period,
            target=target,
            progress=progress,
            capped_progress=_cap(progress),
            status=status,
            baseline_missing=series.baseline is None,
            rating=None,
            trend=trend,
        )

    # -- qualitative --------------------------------------------------------

    def _prepare_qualitative(self) -> None:
        series = self.series
        self.keys = sorted(series.ratings)
        self.values = [series.ratings[p] for p in self.keys]
        self.running = []
        self.at_target = {}
        self.target_periods = sorted(series.targets)
        # With targets, only target periods are due (as for numeric indicators);
        # without any, a rated indicator is due whenever it has a rating.
        due_periods = sorted(series.targets) if series.targets else self.keys
        self.chain_periods = []
        self.chain_scores = []
        for period in due_periods:
            rating, _ = self.rating_at(period)
            if rating is not None:
                self.chain_periods.append(period)
                self.chain_scores.append(_RATING_SCORE[rating])

    def rating_at(self, period: int) -> tuple[str | None, int | None]:
        count = bisect_right(self.keys, period)
        if count == 0:
            return None, None
        return self.values[count - 1], self.keys[count - 1]

    def _evaluate_qualitative(self, period: int) -> Evaluation:
        series = self.series
        rating, rating_period = self.rating_at(period)
        target = series.targets.get(period)
        if series.targets and target is None:
            status, trend = Status.NOT_DUE, None
        elif rating is None:
            status, trend = Status.NO_DATA, None
        else:
            status = Status(rating)
            # Ranks differ by whole steps, so any change is beyond the epsilon.
            trend = self._trend_at(period, _RATING_SCORE[rating])
        return Evaluation(
            period=period,
            actual=None,
            actual_period=rating_period,
            target=target,
            progress=None,
            capped_progress=None,
            status=status,
            baseline_missing=False,
            rating=rating,
            trend=trend,
        )

    # -- shared -------------------------------------------------------------

    def _numeric_trend_at(self, period: int, progress: Decimal) -> Trend | None:
        # Walk back from the period to the closest earlier target period whose
        # progress is known; periods without data are skipped.
        periods = self.target_periods
        for index in range(bisect_left(periods, period) - 1, -1, -1):
            previous = self._at(periods[index])[2]
            if previous is not None:
                return _trend(progress, previous)
        return None

    def _trend_at(self, period: int, score: Decimal) -> Trend | None:
        # The closest earlier due period that had data; skipped periods without.
        index = bisect_left(self.chain_periods, period) - 1
        if index < 0:
            return None
        return _trend(score, self.chain_scores[index])

    def evaluate(self, period: int) -> Evaluation:
        if self.series.qualitative:
            return self._evaluate_qualitative(period)
        return self._evaluate_numeric(period)

    def progress_path(self, period: int, limit: int) -> list[tuple[int, Decimal]]:
        """What the trend compares: progress at each due period up to ``period`` that had data (the
        last ``limit`` of them), oldest first; a qualitative indicator gives its rating's rank."""
        if self.series.qualitative:
            count = bisect_right(self.chain_periods, period)
            start = max(0, count - limit)
            return list(zip(self.chain_periods[start:count], self.chain_scores[start:count]))
        path: list[tuple[int, Decimal]] = []
        periods = self.target_periods
        for index in range(bisect_right(periods, period) - 1, -1, -1):
            progress = self._at(periods[index])[2]
            if progress is not None:
                path.append((periods[index], progress))
                if len(path) == limit:
                    break
        path.reverse()
        return path

    def trajectory(self, period: int) -> list[tuple[int, Decimal]]:
        """The actual as it stood at each measurement period up to ``period``."""
        count = bisect_right(self.keys, period)
        keys = self.keys
        if self.series.qualitative:
            return [(keys[i], _RATING_SCORE[self.values[i]]) for i in range(count)]
        aggregation = self.series.aggregation
        if aggregation == "latest":
            return list(zip(keys[:count], self.values[:count]))
        if aggregation == "sum":
            return list(zip(keys[:count], self.running[:count]))
        running = self.running
        return [(keys[i], _CTX.divide(running[i], i + 1)) for i in range(count)]


def actual_at(series: IndicatorSeries, period: int) -> tuple[Decimal | None, int | None]:
    """Return (actual, the period it comes from) for a numeric indicator at ``period``.

    sum: baseline (0 if missing) plus the measurements after the baseline period
    up to ``period``; None when there are none, so a bare baseline is never
    reported as an actual. latest: the most recent measurement at or before
    ``period``. average: the mean of all measurements at or before ``period``.
    """
    if series.qualitative:
        # Qualitative indicators have ratings, not a numeric actual.
        return None, None
    return _Prepared(series, _DEFAULT_STANDARD).actual_at(period)


def history(
    series: IndicatorSeries,
    periods: Sequence[int],
    standard: Standard = _DEFAULT_STANDARD,
) -> list[Evaluation]:
    """One evaluation per period, in the order given (for sparklines and trends)."""
    prepared = _Prepared(series, standard)
    return [prepared.evaluate(period) for period in periods]


def evaluate(
    series: IndicatorSeries,
    period: int,
    standard: Standard = _DEFAULT_STANDARD,
) -> Evaluation:
    return history(series, (period,), standard)[0]


def evaluate_with_trajectory(
    series: IndicatorSeries,
    period: int,
    standard: Standard = _DEFAULT_STANDARD,
) -> tuple[Evaluation, list[tuple[int, Decimal]]]:
    """The evaluation at ``period`` and the actual's path up to it (for a sparkline).

    The path has one point per measurement period at or before ``period``: the
    actual as it stood then (sum: the running total from the baseline; average:
    the running mean; latest: the value). Qualitative indicators give their
    rating's rank (0 off track, 1 needs attention, 2 on track).
    """
    prepared = _Prepared(series, standard)
    return prepared.evaluate(period), prepared.trajectory(period)


def evaluate_with_progress_path(
    series: IndicatorSeries,
    period: int,
    standard: Standard = _DEFAULT_STANDARD,
    limit: int = 12,
) -> tuple[Evaluation, list[tuple[int, Decimal]]]:
    """The evaluation at ``period`` and what its trend compares: progress at each earlier due period
    with data, and at this one (for a sparkline that says what the arrow says). Progress is 1 at the
    target; a qualitative indicator's path is its rating rank (2 = on track)."""
    prepared = _Prepared(series, standard)
    return prepared.evaluate(period), prepared.progress_path(period, limit)

