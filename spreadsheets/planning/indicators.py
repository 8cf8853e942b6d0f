"""Planning an indicators file: codes, names, results and choices checked per row with the rules
indicator_create / indicator_update apply; on an existing indicator an absent column or an empty
cell keeps what is stored. Written with django-simple-history's bulk utilities.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import rules, services, validation
from indicators.dimensions import Dimension
from indicators.models import Baseline, Indicator, Measurement, Proposal, Target
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
from .indicator_dimensions import DimensionChoices, dimension_problem, dimensions_with_parts

FIELDS = ("result_id", "name", "definition", "kind", "measure", "unit", "direction", "aggregation",
          "frequency", "weight", "order", "data_source", "means_of_verification", "responsible_id")
_PARSERS = {"kind": parse_kind, "measure": parse_measure, "direction": parse_direction,
            "aggregation": parse_aggregation, "frequency": parse_frequency}
_LIMITS = {"name": 300, "unit": 60}
_HEADERS = {"result_id": "result_code", "responsible_id": "responsible"}  # field -> column key
# The sheet's Name and Definition are the English texts (issue 19): the stored columns they write.
_STORED = {"name": "name_en", "definition": "definition_en"}


# ---- the rules this importer asks (indicators.rules: the same as every other write path) -------

# The importer's field names -> the rulebook's.
_RULE_NAMES = {"result_id": "result", "responsible_id": "responsible"}
_RULE_NAMES_BACK = {v: k for k, v in _RULE_NAMES.items()}


def indicator_rule_problems(candidate: Indicator) -> dict[str, list[str]]:
    """The indicator's own definition rules (qualitative means rated and latest; percentages are not
    summed); no query. {} when they hold."""
    try:
        rules.check_indicator_definition(kind=candidate.kind, measure=candidate.measure,
                                         aggregation=candidate.aggregation)
    except ValidationError as exc:
        return exc.message_dict
    return {}


class FigureFacts(NamedTuple):
    """Which indicators have figures, measurements, approved measurements, an open proposal."""
    with_figures: set
    measured: set
    approved: set
    proposed_by: dict  # indicator id -> who proposed the change awaiting review


def figure_facts(indicator_ids: list[int]) -> FigureFacts:
    """The facts the rulebook's locks depend on, for many indicators: five queries, whatever the count."""
    if not indicator_ids:
        return FigureFacts(set(), set(), set(), {})
    measured = set(Measurement.objects.filter(indicator_id__in=indicator_ids).values_list("indicator_id", flat=True))
    approved = set(Measurement.objects.filter(indicator_id__in=indicator_ids, approved_at__isnull=False)
                   .values_list("indicator_id", flat=True))
    with_figures = measured | set(
        Baseline.objects.filter(indicator_id__in=indicator_ids).exclude(value=None, text="")
        .values_list("indicator_id", flat=True))
    with_figures |= set(Target.objects.filter(indicator_id__in=indicator_ids).values_list("indicator_id", flat=True))
    proposed_by = {p.indicator_id: p.proposed_by.get_full_name() or p.proposed_by.username if p.proposed_by else "someone"
                   for p in Proposal.objects.filter(indicator_id__in=indicator_ids, subject=Proposal.Subject.INDICATOR,
                                                    status=Proposal.Status.PROPOSED).select_related("proposed_by")}
    return FigureFacts(with_figures, measured, approved, proposed_by)


def change_decision(code: str, current: dict, changed: dict, facts: FigureFacts, indicator_id: int):
    """The rulebook's decision on an imported change of a stored indicator: (ChangeDecision in the
    importer's field names, {column key: messages} refused)."""
    shown = {"kind": Indicator.Kind(current["kind"]).label.lower(),
             "measure": Indicator.Measure(current["measure"]).label.lower(),
             "direction": Indicator.Direction(current["direction"]).label.lower(),
             "aggregation": Indicator.Aggregation(current["aggregation"]).label.lower(),
             "frequency": Indicator.Frequency(current["frequency"]).label.lower()}
    named = {_RULE_NAMES.get(k, k): v for k, v in changed.items()}
    try:
        decision = rules.indicator_change(rules.IndicatorFacts(
            code=code, frequency=current["frequency"], has_figures=indicator_id in facts.with_figures,
            has_measurements=indicator_id in facts.measured,
            has_approved_measurements=indicator_id in facts.approved, shown=shown), named)
    except ValidationError as exc:
        return None, {_HEADERS.get(field, field): errors for field, errors in exc.message_dict.items()}
    if decision.needs_review:
        try:
            rules.check_no_open_proposal(open_by=facts.proposed_by.get(indicator_id), code=code, subject="indicator")
        except ValidationError as exc:
            first = next(iter(decision.for_review))
            return None, {_HEADERS.get(_RULE_NAMES_BACK.get(first, first), first): exc.messages}
    return rules.ChangeDecision(direct={_RULE_NAMES_BACK.get(k, k): v for k, v in decision.direct.items()},
                                for_review={_RULE_NAMES_BACK.get(k, k): v for k, v in decision.for_review.items()}), {}


