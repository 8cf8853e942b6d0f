"""The arithmetic's input, built one way for every page (DESIGN.md section 3).

The scorecard (scorecard/selectors.py, from value tuples) and the indicator pages
(indicators/selectors.py, from model instances) both hand plain rows to `indicator_series`, so
they count the same figures at the same periods and can never disagree. Pure: no ORM.

What counts:
- actuals: a measurement's approved figures only (approved_value / approved_rating), so a figure
  under revision keeps serving its last approved value;
- targets: a target's approved figures only; a target never approved has none, and its
  indicator is not due at that period (a revision keeps serving the last approved target);
- baselines: collected or validated (the callers pass none for a planned one).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import ngettext

from .arithmetic import RATINGS, IndicatorSeries, Standard
from .periods import HALF, QUARTER, YEAR

_KIND_RANK = {QUARTER: 0, HALF: 1, YEAR: 2}
# A qualitative target is a rating, not a number: the arithmetic only needs to know the period is due.
_DUE_MARK = Decimal(1)
_RATINGS = frozenset(RATINGS)


def period_ordinal(end: date, kind: str) -> int:
    """Sortable integer for a period: by end date, a year after the half and quarter ending with it."""
    return end.toordinal() * 10 + _KIND_RANK[kind]


def as_of_ordinal(day: date) -> int:
    """A baseline dated `day` includes every period (of any kind) that ends on or before that day."""
    return day.toordinal() * 10 + 9


def baseline_ordinal(*, period_end: date | None = None, period_kind: str | None = None,
                     as_of: date | None = None) -> int | None:
    """Where a baseline stands on the period axis: its period, else its as-of date, else nowhere."""
    if period_end is not None:
        return period_ordinal(period_end, period_kind)
    if as_of is not None:
        return as_of_ordinal(as_of)
    return None


@dataclass(frozen=True)
class Freshness:
    """Whether an actual is of the period shown, or carried forward from an earlier one, and how old."""
    current: bool
    age: str = ""  # "1 year old", "3 months old"; "" when current

    def label(self, period_label: str) -> str:
        """"FY2025, 1 year old" for a carried-forward actual; the period label alone when current."""
        return f"{period_label}, {self.age}" if self.age else period_label


def freshness(actual_ordinal: int | None, *, start: date, end: date) -> Freshness:
    """An actual from the period [start, end] (its period ends inside it) is current; one carried
    forward from an earlier period is labelled with its age, counted from end to end."""
    if actual_ordinal is None:
        return Freshness(current=False)
    actual_end = date.fromordinal(actual_ordinal // 10)
    if start <= actual_end <= end:
        return Freshness(current=True)
    months = (end.year - actual_end.year) * 12 + end.month - actual_end.month
    if months >= 12 and months % 12 == 0:
        years = months // 12
        age = ngettext("%(count)s year old", "%(count)s years old", years) % {"count": years}
    else:
        age = ngettext("%(count)s month old", "%(count)s months old", months) % {"count": months}
    return Freshness(current=False, age=age)


def indicator_series(*, direction: str, aggregation: str, qualitative: bool, weight,
                     baseline: Decimal | None = None, baseline_period: int | None = None,
                     measurements: Iterable[tuple] = (), targets: Iterable[tuple] = ()) -> IndicatorSeries:
    """The arithmetic's view of one indicator.

    `measurements` and `targets` are (period ordinal, approved value, approved rating) rows; a row
    without an approved figure (value None and rating "") is left out, so whatever the caller reads,
    only approved actuals and approved targets count. `baseline` is the collected baseline's value
    (None when planned or missing; ignored for a qualitative indicator).
    """
    if qualitative:
        return IndicatorSeries(
            direction=direction, aggregation=aggregation, qualitative=True, baseline=None,
            baseline_period=baseline_period,
            ratings={o: r for o, _, r in measurements if r in _RATINGS},
            targets={o: _DUE_MARK for o, _, r in targets if r in _RATINGS},
            weight=weight,
        )
    return IndicatorSeries(
        direction=direction, aggregation=aggregation, qualitative=False, baseline=baseline,
        baseline_period=baseline_period,
        measurements={o: v for o, v, _ in measurements if v is not None},
        targets={o: v for o, v, _ in targets if v is not None},
        weight=weight,
    )


def pick_standards(rows: Iterable[tuple]) -> tuple[tuple | None, dict]:
    """(the default standard's row, {indicator id: its own standard's row}).

    Rows are (indicator_id, name, on_track, needs_attention, tolerance) in primary-key order; the
    first default (indicator_id None) wins, as it does everywhere."""
    default, own = None, {}
    for row in rows:
        if row[0] is None:
            if default is None:
                default = row
        else:
            own.setdefault(row[0], row)
    return default, own


def standard_of(row: tuple | None) -> Standard:
    """A standard row (see pick_standards) as the arithmetic's Standard; None -> the arithmetic's defaults."""
    if row is None:
        return Standard()
    return Standard(on_track=row[2], needs_attention=row[3], tolerance=row[4])
