"""Planning a targets file: imported targets arrive preliminary (a manager approves them), and a
changed approved target is a revision that needs a new value and the reason for it, as
target_set / target_revise do. The last approved target keeps counting until the revision is
approved (its approved_* figures are not written here).
"""
from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import rules
from indicators.dimensions import TargetPart
from indicators.models import Rating, Target
from indicators.periods import PeriodSpec
from results import programmes
from results.programme_rules import ENTER

from .. import bulk
from ..cells import messages, parse_target_status, text
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
from .part_rows import PartPlan, PartRows, is_part_row, shown_new_parts, stored_parts, write_parts
from .parts import parts_problem, stored_part_figures

FIELDS = ("value", "rating", "rationale")
_STORED = ("id", "indicator_id", "period_id", *FIELDS, "status")


# ---- the rules this importer checks (to be answered by indicators.rules) ---------------------

def approved_revision_problem(stored, values: dict, spec: PeriodSpec, facts: IndicatorFacts, *,
                              parts_changed: bool = False) -> tuple[str, str]:
    """Revision rule (rules.check_target_revision, as target_revise asks it): changing an approved
    target changes its figure, with a new rationale. -> (column key, message), or ("", "")."""
    if stored.status != Target.Status.APPROVED:
        return "", ""
    try:
        rules.check_target_revision(
            rationale=values.get("rationale", stored.rationale).strip(), previous_rationale=stored.rationale,
            same_figure=values["value"] == stored.value and values["rating"] == stored.rating and not parts_changed)
    except ValidationError as exc:
        key, words = next(iter(exc.message_dict.items()))
        return key, f"{facts.code} {spec.label}: {' '.join(words)}"
    return "", ""


def proposed(target: Target, *, by) -> None:
    """Transition rule, as target_set / target_revise: a new or changed target is preliminary,
    proposed by the importer, awaiting a manager's approval."""
    target.status = Target.Status.PRELIMINARY
    target.proposed_by = by
    target.approved_by = None
    target.review_note = ""


# ---- planning -------------------------------------------------------------------------------

class _Checked(NamedTuple):
    row: int
    facts: IndicatorFacts
    spec: PeriodSpec
    values: dict


def _check_rows(table: Table, plan: Plan, lookups: Lookups) -> tuple[list[_Checked], PartRows]:
    """As the measurements' _check_rows: the totals, and the part rows by total."""
    checker = PeriodChecker()
    named = {text(line.cells.get("indicator_code")).upper() for line in table.rows}
    parts = PartRows(table, [lookups.indicators[c].id for c in named if c in lookups.indicators])
    seen: dict = {}
    checked = []
    for line in table.rows:
        row, cells = line.number, line.cells
        facts = indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        spec = period_of(plan, checker, row, cells, facts)
        key = (facts.id, period_key(spec)) if spec is not None else None
        if is_part_row(cells):
            parts.add(plan, row, cells, facts, key, _("the %(period)s target of %(code)s,") % {
                "period": spec.label, "code": facts.code} if spec else "")
            continue
        total_ok = parts.total(plan, row, cells, facts, key)
        # A percentage's total may be left empty, to be taken from its parts (checked in plan_targets).
        figure = figure_problems(plan, row, cells, facts, required=facts.measure != rules.PERCENTAGE)
        if table.has("status") and cells.get("status") is not None:
            try:
                parse_target_status(cells["status"])
            except ValidationError as exc:
                plan.problem(row, "status", cells["status"], messages(exc))
        if spec is None or duplicate(plan, seen, (facts.id, spec), row, "period", cells.get("period"),
                                     _("the %(period)s target of %(code)s") % {
                                         "period": spec.label, "code": facts.code}) or figure is None or not total_ok:
            continue
        values = {"value": figure.value, "rating": figure.rating}
        if table.has("rationale"):
            values["rationale"] = text(cells.get("rationale"))
        checked.append(_Checked(row, facts, spec, values))
    return checked, parts


