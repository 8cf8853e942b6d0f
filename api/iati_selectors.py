"""What a framework's IATI export says, read in a fixed number of queries whatever its size.

Only approved figures (DESIGN.md section 3): a measurement's and a target's approved snapshot
(api.approved), a baseline only once collected or validated. The actual of a period is the
arithmetic's actual(P), built by indicators.series as on every page, so that it is stated in the
same terms as the target (for a cumulative count: the baseline plus the approved measurements up
to P). api/iati.py turns the rows into XML; it reads nothing itself.

Parts (issue 14): each approved part of a target, the parts of a counted baseline, and the part of
each actual(P) that can be split: computed by the same arithmetic on the value's own figures (its
part of the baseline, its parts of the measurements), and left out where the actual is a running
total or an average over a measurement without that part, or a cumulative count from a baseline
without it (the same test as the sliced scorecard, scorecard.slices).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q

from indicators import arithmetic, series
from indicators.dimensions import BaselinePart, MeasurementPart, TargetPart
from indicators.models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from indicators.periods import YEAR, PeriodSpec
from results.levels import LADDER, Level
from results.models import Result, ResultsFramework

from .approved import ApprovedMeasurement, ApprovedPart, ApprovedTarget, approved_measurements, approved_targets

_COUNTED_BASELINES = (Baseline.Status.COLLECTED, Baseline.Status.VALIDATED)


class FrameworkNotFound(LookupError):
    """No framework has the code asked for."""


@dataclass
class IatiBaseline:
    day: date
    value: Decimal | None
    text: str
    source: str
    parts: list[ApprovedPart] = field(default_factory=list)


@dataclass(frozen=True)
class IatiActualPart:
    """A dimension value's share of actual(P): `part` is the period's own approved part, `value` the
    value's actual(P) (the same as part.value unless the actual is a running total or an average)."""
    part: ApprovedPart
    value: Decimal


@dataclass
class IatiPeriod:
    label: str
    start: date
    end: date
    target: ApprovedTarget | None
    measurement: ApprovedMeasurement | None
    actual: Decimal | None  # actual(P): what the period's actual reports (None for ratings)
    actual_parts: list[IatiActualPart] = field(default_factory=list)


@dataclass
class IatiIndicator:
    pk: int
    code: str
    name: str
    definition: str
    unit: str
    measure: str
    direction: str
    aggregation: str
    qualitative: bool
    baseline: IatiBaseline | None
    periods: list[IatiPeriod] = field(default_factory=list)
    # The stored translations, by language ({"fr": "..."}): each its own narrative in the export.
    name_translations: dict[str, str] = field(default_factory=dict)
    definition_translations: dict[str, str] = field(default_factory=dict)


@dataclass
class IatiResult:
    code: str
    level: int
    level_name: str
    statement: str
    description: str
    indicators: list[IatiIndicator] = field(default_factory=list)
    statement_translations: dict[str, str] = field(default_factory=dict)


@dataclass
class IatiFramework:
    code: str
    name: str
    description: str
    start: date  # 1 July before the first fiscal year
    end: date  # 30 June of the last fiscal year
    results: list[IatiResult]
    illustrative: bool
    last_updated: datetime | None  # the latest approval of a figure exported


def _baseline(indicator: Indicator) -> IatiBaseline | None:
    try:
        baseline = indicator.baseline
    except Baseline.DoesNotExist:
        return None
    if baseline.status not in _COUNTED_BASELINES:
        return None
    day = baseline.period.end if baseline.period_id else baseline.as_of
    parts = [ApprovedPart(dimension=p.dimension_value.dimension.name, dimension_slug=p.dimension_value.dimension.slug,
                          name=p.dimension_value.name, slug=p.dimension_value.slug, value=p.value,
                          numerator=p.numerator, denominator=p.denominator)
             for p in baseline.parts.all() if p.value is not None]
    return IatiBaseline(day=day, value=baseline.value, text=baseline.text, source=baseline.source, parts=parts)


