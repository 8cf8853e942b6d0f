"""Planning a measurements file: every row checked, then new / changed / unchanged against what is
stored, and the set-based write (spreadsheets.bulk) that follows the typed workflow: measurements
arrive submitted by the importing user, and an approved one whose figures change starts a new
revision (its approved figures keep serving the scorecard until the revision is approved).

The rule checks the importer makes are the small functions at the top, one rule each, so that
they can be answered by the one rules module.
"""
from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import computed_rules, rules, series, validation
from indicators.dimensions import MeasurementPart
from indicators.models import Baseline, Measurement, Rating
from indicators.periods import PeriodSpec
from indicators.services.computations import computed_ids
from results import programmes
from results.programme_rules import ENTER

from .. import bulk
from ..cells import check_url, messages, text
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

FIELDS = ("value", "rating", "text", "evidence_url", "comment", "so_what")
_TEXT_FIELDS = ("text", "evidence_url", "comment", "so_what")
_STORED = ("id", "indicator_id", "period_id", *FIELDS, "status", "evidence", "revision", "review_note", "version",
           "created_by_id", "submitted_by_id", "reviewed_by_id")


# ---- the rules this importer asks (indicators.rules: the same as every other write path) -------

def measured_period_problem(spec: PeriodSpec, facts: IndicatorFacts) -> str:
    """Period rule: a measurement's period is of the kind its indicator's frequency measures."""
    try:
        rules.check_measurement_period(spec=spec, code=facts.code, frequency=facts.frequency)
    except ValidationError as exc:
        return messages(exc)
    return ""


def after_baseline_problem(spec: PeriodSpec, facts: IndicatorFacts, baselines: dict) -> str:
    """Period rule: nothing is measured in or before the baseline period."""
    ordinal, label = baselines.get(facts.id, (None, ""))
    try:
        rules.check_after_baseline(period_ordinal=series.period_ordinal(spec.end, spec.kind), period_label=spec.label,
                                   baseline_ordinal=ordinal, baseline_label=label, code=facts.code)
    except ValidationError as exc:
        return messages(exc)
    return ""


def computed_problem(facts: IndicatorFacts, computed: set) -> str:
    """Computed-indicator rule: a computed indicator's figures are never imported (computed_rules; the
    report names the row)."""
    try:
        computed_rules.check_entry_allowed(code=facts.code, computed=facts.id in computed)
    except ValidationError as exc:
        return messages(exc)
    return ""


def awaiting_review_problem(status: str, spec: PeriodSpec, facts: IndicatorFacts) -> str:
    """Status rule: a submitted measurement does not change until a manager approves or returns it."""
    try:
        rules.next_status("measurement", status, rules.EDIT, noun=_("The %(period)s measurement of %(code)s") % {
            "period": spec.label, "code": facts.code})
    except ValidationError as exc:
        return _("%(refusal)s (Or leave this row as it is stored.)") % {"refusal": messages(exc)}
    return ""


def submission_problem(*, rated: bool, has_figure: bool, has_evidence: bool, has_so_what: bool,
                       label: str) -> tuple[str, str]:
    """Submit rule: an imported measurement arrives submitted, so it needs what a submission needs:
    its figure, evidence (a link) and the "so what?" note. -> (column key, message), or ("", "")."""
    try:
        rules.check_submission(rated=rated, has_figure=has_figure, has_evidence=has_evidence,
                               has_so_what=has_so_what)
    except ValidationError as exc:
        key, errors = next(iter(exc.message_dict.items()))
        return ("evidence_url" if key == "evidence" else key), (
            _("%(row)s: %(refusal)s (Imported measurements arrive submitted for review.)") % {
                "row": label, "refusal": " ".join(errors)})
    return "", ""


def work_in_progress_holder(stored, *, by) -> int | None:
    """Whose work in progress a stored measurement is, if it is someone else's: a draft is its
    drafter's, a returned one is back with whoever submitted it. None when it is nobody's (submitted
    or approved) or the importer's own. 0 when the holder is no longer recorded. Changing it takes
    the work over (the importer submits it), so it needs the importer's explicit choice."""
    if stored.status == Measurement.Status.DRAFT:
        holder = stored.created_by_id or stored.submitted_by_id
    elif stored.status == Measurement.Status.RETURNED:
        holder = stored.submitted_by_id or stored.created_by_id
    else:
        return None
    if holder is not None and holder == by.pk:
        return None
    return holder or 0


