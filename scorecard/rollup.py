"""Roll-up of indicator evaluations to results, levels and frameworks (DESIGN.md section 3).

Pure standard-library code like indicators.arithmetic, which scores each indicator: a result's
score is the weighted mean of its indicators' progress, each capped to [0, 1], banded by the
standard; a level's and a framework's summary counts the statuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from indicators.arithmetic import DECIMAL_CONTEXT as _CTX
from indicators.arithmetic import DEFAULT_STANDARD, Evaluation, Standard, Status, as_decimal, status_of

_ZERO = Decimal("0")

__all__ = ["RollUp", "count_statuses", "roll_up"]


@dataclass(frozen=True)
class RollUp:
    score: Decimal | None
    status: Status
    counts: dict[Status, int]
    contributing: int


def count_statuses(statuses: Iterable[Status]) -> dict[Status, int]:
    """Count statuses, with every status present (zeros included) in enum order."""
    counts = dict.fromkeys(Status, 0)
    for status in statuses:
        # Status(...) is slow; most callers already pass Status members.
        counts[status if type(status) is Status else Status(status)] += 1
    return counts


def roll_up(
    evaluations: Iterable[tuple[Decimal, Evaluation]],
    standard: Standard = DEFAULT_STANDARD,
) -> RollUp:
    """Weighted mean of capped progress over (weight, evaluation) pairs.

    Only evaluations with a progress value and a positive weight enter the
    mean: not_due, no_data and qualitative indicators are counted but not
    scored. Capping stops one over-achiever from hiding a failing sibling.
    """
    statuses: list[Status] = []
    weighted_total = _ZERO
    total_weight = _ZERO
    contributing = 0
    lowest: Decimal | None = None
    highest: Decimal | None = None
    for raw_weight, evaluation in evaluations:
        statuses.append(evaluation.status)
        weight = as_decimal(raw_weight, "roll-up weight")
        if weight < 0:
            raise ValueError(f"roll-up weight must be >= 0, got {weight}")
        capped = evaluation.capped_progress
        if capped is None or weight == 0:
            continue
        weighted_total = _CTX.add(weighted_total, _CTX.multiply(weight, capped))
        total_weight = _CTX.add(total_weight, weight)
        contributing += 1
        lowest = capped if lowest is None or capped < lowest else lowest
        highest = capped if highest is None or capped > highest else highest

    counts = count_statuses(statuses)
    if contributing == 0:
        return RollUp(score=None, status=Status.NO_DATA, counts=counts, contributing=0)
    assert lowest is not None and highest is not None
    score = _CTX.divide(weighted_total, total_weight)
    # A mean lies between its extremes; clamp away last-digit rounding drift.
    score = min(max(score, lowest), highest)
    return RollUp(score=score, status=status_of(score, standard), counts=counts, contributing=contributing)
