"""Reads of disaggregated figures (issue 14): a target's or measurement's parts as the review page
shows them, and the indicator page's breakdown per dimension over time (a constant number of
queries whatever the number of periods or values)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from citiesalliance.l10n import grouped

from . import validation
from .dimensions import DimensionValue, MeasurementPart


def part_text(*, measure: str, unit: str, value, numerator=None, denominator=None) -> str:
    """ "240 people", or for a percentage "60% (30 of 50)"."""
    text = validation.format_figure(measure=measure, value=value, unit=unit)
    if numerator is not None and denominator is not None:
        text += f" ({grouped(numerator)} of {grouped(denominator)})"
    return text


@dataclass
class PartShown:
    name: str
    working: str
    approved: str
    changed: bool


@dataclass
class DimensionShown:
    name: str
    parts: list[PartShown] = field(default_factory=list)


def parts_shown(owner, indicator, *, approved_only: bool = False) -> list[DimensionShown]:
    """The parts of a target or measurement, dimension by dimension: the working figure and the
    approved one (what the scorecard reads). Two queries."""
    stored = {p.dimension_value_id: p for p in owner.parts.all()}
    if not stored:
        return []
    dims: dict[str, DimensionShown] = {}
    values = DimensionValue.objects.filter(pk__in=stored).select_related("dimension").order_by(
        "dimension__order", "dimension__name", "order", "name")
    for dv in values:
        p = stored[dv.pk]
        working = part_text(measure=indicator.measure, unit=indicator.unit, value=p.value, numerator=p.numerator,
                            denominator=p.denominator)
        approved = part_text(measure=indicator.measure, unit=indicator.unit, value=p.approved_value,
                             numerator=p.approved_numerator, denominator=p.approved_denominator)
        if approved_only:
            working = approved
        dims.setdefault(dv.dimension.name, DimensionShown(dv.dimension.name)).parts.append(
            PartShown(dv.name, working, approved, working != approved and p.approved_value is not None))
    return list(dims.values())


def baseline_parts_shown(baseline, indicator) -> list[DimensionShown]:
    """The parts of a baseline, dimension by dimension (a baseline has no separate approved figure:
    its parts are fixed once a measurement is approved). One query; none without a baseline."""
    if baseline is None or baseline.pk is None:
        return []
    dims: dict[str, DimensionShown] = {}
    for p in baseline.parts.select_related("dimension_value__dimension").order_by(
            "dimension_value__dimension__order", "dimension_value__dimension__name", "dimension_value__order",
            "dimension_value__name"):
        if p.value is None and p.numerator is None:
            continue
        dv = p.dimension_value
        text = part_text(measure=indicator.measure, unit=indicator.unit, value=p.value, numerator=p.numerator,
                         denominator=p.denominator)
        dims.setdefault(dv.dimension.name, DimensionShown(dv.dimension.name)).parts.append(
            PartShown(dv.name, text, text, False))
    return list(dims.values())


def parts_line(dimensions: list[DimensionShown]) -> str:
    """ "By sex: female 3, male 2" (one clause per dimension), for a line of context."""
    return "; ".join(f"By {d.name.lower()}: " + ", ".join(f"{p.name} {p.working}" for p in d.parts)
                     for d in dimensions)


@dataclass
class Breakdown:
    """One dimension's approved parts over time: periods (rows) x values (columns)."""
    name: str
    values: list[str]
    rows: list[tuple[str, list[str], list[tuple[str, int]]]]  # (period, a text per value, bar shares)
    series: dict[str, list[Decimal | None]]  # value name -> approved value per period


def indicator_breakdowns(indicator) -> list[Breakdown]:
    """The approved measurements' parts of `indicator`, per dimension it is split by. Two queries."""
    values = list(DimensionValue.objects.filter(dimension__indicators=indicator).select_related("dimension")
                  .order_by("dimension__order", "dimension__name", "order", "name"))
    if not values:
        return []
    parts = (MeasurementPart.objects.filter(measurement__indicator=indicator, measurement__approved_at__isnull=False,
                                            approved_value__isnull=False)
             .values_list("measurement__period__label", "measurement__period__end", "dimension_value_id",
                          "approved_value", "approved_numerator", "approved_denominator"))
    by_period: dict[str, dict[int, tuple]] = {}
    ends = {}
    for label, end, dv_id, value, numerator, denominator in parts:
        by_period.setdefault(label, {})[dv_id] = (value, numerator, denominator)
        ends[label] = end
    periods = sorted(by_period, key=lambda label: (ends[label], label))
    breakdowns: dict[str, Breakdown] = {}
    for dv in values:
        b = breakdowns.setdefault(dv.dimension.name, Breakdown(dv.dimension.name, [], [], {}))
        b.values.append(dv.name)
        b.series[dv.name] = [by_period[p].get(dv.pk, (None,))[0] for p in periods]
    for b in breakdowns.values():
        ids = [dv.pk for dv in values if dv.dimension.name == b.name]
        for label in periods:
            row, figures = [], []
            for dv_id in ids:
                value, numerator, denominator = by_period[label].get(dv_id, (None, None, None))
                row.append(part_text(measure=indicator.measure, unit="", value=value, numerator=numerator,
                                     denominator=denominator))
                figures.append(value)
            if any(text != "—" for text in row):
                b.rows.append((label, row, _shares(b.values, figures, percentage=indicator.measure == "percentage")))
    return list(breakdowns.values())


def _shares(names: list[str], figures: list, *, percentage: bool) -> list[tuple[str, int]]:
    """The bar drawn beside a period: a count's parts as shares of their sum (a stacked bar); a
    percentage's parts are not shares of anything, so none is drawn (the table says it all)."""
    total = sum(f for f in figures if f is not None)
    if percentage or not total:
        return []
    return [(name, round(f * 100 / total)) for name, f in zip(names, figures, strict=True) if f]
