"""Measurements (actuals): drafted, submitted with evidence and the "so what?" note, approved or
returned by a manager who did not submit them. Transitions, review and period rules are the
rulebook's (indicators.rules). Editing an approved actual starts a new revision: its approved
figures keep serving the scorecard until the revision is approved."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from results.programme_rules import ENTER, REVIEW_MEASUREMENT

from .. import rules, series, validation
from ..models import Baseline, Indicator, Measurement
from .common import bump, check_version, figure_text, require_in_programme, require_perm, save, stamp
from .computations import check_entry
from .parts import parts_approve, parts_plan, parts_write, stored_parts
from .periods import check_measured_period, framework_period

# What a manager may not do without the permission, for "You may not ...".
REVIEW_WORDS = {rules.APPROVE: gettext_lazy("approve measurements"), rules.RETURN: gettext_lazy("return measurements")}
MEASUREMENT_FIELDS = ("value", "rating", "text", "evidence_url", "comment", "so_what", "status", "revision")
_EDITED = ("value", "rating", "text", "evidence_url", "comment", "so_what")


def _noun(indicator: Indicator, period) -> str:
    return _("The %(period)s measurement of %(code)s") % {"period": period.label, "code": indicator.code}


def check_after_baseline(indicator: Indicator, period) -> None:
    """The rulebook: nothing is measured in or before the baseline period."""
    baseline = Baseline.objects.filter(indicator=indicator).select_related("period").first()
    if baseline is None:
        return
    ordinal = series.baseline_ordinal(
        period_end=baseline.period.end if baseline.period_id else None,
        period_kind=baseline.period.kind if baseline.period_id else None, as_of=baseline.as_of)
    label = baseline.period.label if baseline.period_id else (
        _("as of %(date)s") % {"date": f"{baseline.as_of:%d %b %Y}"} if baseline.as_of else "")
    rules.check_after_baseline(period_ordinal=period.ordinal, period_label=period.label, baseline_ordinal=ordinal,
                               baseline_label=label, code=indicator.code)


def locked_measurement(indicator: Indicator, period) -> Measurement | None:
    """The stored measurement of `indicator` at `period`, locked for this transaction."""
    return Measurement.objects.select_for_update().filter(indicator=indicator, period=period).first()


def measurement_save_draft(*, indicator: Indicator, period, by, version: int = 0, value=None, rating=None,
                           text: str = "", evidence=None, clear_evidence: bool = False,
                           evidence_url: str = "", comment: str = "", so_what: str = "",
                           parts: dict | None = None) -> Measurement:
    """Record (or correct) an actual as a draft, with its parts (services.parts: None keeps the stored
    ones, checked again against the total). Saved unchanged, nothing is written."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    require_in_programme(by, ENTER, indicator, _("record measurements"))
    check_entry(indicator)  # a computed indicator's figures are never entered by hand
    errors = {}
    try:
        period = framework_period(indicator, period)
        check_measured_period(indicator, period)
        check_after_baseline(indicator, period)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        figure = validation.clean_figure(measure=indicator.measure, value=value, rating=rating, required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if evidence:
        try:
            validation.check_evidence_file(name=evidence.name, size=evidence.size)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    wanted = {"value": figure.value, "rating": figure.rating, "text": (text or "").strip(),
              "evidence_url": (evidence_url or "").strip(), "comment": (comment or "").strip(),
              "so_what": (so_what or "").strip()}
    with transaction.atomic():
        measurement = locked_measurement(indicator, period)
        if measurement is None:
            if version:
                raise ValidationError(_("This measurement has been removed since you opened it; reload the page."))
            measurement = Measurement(indicator=indicator, period=period, created_by=by)
            reason = "Measurement drafted"
            wanted["value"], wanted_parts = parts_plan(indicator=indicator, total=wanted["value"], parts=parts,
                                                       stored={})
        else:
            if not version:
                raise ValidationError({"period": _(
                    "%(code)s already has a measurement for %(period)s (%(figure)s, %(status)s); open it to change "
                    "it.") % {"code": indicator.code, "period": period.label,
                              "figure": figure_text(indicator, measurement.value, measurement.rating),
                              "status": measurement.get_status_display().lower()}})
            noun = _noun(indicator, period)
            check_version(measurement, version, noun=noun, fields=MEASUREMENT_FIELDS)
            stored = stored_parts(measurement)
            wanted["value"], wanted_parts = parts_plan(indicator=indicator, total=wanted["value"], parts=parts,
                                                       stored=stored)
            unchanged = (all(getattr(measurement, k) == v for k, v in wanted.items()) and wanted_parts == stored
                         and not evidence and not (clear_evidence and measurement.evidence))
            if unchanged:
                return measurement
            status = rules.next_status("measurement", measurement.status, rules.EDIT, noun=noun)
            reason = "Measurement edited"
            if measurement.status == Measurement.Status.APPROVED:
                measurement.revision += 1
                measurement.submitted_by = measurement.submitted_at = None
                measurement.reviewed_by = measurement.reviewed_at = None
                measurement.review_note = ""
                reason = f"Revision {measurement.revision} started"
            measurement.status = status
            bump(measurement)
        measurement.measure = indicator.measure
        for name, value in wanted.items():
            setattr(measurement, name, value)
        if evidence:
            measurement.evidence = evidence  # earlier files stay on disk: the history points to them
        elif clear_evidence:
            measurement.evidence = ""
        stamp(measurement, by, reason)
        try:
            save(measurement)
        except BaseException:
            # Saving wrote the uploaded file before the row failed (a lost race, a constraint):
            # the row that would point to it does not exist, so the file goes too.
            if evidence and measurement.evidence and measurement.evidence._committed:
                measurement.evidence.storage.delete(measurement.evidence.name)
            raise
        parts_write(owner=measurement, wanted=wanted_parts, by=by, reason=reason)
    return measurement


def measurement_submit(*, measurement: Measurement, by, version: int) -> Measurement:
    """Draft or returned -> submitted for review: the rulebook says what a submission needs."""
    with transaction.atomic():
        fresh = Measurement.objects.select_for_update().select_related("indicator__result", "period").get(
            pk=measurement.pk)
        require_in_programme(by, ENTER, fresh.indicator, _("submit measurements"))
        noun = _noun(fresh.indicator, fresh.period)
        check_entry(fresh.indicator)
        check_version(fresh, version, noun=noun, fields=MEASUREMENT_FIELDS)
        status = rules.next_status("measurement", fresh.status, rules.SUBMIT, noun=noun)
        errors = {}
        for check in (check_measured_period, check_after_baseline):
            try:
                check(fresh.indicator, fresh.period)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        try:
            rules.check_submission(rated=fresh.measure == Indicator.Measure.RATING,
                                   has_figure=fresh.value is not None or bool(fresh.rating),
                                   has_evidence=bool(fresh.evidence or fresh.evidence_url),
                                   has_so_what=bool(fresh.so_what.strip()))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        fresh.status = status
        fresh.submitted_by = by
        fresh.submitted_at = timezone.now()
        fresh.reviewed_by = fresh.reviewed_at = None
        bump(fresh)
        stamp(fresh, by, "Submitted for review")
        save(fresh)
    return fresh


def measurement_record(*, submit: bool = False, **fields) -> Measurement:
    """Save the form's values as a draft and, when asked, submit them: one transaction.

    An uploaded file is written to storage as the draft is saved; if the submission is then refused
    the rolled-back row never points to it, so it is deleted again (no orphan files)."""
    stored = None
    try:
        with transaction.atomic():
            measurement = measurement_save_draft(**fields)
            if fields.get("evidence"):
                stored = measurement.evidence.name
            if submit:
                measurement = measurement_submit(measurement=measurement, by=fields["by"],
                                                 version=measurement.version)
    except BaseException:
        if stored:
            Measurement._meta.get_field("evidence").storage.delete(stored)
        raise
    return measurement


def _reviewable(measurement: Measurement, by, version: int, action: str) -> tuple[Measurement, str]:
    require_perm(by, "indicators.review_measurement", REVIEW_WORDS[action])
    fresh = (Measurement.objects.select_for_update()
             .select_related("indicator__result", "period").get(pk=measurement.pk))
    require_in_programme(by, REVIEW_MEASUREMENT, fresh.indicator, REVIEW_WORDS[action])
    noun = _noun(fresh.indicator, fresh.period)
    check_version(fresh, version, noun=noun, fields=MEASUREMENT_FIELDS)
    status = rules.next_status("measurement", fresh.status, action, noun=noun)
    rules.check_not_own_work(reviewer_id=by.pk, author_id=fresh.submitted_by_id,
                             what=_("the %(period)s measurement of %(code)s") % {
                                 "period": fresh.period.label, "code": fresh.indicator.code},
                             did="submitted", action="review")
    return fresh, status


def measurement_approve(*, measurement: Measurement, by, version: int) -> Measurement:
    """Submitted -> approved: the figures become the ones the scorecard uses."""
    with transaction.atomic():
        fresh, status = _reviewable(measurement, by, version, rules.APPROVE)
        check_measured_period(fresh.indicator, fresh.period)  # never a year on top of its quarters
        now = timezone.now()
        fresh.status = status
        fresh.reviewed_by, fresh.reviewed_at = by, now
        fresh.approved_value, fresh.approved_rating, fresh.approved_at = fresh.value, fresh.rating, now
        fresh.review_note = ""
        bump(fresh)
        stamp(fresh, by, "Approved")
        save(fresh)
        parts_approve(owner=fresh, by=by, reason="Approved")
    return fresh


def measurement_return(*, measurement: Measurement, by, note: str, version: int) -> Measurement:
    """Submitted -> returned, with a note the officer sees."""
    note = rules.check_return_note(note)
    with transaction.atomic():
        fresh, status = _reviewable(measurement, by, version, rules.RETURN)
        fresh.status = status
        fresh.reviewed_by, fresh.reviewed_at = by, timezone.now()
        fresh.review_note = note
        bump(fresh)
        stamp(fresh, by, "Returned for revision")
        save(fresh)
    return fresh
