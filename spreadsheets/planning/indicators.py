"""Planning an indicators file: codes, names, results and choices checked per row with the rules
indicator_create / indicator_update apply; on an existing indicator an absent column or an empty
cell keeps what is stored. Written with django-simple-history's bulk utilities.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import services, validation
from indicators.models import Baseline, Indicator, Measurement, Target
from results.models import Result, code_validator

from .. import bulk
from ..cells import (
    messages,
    parse_aggregation,
    parse_direction,
    parse_frequency,
    parse_int,
    parse_kind,
    parse_measure,
    show,
    shown_value,
    text,
)
from ..columns import BY_KEY
from ..reading import Table
from ..report import Change, RowChange
from .common import Plan, duplicate

FIELDS = ("result_id", "name", "definition", "kind", "measure", "unit", "direction", "aggregation",
          "frequency", "weight", "order", "data_source", "means_of_verification", "responsible_id")
_PARSERS = {"kind": parse_kind, "measure": parse_measure, "direction": parse_direction,
            "aggregation": parse_aggregation, "frequency": parse_frequency}
_LIMITS = {"name": 300, "unit": 60}
_HEADERS = {"result_id": "result_code", "responsible_id": "responsible"}  # field -> column key


# ---- the rules this importer checks (to be answered by indicators.rules) ---------------------

def indicator_rule_problems(candidate: Indicator) -> dict[str, list[str]]:
    """The indicator's own rules (qualitative means rated and latest; percentages are not summed),
    as indicator_create / indicator_update check them; no query. {} when it holds."""
    try:
        services.check_indicator_rules(candidate)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def indicators_with_figures(indicator_ids: list[int]) -> set[int]:
    """Which of these indicators have a recorded figure (a baseline with a value or words, a target
    or a measurement): the fact the measure lock depends on. Three queries, whatever the count."""
    if not indicator_ids:
        return set()
    found = set(Baseline.objects.filter(indicator_id__in=indicator_ids).exclude(value=None, text="")
                .values_list("indicator_id", flat=True))
    found |= set(Target.objects.filter(indicator_id__in=indicator_ids).values_list("indicator_id", flat=True))
    found |= set(Measurement.objects.filter(indicator_id__in=indicator_ids).values_list("indicator_id", flat=True))
    return found


def locked_field(changed: set[str], *, has_figures: bool) -> str:
    """Lock rule, as indicator_update: kind and measure are fixed once figures are recorded. The
    changed field that is locked ("measure" before "kind"), or "" if none is."""
    if not has_figures:
        return ""
    if "measure" in changed:
        return "measure"
    return "kind" if "kind" in changed else ""


def locked_field_message(code: str, stored_measure: str) -> str:
    return (f"{code} already has a baseline, targets or measurements recorded as "
            f"{Indicator.Measure(stored_measure).label.lower()}; its kind and measure can no longer change.")


# ---- planning -------------------------------------------------------------------------------

class _Checked(NamedTuple):
    row: int
    code: str
    stored: NamedTuple | None  # the stored indicator's fields, None for a new one
    current: dict | None  # the same as a dictionary of FIELDS
    values: dict


def _weight(raw) -> Decimal:
    weight = Decimal(1) if raw is None else validation.parse_decimal(raw, what="weight")
    if weight <= 0 or weight >= 10000 or weight != weight.quantize(Decimal("0.01")):
        raise ValidationError("A weight is a positive number below 10,000 with at most 2 decimals.")
    return weight.quantize(Decimal("0.01"))


def _with_defaults(values: dict, current: dict | None) -> None:
    """Defaults as the model and indicator_create (a qualitative indicator is rated, latest value);
    on an existing indicator an absent column or an empty cell keeps what is stored."""
    kind = values.get("kind") or (current or {}).get("kind") or Indicator.Kind.QUANTITATIVE
    values["kind"] = kind
    qualitative = kind == Indicator.Kind.QUALITATIVE
    defaults = {"measure": Indicator.Measure.RATING if qualitative else Indicator.Measure.NUMBER,
                "aggregation": Indicator.Aggregation.LATEST, "direction": Indicator.Direction.INCREASE,
                "frequency": Indicator.Frequency.ANNUAL}
    for key, default in defaults.items():
        if values.get(key) is not None:
            continue
        if current is None or (qualitative and current["kind"] != kind and key in ("measure", "aggregation")):
            values[key] = default
        elif key in values:
            values[key] = current[key]  # an empty cell keeps what is stored


class _People:
    """Users by username or e-mail (any case), read only when the file has a Responsible column."""

    def __init__(self, needed: bool):
        self.ids: dict[str, int] = {}
        self.names: dict[int, str] = {}
        if needed:
            for user in get_user_model().objects.values_list("id", "username", "email", named=True):
                self.ids[user.username.lower()] = user.id
                self.names[user.id] = user.username
                if user.email:
                    self.ids.setdefault(user.email.lower(), user.id)


def _check_row(plan: Plan, table: Table, row: int, cells: dict, *, results: dict, people: _People,
               stored_rows: dict, seen: dict) -> _Checked | None:
    bad = len(plan.problems)
    raw_code = cells.get("code")
    code = text(raw_code).upper()
    if not code:
        plan.problem(row, "code", raw_code, "Enter the indicator's code.")
    else:
        try:
            code_validator(code)
            if len(code) > 30:
                raise ValidationError("A code has at most 30 characters.")
        except ValidationError as exc:
            plan.problem(row, "code", raw_code, messages(exc))
    raw_result = cells.get("result_code")
    result_id = results.get(text(raw_result).upper())
    if result_id is None:
        plan.problem(row, "result_code", raw_result, "Enter the code of an existing result." if raw_result is None
                     else f"No result has the code {text(raw_result).upper()}.")
    name = text(cells.get("name"))
    if not name:
        plan.problem(row, "name", None, "Enter the indicator's name.")
    stored = stored_rows.get(code)
    current = {k: getattr(stored, k) for k in FIELDS} if stored else None
    values = {"result_id": result_id, "name": name}
    for key in ("definition", "unit", "data_source", "means_of_verification"):
        if table.has(key):
            values[key] = text(cells.get(key))
    for key, limit in _LIMITS.items():
        if len(values.get(key, "")) > limit:
            plan.problem(row, key, values[key], f"is longer than {limit} characters.")
    for key, parser in _PARSERS.items():
        raw = cells.get(key)
        if raw is None:
            if table.has(key) or current is None:
                values[key] = None  # filled in below
            continue
        try:
            values[key] = parser(raw)
        except ValidationError as exc:
            plan.problem(row, key, raw, f"{show(raw)} {messages(exc)}")
    if table.has("weight") or current is None:
        try:
            values["weight"] = _weight(cells.get("weight"))
        except ValidationError as exc:
            plan.problem(row, "weight", cells.get("weight"), messages(exc))
    if table.has("order") or current is None:
        raw = cells.get("order")
        try:
            values["order"] = 0 if raw is None else parse_int(raw)
        except ValidationError as exc:
            plan.problem(row, "order", raw, f"{show(raw)} {messages(exc)}")
    if table.has("responsible"):
        raw = cells.get("responsible")
        if raw is None:
            values["responsible_id"] = None
        elif text(raw).lower() in people.ids:
            values["responsible_id"] = people.ids[text(raw).lower()]
        else:
            plan.problem(row, "responsible", raw, f"No user has the username {text(raw)}.")
    if code and duplicate(plan, seen, code, row, "code", raw_code, f"indicator {code}") or len(plan.problems) > bad:
        return None
    _with_defaults(values, current)
    problems = indicator_rule_problems(Indicator(**{**(current or {}), **values, "code": code}))
    for key, problem_messages in problems.items():
        plan.problem(row, key if key in BY_KEY["indicators"] else "measure", cells.get(key),
                     f"{code}: {' '.join(problem_messages)}")
    return None if problems else _Checked(row, code, stored, current, values)


def plan_indicators(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    results = dict(Result.objects.values_list("code", "id"))
    result_codes = {v: k for k, v in results.items()}
    people = _People(table.has("responsible"))
    stored_rows = {r.code: r for r in Indicator.objects.values_list("code", "id", *FIELDS, named=True)}
    seen: dict = {}
    checked = []
    for line in table.rows:
        item = _check_row(plan, table, line.number, line.cells, results=results, people=people,
                          stored_rows=stored_rows, seen=seen)
        if item is not None:
            checked.append(item)

    # A file without a Measure column keeps the stored measure (values has no "measure" then).
    remeasured = [c.stored.id for c in checked if c.stored and (
        c.values["kind"] != c.current["kind"] or c.values.get("measure", c.current["measure"]) != c.current["measure"])]
    with_figures = indicators_with_figures(remeasured)
    creates, updates = [], {}
    show_as = {"result_id": result_codes.get, "responsible_id": lambda v: people.names.get(v, v)}
    describe = plan.describer(headers=_HEADERS, show=show_as)
    for item in checked:
        row, code, current, values = item.row, item.code, item.current, item.values
        if item.stored is None:
            plan.new(row, code, values, describe)
            creates.append(item)
            continue
        diff = [k for k in values if current[k] != values[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", code))
            continue
        key = locked_field(set(diff), has_figures=item.stored.id in with_figures)
        if key:
            plan.problem(row, key, table.cell(row, key), locked_field_message(code, current["measure"]))
            continue
        changes = [Change(table.header(_HEADERS.get(k, k)), shown_value(show_as.get(k, _same)(current[k])),
                          shown_value(show_as.get(k, _same)(values[k]))) for k in diff]
        plan.rows.append(RowChange(row, "changed", code, changes))
        updates[item.stored.id] = {k: values[k] for k in diff}

    def write():
        now = timezone.now()
        objs = [Indicator(code=item.code, **{k: v for k, v in item.values.items() if v is not None})
                for item in creates]
        if objs:
            bulk_create_with_history(objs, Indicator, batch_size=bulk.BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = list((Indicator.objects.select_for_update() if lock else Indicator.objects)
                           .filter(pk__in=list(updates)))
            fields = set()
            for indicator in changed:
                for k, v in updates[indicator.pk].items():
                    setattr(indicator, k, v)
                    fields.add(k.replace("_id", ""))
                indicator.version += 1
            bulk_update_with_history(changed, Indicator, sorted(fields | {"version"}), batch_size=bulk.BATCH_SIZE,
                                     default_user=by, default_change_reason=reason, default_date=now)
            # A blank (planned) baseline carries the indicator's measure: keep it in step.
            for indicator in changed:
                if "measure" in updates[indicator.pk]:
                    Baseline.objects.filter(indicator=indicator, value=None, text="").update(measure=indicator.measure)
    return write


def _same(value):
    return value
