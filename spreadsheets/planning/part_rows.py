"""Disaggregated rows (issue 14): a row that names a dimension value ("Dimension value": female, or
"Sex: female"; the "Dimension" column may narrow it) is a part of the total that the row of the
same indicator and period (for baselines: the same indicator) without one gives. A count's part
gives its Value; a percentage's part its Numerator and Denominator (the part's share and the total
are recomputed from them, never averaged: a total left empty is taken from its parts).

The parts of a dimension named in the file replace that total's stored working parts of the
dimension; the parts of other dimensions stay. The total and all its parts are checked by the
rulebook's own check (indicators.rules.check_parts), changed parts send their total to review as a
changed total does, and they are written by the same set-based path (spreadsheets.bulk) with their
history, in the same transaction.

The measurements, targets and baselines planners share this module: PartRows collects a file's part
rows while the planner checks its totals, and hands each total its parts (PartRows.take).
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators import rules, validation
from indicators.dimensions import BaselinePart, DimensionValue, MeasurementPart, TargetPart

from .. import bulk
from ..cells import messages, text
from ..columns import header_key
from ..report import Change
from .common import IndicatorFacts, Plan, duplicate, figure_problems

OWNER_FIELDS = {MeasurementPart: "measurement_id", TargetPart: "target_id", BaselinePart: "baseline_id"}
_SHARE_TOLERANCE = Decimal("0.05")  # as rules.check_parts allows a typed total against the recomputed one
_FIGURES = ("numerator", "denominator")


class PartRow(NamedTuple):
    row: int
    value_id: int
    dimension: str
    name: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


class StoredPart(NamedTuple):
    pk: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class _PartUpdate(NamedTuple):
    value: object
    numerator: object
    denominator: object
    pk: int


# The columns of one part's INSERT (bulk.insert_returning names them by attribute), per model.
_NEW_ROW = {model: NamedTuple(f"New{model.__name__}", [(owner, int), ("dimension_value_id", int), ("value", object),
                                                       ("numerator", object), ("denominator", object)])
            for model, owner in OWNER_FIELDS.items()}


class PartPlan(NamedTuple):
    """What a total's parts need written: new parts (PartRow) and changed ones."""
    new: list
    updates: list


class TakenParts(NamedTuple):
    """A total's parts, checked: the total to store (a percentage's recomputed from its parts), what
    to write (None: no part row for it) and the preview's changes."""
    total: Decimal | None
    plan: PartPlan | None
    changes: list
    first_row: int = 0  # the first part row (where a refusal of the parts is shown)


def is_part_row(cells: dict) -> bool:
    return text(cells.get("dimension_value")) != ""


