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

from indicators import services, validation
from indicators.models import Measurement, Rating
from indicators.periods import PeriodSpec

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

FIELDS = ("value", "rating", "text", "evidence_url", "comment", "so_what")
_TEXT_FIELDS = ("text", "evidence_url", "comment", "so_what")
_STORED = ("id", "indicator_id", "period_id", *FIELDS, "status", "evidence", "revision", "review_note", "version",
           "created_by_id", "submitted_by_id", "reviewed_by_id")


# ---- the rules this importer checks (to be answered by indicators.rules) ---------------------

def measured_period_problem(spec: PeriodSpec, facts: IndicatorFacts) -> str:
    """Period rule: a measurement's period is of the kind its indicator's frequency measures."""
    try:
        services.check_measurement_period(spec=spec, code=facts.code, frequency=facts.frequency)
    except ValidationError as exc:
        return messages(exc)
    return ""


def awaiting_review_problem(status: str, spec: PeriodSpec, facts: IndicatorFacts) -> str:
    """Status rule: a submitted measurement does not change until a manager approves or returns it."""
    if status == Measurement.Status.SUBMITTED:
        return (f"The {spec.label} measurement of {facts.code} is awaiting review; it can be changed once a "
                "manager approves or returns it (or leave this row as it is stored).")
    return ""


def submission_problem(*, has_figure: bool, has_evidence: bool, label: str) -> tuple[str, str]:
    """Submit rule: a submitted measurement has its figure and evidence. -> (column key, message)."""
    if not has_figure:
        return "value", f"{label}: enter the value (an imported measurement is submitted for review)."
    if not has_evidence:
        return "evidence_url", (f"{label}: give a link to the evidence; imported measurements are submitted "
                                "for review, which needs evidence.")
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
    """Transition rule, as measurement_save_draft + measurement_submit: every changed row goes to review,
    submitted; an approved actual starts a new revision (its approved_* figures keep serving the
    scorecard), and its review note is cleared."""
    if stored.status == Measurement.Status.APPROVED:
        return Resubmission(Measurement.Status.SUBMITTED, stored.revision + 1, "", True)
    return Resubmission(Measurement.Status.SUBMITTED, stored.revision, stored.review_note, False)


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


def _check_rows(table: Table, plan: Plan, lookups: Lookups) -> list[_Checked]:
    checker = PeriodChecker()
    seen: dict = {}
    checked = []
    has_text = {k: table.has(k) for k in _TEXT_FIELDS}
    for line in table.rows:
        row, cells = line.number, line.cells
        facts = indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        spec = period_of(plan, checker, row, cells, facts)
        if spec is not None:
            problem = measured_period_problem(spec, facts)
            if problem:
                plan.problem(row, "period", cells.get("period"), problem)
                spec = None
        figure = figure_problems(plan, row, cells, facts, required=False)
        values = {}
        for k, has in has_text.items():
            if has:
                values[k] = text(cells.get(k))
        url = values.get("evidence_url")
        if url:
            if len(url) > 500:
                plan.problem(row, "evidence_url", url, "The link is longer than 500 characters.")
            else:
                try:
                    check_url(url)
                except ValidationError:
                    plan.problem(row, "evidence_url", url, "is not a web link: write it in full, starting "
                                 "with https://.")
        if spec is None or duplicate(plan, seen, (facts.id, spec), row, "period", cells.get("period"),
                                     f"{facts.code} {spec.label}") or figure is None:
            continue
        values["value"], values["rating"] = figure.value, figure.rating
        checked.append(_Checked(row, facts, spec, values))
    return checked


def plan_measurements(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    lookups = Lookups()
    checked = _check_rows(table, plan, lookups)
    periods = lookups.periods
    stored = {(r.indicator_id, r.period_id): r for r in bulk.existing(
        Measurement, list({c.facts.id for c in checked}), _STORED, lock=lock)}
    if table.has("status"):
        plan.notes.append("The Status column is for information: new and changed measurements arrive "
                          "submitted for review by you; a manager approves them.")

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
        if rec is None:
            key, problem = submission_problem(has_figure=values["value"] is not None or bool(values["rating"]),
                                              has_evidence=bool(values.get("evidence_url")), label=label)
            if problem:
                plan.problem(row, "rating" if key == "value" and rated else key,
                             values.get(key) if key == "evidence_url" else None, problem)
                continue
            plan.new(row, label, values, describe)
            creates.append(_Create(facts, spec, values))
            if period_id is None:
                new_specs.append(spec)
            continue
        before = {k: getattr(rec, k) for k in FIELDS}
        after = {k: values[k] for k in FIELDS if k in values}
        diff = [k for k in after if before[k] != after[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        problem = awaiting_review_problem(rec.status, spec, facts)
        if problem:
            plan.problem(row, diff[0], values[diff[0]], problem)
            continue
        merged = {**before, **after}
        key, problem = submission_problem(has_figure=merged["value"] is not None or bool(merged["rating"]),
                                          has_evidence=bool(rec.evidence or merged["evidence_url"]), label=label)
        if problem:
            plan.problem(row, "rating" if key == "value" and rated else key, None, problem)
            continue
        next_state = resubmission(rec)
        note = ""
        if next_state.starts_revision:
            note = (f"Approved: starts revision {next_state.revision}; the approved figure stays on the scorecard "
                    "until then.")
        change = RowChange(row, "changed", label, plan.changes(before, {k: after[k] for k in diff}), note)
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

    def write():
        now = timezone.now()
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
        who = names.get(holder, "someone no longer recorded")
        if rec.status == Measurement.Status.RETURNED:
            returned = f" by {names[rec.reviewed_by_id]}" if rec.reviewed_by_id in names else ""
            note = f": “{rec.review_note}”" if rec.review_note else ""
            change.work_in_progress = f"Returned for revision to {who}{returned}{note}"
        else:
            change.work_in_progress = f"Draft of {who}"
        change.note = " ".join(filter(None, [change.note, (
            "Importing takes it over: it goes to review as submitted by you and leaves their worklist.")]))
