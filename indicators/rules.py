"""The rulebook: every rule about figures, in one pure module (no ORM import).

Who may change what, and when, decides whether the scorecard can be trusted. Each rule lives here
once, and every write path asks it: the services (and through them the forms, the admin, the
commands and the API) and the spreadsheet importer, which plans in bulk but calls the same
functions row by row. Callers pass plain facts (an IndicatorFacts, status strings, user ids,
period ordinals from indicators.series) and get a decision, or a ValidationError whose message
names the field, so a refusal reads the same whichever path the change arrived by.

The rules, by section:
- the indicator's definition (a qualitative indicator is rated; percentages are never summed);
- locks: which indicator fields are fixed once figures exist, and which changes re-score approved
  figures and therefore go to a manager as a proposal instead of being written at once;
- the allowed status transitions of targets, measurements and proposals;
- review: never one's own work;
- what a submission needs (a figure, evidence, the "so what?" note);
- periods: the kind each frequency measures, periods inside the framework, nothing measured in or
  before the baseline period;
- disaggregation: the parts of a count add up to its total; a percentage's total is recomputed
  from its parts' numerators and denominators (never averaged).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .periods import HALF, QUARTER, YEAR, PeriodSpec

# ---------------------------------------------------------------------------------------------
# the indicator's definition

QUALITATIVE, RATING, PERCENTAGE, YES_NO = "qualitative", "rating", "percentage", "yes_no"
SUM, LATEST = "sum", "latest"


def check_indicator_definition(*, kind: str, measure: str, aggregation: str) -> None:
    """A qualitative indicator is rated and takes its latest rating; only it is rated; percentages
    and yes/no values are never summed over periods."""
    errors = {}
    if kind == QUALITATIVE:
        if measure != RATING:
            errors["measure"] = _("A qualitative indicator is measured by a rating.")
        if aggregation != LATEST:
            errors["aggregation"] = _("A qualitative indicator takes its latest rating; choose \"latest value\".")
    elif measure == RATING:
        errors["measure"] = _("Only qualitative indicators are rated; choose another measure or make it qualitative.")
    if measure in (PERCENTAGE, YES_NO) and aggregation == SUM:
        errors["aggregation"] = _("Percentages and yes/no values cannot be summed over periods; choose latest or "
                                  "average.")
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# locks and proposals


@dataclass(frozen=True)
class IndicatorFacts:
    """What the rules need to know of an indicator. `shown` holds the current values as a reader
    sees them ({"measure": "percentage (0-100)", "frequency": "quarterly", ...}) for the messages."""
    code: str
    frequency: str = "annual"
    has_figures: bool = False  # a baseline value, a target or a measurement
    has_measurements: bool = False
    has_approved_measurements: bool = False
    shown: Mapping[str, str] = field(default_factory=dict)


# Fixed once any figure is recorded: the stored values would no longer fit.
LOCKED_BY_FIGURES = ("kind", "measure")
# Fixed once a measurement is recorded: the periods already measured are of its kind.
LOCKED_BY_MEASUREMENTS = ("frequency",)
# Fixed once a measurement is approved: they decide how the approved figures add up and are judged.
LOCKED_BY_APPROVAL = ("direction", "aggregation")
FIELD_WORDS = {"direction": gettext_lazy("direction"), "aggregation": gettext_lazy("aggregation")}
# Once a measurement is approved these re-score it (the roll-up, or the framework it counts in):
# they change only through a proposal a manager approves.
REVIEWED_ONCE_APPROVED = ("result", "weight")
# The baseline's fields that re-score an indicator; the rest (source, due date) never do. Its parts
# re-score its slices (scorecard.slices), so once a measurement is approved they are proposed too.
BASELINE_SCORED = ("value", "text", "period", "as_of", "status", "parts")

FREQUENCY_WORDS = {"annual": gettext_lazy("annually"), "semiannual": gettext_lazy("twice a year"),
                   "quarterly": gettext_lazy("quarterly")}


@dataclass(frozen=True)
class ChangeDecision:
    """How a change is written: `direct` fields at once, `for_review` fields as a proposal."""
    direct: dict
    for_review: dict

    @property
    def needs_review(self) -> bool:
        return bool(self.for_review)


def indicator_change(facts: IndicatorFacts, changed: Mapping[str, object]) -> ChangeDecision:
    """Decide an edit of an indicator's definition: refused (ValidationError naming each field),
    or split into what is written at once and what a manager must approve."""
    errors = {}
    shown = facts.shown
    if set(LOCKED_BY_FIGURES) & set(changed) and facts.has_figures:
        errors["measure"] = _(
            "%(code)s already has a baseline, targets or measurements recorded as %(measure)s; its kind and "
            "measure can no longer change.") % {"code": facts.code, "measure": shown.get("measure", _("its measure"))}
    if "frequency" in changed and facts.has_measurements:
        errors["frequency"] = _(
            "%(code)s already has measurements recorded %(frequency)s; its frequency can no longer change (the "
            "periods already measured would no longer fit it).") % {
                "code": facts.code, "frequency": FREQUENCY_WORDS.get(facts.frequency, facts.frequency)}
    if facts.has_approved_measurements:
        for name in LOCKED_BY_APPROVAL:
            if name in changed:
                errors[name] = _("%(code)s already has approved measurements judged with %(field)s "
                                 "\"%(value)s\"; its %(field)s can no longer change.") % {
                    "code": facts.code, "field": FIELD_WORDS.get(name, name), "value": shown.get(name, "")}
    if errors:
        raise ValidationError(errors)
    review = REVIEWED_ONCE_APPROVED if facts.has_approved_measurements else ()
    return ChangeDecision(direct={k: v for k, v in changed.items() if k not in review},
                          for_review={k: v for k, v in changed.items() if k in review})


def baseline_change(*, has_approved_measurements: bool, changed: Mapping[str, object]) -> ChangeDecision:
    """A baseline edit: once the indicator has approved measurements, a change of what is scored
    (value, period, as-of date, status, parts) is a proposal; the source and due date change at once."""
    review = BASELINE_SCORED if has_approved_measurements else ()
    return ChangeDecision(direct={k: v for k, v in changed.items() if k not in review},
                          for_review={k: v for k, v in changed.items() if k in review})


def check_proposal_reason(reason: str, *, code: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": _(
            "%(code)s has approved measurements, so this change goes to a manager for review: say why it is "
            "needed.") % {"code": code}})


def check_no_open_proposal(*, open_by: str | None, code: str, subject: str) -> None:
    """One open proposal per indicator and subject: a second would hide what the first changes."""
    if open_by is not None:
        raise ValidationError(_(
            "A change to the %(subject)s of %(code)s proposed by %(user)s is awaiting review; it must be "
            "approved or returned before another change is proposed.") % {
                "subject": SUBJECT_WORDS.get(subject, subject), "code": code, "user": open_by})


SUBJECT_WORDS = {"indicator": gettext_lazy("indicator"), "baseline": gettext_lazy("baseline")}


# ---------------------------------------------------------------------------------------------
# status transitions

EDIT, REVISE, SUBMIT, APPROVE, RETURN = "edit", "revise", "submit", "approve", "return"
DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
PRELIMINARY, PROPOSED = "preliminary", "proposed"

MEASUREMENT_FLOW = {
    (DRAFT, EDIT): DRAFT, (RETURNED, EDIT): RETURNED,
    (APPROVED, EDIT): DRAFT,  # a new revision; the approved figures keep counting meanwhile
    (DRAFT, SUBMIT): SUBMITTED, (RETURNED, SUBMIT): SUBMITTED,
    (SUBMITTED, APPROVE): APPROVED, (SUBMITTED, RETURN): RETURNED,
}
TARGET_FLOW = {
    (PRELIMINARY, EDIT): PRELIMINARY, (RETURNED, EDIT): PRELIMINARY,
    (APPROVED, REVISE): PRELIMINARY,  # the approved target keeps counting until the revision is approved
    (PRELIMINARY, APPROVE): APPROVED, (PRELIMINARY, RETURN): RETURNED,
}
PROPOSAL_FLOW = {(PROPOSED, APPROVE): APPROVED, (PROPOSED, RETURN): RETURNED}

# Translated when raised (gettext_lazy), so a refusal reads in the language of whoever asked.
_REFUSALS = {
    ("measurement", SUBMITTED, EDIT): gettext_lazy(
        "%(noun)s is awaiting review; it can be changed once a manager approves or returns it."),
    ("measurement", SUBMIT): gettext_lazy(
        "%(noun)s is %(status)s; only a draft or a returned measurement can be submitted."),
    ("measurement", APPROVE): gettext_lazy("%(noun)s is %(status)s, not submitted: there is nothing to approve."),
    ("measurement", RETURN): gettext_lazy("%(noun)s is %(status)s, not submitted: there is nothing to return."),
    ("target", APPROVED, EDIT): gettext_lazy("%(noun)s is approved: revise it, giving the reason for the change."),
    ("target", REVISE): gettext_lazy("%(noun)s is %(status)s, not approved: change it directly."),
    ("target", APPROVE): gettext_lazy("Only a preliminary target can be approved; this one is %(status)s."),
    ("target", RETURN): gettext_lazy("Only a preliminary target can be returned; this one is %(status)s."),
    ("proposal", APPROVE): gettext_lazy("%(noun)s is %(status)s: only a proposed change can be approved."),
    ("proposal", RETURN): gettext_lazy("%(noun)s is %(status)s: only a proposed change can be returned."),
}
_FLOWS = {"measurement": MEASUREMENT_FLOW, "target": TARGET_FLOW, "proposal": PROPOSAL_FLOW}
STATUS_WORDS = {DRAFT: gettext_lazy("a draft"), SUBMITTED: gettext_lazy("submitted"),
                RETURNED: gettext_lazy("returned for revision"), APPROVED: gettext_lazy("approved"),
                PRELIMINARY: gettext_lazy("preliminary"), PROPOSED: gettext_lazy("proposed")}
ACTION_WORDS = {EDIT: gettext_lazy("edited"), REVISE: gettext_lazy("revised"), SUBMIT: gettext_lazy("submitted"),
                APPROVE: gettext_lazy("approved"), RETURN: gettext_lazy("returned")}


def next_status(record: str, status: str, action: str, *, noun: str) -> str:
    """The status `record` ("measurement", "target", "proposal") takes after `action`, or a
    ValidationError saying why the action is not allowed from `status`."""
    new = _FLOWS[record].get((status, action))
    if new is not None:
        return new
    template = _REFUSALS.get((record, status, action)) or _REFUSALS.get((record, action)) or gettext_lazy(
        "%(noun)s is %(status)s: it cannot be %(action)s.")
    raise ValidationError(str(template) % {"noun": noun, "status": STATUS_WORDS.get(status, status),
                                           "action": ACTION_WORDS.get(action, f"{action}ed")})


# ---------------------------------------------------------------------------------------------
# review


def check_not_own_work(*, reviewer_id, author_id, what: str, did: str, action: str) -> None:
    """Nobody reviews what they submitted or proposed: another manager must."""
    if author_id is not None and reviewer_id == author_id:
        # Whole sentences per case, so that a translator never assembles verbs.
        template = _OWN_WORK.get((did, action)) or _("You %(did)s %(what)s: another manager must %(action)s it.")
        raise ValidationError(str(template) % {"did": did, "what": what, "action": action})


_OWN_WORK = {
    ("submitted", "review"): gettext_lazy("You submitted %(what)s: another manager must review it."),
    ("proposed", "review"): gettext_lazy("You proposed %(what)s: another manager must review it."),
    ("proposed", "approve"): gettext_lazy("You proposed %(what)s: another manager must approve it."),
}


def may_review(*, reviewer_id, author_id, has_permission: bool) -> bool:
    """Whether to offer the review form: the permission, and not one's own work."""
    return has_permission and (author_id is None or reviewer_id != author_id)


