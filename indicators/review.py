"""Reads for the reviewer and the data-entry forms: what a figure means before anyone approves it.

A manager reviewing "420 people" needs the target, the baseline, the previous approved figure, the
actual the figure would make (the running total for a cumulative indicator) and the progress and
status before and after approval. Both sides are computed by the one arithmetic
(indicators.series + indicators.arithmetic, as on the indicator page and the scorecard): "after"
is the same series with this figure counted as approved. Four queries (the last: the baseline's parts).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import arithmetic, validation
from .models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from .part_selectors import baseline_parts_shown, parts_line
from .selectors import baseline_of, figure, indicator_series, measurements_qs, standard_for, targets_qs

_AGGREGATION_WORDS = {
    Indicator.Aggregation.SUM: gettext_lazy("cumulative: the baseline plus each period's figure"),
    Indicator.Aggregation.LATEST: gettext_lazy("the latest figure counts"),
    Indicator.Aggregation.AVERAGE: gettext_lazy("the average of the periods' figures"),
}


@dataclass(frozen=True)
class Standing:
    """The indicator at the period of reference: its actual, progress and status."""
    actual: str
    progress: str
    status: str
    status_label: str


@dataclass(frozen=True)
class ReviewContext:
    period: str                # the period of reference (the measurement's, or the target period it falls in)
    aggregation: str           # in words
    cumulative: bool
    target: str                # the approved target there ("—" when none: not due)
    proposed_target: str       # a target there awaiting approval
    baseline: str              # "2,000 downloads (FY2013)", or why there is none
    previous: str              # the previous approved figure and its period
    replaces: str              # the approved figure this revision would replace
    figure: str                # the figure under review
    before: Standing
    after: Standing | None     # None on the entry forms (no figure yet)
    baseline_parts: str = ""   # "By sex: female 3, male 2" when the baseline is disaggregated


@dataclass(frozen=True)
class _AsApproved:
    """The figure under review, read as the series reads an approved measurement."""
    period: object
    approved_value: Decimal | None
    approved_rating: str
    approved_at: bool = True


def _percent(progress: Decimal | None) -> str:
    if progress is None:
        return "—"
    return f"{(progress * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def _standing(indicator: Indicator, evaluation: arithmetic.Evaluation) -> Standing:
    if indicator.is_qualitative:
        actual = figure(indicator, None, evaluation.rating or "") if evaluation.rating else "—"
    else:
        actual = figure(indicator, evaluation.actual) if evaluation.actual is not None else "—"
    return Standing(actual=actual, progress=_percent(evaluation.progress), status=evaluation.status.value,
                    status_label=evaluation.status.label)


def _reference_target(targets: list[Target], period) -> Target | None:
    """The target of the period itself, else the approved target of the smallest period containing it
    (a quarterly figure against an annual target)."""
    same = next((t for t in targets if t.period_id == period.pk), None)
    if same is not None:
        return same
    around = [t for t in targets if t.approved_at and t.period.start <= period.start and period.end <= t.period.end]
    return min(around, key=lambda t: t.period.end - t.period.start, default=None)


def figure_context(*, indicator: Indicator, period, measurement: Measurement | None = None) -> ReviewContext:
    """The context of a figure for `period`: before (as approved now) and, when `measurement` holds a
    figure, after approving it."""
    targets = list(targets_qs().filter(indicator=indicator))
    measurements = list(measurements_qs().filter(indicator=indicator))
    baseline = baseline_of(indicator)
    standard = standard_for(indicator)
    reference = _reference_target(targets, period) if period is not None else None
    at = (reference.period if reference is not None and reference.approved_at else period)

    before_series = indicator_series(indicator, baseline=baseline, targets=targets, measurements=measurements)
    before = _standing(indicator, arithmetic.evaluate(before_series, at.ordinal, standard)) if at else None

    after = None
    has_figure = measurement is not None and (measurement.value is not None or bool(measurement.rating))
    if has_figure:
        counted = [m for m in measurements if m.pk != measurement.pk]
        as_approved = _AsApproved(period=measurement.period, approved_value=measurement.value,
                                  approved_rating=measurement.rating)
        after_series = indicator_series(indicator, baseline=baseline, targets=targets,
                                        measurements=counted + [as_approved])
        after = _standing(indicator, arithmetic.evaluate(after_series, at.ordinal, standard))

    previous = [m for m in measurements if m.approved_at and period is not None
                and m.period.ordinal < period.ordinal and (measurement is None or m.pk != measurement.pk)]
    last = max(previous, key=lambda m: m.period.ordinal, default=None)
    fresh = measurement if measurement is not None else None
    return ReviewContext(
        period=at.label if at else "",
        aggregation=_AGGREGATION_WORDS.get(indicator.aggregation, indicator.get_aggregation_display()),
        cumulative=indicator.aggregation == Indicator.Aggregation.SUM,
        target=(_target_words(indicator, reference, period) if reference is not None and reference.approved_at
                else "—"),
        proposed_target=(figure(indicator, reference.value, reference.rating)
                         if reference is not None and reference.status != Target.Status.APPROVED else ""),
        baseline=_baseline_words(indicator, baseline),
        previous=(f"{figure(indicator, last.approved_value, last.approved_rating)} ({last.period.label})"
                  if last is not None else _("none yet")),
        replaces=(_approved_text(indicator, fresh) if fresh is not None and fresh.revision > 1 and
                  _had_approval(fresh) else ""),
        figure=figure(indicator, fresh.value, fresh.rating) if has_figure else "",
        before=before or Standing("—", "—", "not_due", arithmetic.Status.NOT_DUE.label),
        after=after,
        baseline_parts=_baseline_parts(indicator, baseline),
    )


def _target_words(indicator: Indicator, reference: Target, period) -> str:
    """The approved target; named by its period when it is another period's (the latest one before)."""
    shown = figure(indicator, reference.approved_value, reference.approved_rating)
    if reference.period_id == getattr(period, "pk", None):
        return shown
    return _("%(target)s (for %(period)s)") % {"target": shown, "period": reference.period.label}


