"""Reads for a computed indicator's page (issue 18): its formula, its contributing indicators'
approved figures, the computed figure at each period and each contribution, in a fixed number of
queries (six) whatever the number of contributing indicators or periods."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from results.models import Alignment

from . import computed, computed_rules, series
from .models import Computation, Indicator, Measurement, PerformanceStandard, ReportingPeriod, Target


@dataclass
class ComputedView:
    """What the indicator page shows of a computation."""
    kind: str
    formula: str
    note: str
    contributors: list  # [indicators.computed.Contributor]
    indicators: dict  # pk -> Indicator (for links and figures)
    points: dict  # period ordinal -> the computed figure from that period on
    periods: list = field(default_factory=list)  # ReportingPeriod of each point
    # contributing indicators whose result no longer aligns to the computed indicator's result: they are
    # kept in the computation (a manager decides) but no longer counted, and the page says so
    not_counted: list = field(default_factory=list)

    @property
    def count(self) -> bool:
        return self.kind == computed_rules.COUNT_MET

    def contributions_at(self, ordinal: int) -> list[dict]:
        """Each contribution at a period: programme, indicator, its value (and for a count, met or not)."""
        rows = []
        for part in computed.contributions_at(self.kind, self.contributors, ordinal):
            indicator = self.indicators[part.pk]
            rows.append({"indicator": indicator, "programme": part.programme, "value": part.value,
                         "value_text": "—" if part.value is None else _figure(indicator, part.value),
                         "met": part.met})
        return rows


def _figure(indicator: Indicator, value: Decimal) -> str:
    from .validation import format_figure
    return format_figure(measure=indicator.measure, value=value, rating="", unit=indicator.unit)


def latest_computed(indicator: Indicator, *, series_of) -> tuple[str, str] | None:
    """(the latest computed figure, its period) for the result page, None for an indicator whose figures
    are entered (no query when `indicator` was read with select_related("computation"))."""
    try:
        computation = indicator.computation
    except Indicator.computation.RelatedObjectDoesNotExist:
        return None
    view = indicator_computation(indicator=indicator, series_of=series_of, computation=computation)
    if not view.points:
        return "—", ""
    last = max(view.points)
    label = next((p.label for p in view.periods if p.ordinal == last), "")
    return _figure(indicator, view.points[last]), label


def indicator_computation(*, indicator: Indicator, series_of, computation=None) -> ComputedView | None:
    """The computation of `indicator`, or None when its figures are entered by hand. `series_of` is
    indicators.selectors.indicator_series (the arithmetic's input, built as on every page)."""
    computation = computation or Computation.objects.filter(indicator=indicator).first()
    if computation is None:
        return None
    everyone = list(Indicator.objects.filter(contributions__computation=computation)
                    .annotate(aligned=Exists(Alignment.objects.filter(source=OuterRef("result"),
                                                                      target_id=indicator.result_id)))
                    .select_related("result__framework", "baseline__period").order_by("code"))
    sources = [s for s in everyone if s.aligned]
    ids = [s.pk for s in sources]
    targets, measurements = defaultdict(list), defaultdict(list)
    for t in Target.objects.filter(indicator_id__in=ids, approved_at__isnull=False).select_related("period"):
        targets[t.indicator_id].append(t)
    for m in Measurement.objects.filter(indicator_id__in=ids, approved_at__isnull=False).select_related("period"):
        measurements[m.indicator_id].append(m)
    default_row, own_rows = series.pick_standards(
        PerformanceStandard.objects.filter(Q(indicator__isnull=True) | Q(indicator_id__in=ids))
        .values_list("indicator_id", "name", "on_track", "needs_attention", "tolerance").order_by("pk"))
    contributors = []
    for s in sources:
        try:
            baseline = s.baseline
        except Indicator.baseline.RelatedObjectDoesNotExist:
            baseline = None
        contributors.append(computed.Contributor(
            pk=s.pk, code=s.code, programme=s.result.framework.name,
            series=series_of(s, baseline=baseline, targets=targets[s.pk], measurements=measurements[s.pk]),
            standard=series.standard_of(own_rows.get(s.pk, default_row))))
    points = computed.computed_points(computation.kind, contributors)
    by_ordinal = {p.ordinal: p for p in ReportingPeriod.objects.all()}
    return ComputedView(
        kind=computation.kind, formula=computed_rules.formula_text(computation.kind, [s.code for s in sources]),
        note=computation.note, contributors=contributors, indicators={s.pk: s for s in sources}, points=points,
        periods=[by_ordinal[o] for o in sorted(points) if o in by_ordinal],
        not_counted=[s for s in everyone if not s.aligned])


def computation_candidates(*, indicator: Indicator) -> list[Indicator]:
    """The indicators a manager may choose to add up into `indicator` (one query): those of country
    programmes whose result aligns to its result, and any already contributing whose alignment was
    removed since (so the manager can see and take it out). The rulebook decides what may be saved."""
    aligned = Alignment.objects.filter(target_id=indicator.result_id).values("source_id")
    return list(Indicator.objects.filter(
        Q(result_id__in=aligned, result__framework__kind=computed_rules.COUNTRY)
        | Q(contributions__computation__indicator=indicator))
        .exclude(pk=indicator.pk).distinct()
        .select_related("result__framework").order_by("result__framework__code", "code"))


def formula_of(computation: Computation) -> str:
    """The saved formula in words (one query)."""
    codes = computation.contributions.order_by("indicator__code").values_list("indicator__code", flat=True)
    return computed_rules.formula_text(computation.kind, list(codes))
