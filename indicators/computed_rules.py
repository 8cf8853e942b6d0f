"""The rulebook of computed indicators (issue 18): pure, no ORM import, asked by every write path.

A corporate indicator may be computed from indicators of the country programmes aligned to it:
- "sum": the sum of its contributing indicators (each programme's actual by its own arithmetic, so a
  cumulative indicator adds the programmes' running totals and no period is counted twice);
- "count_met": the number of programmes whose contributing indicator met its target.

Rules:
- the computed indicator is quantitative and its own figures are never entered by hand: every
  measurement write (form, service, API, spreadsheet row) asks `check_entry_allowed`;
- a sum is of numbers or currency (never percentages, yes/no or ratings: those are recomputed, not
  added), in the computed indicator's own measure and unit, and not of averages;
- a count of programmes is a number that stands at a time (latest), not a cumulative sum;
- each contributing indicator belongs to a country-programme framework whose result aligns to the
  computed indicator's result (an alignment edge from it to that result);
- a computed indicator contributes to no computation (so no cycle can form), nor to its own, and
  each contributes once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

SUM, COUNT_MET = "sum", "count_met"
KINDS = (SUM, COUNT_MET)
SUMMABLE_MEASURES = ("number", "currency")
COUNTRY = "country"


@dataclass(frozen=True)
class Facts:
    """What the rules need about one indicator, as plain values."""
    code: str
    kind: str  # quantitative / qualitative
    measure: str
    unit: str
    aggregation: str
    result_id: int
    framework_kind: str
    computed: bool = False  # it has a computation of its own


def formula_text(kind: str, codes: Sequence[str]) -> str:
    """The formula in words, as the indicator page and the exports show it."""
    if kind == SUM:
        return "Sum of: " + ", ".join(codes) if codes else "Sum of: (no contributing indicator yet)"
    return "Number of programmes meeting their target" + (f" (of: {', '.join(codes)})" if codes else "")


def check_entry_allowed(*, code: str, computed: bool, row: int | None = None) -> None:
    """Manual figures are refused for a computed indicator, whichever path they arrive by."""
    if computed:
        where = f"Row {row}: " if row is not None else ""
        raise ValidationError({"indicator": (
            f"{where}{code} is computed from its contributing indicators: its figures are not entered by hand. "
            "Record the figures of the programmes' indicators instead.")})


def check_computation(*, kind: str, indicator: Facts, contributions: Sequence[Facts],
                      aligned_result_ids: Iterable[int]) -> None:
    """Whether `indicator` may be computed as `kind` from `contributions`. `aligned_result_ids`: the
    results with an alignment edge to the indicator's result. Raises a ValidationError naming the
    field and the code at fault."""
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors.setdefault("kind", []).append(f"{kind!r} is not a kind of computation: choose sum or count_met.")
        raise ValidationError(errors)
    if indicator.kind != "quantitative":
        errors.setdefault("kind", []).append(f"{indicator.code} is qualitative: only a number can be computed.")
    if kind == SUM:
        if indicator.measure not in SUMMABLE_MEASURES:
            errors.setdefault("kind", []).append(
                f"{indicator.code} is measured as {indicator.measure}: only numbers and currency are summed "
                "(a percentage is recomputed from its parts, never added).")
        if indicator.aggregation == "average":
            errors.setdefault("kind", []).append(f"{indicator.code} takes an average: a sum is a total, not an average.")
    elif indicator.measure != "number" or indicator.aggregation != "latest":
        errors.setdefault("kind", []).append(
            f"{indicator.code} must be a number taking its latest value to count programmes meeting their target.")
    if not contributions:
        errors.setdefault("contributions", []).append("Name at least one contributing indicator.")
    aligned = set(aligned_result_ids)
    seen: set[str] = set()
    for c in contributions:
        problems = errors.setdefault("contributions", [])
        if c.code in seen:
            problems.append(f"{c.code} is named twice.")
            continue
        seen.add(c.code)
        if c.code == indicator.code:
            problems.append(f"{c.code} cannot contribute to itself.")
            continue
        if c.computed:
            problems.append(f"{c.code} is itself computed: a computed indicator does not contribute to another.")
        if c.framework_kind != COUNTRY:
            problems.append(f"{c.code} is not in a country programme framework.")
        if c.result_id not in aligned:
            problems.append(f"{c.code}'s result does not align to the result {indicator.code} measures.")
        if kind == SUM:
            if c.kind != "quantitative" or c.measure != indicator.measure:
                problems.append(f"{c.code} is measured as {c.measure}, {indicator.code} as {indicator.measure}: "
                                "a sum needs the same measure.")
            if c.unit.strip().lower() != indicator.unit.strip().lower():
                problems.append(f"{c.code} counts {c.unit or '(no unit)'!s}, {indicator.code} counts "
                                f"{indicator.unit or '(no unit)'!s}: a sum needs the same unit.")
            if c.aggregation == "average":
                problems.append(f"{c.code} takes an average: averages are not added up.")
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def check_not_contributing(*, code: str, contributes_to: Sequence[str]) -> None:
    """An indicator that contributes to a computation cannot itself become computed (no chains, no cycles)."""
    if contributes_to:
        raise ValidationError({"indicator": (
            f"{code} contributes to {', '.join(contributes_to)}: a contributing indicator cannot be computed.")})
