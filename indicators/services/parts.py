"""The parts of a target or a measurement (indicators.dimensions): checked by the rulebook
(rules.check_parts) and written by the service of their total, in its transaction.

`parts` as the services take them: {DimensionValue id: PartInput}. None leaves the stored working
parts as they are, and they are checked again against the new total, so a path that knows nothing
of parts (an older import, the API) cannot make them stop adding up."""
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import rules
from ..dimensions import DimensionValue
from ..part_selectors import part_text
from .common import save, stamp

PART_FIGURES = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class PartInput:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


def indicator_dimension_values(indicator) -> list[DimensionValue]:
    """The values an indicator's figures are split by, dimension by dimension. One query."""
    return list(DimensionValue.objects.filter(dimension__indicators=indicator).select_related("dimension")
                .order_by("dimension__order", "dimension__name", "order", "name"))


def stored_parts(owner) -> dict[int, PartInput]:
    """The working parts of a stored target or measurement."""
    if owner.pk is None:
        return {}
    return {p.dimension_value_id: PartInput(p.value, p.numerator, p.denominator)
            for p in owner.parts.all() if not PartInput(p.value, p.numerator, p.denominator).empty}


def parts_plan(*, indicator, total, parts: dict | None, stored: dict[int, PartInput]):
    """(total to store, {value id: PartInput}) after the rulebook's check; raises naming the dimension."""
    wanted = stored if parts is None else {int(k): v for k, v in parts.items() if not v.empty}
    if not wanted:
        return total, {}
    values = {v.pk: v for v in indicator_dimension_values(indicator)}
    unknown = [k for k in wanted if k not in values]
    if unknown:
        named = [str(v) for v in DimensionValue.objects.filter(pk__in=unknown).select_related("dimension")]
        raise ValidationError({"parts": _(
            "%(code)s is not disaggregated by %(values)s; choose its dimensions first.") % {
                "code": indicator.code, "values": ", ".join(named) or unknown}})
    rules.check_disaggregable(measure=indicator.measure, code=indicator.code)
    if indicator.measure == rules.PERCENTAGE:
        wanted = {k: PartInput(None if p.numerator is None or not p.denominator
                               else (p.numerator * 100 / p.denominator).quantize(Decimal("0.0001")),
                               p.numerator, p.denominator) for k, p in wanted.items()}
    figures = [rules.PartFigure(dimension=values[k].dimension.name, name=values[k].name,
                                value=p.value if indicator.measure != rules.PERCENTAGE else None,
                                numerator=p.numerator, denominator=p.denominator) for k, p in wanted.items()]
    total = rules.check_parts(measure=indicator.measure, total=total, parts=figures)
    return total, wanted


def parts_write(*, owner, wanted: dict[int, PartInput], by, reason: str) -> None:
    """Make the owner's working parts `wanted`; a part that still holds approved figures keeps its
    row (emptied), the others go. Unchanged rows are not written (no history row)."""
    model = owner.parts.model
    owner_field = owner._meta.model_name
    existing = {p.dimension_value_id: p for p in model.objects.select_for_update().filter(**{owner_field: owner})}
    for key in set(existing) | set(wanted):
        part = existing.get(key) or model(**{owner_field: owner, "dimension_value_id": key})
        figure = wanted.get(key, PartInput())
        if part.pk and all(getattr(part, f) == getattr(figure, f) for f in PART_FIGURES):
            continue
        if figure.empty and part.pk and getattr(part, "approved_value", None) is None:
            stamp(part, by, reason)
            part.delete()
            continue
        for name in PART_FIGURES:
            setattr(part, name, getattr(figure, name))
        stamp(part, by, reason)
        save(part)


def parts_approve(*, owner, by, reason: str) -> None:
    """The working parts become the approved ones, as the total's figures do."""
    for part in owner.parts.model.objects.select_for_update().filter(**{owner._meta.model_name: owner}):
        if PartInput(part.value, part.numerator, part.denominator).empty:
            stamp(part, by, reason)
            part.delete()
            continue
        part.approved_value, part.approved_numerator, part.approved_denominator = (
            part.value, part.numerator, part.denominator)
        stamp(part, by, reason)
        save(part)


def baseline_parts_set(*, indicator, parts: dict, by, reason: str = ""):
    """Set the parts of the indicator's baseline, its other fields as they are (baseline_record).
    Once a measurement is approved this opens a proposal (it needs a reason)."""
    from ..models import Baseline
    from .baselines import baseline_record

    baseline = Baseline.objects.filter(indicator=indicator).select_related("period").first()
    if baseline is None:
        rules.check_baseline_parts_open(code=indicator.code, counted=False)
    return baseline_record(indicator=indicator, by=by, version=baseline.version, value=baseline.value,
                           text=baseline.text, period=baseline.period.label if baseline.period_id else None,
                           as_of=baseline.as_of, source=baseline.source, status=baseline.status,
                           due_date=baseline.due_date, parts=parts, reason=reason)


def check_baseline_parts(baseline, value) -> None:
    """A new baseline value still agrees with the baseline's stored parts (the rulebook's check)."""
    stored = stored_parts(baseline)
    if stored:
        parts_plan(indicator=baseline.indicator, total=value, parts=None, stored=stored)


def encode_parts(parts: dict[int, PartInput]) -> dict:
    """Parts as a proposal's JSON: {"<value id>": {"value": "3", "numerator": None, ...}}."""
    return {str(k): {name: None if getattr(p, name) is None else str(getattr(p, name)) for name in PART_FIGURES}
            for k, p in parts.items()}


def decode_parts(data: dict) -> dict[int, PartInput]:
    """The inverse of encode_parts."""
    return {int(k): PartInput(**{name: None if v.get(name) in (None, "") else Decimal(v[name])
                                 for name in PART_FIGURES}) for k, v in data.items()}


def parts_compared(indicator, before: dict[int, PartInput], after: dict[int, PartInput]) -> list[list[str]]:
    """[label, now, proposed] per dimension value whose part changes, for a proposal's reviewer:
    ["Sex: female", "3 sessions", "4 sessions"]. One query."""
    rows = []
    for dv in indicator_dimension_values(indicator):
        old, new = before.get(dv.pk, PartInput()), after.get(dv.pk, PartInput())
        if old == new:
            continue
        rows.append([f"{dv.dimension.name}: {dv.name}"] + [
            part_text(measure=indicator.measure, unit=indicator.unit, value=p.value, numerator=p.numerator,
                      denominator=p.denominator) for p in (old, new)])
    return rows