def arrival(*, by, now) -> dict:
    """Transition rule, as measurement_save_draft + measurement_submit: a new imported measurement is
    created and submitted for review by the importer (the stored fields it starts with)."""
    return {"status": Measurement.Status.SUBMITTED, "created_by_id": by.pk, "submitted_by_id": by.pk,
            "submitted_at": now, "revision": 1, "version": 1}


class Resubmission(NamedTuple):
    status: str
    revision: int
    review_note: str
    starts_revision: bool


def resubmission(stored) -> Resubmission:
    """Transition rule, as measurement_save_draft + measurement_submit: an edit, then a submission
    (rules.MEASUREMENT_FLOW); an approved actual starts a new revision (its approved_* figures keep
    serving the scorecard), and its review note is cleared."""
    noun = "The measurement"
    status = rules.next_status("measurement", rules.next_status("measurement", stored.status, rules.EDIT, noun=noun),
                               rules.SUBMIT, noun=noun)
    if stored.status == Measurement.Status.APPROVED:
        return Resubmission(status, stored.revision + 1, "", True)
    return Resubmission(status, stored.revision, stored.review_note, False)


# ---- planning -------------------------------------------------------------------------------

class _Checked(NamedTuple):
    row: int
    facts: IndicatorFacts
    spec: PeriodSpec
    values: dict


class _Create(NamedTuple):
    facts: IndicatorFacts
    spec: PeriodSpec
    values: dict


class _NewRow(NamedTuple):
    """The columns of one INSERT (bulk.insert_returning)."""
    indicator_id: int
    period_id: int
    measure: str
    value: object
    rating: str
    text: str
    evidence_url: str
    comment: str
    so_what: str


class _Update(NamedTuple):
    """The columns of one UPDATE (bulk.update_rows); pk is the row."""
    value: object
    rating: str
    text: str
    evidence_url: str
    comment: str
    so_what: str
    status: str
    revision: int
    review_note: str
    version: int
    pk: int


def baseline_positions(indicator_ids) -> dict[int, tuple[int, str]]:
    """{indicator id: (the baseline's ordinal on the period axis, its label)} for the rulebook's
    "after the baseline" check; one query, whatever the number of rows."""
    positions = {}
    for r in (Baseline.objects.filter(indicator_id__in=indicator_ids)
              .values_list("indicator_id", "period__end", "period__kind", "period__label", "as_of", named=True)):
        ordinal = series.baseline_ordinal(period_end=r.period__end, period_kind=r.period__kind, as_of=r.as_of)
        if ordinal is not None:
            positions[r.indicator_id] = (ordinal, r.period__label or f"as of {r.as_of:%d %b %Y}")
    return positions


