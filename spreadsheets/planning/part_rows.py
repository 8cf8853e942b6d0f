"""Disaggregated rows (issue 14): a row that names a dimension value ("Dimension value": female, or
"Sex: female"; the "Dimension" column may narrow it) is a part of the total that the row of the
same indicator and period without one gives. The parts of a dimension named in the file replace
that total's stored working parts of the dimension; the parts of other dimensions stay. The total
and all its parts are checked by the rulebook's own check (indicators.rules.check_parts), changed
parts send their total to review as a changed total does, and they are written by the same
set-based path (spreadsheets.bulk) with their history, in the same transaction.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError

from indicators import rules
from indicators.dimensions import DimensionValue, MeasurementPart, TargetPart

from .. import bulk
from ..cells import text
from ..columns import header_key
from ..report import Change
from .common import IndicatorFacts, Plan, figure_problems


class PartRow(NamedTuple):
    row: int
    value_id: int
    dimension: str
    name: str
    value: Decimal | None


class StoredPart(NamedTuple):
    pk: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class _NewPart(NamedTuple):
    measurement_id: int
    dimension_value_id: int
    value: object
    numerator: object
    denominator: object


class _NewTargetPart(NamedTuple):
    target_id: int
    dimension_value_id: int
    value: object
    numerator: object
    denominator: object


class _PartUpdate(NamedTuple):
    value: object
    numerator: object
    denominator: object
    pk: int


class PartPlan(NamedTuple):
    """What a total's parts need written: new parts ((value id, value)) and changed ones."""
    new: list
    updates: list


def is_part_row(cells: dict) -> bool:
    return text(cells.get("dimension_value")) != ""


class DimensionLookup:
    """The dimension values each indicator of a file is split by: one query for the file."""

    def __init__(self, indicator_ids):
        self.values: dict[int, tuple[str, str]] = {}  # value id -> (dimension, name)
        self.by_indicator: dict[int, dict] = {}
        self.broken: set[tuple] = set()  # (indicator id, period key) of totals with a refused part row
        rows = (DimensionValue.objects.filter(dimension__indicators__in=list(indicator_ids))
                .values_list("id", "name", "slug", "dimension__name", "dimension__slug", "dimension__indicators")
                .order_by("dimension__order", "dimension__name", "order", "name"))
        for pk, name, slug, dim, dim_slug, indicator_id in rows:
            self.values[pk] = (dim, name)
            keys = self.by_indicator.setdefault(indicator_id, {})
            for dim_key in {header_key(dim), header_key(dim_slug), ""}:
                for key in {header_key(name), header_key(slug)}:
                    keys.setdefault((dim_key, key), set()).add(pk)
                keys.setdefault(("", header_key(f"{dim} {name}")), set()).add(pk)

    def labels(self, indicator_id: int) -> list[str]:
        ids = sorted({pk for pks in self.by_indicator.get(indicator_id, {}).values() for pk in pks})
        return [f"{self.values[pk][0]}: {self.values[pk][1]}" for pk in ids]

    def resolve(self, facts: IndicatorFacts, dimension, value) -> tuple[int | None, str]:
        keys = self.by_indicator.get(facts.id)
        if not keys:
            return None, f"{facts.code} is not disaggregated: choose its dimensions on the site first."
        found = keys.get((header_key(dimension), header_key(value)), set())
        if len(found) == 1:
            return next(iter(found)), ""
        shown = f"{text(dimension)}: {text(value)}" if text(dimension) else text(value)
        if found:
            return None, f"{shown} names a value of several of {facts.code}'s dimensions: fill in the Dimension."
        return None, (f"{facts.code} is not disaggregated by “{shown}”; its dimension values are "
                      f"{', '.join(self.labels(facts.id))}.")


def check_part_row(plan: Plan, lookup: DimensionLookup, row: int, cells: dict, facts: IndicatorFacts
                   ) -> PartRow | None:
    """A part row's own checks: a value of the indicator's dimensions and a figure. None if wrong."""
    try:
        rules.check_disaggregable(measure=facts.measure, code=facts.code)
    except ValidationError as exc:
        plan.problem(row, "dimension_value", cells.get("dimension_value"), " ".join(exc.messages))
        return None
    value_id, problem = lookup.resolve(facts, cells.get("dimension"), cells.get("dimension_value"))
    if problem:
        plan.problem(row, "dimension_value", cells.get("dimension_value"), problem)
        return None
    figure = figure_problems(plan, row, cells, facts, required=True)
    if figure is None:
        return None
    dim, name = lookup.values[value_id]
    return PartRow(row, value_id, dim, name, figure.value)