def share(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A percentage part's value, as services.parts stores it (numerator / denominator x 100)."""
    if numerator is None or not denominator:
        return None
    return (numerator * 100 / denominator).quantize(Decimal("0.0001"))


class DimensionLookup:
    """The dimension values each indicator of a file is split by: one query for the file."""

    def __init__(self, indicator_ids):
        self.values: dict[int, tuple[str, str]] = {}  # value id -> (dimension, name)
        self.by_indicator: dict[int, dict] = {}
        self.broken: set[tuple] = set()  # keys of totals with a refused part row
        rows = (DimensionValue.objects.filter(dimension__indicators__in=list(indicator_ids))
                .values_list("id", "name", "slug", "dimension__name", "dimension__slug", "dimension__indicators")
                .order_by("dimension__order", "dimension__name", "order", "name")) if indicator_ids else ()
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
            return None, _("%(code)s is not disaggregated: choose its dimensions on the site first.") % {
                "code": facts.code}
        found = keys.get((header_key(dimension), header_key(value)), set())
        if len(found) == 1:
            return next(iter(found)), ""
        shown = f"{text(dimension)}: {text(value)}" if text(dimension) else text(value)
        if found:
            return None, _("%(value)s names a value of several of %(code)s's dimensions: fill in the Dimension.") % {
                "value": shown, "code": facts.code}
        return None, _("%(code)s is not disaggregated by “%(value)s”; its dimension values are %(values)s.") % {
            "code": facts.code, "value": shown, "values": ", ".join(self.labels(facts.id))}


def _fraction(plan: Plan, row: int, cells: dict, facts: IndicatorFacts) -> tuple[Decimal, Decimal] | None:
    """A percentage part's numerator and denominator (each a number of 0 or more). None if wrong."""
    numbers = {}
    for key in _FIGURES:
        raw = cells.get(key)
        try:
            numbers[key] = validation.parse_decimal(raw, what=key)
        except ValidationError as exc:
            plan.problem(row, key, raw, _(
                "%(code)s is a percentage: each part row gives its %(numerator)s and %(denominator)s (45 and 120 "
                "for 45 of 120 people).") % {"code": facts.code, "numerator": plan.table.header("numerator"),
                                             "denominator": plan.table.header("denominator")} + f" {messages(exc)}")
            continue
        if numbers[key] < 0:
            plan.problem(row, key, raw, _("%(code)s: a %(column)s is a number of 0 or more.") % {
                "code": facts.code, "column": key})
            del numbers[key]
    return (numbers["numerator"], numbers["denominator"]) if len(numbers) == 2 else None


def check_part_row(plan: Plan, lookup: DimensionLookup, row: int, cells: dict, facts: IndicatorFacts
                   ) -> PartRow | None:
    """A part row's own checks: a value of the indicator's dimensions and its figure (a count's
    value; a percentage's numerator and denominator, and the value if given agreeing with them).
    None (and the problems on the plan) if wrong."""
    try:
        rules.check_disaggregable(measure=facts.measure, code=facts.code)
    except ValidationError as exc:
        plan.problem(row, "dimension_value", cells.get("dimension_value"), " ".join(exc.messages))
        return None
    value_id, problem = lookup.resolve(facts, cells.get("dimension"), cells.get("dimension_value"))
    if problem:
        plan.problem(row, "dimension_value", cells.get("dimension_value"), problem)
        return None
    dim, name = lookup.values[value_id]
    if facts.measure != rules.PERCENTAGE:
        bad = len(plan.problems)
        for key in _FIGURES:
            if cells.get(key) is not None:
                plan.problem(row, key, cells[key], _(
                    "%(code)s is measured by %(measure)s: only a percentage's parts have a %(column)s; give this "
                    "part's %(value)s.") % {"code": facts.code, "measure": facts.measure, "column": key,
                                            "value": plan.table.header("value")})
        figure = figure_problems(plan, row, cells, facts, required=True)
        return None if figure is None or len(plan.problems) > bad else PartRow(row, value_id, dim, name, figure.value)
    typed = figure_problems(plan, row, cells, facts, required=False)
    fraction = _fraction(plan, row, cells, facts)
    if typed is None or fraction is None:
        return None
    numerator, denominator = fraction
    value = share(numerator, denominator)
    if typed.value is not None and value is not None and abs(typed.value - value) > _SHARE_TOLERANCE:
        plan.problem(row, "value", cells.get("value"), _(
            "%(code)s, %(dimension)s: %(name)s: %(numerator)s of %(denominator)s is %(share)s%%, not %(typed)s%%; "
            "leave the %(value)s empty to take it from them.") % {
                "code": facts.code, "dimension": dim, "name": name, "numerator": _shown(numerator),
                "denominator": _shown(denominator), "share": _shown(value), "typed": _shown(typed.value),
                "value": plan.table.header("value")})
        return None
    return PartRow(row, value_id, dim, name, value, numerator, denominator)


def stored_parts(owner_ids, model=MeasurementPart) -> dict[int, dict[int, StoredPart]]:
    """{owner id: {dimension value id: its stored part (emptied ones too)}}, in one query; `model`
    MeasurementPart, TargetPart or BaselinePart."""
    owner_field = OWNER_FIELDS[model]
    found: dict[int, dict[int, StoredPart]] = {}
    for chunk in bulk.chunks(list(owner_ids), bulk.IN_LIST_LIMIT):
        for owner, value_id, pk, value, numerator, denominator in model.objects.filter(
                **{f"{owner_field}__in": chunk}).values_list(owner_field, "dimension_value_id", "pk", "value",
                                                             "numerator", "denominator"):
            found.setdefault(owner, {})[value_id] = StoredPart(pk, value, numerator, denominator)
    return found


def _figures(part) -> tuple:
    return (part.value, part.numerator, part.denominator)


def _shown(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _shown_part(part) -> str:
    if part is None or _figures(part) == (None, None, None):
        return ""
    if part.numerator is not None or part.denominator is not None:
        return f"{_shown(part.numerator)} of {_shown(part.denominator)} ({_shown(part.value)}%)"
    return _shown(part.value)


def plan_parts(plan: Plan, lookup: DimensionLookup, *, facts: IndicatorFacts, label: str, total_row: int,
               total, given: list[PartRow], stored: dict[int, StoredPart]) -> TakenParts | None:
    """Check the total with its parts (the file's, over the stored ones of other dimensions) and
    say what changes. None, and problems on the plan, when they do not add up."""
    replaced = {p.dimension for p in given}
    figures, first_row = [], {}
    for value_id, part in stored.items():
        dim, name = lookup.values.get(value_id, ("", ""))
        if dim and dim not in replaced and _figures(part) != (None, None, None):
            figures.append(rules.PartFigure(dim, name, *_figures(part)))
    for p in given:
        # a percentage's part is checked by its numerator and denominator (its value is their share)
        figures.append(rules.PartFigure(p.dimension, p.name, None if p.numerator is not None else p.value,
                                        p.numerator, p.denominator))
        first_row.setdefault(p.dimension, p.row)
    try:
        total = rules.check_parts(measure=facts.measure, total=total, parts=figures)
    except ValidationError as exc:
        for key, problem_messages in exc.message_dict.items():
            dim = key.removeprefix("parts:")
            row = first_row.get(dim, total_row)
            plan.problem(row, "value", None, _("%(total)s (total on row %(row)s): %(problems)s") % {
                "total": label, "row": total_row, "problems": " ".join(problem_messages)})
        return None
    changes, new, updates = [], [], []
    given_ids = {p.value_id for p in given}
    for p in given:
        old = stored.get(p.value_id)
        if old is None:
            new.append(p)
        elif _figures(old) != _figures(p):
            updates.append(_PartUpdate(*_figures(p), old.pk))
        else:
            continue
        changes.append(Change(f"{p.dimension}: {p.name}", _shown_part(old), _shown_part(p)))
    for value_id, old in stored.items():
        dim, name = lookup.values.get(value_id, ("", ""))
        if dim in replaced and value_id not in given_ids and _figures(old) != (None, None, None):
            updates.append(_PartUpdate(None, None, None, old.pk))
            changes.append(Change(f"{dim}: {name}", _shown_part(old), ""))
    return TakenParts(total, PartPlan(new, updates), changes, given[0].row)


def shown_new_parts(changes: list[Change]) -> str:
    """The preview's note on a new row with parts."""
    return _("With its parts: %(parts)s.") % {"parts": ", ".join(f"{c.column} {c.after}" for c in changes)} \
        if changes else ""


class PartRows:
    """A file's part rows, grouped by the total they belong to (a key the planner chooses: indicator
    and period, or indicator for baselines), while the planner checks its rows in order."""

    def __init__(self, table, indicator_ids):
        self.lookup = DimensionLookup(indicator_ids if table.has("dimension_value") else [])
        self.groups: dict[tuple, list[PartRow]] = {}
        self.totals: set[tuple] = set()  # the totals the file gives a row for (valid or not)
        self._seen: dict = {}

    def add(self, plan: Plan, row: int, cells: dict, facts: IndicatorFacts, key: tuple | None, what: str) -> None:
        """A part row of the total `key` (None: the row's period is wrong; its own checks still run)."""
        part = check_part_row(plan, self.lookup, row, cells, facts)
        if key is None:
            return
        if part is None or duplicate(plan, self._seen, (key, part.value_id), row, "dimension_value",
                                     cells.get("dimension_value"), f"{what} {part.dimension}: {part.name}"):
            self.lookup.broken.add(key)
        else:
            self.groups.setdefault(key, []).append(part)

    def total(self, plan: Plan, row: int, cells: dict, facts: IndicatorFacts, key: tuple | None) -> bool:
        """A total's row: noted, so that its parts find it. False (a problem on the plan) if it gives
        a numerator or a denominator, which only a part row has."""
        if key is not None:
            self.totals.add(key)
        ok = True
        for column in _FIGURES:
            if cells.get(column) is not None:
                plan.problem(row, column, cells[column], _(
                    "%(code)s: a %(column)s belongs on a part row (with a Dimension value). The total of a "
                    "percentage is recomputed from its parts' numerators and denominators; give it as a "
                    "%(value)s, or leave it empty.") % {"code": facts.code, "column": column,
                                                        "value": plan.table.header("value")})
                ok = False
        return ok

    def has_parts(self, key: tuple) -> bool:
        return key in self.groups

    def take(self, plan: Plan, key: tuple, *, facts: IndicatorFacts, label: str, total_row: int, total,
             stored: dict[int, StoredPart]) -> TakenParts | None:
        """The total's parts checked with it. None (problems on the plan) if they are refused."""
        given = self.groups.pop(key, None)
        if not given:
            return TakenParts(total, None, [])
        if key in self.lookup.broken:
            return None  # a part row is refused: its total is not checked against the others
        return plan_parts(plan, self.lookup, facts=facts, label=label, total_row=total_row, total=total,
                          given=given, stored=stored)

    def orphans(self, plan: Plan, label) -> None:
        """Part rows whose total no row of the file gives; `label(key)` names that total."""
        for key, parts in self.groups.items():
            if key in self.totals:
                continue
            for p in parts:
                plan.problem(p.row, "dimension_value", f"{p.dimension}: {p.name}",
                             _("No row gives the total of %(total)s: add its row, without a dimension value "
                               "(the parts of a figure come with their total).") % {"total": label(key)})


def write_parts(model, owners: list[tuple[int, PartPlan]], *, by, when, reason: str) -> None:
    """INSERT the new parts and UPDATE the changed ones, each with its history record."""
    row_type = _NEW_ROW[model]
    rows = [row_type(owner, p.value_id, *_figures(p)) for owner, parts in owners for p in parts.new]
    updates = [u for _, parts in owners for u in parts.updates]
    if rows:
        pks = bulk.insert_returning(model, rows, {})
        bulk.history_copy(model, {reason: pks}, by=by, when=when, history_type="+")
    if updates:
        bulk.update_rows(model, updates, {})
        bulk.history_copy(model, {reason: [u.pk for u in updates]}, by=by, when=when, history_type="~")
