"""Creating and editing indicators. What may change, and what goes to review instead, is the
rulebook's decision (indicators.rules.indicator_change), asked with facts read here."""
import copy

from django.db import transaction
from django.utils.translation import gettext as _

from results.programme_rules import ENTER

from .. import rules
from ..models import Baseline, Indicator, Measurement, Target
from ..periods import fiscal_year_of
from . import proposals
from .common import bump, check_version, require_in_programme, save, stamp

# The name's and definition's translations (indicators/translation.py); "name" and "definition"
# themselves are the English texts.
TRANSLATIONS = ("name_fr", "name_es", "name_pt", "definition_fr", "definition_es", "definition_pt")
INDICATOR_FIELDS = ("result", "code", "name", "definition", "kind", "measure", "unit", "direction",
                    "aggregation", "data_source", "means_of_verification", "frequency", "responsible",
                    "weight", "order", *TRANSLATIONS)


def stored_fields(changes: dict) -> dict:
    """The stored columns the fields write: "name" and "definition" are the English ones, whatever
    language the person editing reads the site in (django-modeltranslation would otherwise write
    theirs); a blank translation is none (the reader gets the English text)."""
    stored = {}
    for field, value in changes.items():
        if field in ("name", "definition"):
            field = f"{field}_en"
        elif field in TRANSLATIONS:
            value = (value or "").strip() or None
        stored[field] = value
    return stored


def indicator_facts(indicator: Indicator) -> rules.IndicatorFacts:
    """What the rulebook needs to know of a stored indicator (three small queries)."""
    measurements = Measurement.objects.filter(indicator=indicator)
    has_measurements = measurements.exists()
    has_figures = has_measurements or indicator.targets.exists() or (
        Baseline.objects.filter(indicator=indicator).exclude(value=None, text="").exists())
    return rules.IndicatorFacts(
        code=indicator.code, frequency=indicator.frequency,
        has_figures=has_figures, has_measurements=has_measurements,
        has_approved_measurements=has_measurements and measurements.filter(approved_at__isnull=False).exists(),
        shown=indicator_shown(indicator),
    )


def indicator_shown(indicator: Indicator) -> dict:
    """The indicator's scoring fields as a reader sees them, for the rulebook's messages."""
    return {name: getattr(indicator, f"get_{name}_display")().lower()
            for name in ("kind", "measure", "direction", "aggregation", "frequency")}


def figure_fiscal_years(indicator: Indicator) -> set[int]:
    """The fiscal years of the indicator's baseline, targets and measurements (three small queries)."""
    years = set(indicator.targets.values_list("period__fiscal_year", flat=True))
    years |= set(Measurement.objects.filter(indicator=indicator).values_list("period__fiscal_year", flat=True))
    baseline = Baseline.objects.filter(indicator=indicator).select_related("period").first()
    if baseline is not None and baseline.period is not None:
        years.add(baseline.period.fiscal_year)
    elif baseline is not None and baseline.as_of is not None:
        years.add(fiscal_year_of(baseline.as_of))
    return years


def framework_figure_years(framework) -> set[int]:
    """The fiscal years of every baseline, target and measurement in the framework (four queries)."""
    of_framework = {"indicator__result__framework": framework}
    years = set(Target.objects.filter(**of_framework).values_list("period__fiscal_year", flat=True))
    years |= set(Measurement.objects.filter(**of_framework).values_list("period__fiscal_year", flat=True))
    years |= set(Baseline.objects.filter(**of_framework, period__isnull=False)
                 .values_list("period__fiscal_year", flat=True))
    years |= {fiscal_year_of(day) for day in Baseline.objects.filter(**of_framework, period__isnull=True)
              .exclude(as_of=None).values_list("as_of", flat=True)}
    return years


def check_framework_years(framework, *, first_fiscal_year: int, last_fiscal_year: int) -> None:
    """The rulebook, for an edit of a framework's fiscal years (the admin asks it)."""
    rules.check_framework_years_hold_figures(fiscal_years=framework_figure_years(framework), framework=framework.name,
                                             first_fiscal_year=first_fiscal_year, last_fiscal_year=last_fiscal_year)


def check_result_move(indicator: Indicator, result) -> None:
    """The rulebook: the new result's framework covers every figure of the indicator."""
    framework = result.framework
    rules.check_figures_in_framework(fiscal_years=figure_fiscal_years(indicator), code=indicator.code,
                                     framework=framework.name, first_fiscal_year=framework.first_fiscal_year,
                                     last_fiscal_year=framework.last_fiscal_year)