def _actual_parts(indicator: Indicator, counted: Baseline | None, baseline_period: int | None,
                  measurements: list[ApprovedMeasurement], periods: dict[int, ReportingPeriod],
                  at: ApprovedMeasurement) -> list[IatiActualPart]:
    """The parts of actual(P) at the period of `at`, each by the arithmetic on the value's own figures;
    a value that cannot be split there (see the module's docstring) is left out."""
    ordinal = periods[at.period_id].ordinal
    counted_rows = [m for m in measurements if periods[m.period_id].ordinal <= ordinal and not (
        indicator.aggregation == "sum" and baseline_period is not None
        and periods[m.period_id].ordinal <= baseline_period)]
    if indicator.aggregation == "latest":
        counted_rows = [at]
    baseline_parts = ({p.dimension_value.slug: p.value for p in counted.parts.all() if p.value is not None}
                      if counted is not None else {})
    found = []
    for part in at.parts:
        if part.value is None:
            continue
        own = [(periods[m.period_id].ordinal, next((p.value for p in m.parts if p.slug == part.slug), None), "")
               for m in counted_rows]
        if any(value is None for _, value, _ in own):
            continue  # a measurement counted in actual(P) has no part of this value
        baseline = counted.value if counted is not None else None
        if indicator.aggregation == "sum" and baseline:
            baseline = baseline_parts.get(part.slug)
            if baseline is None:
                continue  # a cumulative count from a baseline that has no part of this value
        value_series = series.indicator_series(
            direction=indicator.direction, aggregation=indicator.aggregation, qualitative=False,
            weight=indicator.weight, baseline=baseline if indicator.aggregation == "sum" else None,
            baseline_period=baseline_period, measurements=own)
        value, _ = arithmetic.actual_at(value_series, ordinal)
        if value is not None:
            found.append(IatiActualPart(part=part, value=value))
    return found


def _periods(indicator: Indicator, baseline: Baseline | None, targets: list[ApprovedTarget],
             measurements: list[ApprovedMeasurement], periods: dict[int, ReportingPeriod]) -> list[IatiPeriod]:
    """One IATI period per reporting period with an approved target or an approved actual."""
    counted = baseline if baseline is not None and baseline.status in _COUNTED_BASELINES else None
    baseline_period = series.baseline_ordinal(
        period_end=counted.period.end if counted is not None and counted.period_id else None,
        period_kind=counted.period.kind if counted is not None and counted.period_id else None,
        as_of=counted.as_of if counted is not None else None)
    indicator_series = series.indicator_series(
        direction=indicator.direction, aggregation=indicator.aggregation,
        qualitative=indicator.is_qualitative, weight=indicator.weight,
        baseline=counted.value if counted is not None else None,
        baseline_period=baseline_period,
        measurements=[(periods[m.period_id].ordinal, m.value, m.rating) for m in measurements],
        targets=[(periods[t.period_id].ordinal, t.value, t.rating) for t in targets],
    )
    by_target = {t.period_id: t for t in targets}
    by_measurement = {m.period_id: m for m in measurements}
    rows = []
    for period_id in sorted(set(by_target) | set(by_measurement), key=lambda pk: periods[pk].ordinal):
        period = periods[period_id]
        measurement = by_measurement.get(period_id)
        actual, actual_parts = None, []
        if measurement is not None and not indicator.is_qualitative:
            actual, _ = arithmetic.actual_at(indicator_series, period.ordinal)
            if actual is not None and measurement.parts:
                actual_parts = _actual_parts(indicator, counted, baseline_period, measurements, periods, measurement)
        rows.append(IatiPeriod(label=period.label, start=period.start, end=period.end,
                               target=by_target.get(period_id), measurement=measurement, actual=actual,
                               actual_parts=actual_parts))
    return rows


TRANSLATED_LANGUAGES = ("fr", "es", "pt")  # besides English (settings.MODELTRANSLATION_LANGUAGES)


def translations(obj, field: str) -> dict[str, str]:
    """The stored, non-blank translations of obj's `field`, by language."""
    found = {lang: (getattr(obj, f"{field}_{lang}") or "").strip() for lang in TRANSLATED_LANGUAGES}
    return {lang: text for lang, text in found.items() if text}