def stored_parts(owner_ids, model=MeasurementPart) -> dict[int, dict[int, StoredPart]]:
    """{owner id: {dimension value id: its stored part (emptied ones too)}}, in one query; `model`
    MeasurementPart or TargetPart."""
    owner_field = "target_id" if model is TargetPart else "measurement_id"
    found: dict[int, dict[int, StoredPart]] = {}
    for chunk in bulk.chunks(list(owner_ids), bulk.IN_LIST_LIMIT):
        for owner, value_id, pk, value, numerator, denominator in model.objects.filter(
                **{f"{owner_field}__in": chunk}).values_list(owner_field, "dimension_value_id", "pk", "value",
                                                             "numerator", "denominator"):
            found.setdefault(owner, {})[value_id] = StoredPart(pk, value, numerator, denominator)
    return found


def plan_parts(plan: Plan, lookup: DimensionLookup, *, facts: IndicatorFacts, label: str, total_row: int,
               total, given: list[PartRow], stored: dict[int, StoredPart]) -> tuple[PartPlan | None, list[Change]]:
    """Check the total with its parts (the file's, over the stored ones of other dimensions) and
    say what changes. (None, []) and problems on the plan when they do not add up."""
    replaced = {p.dimension for p in given}
    figures, first_row = [], {}
    for value_id, part in stored.items():
        dim, name = lookup.values.get(value_id, ("", ""))
        if dim and dim not in replaced and (part.value, part.numerator, part.denominator) != (None, None, None):
            figures.append(rules.PartFigure(dim, name, part.value, part.numerator, part.denominator))
    for p in given:
        figures.append(rules.PartFigure(p.dimension, p.name, p.value))
        first_row.setdefault(p.dimension, p.row)
    try:
        rules.check_parts(measure=facts.measure, total=total, parts=figures)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            dim = key.removeprefix("parts:")
            row = first_row.get(dim, total_row)
            plan.problem(row, "value", None, f"{label} (total on row {total_row}): {' '.join(messages)}")
        return None, []
    changes, new, updates = [], [], []
    given_ids = {p.value_id for p in given}
    for p in given:
        old = stored.get(p.value_id)
        if old is None:
            new.append((p.value_id, p.value))
        elif (old.value, old.numerator, old.denominator) != (p.value, None, None):
            updates.append(_PartUpdate(p.value, None, None, old.pk))
        else:
            continue
        changes.append(Change(f"{p.dimension}: {p.name}", _shown(old.value if old else None), _shown(p.value)))
    for value_id, old in stored.items():
        dim, name = lookup.values.get(value_id, ("", ""))
        if dim in replaced and value_id not in given_ids and (old.value, old.numerator, old.denominator) != (
                None, None, None):
            updates.append(_PartUpdate(None, None, None, old.pk))
            changes.append(Change(f"{dim}: {name}", _shown(old.value), ""))
    return PartPlan(new, updates), changes


def _shown(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def orphan_problems(plan: Plan, groups: dict[tuple, list[PartRow]], labels: dict[tuple, str]) -> None:
    """Part rows whose total no row of the file gives."""
    for key, parts in groups.items():
        for p in parts:
            plan.problem(p.row, "dimension_value", f"{p.dimension}: {p.name}",
                         f"No row gives the total of {labels[key]}: add its row, without a dimension value "
                         "(the parts of a figure come with their total).")


def write_parts(model, owners: list[tuple[int, PartPlan]], *, by, when, reason: str) -> None:
    """INSERT the new parts and UPDATE the changed ones, each with its history record."""
    row_type = _NewTargetPart if model is TargetPart else _NewPart
    rows = [row_type(owner, value_id, value, None, None) for owner, parts in owners for value_id, value in parts.new]
    updates = [u for _, parts in owners for u in parts.updates]
    if rows:
        pks = bulk.insert_returning(model, rows, {})
        bulk.history_copy(model, {reason: pks}, by=by, when=when, history_type="+")
    if updates:
        bulk.update_rows(model, updates, {})
        bulk.history_copy(model, {reason: [u.pk for u in updates]}, by=by, when=when, history_type="~")
