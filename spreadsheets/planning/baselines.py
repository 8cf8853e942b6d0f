"""Planning a baselines file, as services.baseline_record: a rated indicator's baseline is words,
another's a number; a collected or validated baseline has its figure and a period or an as-of
date, inside the indicator's framework. One baseline per indicator, its parts' rows after it
(planning.part_rows), set as baseline_parts_set sets them: with a collected value, while no
measurement of the indicator is approved (rules.check_baseline_parts_open).
"""
from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import rules, series, services, validation
from indicators.dimensions import BaselinePart
from indicators.models import Baseline, Indicator, Measurement, Proposal, ReportingPeriod
from indicators.periods import fiscal_year_of, parse_period_label
from results import programmes
from results.programme_rules import ENTER

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
from .part_rows import PartPlan, PartRows, is_part_row, shown_new_parts, stored_parts, write_parts
from .parts import parts_problem, stored_part_figures

FIELDS = ("value", "text", "period", "as_of", "source", "status", "due_date")
_STORED = ("id", "indicator_id", "value", "text", "period_id", "as_of", "source", "status", "due_date")


# ---- the rules this importer asks (indicators.rules: the same as every other write path) -------

def as_of_problem(as_of, facts: IndicatorFacts) -> str:
    """Period rule: a baseline's as-of date falls in a fiscal year of the indicator's framework."""
    try:
        rules.check_date_in_framework(as_of, fiscal_year=fiscal_year_of(as_of), first_fiscal_year=facts.first,
                                      last_fiscal_year=facts.last, framework=facts.framework)
    except ValidationError as exc:
        return messages(exc)
    return ""


class Scoring(NamedTuple):
    """What the rulebook needs to know of the file's indicators, read in three queries."""
    approved: set  # indicators with an approved measurement
    measured: dict  # indicator id -> [(period ordinal, label)] of its measurements
    proposed_by: dict  # indicator id -> who proposed the baseline change awaiting review


def scoring(indicator_ids: list[int]) -> Scoring:
    rows = (Measurement.objects.filter(indicator_id__in=indicator_ids)
            .values_list("indicator_id", "period__end", "period__kind", "period__label", "approved_at", named=True))
    approved, measured = set(), {}
    for r in rows:
        measured.setdefault(r.indicator_id, []).append((series.period_ordinal(r.period__end, r.period__kind),
                                                        r.period__label))
        if r.approved_at is not None:
            approved.add(r.indicator_id)
    proposed_by = {p.indicator_id: (p.proposed_by.get_full_name() or p.proposed_by.username) if p.proposed_by
                   else "someone" for p in Proposal.objects.filter(
                       indicator_id__in=indicator_ids, subject=Proposal.Subject.BASELINE,
                       status=Proposal.Status.PROPOSED).select_related("proposed_by")}
    return Scoring(approved, measured, proposed_by)


def baseline_decision(facts: IndicatorFacts, changed: dict, merged: dict, known: Scoring):
    """The rulebook's decision on a baseline row: (ChangeDecision, (column key, message) refused).
    `merged` holds the baseline as it would stand (period as a PeriodSpec)."""
    if {"period", "as_of"} & set(changed):
        spec = merged.get("period")
        ordinal = series.baseline_ordinal(period_end=spec.end if spec else None, period_kind=spec.kind if spec else None,
                                          as_of=merged.get("as_of"))
        try:
            rules.check_baseline_before_measurements(
                baseline_ordinal=ordinal, code=facts.code, measured=known.measured.get(facts.id, ()),
                baseline_label=spec.label if spec else f"{merged['as_of']:%d %b %Y}" if merged.get("as_of") else "")
        except ValidationError as exc:
            return None, ("period" if spec else "as_of", " ".join(exc.message_dict["period"]))
    decision = rules.baseline_change(has_approved_measurements=facts.id in known.approved, changed=changed)
    if decision.needs_review:
        try:
            rules.check_no_open_proposal(open_by=known.proposed_by.get(facts.id), code=facts.code, subject="baseline")
        except ValidationError as exc:
            return None, (next(iter(decision.for_review)), messages(exc))
    return decision, None


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


def parts_open_problem(facts: IndicatorFacts, known: Scoring, *, value, status: str) -> str:
    """Parts rule, as baseline_parts_set: a baseline's parts are set with its collected value. Once a
    measurement of the indicator is approved, a change of them is a proposal (rules.baseline_change),
    which a file does not carry: the baseline's page does."""
    try:
        rules.check_baseline_parts_open(code=facts.code, counted=value is not None and status != Baseline.Status.PLANNED)
    except ValidationError as exc:
        return messages(exc)
    if facts.id in known.approved:
        return _("A measurement of %(code)s is approved: a change of its baseline's parts re-scores approved "
                 "figures and is proposed on the baseline's page, where a manager reviews it (a file does not "
                 "carry proposals of parts).") % {"code": facts.code}
    return ""


def _check_rows(table: Table, plan: Plan, lookups: Lookups) -> tuple[list[_Checked], PartRows]:
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
        if is_part_row(cells):
            parts.add(plan, row, cells, facts, (facts.id,), f"the baseline of {facts.code},")
            continue
        bad = len(plan.problems)
        parts.total(plan, row, cells, facts, (facts.id,))
        repeated = duplicate(plan, seen, facts.id, row, "indicator_code", cells.get("indicator_code"),
                             _("the baseline of %(code)s") % {"code": facts.code})
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
    return checked, parts


