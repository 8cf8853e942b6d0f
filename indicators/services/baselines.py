"""Recording a baseline. Once the indicator has approved measurements, a change of what is scored
(value, period, as-of date, status, and its parts: services.parts) becomes a proposal a manager
approves (indicators.rules); the source and due date are written at once. A form saved unchanged writes nothing."""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from results.programme_rules import ENTER

from .. import rules, series, validation
from ..models import Baseline, Indicator, Measurement
from ..periods import fiscal_year_of
from . import proposals
from .common import bump, changed_fields, check_version, require_in_programme, save, stamp
from .parts import check_baseline_parts, parts_plan, parts_write, stored_parts
from .periods import framework_period

BASELINE_FIELDS = ("value", "text", "period", "as_of", "source", "status", "due_date")


def _cleaned(indicator: Indicator, *, value, text, period, as_of, status) -> tuple[dict, dict]:
    """(the checked values, errors by field)."""
    framework = indicator.result.framework
    rated = indicator.measure == Indicator.Measure.RATING
    errors = {}
    figure = validation.Figure()
    if rated:
        if value not in (None, ""):
            errors["value"] = _("This indicator is qualitative: describe the baseline in words.")
    else:
        if (text or "").strip():
            errors["text"] = _("This indicator is quantitative: enter the baseline as a number.")
        try:
            figure = validation.clean_figure(measure=indicator.measure, value=value, required=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if period not in (None, ""):
        try:
            period = framework_period(indicator, period)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    else:
        period = None
    if as_of is not None:
        try:
            rules.check_date_in_framework(as_of, fiscal_year=fiscal_year_of(as_of), framework=framework.name,
                                          first_fiscal_year=framework.first_fiscal_year,
                                          last_fiscal_year=framework.last_fiscal_year)
        except ValidationError as exc:
            errors["as_of"] = exc.messages
    if status != Baseline.Status.PLANNED:
        if figure.value is None and not rated and "value" not in errors:
            errors["value"] = _("A collected baseline needs its value (or set the status to planned).")
        if rated and not (text or "").strip():
            errors["text"] = _("A collected baseline needs its description (or set the status to planned).")
        if period is None and as_of is None and "period" not in errors:
            errors["period"] = _("Say when the baseline was measured: a period or an as-of date.")
    return {"value": figure.value, "text": (text or "").strip() if rated else "", "period": period,
            "as_of": as_of, "status": status}, errors


def check_before_measurements(indicator: Indicator, *, period, as_of) -> None:
    """The rulebook: every measured period comes after the baseline."""
    ordinal = series.baseline_ordinal(period_end=period.end if period else None,
                                      period_kind=period.kind if period else None, as_of=as_of)
    measured = [(p.ordinal, p.label) for p in
                (m.period for m in Measurement.objects.filter(indicator=indicator).select_related("period"))]
    try:
        rules.check_baseline_before_measurements(
            baseline_ordinal=ordinal, baseline_label=period.label if period else f"{as_of:%d %b %Y}" if as_of else "",
            measured=measured, code=indicator.code)
    except ValidationError as exc:
        field = "period" if period is not None else "as_of"
        raise ValidationError({field: exc.message_dict["period"]}) from None


def baseline_record(*, indicator: Indicator, by, version: int = 0, value=None, text: str = "",
                    period=None, as_of: date | None = None, source: str = "",
                    status: str = Baseline.Status.COLLECTED, due_date: date | None = None,
                    reason: str = "", parts: dict | None = None) -> Baseline:
    """Create or update the indicator's baseline, with its parts (services.parts; None keeps the
    stored ones, checked again against a new value). version=0 means "there was none when I looked".
    The returned baseline's `proposal` is the proposal opened for review, if any."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    require_in_programme(by, ENTER, indicator, _("record baselines"))
    scored, errors = _cleaned(indicator, value=value, text=text, period=period, as_of=as_of, status=status)
    if errors:
        raise ValidationError(errors)
    wanted = {**scored, "source": source or "", "due_date": due_date}
    with transaction.atomic():
        baseline = Baseline.objects.select_for_update().filter(indicator=indicator).first()
        if baseline is None:
            if version:
                raise ValidationError(_("This baseline has been removed since you opened it; reload the page."))
            baseline = Baseline(indicator=indicator, measure=indicator.measure, status=Baseline.Status.PLANNED)
            created = True
        else:
            check_version(baseline, version, noun=_("The baseline of %(code)s") % {"code": indicator.code}, fields=BASELINE_FIELDS)
            created = False
        changed = changed_fields(baseline, wanted)
        baseline.proposal = None
        stored = {} if created else stored_parts(baseline)
        new_parts = stored if parts is None else {int(k): v for k, v in parts.items() if not v.empty}
        parts_changed = new_parts != stored
        if not changed and not created and not parts_changed:
            return baseline
        if parts_changed:  # parts are set with a collected value
            rules.check_baseline_parts_open(code=indicator.code,
                                            counted=wanted["value"] is not None and wanted["status"] != "planned")
        if {"period", "as_of"} & set(changed) or (created and (scored["period"] or scored["as_of"])):
            check_before_measurements(indicator, period=wanted["period"], as_of=wanted["as_of"])
        approved = Measurement.objects.filter(indicator=indicator, approved_at__isnull=False).exists()
        decision = rules.baseline_change(has_approved_measurements=approved,
                                         changed={**changed, **({"parts": new_parts} if parts_changed else {})})
        if new_parts and (parts_changed or "value" in changed):
            # the parts (new or kept) against the value they will stand beside: a proposal its parts
            # would refuse on approval is refused now, naming the difference
            _total, new_parts = parts_plan(indicator=indicator, total=wanted["value"], parts=new_parts, stored=stored)
        if decision.needs_review:
            rules.check_proposal_reason(reason, code=indicator.code)
            for_review = {**decision.for_review}
            if "parts" in for_review:
                for_review["parts"] = new_parts
            baseline.proposal = proposals.proposal_open(
                indicator=indicator, subject="baseline", changes=for_review, reason=reason, by=by,
                before={**{name: getattr(baseline, name) for name in for_review if name != "parts"},
                        "parts": stored})
        parts_changed = "parts" in decision.direct
        direct = {name: new for name, new in decision.direct.items() if name != "parts"}  # parts: parts_write
        if parts_changed and not (direct or created):
            bump(baseline)
            stamp(baseline, by, "Baseline parts changed")
            save(baseline)
        if direct or created:
            for name, new in direct.items():
                setattr(baseline, name, new)
            if created:
                reason_text = "Baseline recorded" if baseline.status != Baseline.Status.PLANNED else "Baseline planned"
            else:
                bump(baseline)
                reason_text = "Baseline updated"
            if "status" in direct and baseline.status != Baseline.Status.PLANNED:
                baseline.collected_by = by
            stamp(baseline, by, reason_text)
            save(baseline)
        if parts_changed:
            parts_write(owner=baseline, wanted=new_parts, by=by, reason="Baseline parts recorded")
    return baseline


def baseline_apply(*, indicator: Indicator, changes: dict, by, reason: str, collected_by=None) -> Baseline:
    """Write an approved proposal's baseline changes (`collected_by`: who proposed them)."""
    baseline = Baseline.objects.select_for_update().filter(indicator=indicator).first()
    if baseline is None:
        baseline = Baseline(indicator=indicator, measure=indicator.measure, status=Baseline.Status.PLANNED)
    else:
        bump(baseline)
    parts = changes.pop("parts", None)
    if parts is not None:  # the proposed parts, checked again against the value they stand beside
        _total, parts = parts_plan(indicator=indicator, total=changes.get("value", baseline.value), parts=parts,
                              stored=stored_parts(baseline))
    elif "value" in changes and baseline.pk:
        check_baseline_parts(baseline, changes["value"])
    for name, value in changes.items():
        setattr(baseline, name, value)
    if {"period", "as_of"} & set(changes):
        check_before_measurements(indicator, period=baseline.period, as_of=baseline.as_of)
    if "status" in changes and baseline.status != Baseline.Status.PLANNED:
        baseline.collected_by = collected_by
    stamp(baseline, by, reason)
    save(baseline)
    if parts is not None:
        parts_write(owner=baseline, wanted=parts, by=by, reason=reason)
    return baseline