# ---- planning -------------------------------------------------------------------------------

class _Checked(NamedTuple):
    row: int
    code: str
    stored: NamedTuple | None  # the stored indicator's fields, None for a new one
    current: dict | None  # the same as a dictionary of FIELDS
    values: dict
    dimensions: frozenset | None = None  # the "Disaggregated by" column's (None: no such column)


def _weight(raw) -> Decimal:
    weight = Decimal(1) if raw is None else validation.parse_decimal(raw, what="weight")
    if weight <= 0 or weight >= 10000 or weight != weight.quantize(Decimal("0.01")):
        raise ValidationError(_("A weight is a positive number below 10,000 with at most 2 decimals."))
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
                raise ValidationError(_("A code has at most 30 characters."))
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
    if code and duplicate(plan, seen, code, row, "code", raw_code, _("indicator %(code)s") % {"code": code}) or len(plan.problems) > bad:
        return None
    _with_defaults(values, current)
    # A stored indicator's locks are asked first, as indicator_update does (see plan_indicators).
    if stored is None and definition_problems(plan, row, cells.get, code, current, values):
        return None
    return _Checked(row, code, stored, current, values)


def definition_problems(plan: Plan, row: int, cell, code: str, current: dict | None, values: dict) -> bool:
    """The rulebook's definition rules on the indicator as the row would leave it, in the form's
    words; True when the row breaks one."""
    problems = indicator_rule_problems(Indicator(**{**(current or {}), **values, "code": code}))
    for key, problem_messages in problems.items():
        plan.problem(row, key if key in BY_KEY["indicators"] else "measure", cell(key), " ".join(problem_messages))
    return bool(problems)