def plan_targets(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    lookups = Lookups(enter_in=programmes.framework_ids(by, ENTER) if by is not None else None)
    checked, given_parts = _check_rows(table, plan, lookups)
    if table.has("status"):
        plan.notes.append("The Status column is for information: new and changed targets arrive preliminary; "
                          "a manager approves them.")
    periods = lookups.periods
    stored = {(r.indicator_id, r.period_id): r for r in bulk.existing(
        Target, list({c.facts.id for c in checked}), _STORED, lock=lock)}
    parts = stored_part_figures(TargetPart, [r.id for r in stored.values()])
    stored_rows = stored_parts([r.id for r in stored.values()], TargetPart) if given_parts.groups else {}
    part_writes: list[tuple[int, PartPlan]] = []  # (target id, its parts)
    new_part_writes: list[tuple[int, PartPlan]] = []  # (index in creates, its parts)
    creates, updates, new_specs = [], {}, []
    describe = plan.describer(show={"rating": lambda code: Rating(code).label})
    for item in checked:
        row, facts, spec, values = item.row, item.facts, item.spec, item.values
        label = f"{facts.code} {spec.label}"
        period_id = periods.get(period_key(spec))
        rec = stored.get((facts.id, period_id)) if period_id else None
        key = (facts.id, period_key(spec))
        if facts.measure == rules.PERCENTAGE and values["value"] is None and not given_parts.has_parts(key):
            plan.problem(row, "value", None, f"{facts.code}: Enter a value (or, for a percentage, its parts' "
                         "rows: its total is then taken from them).")
            continue
        taken = given_parts.take(plan, key, facts=facts, label=label, total_row=row, total=values["value"],
                                 stored=stored_rows.get(rec.id, {}) if rec else {})
        if taken is None:
            continue
        given, part_plan, part_changes = taken.plan is not None, taken.plan, taken.changes
        values["value"] = taken.total  # a percentage's: recomputed from its parts
        if rec is None:
            plan.new(row, label, values, describe,
                     note=" ".join(filter(None, ["Arrives preliminary.", shown_new_parts(part_changes)])))
            creates.append(item)
            if part_plan is not None:
                new_part_writes.append((len(creates) - 1, part_plan))
            if period_id is None:
                new_specs.append(spec)
            continue
        before = {k: getattr(rec, k) for k in FIELDS}
        diff = [k for k in values if before[k] != values[k]]
        if not diff and not part_changes:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        key, problem = approved_revision_problem(rec, values, spec, facts, parts_changed=bool(part_changes))
        if not problem and "value" in diff and not given:
            key, problem = "value", parts_problem(measure=facts.measure, total=values["value"],
                                                  figures=parts.get(rec.id), label=label)
        if problem:
            plan.problem(row, key, table.cell(row, key) if table.has(key) else None, problem)
            continue
        note = ""
        if rec.status == Target.Status.APPROVED:
            note = ("Approved: the revision goes back to preliminary; the approved target counts until a "
                    "manager approves the revision.")
        plan.rows.append(RowChange(row, "changed", label, plan.changes(before, {k: values[k] for k in diff})
                                   + part_changes, note))
        updates[rec.id] = values
        if part_changes:
            part_writes.append((rec.id, part_plan))
    codes = {f.id: f.code for f in lookups.indicators.values()} if given_parts.groups else {}
    given_parts.orphans(plan, lambda key: f"{codes[key[0]]} {PeriodSpec(*key[1]).label}")

    def write():
        now = timezone.now()
        pids = lookups.ensure_periods(new_specs)
        objs = []
        for item in creates:
            target = Target(indicator_id=item.facts.id, period_id=pids[period_key(item.spec)],
                            measure=item.facts.measure, value=item.values["value"], rating=item.values["rating"],
                            rationale=item.values.get("rationale", ""))
            proposed(target, by=by)
            objs.append(target)
        if objs:
            bulk_create_with_history(objs, Target, batch_size=bulk.BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = bulk.rows_to_update(Target, updates, lock=lock)
            for target in changed:
                for k, v in updates[target.pk].items():
                    setattr(target, k, v)
                proposed(target, by=by)
                target.version += 1
            bulk_update_with_history(changed, Target, [*FIELDS, "status", "proposed_by", "approved_by",
                                                       "review_note", "version"],
                                     batch_size=bulk.BATCH_SIZE, default_user=by, default_change_reason=reason,
                                     default_date=now)
        if new_part_writes or part_writes:
            write_parts(TargetPart, [(objs[i].pk, p) for i, p in new_part_writes] + part_writes, by=by, when=now,
                        reason=reason)
    return write
