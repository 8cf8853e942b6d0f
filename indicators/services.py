"""Writes to indicators, baselines, targets and measurements, and the review transitions.

Every write: keyword-only arguments, values checked by indicators.validation (the same rules the
forms and the importer use), full_clean(), one transaction. Rows that already exist are re-read
under select_for_update and compared with the `version` the caller loaded: a stale edit raises
ConflictError listing the current values instead of overwriting someone else's work. The acting
user is stamped on the audit history (`_history_user`) so history is right outside requests too.
"""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import validation
from .models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from .periods import HALF, QUARTER, YEAR, PeriodSpec, fiscal_year_of


class ConflictError(ValidationError):
    """Someone saved the record after the caller loaded it. `current` holds the values now stored."""

    def __init__(self, message: str, *, current: dict, current_version: int):
        super().__init__(message, code="conflict")
        self.current = current
        self.current_version = current_version


# ---------------------------------------------------------------------------------------------
# helpers


def _stamp(obj, by, reason: str = "") -> None:
    """Who did it and why, for django-simple-history (also outside a request: commands, tests)."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason


def _require_perm(by, perm: str, what: str) -> None:
    if by is None or not by.has_perm(perm):
        raise PermissionDenied(f"You may not {what}.")


def _username(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "someone"


def _current_values(obj, fields) -> dict:
    """The stored values, as the user reads them ("Value": "1,200 cities"), for a conflict message."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if name == "period":
            value = obj.period.label if obj.period_id else "—"
        elif name == "value" and hasattr(obj, "measure"):
            unit = obj.indicator.unit if hasattr(obj, "indicator") else ""
            value = validation.format_figure(measure=obj.measure or "number", value=value, unit=unit)
        elif hasattr(obj, f"get_{name}_display") and value:
            value = getattr(obj, f"get_{name}_display")()
        elif value in (None, ""):
            value = "—"
        label = str(obj._meta.get_field(name).verbose_name)
        values[label[:1].upper() + label[1:]] = value
    return values


def _check_version(fresh, version, *, noun: str, fields) -> None:
    """Optimistic concurrency: the caller's `version` must be the stored one."""
    if version is not None and int(version) == fresh.version:
        return
    last = fresh.history.select_related("history_user").first()
    who = f" by {_username(last.history_user)} at {timezone.localtime(last.history_date):%d %b %Y %H:%M}" if last else ""
    current = _current_values(fresh, fields)
    listing = "; ".join(f"{k}: {v}" for k, v in current.items())
    raise ConflictError(
        f"{noun} was changed{who} after you opened it, so your changes were not saved. "
        f"Current values: {listing}. Check them, then save again if yours should replace them.",
        current=current, current_version=fresh.version,
    )


def _bump(obj) -> None:
    obj.version = (obj.version or 0) + 1


