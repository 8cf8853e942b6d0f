"""The arithmetic of computed indicators (issue 18, DESIGN.md section 3): pure, no ORM.

A computed indicator's figure at a period is made of its contributing indicators' approved figures,
each taken by that indicator's own arithmetic (indicators.arithmetic), never by re-adding raw
measurements:
- sum: the sum of the contributors' actuals at the period. A cumulative ("sum of periods")
  contributor's actual is its running total from its baseline, so the programmes' running totals
  are added and no period is counted twice; a "latest" contributor gives its latest value.
- count_met: the number of contributors whose latest due target (at or before the period) was met:
  progress of at least 1 (the arithmetic's progress is 1 at the target in either direction), or an
  on-track rating for a qualitative one.

The result is a step function of the period: it can change only where a contributor has an approved
figure (sum) or a target (count_met). `computed_points` gives its value at each such period; the
callers hand these to the arithmetic as the computed indicator's actuals taken "latest", so its
progress, status and trend follow the same rules as any indicator's, against its own targets.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .arithmetic import DECIMAL_CONTEXT, IndicatorSeries, Standard, Status, history
from .computed_rules import COUNT_MET, SUM

_ONE = Decimal(1)


@dataclass(frozen=True)
class Contributor:
    """One contributing indicator, as plain data: its code, its programme, its arithmetic input."""
    pk: int
    code: str
    programme: str
    series: IndicatorSeries
    standard: Standard = Standard()


@dataclass(frozen=True)
class Contribution:
    """What one contributor gives at a period: its actual (and the period it is of), and for a count
    whether it met its target (at `target_period`)."""
    pk: int
    code: str
    programme: str
    value: Decimal | None
    actual_period: int | None
    met: bool | None = None
    target_period: int | None = None


def _met(evaluation) -> bool:
    if evaluation.rating is not None:
        return evaluation.status == Status.ON_TRACK
    return evaluation.progress is not None and evaluation.progress >= _ONE


def _plain(number: Decimal) -> Decimal:
    """The same number without trailing zeros (PostgreSQL's numeric columns give 27.0000), never in
    exponent form: a sum shows and compares like the figures it adds."""
    return number.quantize(_ONE) if number == number.to_integral_value() else number.normalize()


def computed_points(kind: str, contributors: Sequence[Contributor]) -> dict[int, Decimal]:
    """{period ordinal: the computed figure from that period on}, at every period where it can change."""
    if kind == SUM:
        points = sorted(set().union(*(c.series.measurements for c in contributors if not c.series.qualitative)))
        totals: dict[int, Decimal] = {}
        for c in contributors:
            if c.series.qualitative:
                continue
            for point, ev in zip(points, history(c.series, points, c.standard)):
                if ev.actual is not None:
                    totals[point] = DECIMAL_CONTEXT.add(totals.get(point, Decimal(0)), ev.actual)
        return {point: _plain(total) for point, total in totals.items()}
    if kind == COUNT_MET:
        points = sorted(set().union(*(c.series.targets for c in contributors)))
        counts = dict.fromkeys(points, 0)
        for c in contributors:
            due = sorted(c.series.targets)
            met_at = [_met(ev) for ev in history(c.series, due, c.standard)]
            for point in points:
                index = bisect_right(due, point) - 1
                if index >= 0 and met_at[index]:
                    counts[point] += 1
        return {p: Decimal(n) for p, n in counts.items()}
    raise ValueError(f"kind must be one of {SUM!r}, {COUNT_MET!r}, got {kind!r}")


def contributions_at(kind: str, contributors: Sequence[Contributor], period: int) -> list[Contribution]:
    """Each contributor's part of the computed figure at `period`, in the order given."""
    found = []
    for c in contributors:
        if kind == COUNT_MET:
            due = sorted(c.series.targets)
            index = bisect_right(due, period) - 1
            if index < 0:
                found.append(Contribution(c.pk, c.code, c.programme, None, None, None, None))
                continue
            ev = history(c.series, [due[index]], c.standard)[0]
            found.append(Contribution(c.pk, c.code, c.programme, ev.actual, ev.actual_period, _met(ev), due[index]))
        else:
            ev = history(c.series, [period], c.standard)[0]
            found.append(Contribution(c.pk, c.code, c.programme, ev.actual, ev.actual_period))
    return found


def as_measurement_rows(points: dict[int, Decimal]) -> list[tuple]:
    """The computed figures as indicators.series measurement rows (ordinal, value, rating)."""
    return [(ordinal, value, "") for ordinal, value in sorted(points.items())]


SERIES_AGGREGATION = "latest"  # the computed figure already is the actual at each point