def _had_approval(measurement: Measurement) -> bool:
    return measurement.approved_value is not None or bool(measurement.approved_rating)


def _approved_text(indicator: Indicator, measurement: Measurement) -> str:
    return figure(indicator, measurement.approved_value, measurement.approved_rating)


def _baseline_words(indicator: Indicator, baseline: Baseline | None) -> str:
    if baseline is None or baseline.status == Baseline.Status.PLANNED:
        return _("none collected yet: progress falls back to actual ÷ target")
    when = baseline.period.label if baseline.period_id else (date_format(baseline.as_of, "j M Y") if baseline.as_of else "")
    shown = baseline.text if indicator.is_qualitative else validation.format_figure(
        measure=indicator.measure, value=baseline.value, unit=indicator.unit)
    return f"{shown} ({when})" if when else shown


def _baseline_parts(indicator: Indicator, baseline: Baseline | None) -> str:
    """The collected baseline's parts in words (one query; none when there is no collected baseline)."""
    if baseline is None or baseline.status == Baseline.Status.PLANNED:
        return ""
    return parts_line(baseline_parts_shown(baseline, indicator))


def review_context(*, measurement: Measurement) -> ReviewContext:
    """For the review page: the submitted figure's context, before and after approval."""
    return figure_context(indicator=measurement.indicator, period=measurement.period, measurement=measurement)


def entry_context(*, indicator: Indicator, period_label: str = "", measurement: Measurement | None = None):
    """For the measurement form: what to enter for the period (the measurement's, or the one asked
    for), with its target and the previous approved figure; None when no period is known yet."""
    period = measurement.period if measurement is not None else (
        ReportingPeriod.objects.filter(label=period_label.strip().upper()).first() if period_label else None)
    if period is None:
        return None
    return figure_context(indicator=indicator, period=period)


@dataclass(frozen=True)
class _TargetAsApproved:
    """A proposed target, read as the series reads an approved one."""
    period: object
    approved_value: Decimal | None
    approved_rating: str
    approved_at: bool = True


def target_context(*, target: Target) -> ReviewContext:
    """For the target review page: the indicator at the target's period with the target in force,
    and once the proposed target is approved (same arithmetic)."""
    indicator = target.indicator
    targets = list(targets_qs().filter(indicator=indicator))
    measurements = list(measurements_qs().filter(indicator=indicator))
    baseline = baseline_of(indicator)
    standard = standard_for(indicator)
    at = target.period.ordinal
    before = _standing(indicator, arithmetic.evaluate(
        indicator_series(indicator, baseline=baseline, targets=targets, measurements=measurements), at, standard))
    proposed = _TargetAsApproved(period=target.period, approved_value=target.value, approved_rating=target.rating)
    after = _standing(indicator, arithmetic.evaluate(indicator_series(
        indicator, baseline=baseline, targets=[t for t in targets if t.pk != target.pk] + [proposed],
        measurements=measurements), at, standard))
    earlier = [t for t in targets if t.approved_at and t.period.ordinal < at]
    last = max(earlier, key=lambda t: t.period.ordinal, default=None)
    return ReviewContext(
        period=target.period.label,
        aggregation=_AGGREGATION_WORDS.get(indicator.aggregation, indicator.get_aggregation_display()),
        cumulative=indicator.aggregation == Indicator.Aggregation.SUM,
        target=figure(indicator, target.approved_value, target.approved_rating) if target.approved_at else "—",
        proposed_target=figure(indicator, target.value, target.rating),
        baseline=_baseline_words(indicator, baseline),
        previous=(f"{figure(indicator, last.approved_value, last.approved_rating)} ({last.period.label})"
                  if last is not None else _("none yet")),
        replaces="",
        figure=figure(indicator, target.value, target.rating),
        before=before,
        after=after,
        baseline_parts=_baseline_parts(indicator, baseline),
    )