def plan_indicators(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    results = dict(Result.objects.values_list("code", "id"))
    result_codes = {v: k for k, v in results.items()}
    people = _People(table.has("responsible"))
    with translation.override("en"):  # the English name and definition, whoever imports
        stored_rows = {r.code: r for r in Indicator.objects.values_list("code", "id", *FIELDS, named=True)}
    seen: dict = {}
    checked = []
    has_dimensions = table.has("dimensions")
    choices = DimensionChoices(has_dimensions)
    for line in table.rows:
        dimensions = choices.parse(plan, line.number, line.cells.get("dimensions")) if has_dimensions else None
        item = _check_row(plan, table, line.number, line.cells, results=results, people=people,
                          stored_rows=stored_rows, seen=seen)
        if item is not None and (dimensions is not None or not has_dimensions):
            checked.append(item._replace(dimensions=dimensions))
    with_parts = dimensions_with_parts({(c.stored.id, pk) for c in checked if c.stored and c.dimensions is not None
                                        for pk in choices.current.get(c.stored.id, frozenset()) - c.dimensions})
    dimension_sets: list[tuple[str, frozenset]] = []  # (indicator code, its dimensions) to write

    changed_ids = [c.stored.id for c in checked if c.stored and any(c.current[k] != v for k, v in c.values.items())]
    facts = figure_facts(changed_ids)
    creates, updates, proposals = [], {}, []
    show_as = {"result_id": result_codes.get, "responsible_id": lambda v: people.names.get(v, v)}
    describe = plan.describer(headers=_HEADERS, show=show_as)
    for item in checked:
        row, code, current, values = item.row, item.code, item.current, item.values
        stored_dimensions = choices.current.get(item.stored.id, frozenset()) if item.stored else frozenset()
        dimensions_change = item.dimensions is not None and item.dimensions != stored_dimensions
        if dimensions_change:
            problem = dimension_problem(choices, code=code, measure=values.get("measure") or current["measure"],
                                        added=item.dimensions - stored_dimensions,
                                        dropped_with_parts={pk for pk in stored_dimensions - item.dimensions
                                                            if (item.stored.id, pk) in with_parts})
            if problem:
                plan.problem(row, "dimensions", table.cell(row, "dimensions"), problem)
                continue
        if item.stored is None:
            plan.new(row, code, values, describe,
                     note=f"Disaggregated by {choices.shown(item.dimensions)}." if dimensions_change else "")
            creates.append(item)
            if dimensions_change:
                dimension_sets.append((code, item.dimensions))
            continue
        diff = [k for k in values if current[k] != values[k]]
        if not diff and not dimensions_change:
            plan.rows.append(RowChange(row, "unchanged", code))
            continue
        decision, refused = change_decision(code, current, {k: values[k] for k in diff}, facts, item.stored.id)
        if refused:
            for key, errors in refused.items():
                plan.problem(row, key, table.cell(row, key) if table.has(key) else None, " ".join(errors))
            continue
        if definition_problems(plan, row, lambda key, at=row: table.cell(at, key), code, current, values):
            continue
        changes = [Change(table.header(_HEADERS.get(k, k)), shown_value(show_as.get(k, _same)(current[k])),
                          shown_value(show_as.get(k, _same)(values[k]))) for k in diff]
        if dimensions_change:
            changes.append(Change(table.header("dimensions"), choices.shown(stored_dimensions),
                                  choices.shown(item.dimensions)))
            dimension_sets.append((code, item.dimensions))
        note = ""
        if decision.needs_review:
            note = (f"{code} has approved measurements: the change to its "
                    f"{' and '.join(table.header(_HEADERS.get(k, k)) for k in decision.for_review)} is proposed for "
                    "review; the scorecard keeps the approved figures until a manager approves it.")
            proposals.append((item.stored.id, decision.for_review, {k: current[k] for k in decision.for_review}))
        plan.rows.append(RowChange(row, "changed", code, changes, note))
        if decision.direct:
            updates[item.stored.id] = decision.direct

    def write():
        now = timezone.now()
        objs = [Indicator(code=item.code, **{_STORED.get(k, k): v for k, v in item.values.items() if v is not None})
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
                    k = _STORED.get(k, k)
                    setattr(indicator, k, v)
                    fields.add(k.replace("_id", ""))
                indicator.version += 1
            bulk_update_with_history(changed, Indicator, sorted(fields | {"version"}), batch_size=bulk.BATCH_SIZE,
                                     default_user=by, default_change_reason=reason, default_date=now)
            # A blank (planned) baseline carries the indicator's measure: keep it in step.
            for indicator in changed:
                if "measure" in updates[indicator.pk]:
                    Baseline.objects.filter(indicator=indicator, value=None, text="").update(measure=indicator.measure)
        if dimension_sets:
            # As the indicator's dimensions form: the service writes them, with the dimensions' history.
            indicators = Indicator.objects.in_bulk([c for c, _ in dimension_sets], field_name="code")
            dimensions = Dimension.objects.in_bulk()
            for code, wanted in dimension_sets:
                services.indicator_dimensions_set(indicator=indicators[code], by=by,
                                                  dimensions=[dimensions[pk] for pk in wanted])
        if proposals:
            # What re-scores approved figures goes to a manager, as from the indicator form.
            indicators = Indicator.objects.in_bulk([pk for pk, _, _ in proposals])
            results = Result.objects.in_bulk([v for _, c, b in proposals for v in (c.get("result_id"),
                                                                                   b.get("result_id")) if v])
            for pk, changes, before in proposals:
                as_models = {_RULE_NAMES.get(k, k): results[v] if k == "result_id" else v for k, v in changes.items()}
                was = {_RULE_NAMES.get(k, k): results[v] if k == "result_id" else v for k, v in before.items()}
                services.proposal_open(indicator=indicators[pk], subject="indicator", changes=as_models,
                                       before=was, reason=reason, by=by)
    return write


def _same(value):
    return value