def check_return_note(note: str, *, who: str | None = None) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what should change: %(who)s sees this note.") % {
            "who": who or _("the officer")}})
    return note


# ---------------------------------------------------------------------------------------------
# submission


def check_submission(*, rated: bool, has_figure: bool, has_evidence: bool, has_so_what: bool) -> None:
    """What goes to review: the figure, its evidence (a file or a link) and the "so what?" note.
    Drafts may lack any of them."""
    errors = {}
    if not has_figure:
        errors["rating" if rated else "value"] = _("Enter the value before submitting.")
    if not has_evidence:
        errors["evidence"] = _("Attach the evidence (a file or a link) before submitting.")
    if not has_so_what:
        errors["so_what"] = _('Say what happened as a result and how the knowledge was used ("so what?") '
                              "before submitting.")
    if errors:
        raise ValidationError(errors)


def check_target_revision(*, rationale: str, previous_rationale: str, same_figure: bool) -> None:
    """An approved target is revised with a new reason, and to a different figure."""
    if not rationale or rationale == (previous_rationale or "").strip():
        raise ValidationError({"rationale": _(
            "This target was approved: explain why it changes (the rationale is kept with the "
            "earlier value in the history).")})
    if same_figure:
        raise ValidationError({"value": _("The revised target is the same as the approved one.")})