def plan_baselines(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    lookups = Lookups(enter_in=programmes.framework_ids(by, ENTER) if by is not None else None)
    checked, given_parts = _check_rows(table, plan, lookups)
    periods = lookups.periods
    labels = lookups.period_labels()
    stored = {r.indicator_id: r for r in bulk.existing(
        Baseline, list({c.facts.id for c in checked}), _STORED, lock=lock)}
    creates, updates, new_specs, proposals = [], {}, [], []
    parts = stored_part_figures(BaselinePart, [r.id for r in stored.values()])
    stored_rows = stored_parts([r.id for r in stored.values()], BaselinePart) if given_parts.groups else {}
    part_writes: list[tuple[int, PartPlan]] = []  # (baseline id, its parts)
    new_part_writes: list[tuple[int, PartPlan]] = []  # (index in creates, its parts)
    known = scoring(list({c.facts.id for c in checked}))
    codes = {f.id: f.code for f in lookups.indicators.values()} if given_parts.groups else {}
    describe = plan.describer()
    for item in checked:
        row, facts, values = item.row, item.facts, item.values
        label = f"{facts.code} baseline"
        rec = stored.get(facts.id)
        before = dict.fromkeys(FIELDS)
        if rec:
            before = {k: getattr(rec, k) for k in FIELDS if k != "period"}
            before["period"] = labels.get(rec.period_id) if rec.period_id else None
        taken = given_parts.take(plan, (facts.id,), facts=facts, label=label, total_row=row,
                                 total=values["value"], stored=stored_rows.get(rec.id, {}) if rec else {})
        if taken is None:
            continue
        given, part_changes = taken.plan is not None, taken.changes
        values["value"] = taken.total  # a percentage's: recomputed from its parts
        has_figure = values["value"] is not None or bool(values["text"])
        status = item.status or default_status(before["status"], has_figure=has_figure)
        values["status"] = status
        problem = parts_open_problem(facts, known, value=values["value"], status=status) if part_changes else ""
        if problem:
            plan.problem(taken.first_row, "dimension_value", None, problem)
            continue
        after = {k: (v.label if k == "period" and v is not None else v) for k, v in values.items()}
        key, problem = collected_problem(status, {**before, **after}, has_figure=has_figure, facts=facts)
        if problem:
            plan.problem(row, key, None, problem)
            continue
        # A new baseline is compared with the blank planned one the form would start from.
        start = before if rec else {**before, "text": "", "source": "", "status": Baseline.Status.PLANNED}
        diff = [k for k in after if start[k] != after[k]]
        if rec is not None and not diff and not part_changes:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        stored_spec = parse_period_label(before["period"]) if before["period"] else None
        merged = {**before, "period": stored_spec, **values}
        decision, refused = baseline_decision(facts, {k: values[k] for k in diff}, merged, known)
        if not refused and rec is not None and "value" in diff and not given:
            problem = parts_problem(measure=facts.measure, total=values["value"], figures=parts.get(rec.id),
                                    label=label)
            refused = ("value", problem) if problem else None
        if refused:
            key, problem = refused
            plan.problem(row, key, table.cell(row, key) if table.has(key) else None, problem)
            continue
        note = ""
        if decision.needs_review:
            note = (f"{facts.code} has approved measurements: the change to its baseline's "
                    f"{' and '.join(table.header(k) for k in decision.for_review)} is proposed for review; "
                    "the scorecard keeps the approved baseline until a manager approves it.")
            proposals.append((facts.id, decision.for_review,
                              {k: stored_spec if k == "period" else start[k] for k in decision.for_review}))
        direct = {k: values[k] for k in values if k not in decision.for_review}
        if values.get("period") is not None and periods.get(period_key(values["period"])) is None:
            new_specs.append(values["period"])
        if rec is None:
            plan.new(row, label, after, describe, note=" ".join(filter(None, [note, shown_new_parts(part_changes)])))
            creates.append(item._replace(values=direct))
            if part_changes:
                new_part_writes.append((len(creates) - 1, taken.plan))
            continue
        plan.rows.append(RowChange(row, "changed", label, plan.changes(before, {k: after[k] for k in diff})
                                   + part_changes, note))
        if part_changes:
            part_writes.append((rec.id, taken.plan))
        # changed parts change the baseline's version too, as baseline_parts_set does
        if part_changes or any(before[k] != (v.label if k == "period" and v is not None else v)
                               for k, v in direct.items()):
            updates[rec.id] = direct
    given_parts.orphans(plan, lambda key: f"the baseline of {codes[key[0]]}")

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
        if new_part_writes or part_writes:
            write_parts(BaselinePart, [(objs[i].pk, p) for i, p in new_part_writes] + part_writes, by=by,
                        when=now, reason=reason)
        if proposals:
            # What re-scores approved figures goes to a manager, as from the baseline form.
            indicators = Indicator.objects.in_bulk([pk for pk, _, _ in proposals])
            named = {pids[period_key(v)] for _, c, w in proposals for d in (c, w) for k, v in d.items()
                     if k == "period" and v is not None}
            period_objects = ReportingPeriod.objects.in_bulk(list(named))

            def as_model(key, value):
                return period_objects[pids[period_key(value)]] if key == "period" and value is not None else value
            for pk, changes, was in proposals:
                services.proposal_open(indicator=indicators[pk], subject="baseline",
                                       changes={k: as_model(k, v) for k, v in changes.items()},
                                       before={k: as_model(k, v) for k, v in was.items()}, reason=reason, by=by)
    return write