def _check_rows(table: Table, plan: Plan, lookups: Lookups) -> tuple[list[_Checked], PartRows]:
    """The total rows checked; the part rows grouped by their total, (indicator id, period key)."""
    checker = PeriodChecker()
    named = {text(line.cells.get("indicator_code")).upper() for line in table.rows}
    ids = [lookups.indicators[c].id for c in named if c in lookups.indicators]
    baselines = baseline_positions(ids)
    computed = computed_ids(ids)
    parts = PartRows(table, ids)
    seen: dict = {}
    checked = []
    has_text = {k: table.has(k) for k in _TEXT_FIELDS}
    for line in table.rows:
        row, cells = line.number, line.cells
        facts = indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        problem = computed_problem(facts, computed)
        if problem:
            plan.problem(row, "indicator_code", cells.get("indicator_code"), problem)
            continue
        spec = period_of(plan, checker, row, cells, facts)
        if spec is not None:
            problem = measured_period_problem(spec, facts) or after_baseline_problem(spec, facts, baselines)
            if problem:
                plan.problem(row, "period", cells.get("period"), problem)
                spec = None
        key = (facts.id, period_key(spec)) if spec is not None else None
        if is_part_row(cells):
            parts.add(plan, row, cells, facts, key, f"{facts.code} {spec.label}" if spec else "")
            continue
        total_ok = parts.total(plan, row, cells, facts, key)
        figure = figure_problems(plan, row, cells, facts, required=False)
        values = {}
        for k, has in has_text.items():
            if has:
                values[k] = text(cells.get(k))
        url = values.get("evidence_url")
        if url:
            if len(url) > 500:
                plan.problem(row, "evidence_url", url, _("The link is longer than 500 characters."))
            else:
                try:
                    check_url(url)
                except ValidationError:
                    plan.problem(row, "evidence_url", url, "is not a web link: write it in full, starting "
                                 "with https://.")
        if spec is None or duplicate(plan, seen, (facts.id, spec), row, "period", cells.get("period"),
                                     f"{facts.code} {spec.label}") or figure is None or not total_ok:
            continue
        values["value"], values["rating"] = figure.value, figure.rating
        checked.append(_Checked(row, facts, spec, values))
    return checked, parts