# ---------------------------------------------------------------------------------------------
# periods

# The kind of period an indicator is measured in, by its collection frequency.
MEASURED_KIND = {"annual": YEAR, "semiannual": HALF, "quarterly": QUARTER}
_KIND_WORDS = {YEAR: gettext_lazy("a fiscal year"), HALF: gettext_lazy("a half year"),
               QUARTER: gettext_lazy("a quarter")}


def measured_periods(spec: PeriodSpec, kind: str) -> list[PeriodSpec]:
    """The periods of `kind` to record instead of `spec`: its halves or quarters, or the period
    holding it."""
    if spec.kind == kind:
        return [spec]
    if kind == YEAR:
        return [PeriodSpec(YEAR, spec.fiscal_year, 0)]
    if kind == HALF:
        if spec.kind == QUARTER:
            return [PeriodSpec(HALF, spec.fiscal_year, (spec.number + 1) // 2)]
        return [PeriodSpec(HALF, spec.fiscal_year, n) for n in (1, 2)]
    if spec.kind == HALF:
        return [PeriodSpec(QUARTER, spec.fiscal_year, n) for n in ((1, 2) if spec.number == 1 else (3, 4))]
    return [PeriodSpec(QUARTER, spec.fiscal_year, n) for n in (1, 2, 3, 4)]


def check_measurement_period(*, spec: PeriodSpec, code: str, frequency: str) -> None:
    """A measurement's period is of the kind its indicator is measured in (annual -> fiscal year,
    twice a year -> half year, quarterly -> quarter): summed indicators would otherwise count a
    year and its quarters twice."""
    kind = MEASURED_KIND.get(frequency, YEAR)
    if spec.kind == kind:
        return
    instead = measured_periods(spec, kind)
    ends = {"first": instead[0].label, "last": instead[-1].label}
    record = instead[0].label if len(instead) == 1 else (
        _("%(first)s and %(last)s") % ends if len(instead) == 2 else _("%(first)s to %(last)s") % ends)
    raise ValidationError(_("%(period)s is %(kind)s; %(code)s is measured %(frequency)s: record %(record)s.") % {
        "period": spec.label, "kind": _KIND_WORDS[spec.kind], "code": code,
        "frequency": FREQUENCY_WORDS.get(frequency, frequency), "record": record})


def check_period_in_framework(spec: PeriodSpec, *, first_fiscal_year: int, last_fiscal_year: int,
                              framework: str | None = None) -> PeriodSpec:
    if not first_fiscal_year <= spec.fiscal_year <= last_fiscal_year:
        raise ValidationError(_("%(period)s is outside %(framework)s, which covers %(first)s to %(last)s.") % {
            "period": spec.label, "framework": framework or _("the framework"),
            "first": f"FY{first_fiscal_year}", "last": f"FY{last_fiscal_year}"})
    return spec


def check_figures_in_framework(*, fiscal_years: Iterable[int], first_fiscal_year: int, last_fiscal_year: int,
                               framework: str, code: str) -> None:
    """An indicator moves only to a framework whose fiscal years hold every figure it has."""
    outside = sorted({year for year in fiscal_years if not first_fiscal_year <= year <= last_fiscal_year})
    if outside:
        raise ValidationError({"result": _(
            "%(code)s has figures for %(years)s, outside %(framework)s (%(first)s to %(last)s); it cannot move "
            "to a result there.") % {"code": code, "years": ", ".join(f"FY{year}" for year in outside),
                                     "framework": framework, "first": f"FY{first_fiscal_year}",
                                     "last": f"FY{last_fiscal_year}"}})


def check_framework_years_hold_figures(*, fiscal_years: Iterable[int], first_fiscal_year: int,
                                       last_fiscal_year: int, framework: str) -> None:
    """A framework's fiscal years are narrowed only where no figure falls outside them."""
    outside = sorted({year for year in fiscal_years if not first_fiscal_year <= year <= last_fiscal_year})
    if outside:
        raise ValidationError(_(
            "%(framework)s has baselines, targets or measurements for %(years)s: its fiscal years (%(first)s to "
            "%(last)s) must still include them.") % {
                "framework": framework, "years": ", ".join(f"FY{year}" for year in outside),
                "first": f"FY{first_fiscal_year}", "last": f"FY{last_fiscal_year}"})


def check_date_in_framework(day, *, fiscal_year: int, first_fiscal_year: int, last_fiscal_year: int,
                            framework: str | None = None) -> None:
    """A dated figure (a baseline's as-of date) falls in one of the framework's fiscal years."""
    if not first_fiscal_year <= fiscal_year <= last_fiscal_year:
        raise ValidationError(_("%(date)s falls in %(year)s, outside %(framework)s (%(first)s to %(last)s).") % {
            "date": f"{day:%d %b %Y}", "year": f"FY{fiscal_year}", "framework": framework or _("the framework"),
            "first": f"FY{first_fiscal_year}", "last": f"FY{last_fiscal_year}"})


def check_after_baseline(*, period_ordinal: int, period_label: str, baseline_ordinal: int | None,
                         baseline_label: str, code: str) -> None:
    """A measurement falls after the baseline period: the baseline is the total at the start, so a
    figure in or before its period would be counted twice, or against itself. Ordinals are those
    of indicators.series, so this agrees with what the arithmetic counts."""
    if baseline_ordinal is not None and period_ordinal <= baseline_ordinal:
        raise ValidationError({"period": _(
            "The baseline of %(code)s is %(baseline)s; record measurements for periods after it, not "
            "%(period)s.") % {"code": code, "baseline": baseline_label, "period": period_label}})


def check_baseline_before_measurements(*, baseline_ordinal: int | None, baseline_label: str,
                                       measured: Iterable[tuple[int, str]], code: str) -> None:
    """A baseline moved (or first dated) must stay before every period already measured."""
    if baseline_ordinal is None:
        return
    clash = [label for ordinal, label in sorted(measured) if ordinal <= baseline_ordinal]
    if clash:
        raise ValidationError({"period": _(
            "%(code)s already has measurements for %(periods)s, which would fall in or before a baseline of "
            "%(baseline)s; the baseline must come before every measured period.") % {
                "code": code, "periods": ", ".join(clash), "baseline": baseline_label}})


# ---------------------------------------------------------------------------------------------
# disaggregation (issue 14)

DISAGGREGATED_MEASURES = ("number", "currency", PERCENTAGE)


@dataclass(frozen=True)
class PartFigure:
    """One dimension value's share of a figure, as entered: a value, or numerator and denominator."""
    dimension: str  # the dimension's name, for messages ("Sex")
    name: str  # the value's name ("female")
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def _n(number: Decimal) -> str:
    return f"{number.normalize():,f}"


def check_disaggregable(*, measure: str, code: str) -> None:
    """Only counts, amounts and percentages have parts; a yes/no or a rating has no share."""
    if measure not in DISAGGREGATED_MEASURES:
        raise ValidationError(_(
            "%(code)s is measured by %(measure)s: only numbers, amounts and percentages are disaggregated.") % {
                "code": code, "measure": measure.replace("_", "/")})


def check_baseline_parts_open(*, code: str, counted: bool) -> None:
    """A baseline's parts are set once its value is collected. Once a measurement of the indicator
    is approved they re-score approved figures (its slices), so a change of them is a proposal a
    manager approves, like the value's (baseline_change: "parts" is in BASELINE_SCORED)."""
    if not counted:
        raise ValidationError({"parts": _(
            "Record the collected value of the baseline of %(code)s before its parts.") % {"code": code}})


def check_dimensions_kept(*, code: str, dropped_with_parts: Iterable[str]) -> None:
    """An indicator whose figures have parts of a dimension stays disaggregated by it."""
    dropped = sorted(dropped_with_parts)
    if dropped:
        raise ValidationError({"dimensions": _(
            "%(code)s already has figures split by %(dimensions)s; it stays disaggregated by them.") % {
                "code": code, "dimensions": ", ".join(dropped)}})


def check_parts(*, measure: str, total: Decimal | None, parts: Iterable[PartFigure]) -> Decimal | None:
    """Check the parts against the total and return the total to store. A count's (or amount's)
    parts of each dimension add up to the total; a percentage's parts are numerator and denominator,
    and the total is recomputed from their sums (every dimension must count the same whole).
    Errors are keyed "parts:<dimension>", naming the dimension, the value and the difference."""
    by_dimension: dict[str, list[PartFigure]] = {}
    for part in parts:
        by_dimension.setdefault(part.dimension, []).append(part)
    if not by_dimension:
        return total
    errors: dict[str, str] = {}
    if measure == PERCENTAGE:
        sums = {}
        for dim, rows in by_dimension.items():
            for p in rows:
                if p.numerator is None or p.denominator is None:
                    errors[f"parts:{dim}"] = _(
                        "%(dimension)s, %(value)s: a percentage's part needs a numerator and a denominator.") % {
                            "dimension": dim, "value": p.name}
                elif p.denominator <= 0 or p.numerator < 0 or p.numerator > p.denominator:
                    errors[f"parts:{dim}"] = _(
                        "%(dimension)s, %(value)s: %(numerator)s of %(denominator)s is not a share (the denominator "
                        "is above 0, the numerator from 0 to it).") % {
                            "dimension": dim, "value": p.name, "numerator": _n(p.numerator),
                            "denominator": _n(p.denominator)}
            if f"parts:{dim}" not in errors:
                sums[dim] = (sum(p.numerator for p in rows), sum(p.denominator for p in rows))
        if len(set(sums.values())) > 1:
            (first, (n0, d0)), *rest = sums.items()
            for dim, (n, d) in rest:
                if (n, d) != (n0, d0):
                    errors[f"parts:{dim}"] = _(
                        "%(dimension)s: the parts count %(numerator)s of %(denominator)s, but the parts of %(first)s "
                        "count %(first_numerator)s of %(first_denominator)s; both must count the same whole.") % {
                            "dimension": dim, "numerator": _n(n), "denominator": _n(d), "first": first,
                            "first_numerator": _n(n0), "first_denominator": _n(d0)}
        if errors:
            raise ValidationError(errors)
        n, d = next(iter(sums.values()))
        recomputed = (n * 100 / d).quantize(Decimal("0.0001"))
        if total is not None and abs(total - recomputed) > Decimal("0.05"):
            dim = next(iter(sums))
            raise ValidationError({f"parts:{dim}": _(
                "%(dimension)s: the parts make %(share)s%% (%(numerator)s of %(denominator)s), not the total "
                "%(total)s%%; leave the total empty to take it from the parts.") % {
                    "dimension": dim, "share": _n(recomputed), "numerator": _n(n), "denominator": _n(d),
                    "total": _n(total)}})
        return recomputed
    for dim, rows in by_dimension.items():
        bad = [p for p in rows if p.value is None or p.value < 0 or p.numerator is not None or p.denominator is not None]
        if bad:
            errors[f"parts:{dim}"] = _("%(dimension)s, %(value)s: a part of a count is a number of 0 or more.") % {
                "dimension": dim, "value": bad[0].name}
            continue
        added = sum(p.value for p in rows)
        if total is None:
            errors[f"parts:{dim}"] = _("%(dimension)s: the parts add up to %(sum)s, but there is no total; "
                                       "enter it.") % {"dimension": dim, "sum": _n(added)}
        elif added != total:
            gap = added - total
            words = {"dimension": dim, "sum": _n(added), "gap": _n(abs(gap)), "total": _n(total)}
            errors[f"parts:{dim}"] = (
                _("%(dimension)s: the parts add up to %(sum)s, %(gap)s more than the total %(total)s.") % words
                if gap > 0 else
                _("%(dimension)s: the parts add up to %(sum)s, %(gap)s less than the total %(total)s.") % words)
    if errors:
        raise ValidationError(errors)
    return total
