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
from django.utils.translation import gettext as _

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
    listed = ", ".join(codes)
    if kind == SUM:
        return _("Sum of: %(codes)s") % {"codes": listed} if codes else _(
            "Sum of: (no contributing indicator yet)")
    if codes:
        return _("Number of programmes meeting their target (of: %(codes)s)") % {"codes": listed}
    return _("Number of programmes meeting their target")


def check_entry_allowed(*, code: str, computed: bool, row: int | None = None) -> None:
    """Manual figures are refused for a computed indicator, whichever path they arrive by."""
    if computed:
        where = _("Row %(row)s: ") % {"row": row} if row is not None else ""
        raise ValidationError({"indicator": where + _(
            "%(code)s is computed from its contributing indicators: its figures are not entered by hand. "
            "Record the figures of the programmes' indicators instead.") % {"code": code}})


def check_computation(*, kind: str, indicator: Facts, contributions: Sequence[Facts],
                      aligned_result_ids: Iterable[int]) -> None:
    """Whether `indicator` may be computed as `kind` from `contributions`. `aligned_result_ids`: the
    results with an alignment edge to the indicator's result. Raises a ValidationError naming the
    field and the code at fault."""
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors.setdefault("kind", []).append(_("%(kind)s is not a kind of computation: choose sum or count_met.") % {
            "kind": repr(kind)})
        raise ValidationError(errors)
    if indicator.kind != "quantitative":
        errors.setdefault("kind", []).append(_("%(code)s is qualitative: only a number can be computed.") % {
            "code": indicator.code})
    if kind == SUM:
        if indicator.measure not in SUMMABLE_MEASURES:
            errors.setdefault("kind", []).append(
                _("%(code)s is measured as %(measure)s: only numbers and currency are summed "
                  "(a percentage is recomputed from its parts, never added).") % {
                    "code": indicator.code, "measure": indicator.measure})
        if indicator.aggregation == "average":
            errors.setdefault("kind", []).append(_("%(code)s takes an average: a sum is a total, not an average.") % {
                "code": indicator.code})
    elif indicator.measure != "number" or indicator.aggregation != "latest":
        errors.setdefault("kind", []).append(
            _("%(code)s must be a number taking its latest value to count programmes meeting their target.") % {
                "code": indicator.code})
    if not contributions:
        errors.setdefault("contributions", []).append(_("Name at least one contributing indicator."))
    aligned = set(aligned_result_ids)
    seen: set[str] = set()
    for c in contributions:
        problems = errors.setdefault("contributions", [])
        if c.code in seen:
            problems.append(_("%(code)s is named twice.") % {"code": c.code})
            continue
        seen.add(c.code)
        if c.code == indicator.code:
            problems.append(_("%(code)s cannot contribute to itself.") % {"code": c.code})
            continue
        if c.computed:
            problems.append(_("%(code)s is itself computed: a computed indicator does not contribute to another.")
                            % {"code": c.code})
        if c.framework_kind != COUNTRY:
            problems.append(_("%(code)s is not in a country programme framework.") % {"code": c.code})
        if c.result_id not in aligned:
            problems.append(_("%(code)s's result does not align to the result %(computed)s measures.") % {
                "code": c.code, "computed": indicator.code})
        if kind == SUM:
            if c.kind != "quantitative" or c.measure != indicator.measure:
                problems.append(_("%(code)s is measured as %(measure)s, %(computed)s as %(computed_measure)s: "
                                  "a sum needs the same measure.") % {
                    "code": c.code, "measure": c.measure, "computed": indicator.code,
                    "computed_measure": indicator.measure})
            if c.unit.strip().lower() != indicator.unit.strip().lower():
                problems.append(_("%(code)s counts %(unit)s, %(computed)s counts %(computed_unit)s: a sum needs "
                                  "the same unit.") % {
                    "code": c.code, "unit": c.unit or _("(no unit)"), "computed": indicator.code,
                    "computed_unit": indicator.unit or _("(no unit)")})
            if c.aggregation == "average":
                problems.append(_("%(code)s takes an average: averages are not added up.") % {"code": c.code})
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def check_not_contributing(*, code: str, contributes_to: Sequence[str]) -> None:
    """An indicator that contributes to a computation cannot itself become computed (no chains, no cycles)."""
    if contributes_to:
        raise ValidationError({"indicator": (
            _("%(code)s contributes to %(computed)s: a contributing indicator cannot be computed.") % {
                "code": code, "computed": ", ".join(contributes_to)})})