def plan_measurements(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    lookups = Lookups(enter_in=programmes.framework_ids(by, ENTER) if by is not None else None)
    checked, given_parts = _check_rows(table, plan, lookups)
    periods = lookups.periods
    stored = {(r.indicator_id, r.period_id): r for r in bulk.existing(
        Measurement, list({c.facts.id for c in checked}), _STORED, lock=lock)}
    parts = stored_part_figures(MeasurementPart, [r.id for r in stored.values()])
    stored_rows = stored_parts([r.id for r in stored.values()]) if given_parts.groups else {}
    part_writes: list[tuple[int, PartPlan]] = []  # (measurement id, its parts)
    new_part_writes: list[tuple[int, PartPlan]] = []  # (index in creates, its parts)
    if table.has("status"):
        plan.notes.append(_("The Status column is for information: new and changed measurements arrive "
                            "submitted for review by you; a manager approves them."))

    creates: list[_Create] = []
    updates: list[_Update] = []
    reasons: dict[str, list[int]] = {}
    new_specs = []
    describe = plan.describer(show={"rating": lambda code: Rating(code).label})
    held: list[_Held] = []
    for item in checked:
        row, facts, spec, values = item.row, item.facts, item.spec, item.values
        label = f"{facts.code} {spec.label}"
        rated = facts.measure == validation.RATING
        period_id = periods.get(period_key(spec))
        rec = stored.get((facts.id, period_id)) if period_id else None
        taken = given_parts.take(plan, (facts.id, period_key(spec)), facts=facts, label=label, total_row=row,
                                 total=values["value"], stored=stored_rows.get(rec.id, {}) if rec else {})
        if taken is None:
            continue
        given, part_plan, part_changes = taken.plan is not None, taken.plan, taken.changes
        values["value"] = taken.total  # a percentage's: recomputed from its parts
        if rec is None:
            key, problem = submission_problem(rated=rated, has_figure=values["value"] is not None or bool(values["rating"]),
                                              has_evidence=bool(values.get("evidence_url")),
                                              has_so_what=bool(values.get("so_what")), label=label)
            if problem:
                plan.problem(row, key, values.get(key) if key == "evidence_url" else None, problem)
                continue
            plan.new(row, label, values, describe, note=shown_new_parts(part_changes))
            creates.append(_Create(facts, spec, values))
            if part_plan is not None:
                new_part_writes.append((len(creates) - 1, part_plan))
            if period_id is None:
                new_specs.append(spec)
            continue
        before = {k: getattr(rec, k) for k in FIELDS}
        after = {k: values[k] for k in FIELDS if k in values}
        diff = [k for k in after if before[k] != after[k]]
        if not diff and not part_changes:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        problem = awaiting_review_problem(rec.status, spec, facts)
        if problem:
            column = diff[0] if diff else "value"
            plan.problem(row, column, values[column], problem)
            continue
        problem = parts_problem(measure=facts.measure, total=values.get("value"), figures=parts.get(rec.id),
                                label=label) if "value" in diff and not given else ""
        if problem:
            plan.problem(row, "value", values["value"], problem)
            continue
        merged = {**before, **after}
        key, problem = submission_problem(rated=rated, has_figure=merged["value"] is not None or bool(merged["rating"]),
                                          has_evidence=bool(rec.evidence or merged["evidence_url"]),
                                          has_so_what=bool(merged["so_what"]), label=label)
        if problem:
            plan.problem(row, key, None, problem)
            continue
        next_state = resubmission(rec)
        note = ""
        if next_state.starts_revision:
            note = _("Approved: starts revision %(revision)s; the approved figure stays on the scorecard until "
                     "then.") % {"revision": next_state.revision}
        change = RowChange(row, "changed", label, plan.changes(before, {k: after[k] for k in diff}) + part_changes,
                           note)
        if part_changes:
            part_writes.append((rec.id, part_plan))
        plan.rows.append(change)
        holder = work_in_progress_holder(rec, by=by)
        if holder is not None:
            held.append(_Held(change, rec, holder))
        updates.append(_Update(**{k: merged[k] for k in FIELDS}, status=next_state.status,
                               revision=next_state.revision, review_note=next_state.review_note,
                               version=rec.version + 1, pk=rec.id))
        reasons.setdefault(f"{reason} (revision {next_state.revision})" if next_state.starts_revision else reason,
                           []).append(rec.id)

    _flag_work_in_progress(held)
    codes = {f.id: f.code for f in lookups.indicators.values()} if given_parts.groups else {}
    given_parts.orphans(plan, lambda key: f"{codes[key[0]]} {PeriodSpec(*key[1]).label}")

    def write():
        now = timezone.now()
        pks: list[int] = []
        pids = lookups.ensure_periods(new_specs)
        if creates:
            rows = [_NewRow(c.facts.id, pids[period_key(c.spec)], c.facts.measure, c.values["value"],
                            c.values["rating"], c.values.get("text", ""), c.values.get("evidence_url", ""),
                            c.values.get("comment", ""), c.values.get("so_what", "")) for c in creates]
            pks = bulk.insert_returning(Measurement, rows, arrival(by=by, now=now))
            bulk.history_copy(Measurement, {reason: pks}, by=by, when=now, history_type="+")
        if updates:
            bulk.update_rows(Measurement, updates, {"submitted_by_id": by.pk, "submitted_at": now,
                                                    "reviewed_by_id": None, "reviewed_at": None})
            bulk.history_copy(Measurement, reasons, by=by, when=now, history_type="~")
        if new_part_writes or part_writes:
            write_parts(MeasurementPart, [(pks[i], p) for i, p in new_part_writes] + part_writes, by=by, when=now,
                        reason=reason)
    return write


class _Held(NamedTuple):
    change: RowChange  # the preview's row
    stored: NamedTuple  # the measurement it changes
    holder: int  # whose work in progress it is (0: no longer recorded)


def _flag_work_in_progress(held: list[_Held]) -> None:
    """Say on each row whose draft or returned measurement it would take over (one query for the
    names, whatever the number of rows)."""
    if not held:
        return
    ids = {h.holder for h in held} | {h.stored.reviewed_by_id for h in held if h.stored.reviewed_by_id}
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("id", "username"))
    for change, rec, holder in ((h.change, h.stored, h.holder) for h in held):
        who = names.get(holder, _("someone no longer recorded"))
        if rec.status == Measurement.Status.RETURNED:
            words = {"who": who, "reviewer": names.get(rec.reviewed_by_id, "")}
            text = (_("Returned for revision to %(who)s by %(reviewer)s") % words if rec.reviewed_by_id in names
                    else _("Returned for revision to %(who)s") % words)
            change.work_in_progress = text + (f": “{rec.review_note}”" if rec.review_note else "")
        else:
            change.work_in_progress = _("Draft of %(who)s") % {"who": who}
        change.note = " ".join(filter(None, [change.note, _(
            "Importing takes it over: it goes to review as submitted by you and leaves their worklist.")]))
