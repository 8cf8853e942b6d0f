"""Planning a baselines file, as services.baseline_record: a rated indicator's baseline is words,
another's a number; a collected or validated baseline has its figure and a period or an as-of
date, inside the indicator's framework. One baseline per indicator.
"""
from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import validation
from indicators.models import Baseline
from indicators.periods import fiscal_year_of

from .. import bulk
from ..cells import looks_numeric, messages, parse_baseline_status, parse_date, show, text
from ..reading import Table
from ..report import RowChange
from .common import (
    IndicatorFacts,
    Lookups,
    PeriodChecker,
    Plan,
    duplicate,
    figure_problems,
    indicator_of,
    period_key,
    period_of,
)

FIELDS = ("value", "text", "period", "as_of", "source", "status", "due_date")
_STORED = ("id", "indicator_id", "value", "text", "period_id", "as_of", "source", "status", "due_date")


# ---- the rules this importer checks (to be answered by indicators.rules) ---------------------

def as_of_problem(as_of, facts: IndicatorFacts) -> str:
    """Period rule: a baseline's as-of date falls in a fiscal year of the indicator's framework."""
    fy = fiscal_year_of(as_of)
    if not facts.first <= fy <= facts.last:
        return f"{as_of:%d %b %Y} falls in FY{fy}, outside {facts.framework} (FY{facts.first} to FY{facts.last})."
    return ""


def default_status(stored_status: str | None, *, has_figure: bool) -> str:
    """Status rule: no status given keeps a collected/validated one; else collected if there is a
    figure, planned if not."""
    if stored_status not in (None, Baseline.Status.PLANNED):
        return stored_status
    return Baseline.Status.COLLECTED if has_figure else Baseline.Status.PLANNED


def collected_problem(status: str, merged: dict, *, has_figure: bool, facts: IndicatorFacts) -> tuple[str, str]:
    """Rule: a collected or validated baseline has its figure and a period or an as-of date.
    -> (column key, message), or ("", "")."""
    if status == Baseline.Status.PLANNED:
        return "", ""
    if not has_figure:
        key = "text" if facts.measure == validation.RATING else "value"
        return key, (f"A {status} baseline of {facts.code} needs its "
                     f"{'description' if key == 'text' else 'value'} (or set the status to planned).")
    if merged["period"] is None and merged["as_of"] is None:
        return "period", (f"Say when the baseline of {facts.code} was measured: a period or an as-of date "
                          f"(status {status}).")
    return "", ""


def baseline_figure(plan: Plan, table: Table, row: int, cells: dict, facts: IndicatorFacts):
    """Measure rule, as baseline_record: a rated indicator's baseline is words, another's a number.
    -> (figure, words) of the row; what breaks the rule goes on the plan as a problem."""
    rated = facts.measure == validation.RATING
    value, words = cells.get("value"), text(cells.get("text"))
    if rated and value is not None and not words and not looks_numeric(value):
        value, words = None, text(value)  # words typed in the Value column of a qualitative indicator
    figure = validation.Figure()
    if rated:
        if value is not None:
            plan.problem(row, "value", value, f"{facts.code} is qualitative: describe the baseline in "
                         f"“{table.header('text')}”, not as a number.")
    else:
        if words:
            plan.problem(row, "text", words, f"{facts.code} is quantitative: give the baseline as a number "
                         f"in “{table.header('value')}”.")
        figure = figure_problems(plan, row, cells, facts, required=False) or figure
    return figure, words if rated else ""


# ---- planning -------------------------------------------------------------------------------

class _Checked(NamedTuple):
    row: int
    facts: IndicatorFacts
    values: dict
    status: str | None  # None: the file gives none