def check_candidate(indicator: Indicator, changed: dict) -> None:
    """The indicator as it would stand after `changed` passes its model's validation: a proposal
    that could never be applied is refused when it is made, not when a manager approves it."""
    candidate = copy.copy(indicator)
    for name, value in changed.items():
        setattr(candidate, name, value)
    candidate.full_clean(validate_unique=True)
    check_indicator_rules(candidate)


def check_indicator_rules(indicator: Indicator) -> None:
    rules.check_indicator_definition(kind=indicator.kind, measure=indicator.measure,
                                     aggregation=indicator.aggregation)


def indicator_create(*, by, result, code: str, name: str, **fields) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_create does not take {', '.join(sorted(unknown))}")
    require_in_programme(by, ENTER, result, _("add indicators"))
    indicator = Indicator(result=result, code=(code or "").strip().upper(),
                          **stored_fields({"name": (name or "").strip(), **fields}))
    if indicator.kind == Indicator.Kind.QUALITATIVE:
        indicator.measure = fields.get("measure") or Indicator.Measure.RATING
    check_indicator_rules(indicator)
    with transaction.atomic():
        stamp(indicator, by, "Indicator created")
        save(indicator)
    return indicator


def indicator_update(*, indicator: Indicator, by, version: int, reason: str = "", **changes) -> Indicator:
    """Write the changed fields. Once the indicator has approved measurements, a change that would
    re-score them (its result, its weight) becomes a proposal for a manager instead, with `reason`;
    the returned indicator's `proposal` is that proposal (None when everything was written)."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update does not take {', '.join(sorted(unknown))}")
    with transaction.atomic():
        fresh = Indicator.objects.select_for_update().select_related("result__framework").get(pk=indicator.pk)
        require_in_programme(by, ENTER, fresh, _("change indicators"))
        if changes.get("result") is not None:  # nor move one out of the programme
            require_in_programme(by, ENTER, changes["result"], _("move indicators"))
        check_version(fresh, version, noun=_("Indicator %(code)s") % {"code": fresh.code},
                      fields=("name", "kind", "measure", "unit", "direction", "aggregation", "weight"))
        if "code" in changes:
            changes["code"] = (changes["code"] or "").strip().upper()
        changes = stored_fields(changes)
        changed = {k: v for k, v in changes.items() if getattr(fresh, k) != v}
        decision = rules.indicator_change(indicator_facts(fresh), changed)
        if "result" in changed and changed["result"].framework_id != fresh.result.framework_id:
            check_result_move(fresh, changed["result"])
        fresh.proposal = None
        if decision.needs_review:
            rules.check_proposal_reason(reason, code=fresh.code)
            check_candidate(fresh, changed)
            fresh.proposal = proposals.proposal_open(
                indicator=fresh, subject="indicator", changes=decision.for_review, reason=reason, by=by)
        for k, v in decision.direct.items():
            setattr(fresh, k, v)
        check_indicator_rules(fresh)
        if decision.direct:
            bump(fresh)
            stamp(fresh, by, "Indicator edited")
            save(fresh)
    return fresh


def indicator_apply(*, indicator: Indicator, changes: dict, by, reason: str) -> Indicator:
    """Write an approved proposal's changes (the reviewer's decision, recorded as theirs)."""
    fresh = Indicator.objects.select_for_update().select_related("result__framework").get(pk=indicator.pk)
    if "result" in changes and changes["result"].framework_id != fresh.result.framework_id:
        check_result_move(fresh, changes["result"])  # the figures may have changed since it was proposed
    for k, v in changes.items():
        setattr(fresh, k, v)
    check_indicator_rules(fresh)
    bump(fresh)
    stamp(fresh, by, reason)
    save(fresh)
    return fresh


def check_change(*, indicator: Indicator, changed: dict) -> rules.ChangeDecision:
    """The rulebook's decision on `changed`, for callers that plan without writing (a preview)."""
    return rules.indicator_change(indicator_facts(indicator), changed)


__all__ = ["INDICATOR_FIELDS", "TRANSLATIONS", "stored_fields", "indicator_facts", "indicator_shown", "check_indicator_rules", "check_result_move",
           "figure_fiscal_years", "check_candidate", "framework_figure_years", "check_framework_years", "indicator_create",
           "indicator_update", "indicator_apply", "check_change"]