def _save(obj) -> None:
    """full_clean, then save; a constraint race (two creators at once) becomes a clear message."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(f"{obj} could not be saved: it conflicts with a record saved at the "
                              f"same moment ({exc.__class__.__name__}). Reload and try again.") from exc


# ---------------------------------------------------------------------------------------------
# periods


def period_get_or_create(*, label: str | None = None, spec: PeriodSpec | None = None) -> ReportingPeriod:
    """The reporting period named by `label` ("FY2014", "FY2014-Q3"), created with its parents."""
    if spec is None:
        spec = validation.parse_period(label)
    existing = ReportingPeriod.objects.filter(kind=spec.kind, fiscal_year=spec.fiscal_year,
                                              number=spec.number).first()
    if existing is not None:
        return existing
    parent = period_get_or_create(spec=spec.parent) if spec.parent else None
    with transaction.atomic():
        period, _ = ReportingPeriod.objects.get_or_create(
            kind=spec.kind, fiscal_year=spec.fiscal_year, number=spec.number,
            defaults={"label": spec.label, "start": spec.start, "end": spec.end, "parent": parent},
        )
    return period


def _framework_period(indicator: Indicator, period, *, field: str = "period") -> ReportingPeriod:
    """A period (object or label) inside the indicator's framework's fiscal years."""
    framework = indicator.result.framework
    try:
        spec = period.spec if isinstance(period, ReportingPeriod) else validation.parse_period(period)
        validation.check_period_in_framework(
            spec, first_fiscal_year=framework.first_fiscal_year,
            last_fiscal_year=framework.last_fiscal_year, framework=framework.name)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return period if isinstance(period, ReportingPeriod) else period_get_or_create(spec=spec)


# ---------------------------------------------------------------------------------------------
# indicators

INDICATOR_FIELDS = ("result", "code", "name", "definition", "kind", "measure", "unit", "direction",
                    "aggregation", "data_source", "means_of_verification", "frequency", "responsible",
                    "weight", "order")


def check_indicator_rules(indicator: Indicator) -> None:
    errors = {}
    if indicator.kind == Indicator.Kind.QUALITATIVE:
        if indicator.measure != Indicator.Measure.RATING:
            errors["measure"] = "A qualitative indicator is measured by a rating."
        if indicator.aggregation != Indicator.Aggregation.LATEST:
            errors["aggregation"] = "A qualitative indicator takes its latest rating; choose \"latest value\"."
    elif indicator.measure == Indicator.Measure.RATING:
        errors["measure"] = "Only qualitative indicators are rated; choose another measure or make it qualitative."
    if indicator.measure in (Indicator.Measure.PERCENTAGE, Indicator.Measure.YES_NO) \
            and indicator.aggregation == Indicator.Aggregation.SUM:
        errors["aggregation"] = "Percentages and yes/no values cannot be summed over periods; choose latest or average."
    if errors:
        raise ValidationError(errors)


def indicator_create(*, by, result, code: str, name: str, **fields) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_create does not take {', '.join(sorted(unknown))}")
    indicator = Indicator(result=result, code=(code or "").strip().upper(), name=(name or "").strip(),
                          **fields)
    if indicator.kind == Indicator.Kind.QUALITATIVE:
        indicator.measure = fields.get("measure") or Indicator.Measure.RATING
    check_indicator_rules(indicator)
    with transaction.atomic():
        _stamp(indicator, by, "Indicator created")
        _save(indicator)
    return indicator


def indicator_update(*, indicator: Indicator, by, version: int, **changes) -> Indicator:
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update does not take {', '.join(sorted(unknown))}")
    with transaction.atomic():
        fresh = Indicator.objects.select_for_update().select_related("result__framework").get(pk=indicator.pk)
        _check_version(fresh, version, noun=f"Indicator {fresh.code}",
                       fields=("name", "kind", "measure", "unit", "direction", "aggregation", "weight"))
        if "code" in changes:
            changes["code"] = (changes["code"] or "").strip().upper()
        changed = {k: v for k, v in changes.items() if getattr(fresh, k) != v}
        _check_locked_changes(fresh, changed)
        for k, v in changed.items():
            setattr(fresh, k, v)
        check_indicator_rules(fresh)
        if changed:
            _bump(fresh)
            _stamp(fresh, by, "Indicator edited")
            _save(fresh)
    return fresh


# Fixed once a measurement is approved: they decide how approved figures add up and are judged.
_LOCKED_BY_APPROVED = ("direction", "aggregation")


def _check_locked_changes(fresh: Indicator, changed: dict) -> None:
    """Kind and measure are fixed once any figure is recorded; frequency once a measurement is (the
    periods measured are of its kind); direction and aggregation once a measurement is approved
    (they decide how the approved figures are added up and judged). Weight may still change: it is
    a roll-up choice, and the history records it."""
    errors = {}
    if {"measure", "kind"} & set(changed) and _has_figures(fresh):
        errors["measure"] = (
            f"{fresh.code} already has a baseline, targets or measurements recorded as "
            f"{fresh.get_measure_display().lower()}; its kind and measure can no longer change.")
    if "frequency" in changed and fresh.measurements.exists():
        errors["frequency"] = (
            f"{fresh.code} already has measurements recorded {_FREQUENCY_WORDS[fresh.frequency]}; its "
            "frequency can no longer change (the periods already measured would no longer fit it).")
    locked = [name for name in _LOCKED_BY_APPROVED if name in changed]
    if locked and fresh.measurements.filter(approved_at__isnull=False).exists():
        for name in locked:
            label = fresh._meta.get_field(name).verbose_name
            current = getattr(fresh, f"get_{name}_display")().lower()
            errors[name] = (f"{fresh.code} already has approved measurements judged with {label} "
                            f"\"{current}\"; its {label} can no longer change.")
    if errors:
        raise ValidationError(errors)


def _has_figures(indicator: Indicator) -> bool:
    return (Baseline.objects.filter(indicator=indicator).exclude(value=None, text="").exists()
            or indicator.targets.exists() or indicator.measurements.exists())


# ---------------------------------------------------------------------------------------------
# baselines

BASELINE_FIELDS = ("value", "text", "period", "as_of", "source", "status", "due_date")


def baseline_record(*, indicator: Indicator, by, version: int = 0, value=None, text: str = "",
                    period=None, as_of: date | None = None, source: str = "",
                    status: str = Baseline.Status.COLLECTED, due_date: date | None = None) -> Baseline:
    """Create or update the indicator's baseline. version=0 means "there was none when I looked"."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    framework = indicator.result.framework
    rated = indicator.measure == Indicator.Measure.RATING
    errors = {}
    figure = validation.Figure()
    if rated:
        if value not in (None, ""):
            errors["value"] = "This indicator is qualitative: describe the baseline in words."
    else:
        if (text or "").strip():
            errors["text"] = "This indicator is quantitative: enter the baseline as a number."
        try:
            figure = validation.clean_figure(measure=indicator.measure, value=value, required=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if period not in (None, ""):
        try:
            period = _framework_period(indicator, period)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    else:
        period = None
    if as_of is not None and not framework.covers_fiscal_year(fiscal_year_of(as_of)):
        errors["as_of"] = (f"{as_of:%d %b %Y} falls in FY{fiscal_year_of(as_of)}, outside {framework.name} "
                           f"(FY{framework.first_fiscal_year} to FY{framework.last_fiscal_year}).")
    if status != Baseline.Status.PLANNED:
        if figure.value is None and not rated and "value" not in errors:
            errors["value"] = "A collected baseline needs its value (or set the status to planned)."
        if rated and not (text or "").strip():
            errors["text"] = "A collected baseline needs its description (or set the status to planned)."
        if period is None and as_of is None and "period" not in errors:
            errors["period"] = "Say when the baseline was measured: a period or an as-of date."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        baseline = Baseline.objects.select_for_update().filter(indicator=indicator).first()
        fields = ("value", "text", "period", "as_of", "status", "source", "due_date")
        if baseline is None:
            if version:
                raise ValidationError("This baseline has been removed since you opened it; reload the page.")
            baseline = Baseline(indicator=indicator, measure=indicator.measure)
            reason = "Baseline recorded" if status != Baseline.Status.PLANNED else "Baseline planned"
        else:
            _check_version(baseline, version, noun=f"The baseline of {indicator.code}", fields=fields)
            _bump(baseline)
            reason = "Baseline updated"
        baseline.measure = indicator.measure
        baseline.value = figure.value
        baseline.text = (text or "").strip() if rated else ""
        baseline.period = period
        baseline.as_of = as_of
        baseline.source = source or ""
        baseline.status = status
        baseline.due_date = due_date
        if status != Baseline.Status.PLANNED:
            baseline.collected_by = by
        _stamp(baseline, by, reason)
        _save(baseline)
    return baseline


# ---------------------------------------------------------------------------------------------
# targets

TARGET_FIELDS = ("period", "value", "rating", "status", "rationale")


def target_set(*, indicator: Indicator, period, by, value=None, rating=None, rationale: str = "",
               version: int = 0) -> Target:
    """Propose a (preliminary) target, or change one not yet approved. An approved target is
    changed by target_revise, with the reason for the change."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    period = _framework_period(indicator, period)
    figure = validation.clean_figure(measure=indicator.measure, value=value, rating=rating)
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(indicator=indicator, period=period).first()
        if target is None:
            if version:
                raise ValidationError("This target has been removed since you opened it; reload the page.")
            target = Target(indicator=indicator, period=period, proposed_by=by)
            reason = "Target proposed"
        else:
            if not version:
                raise ValidationError({"period": (
                    f"{indicator.code} already has a target for {period.label} "
                    f"({_figure_text(indicator, target.value, target.rating)}, {target.get_status_display().lower()}); "
                    "edit that one instead.")})
            _check_version(target, version, noun=f"The {period.label} target of {indicator.code}", fields=TARGET_FIELDS)
            if target.status == Target.Status.APPROVED:
                return target_revise(target=target, by=by, value=value, rating=rating, rationale=rationale,
                                     version=version)
            _bump(target)
            target.proposed_by = by
            target.approved_by = None  # the proposer changed: any earlier reviewer may now approve
            reason = "Target changed"
        target.measure = indicator.measure
        target.value, target.rating = figure.value, figure.rating
        target.rationale = (rationale or "").strip()
        target.status = Target.Status.PRELIMINARY
        _stamp(target, by, reason)
        _save(target)
    return target


def target_revise(*, target: Target, by, value=None, rating=None, rationale: str, version: int) -> Target:
    """Change an approved target: the working figures become preliminary until approved (the last
    approved figures keep counting meanwhile); the reason is kept."""
    with transaction.atomic():
        fresh = Target.objects.select_for_update().select_related("indicator", "period").get(pk=target.pk)
        _check_version(fresh, version, noun=f"The {fresh.period.label} target of {fresh.indicator.code}",
                       fields=TARGET_FIELDS)
        figure = validation.clean_figure(measure=fresh.indicator.measure, value=value, rating=rating)
        rationale = (rationale or "").strip()
        if not rationale or rationale == fresh.rationale.strip():
            raise ValidationError({"rationale": (
                "This target was approved: explain why it changes (the rationale is kept with the "
                "earlier value in the history).")})
        if fresh.status == Target.Status.APPROVED and figure.value == fresh.value and figure.rating == fresh.rating:
            raise ValidationError({"value": "The revised target is the same as the approved one."})
        fresh.value, fresh.rating = figure.value, figure.rating
        fresh.rationale = rationale
        fresh.status = Target.Status.PRELIMINARY
        fresh.proposed_by = by
        fresh.approved_by = None  # any manager but the proposer may approve the revision
        # approved_value / approved_rating / approved_at stay: every page keeps scoring against the
        # last approved target until a manager approves the revision.
        fresh.review_note = ""
        _bump(fresh)
        _stamp(fresh, by, "Target revised")
        _save(fresh)
    return fresh


def _reviewable_target(target: Target, by, version: int, *, action: str, verb: str) -> Target:
    """The target re-read under lock, checked for a review: permission, version, preliminary status,
    and not the reviewer's own proposal. `action` ("approve", "review") and `verb` ("approved",
    "returned") word the messages."""
    _require_perm(by, "indicators.approve_target", f"{action} targets")
    fresh = Target.objects.select_for_update().select_related("indicator", "period").get(pk=target.pk)
    _check_version(fresh, version, noun=f"The {fresh.period.label} target of {fresh.indicator.code}",
                   fields=TARGET_FIELDS)
    if fresh.status != Target.Status.PRELIMINARY:
        raise ValidationError(f"Only a preliminary target can be {verb}; this one is "
                              f"{fresh.get_status_display().lower()}.")
    if fresh.proposed_by_id and fresh.proposed_by_id == by.pk:
        raise ValidationError(f"You proposed this target: another manager must {action} it.")
    return fresh


def target_approve(*, target: Target, by, version: int) -> Target:
    """Preliminary -> approved: its figures become the approved ones every page scores against."""
    with transaction.atomic():
        fresh = _reviewable_target(target, by, version, action="approve", verb="approved")
        fresh.status = Target.Status.APPROVED
        fresh.approved_by = by
        fresh.approved_at = timezone.now()
        fresh.approved_value, fresh.approved_rating = fresh.value, fresh.rating
        fresh.review_note = ""
        _bump(fresh)
        _stamp(fresh, by, "Target approved")
        _save(fresh)
    return fresh


def target_return(*, target: Target, by, note: str, version: int) -> Target:
    """Preliminary -> returned, with a note; an earlier approved target keeps counting."""
    _require_perm(by, "indicators.approve_target", "review targets")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what should change: the proposer sees this note."})
    with transaction.atomic():
        fresh = _reviewable_target(target, by, version, action="review", verb="returned")
        fresh.status = Target.Status.RETURNED
        fresh.review_note = note
        _bump(fresh)
        _stamp(fresh, by, "Target returned for revision")
        _save(fresh)
    return fresh


# ---------------------------------------------------------------------------------------------
# measurements

# The kind of period an indicator is measured in, by its collection frequency.
MEASURED_KIND = {Indicator.Frequency.ANNUAL: YEAR, Indicator.Frequency.SEMIANNUAL: HALF,
                 Indicator.Frequency.QUARTERLY: QUARTER}
_FREQUENCY_WORDS = {Indicator.Frequency.ANNUAL: "annually", Indicator.Frequency.SEMIANNUAL: "twice a year",
                    Indicator.Frequency.QUARTERLY: "quarterly"}
_KIND_WORDS = {YEAR: "a fiscal year", HALF: "a half year", QUARTER: "a quarter"}


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
    twice a year -> half year, quarterly -> quarter). Summed indicators would otherwise count a
    year and its quarters twice. The one rule for the services, the forms and the importer."""
    kind = MEASURED_KIND.get(frequency, YEAR)
    if spec.kind == kind:
        return
    instead = measured_periods(spec, kind)
    record = instead[0].label if len(instead) == 1 else (
        f"{instead[0].label} and {instead[1].label}" if len(instead) == 2
        else f"{instead[0].label} to {instead[-1].label}")
    raise ValidationError(f"{spec.label} is {_KIND_WORDS[spec.kind]}; {code} is measured "
                          f"{_FREQUENCY_WORDS.get(frequency, frequency)}: record {record}.")