def _is_illustrative(framework: ResultsFramework, indicators) -> bool:
    text = f"{framework.name} {framework.description}".lower()
    return ("illustrative" in text or "synthetic" in text or any(
        i.code.startswith("DEMO-") or "illustrative" in f"{i.name} {i.definition}".lower() for i in indicators))


def iati_framework(*, code: str, include_activities: bool = False) -> IatiFramework:
    """The framework `code` with its results, indicators and approved figures (ten queries)."""
    framework = ResultsFramework.objects.filter(code__iexact=(code or "").strip()).first()
    if framework is None:
        raise FrameworkNotFound(f"There is no results framework {code!r}.")
    levels = [Level.IMPACT, Level.OUTCOME, Level.INTERMEDIATE_OUTCOME, Level.OUTPUT]
    if include_activities:
        levels.append(Level.ACTIVITY)
    results = list(Result.objects.filter(framework=framework, level__in=levels).order_by("tree_id", "lft"))
    indicators = list(
        Indicator.objects.filter(result__framework=framework, result__level__in=levels).select_related("baseline__period")
        .prefetch_related(
            Prefetch("baseline__parts", queryset=BaselinePart.objects.select_related("dimension_value__dimension")),
            Prefetch("targets", queryset=Target.objects.filter(approved_at__isnull=False).order_by("pk")),
            Prefetch("targets__parts", queryset=TargetPart.objects.select_related("dimension_value__dimension")),
            Prefetch("measurements", queryset=Measurement.objects.filter(approved_at__isnull=False).order_by("pk")),
            Prefetch("measurements__parts",
                     queryset=MeasurementPart.objects.select_related("dimension_value__dimension")))
        .order_by("order", "code"))
    targets = approved_targets([t for i in indicators for t in i.targets.all()])
    measurements = approved_measurements([m for i in indicators for m in i.measurements.all()])
    period_ids = {t.period_id for t in targets} | {m.period_id for m in measurements}
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(pk__in=period_ids)} if period_ids else {}
    targets_of, measurements_of = defaultdict(list), defaultdict(list)
    for t in targets:
        targets_of[t.indicator_id].append(t)
    for m in measurements:
        measurements_of[m.indicator_id].append(m)

    by_result: dict[int, list[IatiIndicator]] = defaultdict(list)
    for indicator in indicators:
        try:
            stored_baseline = indicator.baseline
        except Baseline.DoesNotExist:
            stored_baseline = None
        by_result[indicator.result_id].append(IatiIndicator(
            # The English texts (the content's default language), whatever language the reader asked in.
            pk=indicator.pk, code=indicator.code, name=indicator.name_en or "", definition=indicator.definition_en or "",
            name_translations=translations(indicator, "name"),
            definition_translations=translations(indicator, "definition"),
            unit=indicator.unit, measure=indicator.measure, direction=indicator.direction,
            aggregation=indicator.aggregation, qualitative=indicator.is_qualitative,
            baseline=_baseline(indicator),
            periods=_periods(indicator, stored_baseline, targets_of[indicator.pk],
                             measurements_of[indicator.pk], periods)))
    approvals = [t.approved_at for t in targets] + [m.approved_at for m in measurements]
    return IatiFramework(
        code=framework.code, name=framework.name, description=framework.description,
        start=PeriodSpec(YEAR, framework.first_fiscal_year, 0).start,
        end=PeriodSpec(YEAR, framework.last_fiscal_year, 0).end,
        results=[IatiResult(code=r.code, level=r.level, level_name=LADDER[Level(r.level)].name,
                            statement=r.statement_en or "", description=r.description, indicators=by_result[r.pk],
                            statement_translations=translations(r, "statement"))
                 for r in results],
        illustrative=_is_illustrative(framework, indicators),
        last_updated=max(approvals) if approvals else None,
    )


def framework_codes(*, query: Q | None = None) -> list[str]:
    """Every framework's code, in the site's order (for exporting them all)."""
    frameworks = ResultsFramework.objects.order_by("order", "name")
    if query is not None:
        frameworks = frameworks.filter(query)
    return list(frameworks.values_list("code", flat=True))