def _check_rows(table: Table, plan: Plan, lookups: Lookups) -> list[_Checked]:
    checker = PeriodChecker()
    seen: dict = {}
    checked = []
    for line in table.rows:
        row, cells = line.number, line.cells
        facts = indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        bad = len(plan.problems)
        repeated = duplicate(plan, seen, facts.id, row, "indicator_code", cells.get("indicator_code"),
                             f"the baseline of {facts.code}")
        figure, words = baseline_figure(plan, table, row, cells, facts)
        spec = period_of(plan, checker, row, cells, facts, required=False)
        dates = {}
        for key in ("as_of", "due_date"):
            raw = cells.get(key)
            if raw is None:
                dates[key] = None
                continue
            try:
                dates[key] = parse_date(raw)
            except ValidationError as exc:
                plan.problem(row, key, raw, f"{show(raw)} {messages(exc)}")
                continue
            problem = as_of_problem(dates[key], facts) if key == "as_of" else ""
            if problem:
                plan.problem(row, key, raw, problem)
        status = None
        if cells.get("status") is not None:
            try:
                status = parse_baseline_status(cells["status"])
            except ValidationError as exc:
                plan.problem(row, "status", cells["status"], f"{show(cells['status'])} {messages(exc)}")
        if repeated or len(plan.problems) > bad:
            continue
        values = {"value": figure.value, "text": words}
        for key, v in (("period", spec), ("as_of", dates["as_of"]), ("due_date", dates["due_date"]),
                       ("source", text(cells.get("source")))):
            if table.has(key):
                values[key] = v
        checked.append(_Checked(row, facts, values, status))
    return checked


def plan_baselines(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    lookups = Lookups()
    checked = _check_rows(table, plan, lookups)
    periods = lookups.periods
    labels = lookups.period_labels()
    stored = {r.indicator_id: r for r in bulk.existing(
        Baseline, list({c.facts.id for c in checked}), _STORED, lock=lock)}
    creates, updates, new_specs = [], {}, []
    describe = plan.describer()
    for item in checked:
        row, facts, values = item.row, item.facts, item.values
        label = f"{facts.code} baseline"
        rec = stored.get(facts.id)
        before = dict.fromkeys(FIELDS)
        if rec:
            before = {k: getattr(rec, k) for k in FIELDS if k != "period"}
            before["period"] = labels.get(rec.period_id) if rec.period_id else None
        has_figure = values["value"] is not None or bool(values["text"])
        status = item.status or default_status(before["status"], has_figure=has_figure)
        values["status"] = status
        after = {k: (v.label if k == "period" and v is not None else v) for k, v in values.items()}
        key, problem = collected_problem(status, {**before, **after}, has_figure=has_figure, facts=facts)
        if problem:
            plan.problem(row, key, None, problem)
            continue
        if values.get("period") is not None and periods.get(period_key(values["period"])) is None:
            new_specs.append(values["period"])
        if rec is None:
            plan.new(row, label, after, describe)
            creates.append(item)
            continue
        diff = [k for k in after if before[k] != after[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        plan.rows.append(RowChange(row, "changed", label, plan.changes(before, {k: after[k] for k in diff})))
        updates[rec.id] = values

    def write():
        now = timezone.now()
        pids = lookups.ensure_periods(new_specs)

        def apply(baseline, values):
            for k, v in values.items():
                if k == "period":
                    baseline.period_id = pids[period_key(v)] if v is not None else None
                else:
                    setattr(baseline, k, v)
            if baseline.status != Baseline.Status.PLANNED:
                baseline.collected_by = by

        objs = []
        for item in creates:
            baseline = Baseline(indicator_id=item.facts.id, measure=item.facts.measure)
            apply(baseline, item.values)
            objs.append(baseline)
        if objs:
            bulk_create_with_history(objs, Baseline, batch_size=bulk.BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = bulk.rows_to_update(Baseline, updates, lock=lock)
            for baseline in changed:
                apply(baseline, updates[baseline.pk])
                baseline.version += 1
            bulk_update_with_history(changed, Baseline, ["value", "text", "period", "as_of", "source", "status",
                                                         "due_date", "collected_by", "version"],
                                     batch_size=bulk.BATCH_SIZE, default_user=by, default_change_reason=reason,
                                     default_date=now)
    return write