def _check_measured_period(indicator: Indicator, period: ReportingPeriod) -> None:
    try:
        check_measurement_period(spec=period.spec, code=indicator.code, frequency=indicator.frequency)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None


MEASUREMENT_FIELDS = ("value", "rating", "text", "evidence_url", "comment", "so_what", "status", "revision")


def _figure_text(indicator: Indicator, value, rating) -> str:
    return validation.format_figure(measure=indicator.measure, value=value, rating=rating, unit=indicator.unit)


def measurement_save_draft(*, indicator: Indicator, period, by, version: int = 0, value=None, rating=None,
                           text: str = "", evidence=None, clear_evidence: bool = False,
                           evidence_url: str = "", comment: str = "", so_what: str = "") -> Measurement:
    """Record (or correct) an actual as a draft. Editing an approved actual starts a new revision:
    its approved figures keep serving the scorecard until the revision is approved."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    errors = {}
    try:
        period = _framework_period(indicator, period)
        _check_measured_period(indicator, period)
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
    with transaction.atomic():
        measurement = (Measurement.objects.select_for_update()
                       .filter(indicator=indicator, period=period).first())
        if measurement is None:
            if version:
                raise ValidationError("This measurement has been removed since you opened it; reload the page.")
            measurement = Measurement(indicator=indicator, period=period, created_by=by)
            reason = "Measurement drafted"
        else:
            if not version:
                raise ValidationError({"period": (
                    f"{indicator.code} already has a measurement for {period.label} "
                    f"({_figure_text(indicator, measurement.value, measurement.rating)}, "
                    f"{measurement.get_status_display().lower()}); open it to change it.")})
            _check_version(measurement, version, noun=f"The {period.label} measurement of {indicator.code}",
                           fields=MEASUREMENT_FIELDS)
            if measurement.status == Measurement.Status.SUBMITTED:
                raise ValidationError(
                    f"The {period.label} measurement of {indicator.code} is awaiting review; it can be "
                    "changed once a manager approves or returns it.")
            reason = "Measurement edited"
            if measurement.status == Measurement.Status.APPROVED:
                measurement.revision += 1
                measurement.status = Measurement.Status.DRAFT
                measurement.submitted_by = measurement.submitted_at = None
                measurement.reviewed_by = measurement.reviewed_at = None
                measurement.review_note = ""
                reason = f"Revision {measurement.revision} started"
            _bump(measurement)
        measurement.measure = indicator.measure
        measurement.value, measurement.rating = figure.value, figure.rating
        measurement.text = (text or "").strip()
        if evidence:
            measurement.evidence = evidence  # earlier files stay on disk: the history points to them
        elif clear_evidence:
            measurement.evidence = ""
        measurement.evidence_url = (evidence_url or "").strip()
        measurement.comment = (comment or "").strip()
        measurement.so_what = (so_what or "").strip()
        _stamp(measurement, by, reason)
        _save(measurement)
    return measurement


def measurement_submit(*, measurement: Measurement, by, version: int) -> Measurement:
    """Draft or returned -> submitted for review: it needs a figure and evidence."""
    with transaction.atomic():
        fresh = Measurement.objects.select_for_update().select_related("indicator", "period").get(pk=measurement.pk)
        noun = f"The {fresh.period.label} measurement of {fresh.indicator.code}"
        _check_version(fresh, version, noun=noun, fields=MEASUREMENT_FIELDS)
        if fresh.status not in (Measurement.Status.DRAFT, Measurement.Status.RETURNED):
            raise ValidationError(f"{noun} is {fresh.get_status_display().lower()}; only a draft or a "
                                  "returned measurement can be submitted.")
        errors = {}
        try:
            _check_measured_period(fresh.indicator, fresh.period)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if fresh.value is None and not fresh.rating:
            errors["rating" if fresh.measure == Indicator.Measure.RATING else "value"] = (
                "Enter the value before submitting.")
        if not fresh.evidence and not fresh.evidence_url:
            errors["evidence"] = "Attach the evidence (a file or a link) before submitting."
        if errors:
            raise ValidationError(errors)
        fresh.status = Measurement.Status.SUBMITTED
        fresh.submitted_by = by
        fresh.submitted_at = timezone.now()
        fresh.reviewed_by = fresh.reviewed_at = None
        _bump(fresh)
        _stamp(fresh, by, "Submitted for review")
        _save(fresh)
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


def _reviewable(measurement: Measurement, by, version: int, action: str) -> Measurement:
    _require_perm(by, "indicators.review_measurement", f"{action} measurements")
    fresh = (Measurement.objects.select_for_update()
             .select_related("indicator", "period").get(pk=measurement.pk))
    noun = f"The {fresh.period.label} measurement of {fresh.indicator.code}"
    _check_version(fresh, version, noun=noun, fields=MEASUREMENT_FIELDS)
    if fresh.status != Measurement.Status.SUBMITTED:
        raise ValidationError(f"{noun} is {fresh.get_status_display().lower()}, not submitted: "
                              f"there is nothing to {action}.")
    if fresh.submitted_by_id == by.pk:
        raise ValidationError(f"You submitted the {fresh.period.label} measurement of {fresh.indicator.code}: "
                              "another manager must review it.")
    return fresh


def measurement_approve(*, measurement: Measurement, by, version: int) -> Measurement:
    """Submitted -> approved: the figures become the ones the scorecard uses."""
    with transaction.atomic():
        fresh = _reviewable(measurement, by, version, "approve")
        _check_measured_period(fresh.indicator, fresh.period)  # never a year on top of its quarters
        now = timezone.now()
        fresh.status = Measurement.Status.APPROVED
        fresh.reviewed_by, fresh.reviewed_at = by, now
        fresh.approved_value, fresh.approved_rating, fresh.approved_at = fresh.value, fresh.rating, now
        fresh.review_note = ""
        _bump(fresh)
        _stamp(fresh, by, "Approved")
        _save(fresh)
    return fresh


def measurement_return(*, measurement: Measurement, by, note: str, version: int) -> Measurement:
    """Submitted -> returned, with a note the officer sees."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what should change: the officer sees this note."})
    with transaction.atomic():
        fresh = _reviewable(measurement, by, version, "return")
        fresh.status = Measurement.Status.RETURNED
        fresh.reviewed_by, fresh.reviewed_at = by, timezone.now()
        fresh.review_note = note
        _bump(fresh)
        _stamp(fresh, by, "Returned for revision")
        _save(fresh)
    return fresh


__all__ = [
    "ConflictError", "period_get_or_create", "indicator_create", "indicator_update", "baseline_record",
    "target_set", "target_revise", "target_approve", "target_return", "measurement_save_draft",
    "measurement_submit", "measurement_record", "measurement_approve", "measurement_return",
    "check_measurement_period", "measured_periods", "MEASURED_KIND", "check_indicator_rules",
]
