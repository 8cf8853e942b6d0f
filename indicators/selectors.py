"""Reads for the indicator pages, the worklist and the review queue: a fixed number of queries each,
whatever the number of indicators, periods or history rows."""
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import arithmetic, computation_selectors, computed, series, services, validation
from .chart import ChartPoint, build_chart
from .history_selectors import history_entries
from .models import Baseline, Indicator, Measurement, PerformanceStandard, Proposal, ReportingPeriod, Target
from .periods import YEAR
from .series import freshness as series_freshness


def targets_qs():
    return Target.objects.select_related("period").order_by("period__end", "period__start")


def measurements_qs():
    return Measurement.objects.select_related("period").order_by("period__end", "period__start")


def baseline_of(indicator: Indicator) -> Baseline | None:
    try:
        return indicator.baseline
    except Baseline.DoesNotExist:
        return None


def figure(indicator: Indicator, value, rating: str = "") -> str:
    return validation.format_figure(measure=indicator.measure, value=value, rating=rating or "",
                                    unit=indicator.unit)


def indicator_list(*, framework_code: str | None = None, query: str = "", frameworks: Q | None = None):
    """`frameworks`: a filter to the frameworks the reader may see (results.programmes), None for all."""
    qs = (Indicator.objects.select_related("result__framework", "responsible", "baseline")
          .order_by("result__framework__order", "result__tree_id", "result__lft", "order", "code"))
    if framework_code:
        qs = qs.filter(result__framework__code__iexact=framework_code)
    if frameworks is not None:
        qs = qs.filter(frameworks)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(name__icontains=query))
    return qs


def indicator_get(*, code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("result__framework", "responsible", "baseline__period",
                                         "baseline__collected_by"),
        code__iexact=code,
    )


def indicator_series(indicator: Indicator, *, baseline: Baseline | None, targets, measurements):
    """The arithmetic's view of an indicator, built by the shared indicators.series (as the scorecard's
    is): approved actuals and approved targets only."""
    usable = baseline if baseline is not None and baseline.status != Baseline.Status.PLANNED else None
    return series.indicator_series(
        direction=indicator.direction, aggregation=indicator.aggregation,
        qualitative=indicator.is_qualitative, weight=indicator.weight,
        baseline=usable.value if usable is not None else None,
        baseline_period=series.baseline_ordinal(
            period_end=usable.period.end if usable is not None and usable.period_id else None,
            period_kind=usable.period.kind if usable is not None and usable.period_id else None,
            as_of=usable.as_of if usable is not None else None),
        measurements=[(m.period.ordinal, m.approved_value, m.approved_rating) for m in measurements
                      if m.approved_at],
        targets=[(t.period.ordinal, t.approved_value, t.approved_rating) for t in targets if t.approved_at],
    )


def standard_for(indicator: Indicator) -> arithmetic.Standard:
    """The indicator's own standard, else the default: chosen by the rule the scorecard uses."""
    rows = (PerformanceStandard.objects.filter(Q(indicator=indicator) | Q(indicator__isnull=True))
            .values_list("indicator_id", "name", "on_track", "needs_attention", "tolerance").order_by("pk"))
    default, own = series.pick_standards(rows)
    return series.standard_of(own.get(indicator.pk, default))


@dataclass
class PeriodRow:
    period: ReportingPeriod
    target: Target | None
    measurement: Measurement | None
    evaluation: object | None  # arithmetic.Evaluation
    actual_text: str = ""
    target_text: str = ""  # the working (proposed) target
    approved_target_text: str = ""  # the approved target in force, when a revision awaits approval
    working_text: str = ""
    actual_from: str = ""  # the period the actual comes from, when carried forward from an earlier one
    actual_age: str = ""   # its age then ("1 year old")

    @property
    def progress_percent(self):
        ev = self.evaluation
        if ev is None or ev.progress is None:
            return None
        return (ev.progress * 100).quantize(Decimal(1))


def indicator_page(*, indicator: Indicator, approved_only: bool = False) -> dict:
    """Definition, baseline, targets and actuals per period with status, the chart and the history.

    approved_only: for readers who enter no data (the Executive Committee): approved targets and
    approved actuals only, never a draft, a submission awaiting review or a proposed target."""
    targets = list(targets_qs().select_related("proposed_by", "approved_by").filter(indicator=indicator))
    measurements = list(measurements_qs().select_related("submitted_by", "reviewed_by", "created_by")
                        .filter(indicator=indicator))
    if approved_only:
        targets = [t for t in targets if t.approved_at]
        measurements = [m for m in measurements if m.approved_at]
    baseline = baseline_of(indicator)
    series = indicator_series(indicator, baseline=baseline, targets=targets, measurements=measurements)
    computation = computation_selectors.indicator_computation(indicator=indicator, series_of=indicator_series)
    if computation is not None:  # issue 18: its actuals are computed from its contributing indicators
        series = replace(series, aggregation=computed.SERIES_AGGREGATION, measurements=computation.points)
    standard = standard_for(indicator)
    by_period: dict[int, dict] = {p.pk: {"period": p} for p in (computation.periods if computation else ())}
    for t in targets:
        by_period.setdefault(t.period_id, {"period": t.period})["target"] = t
    for m in measurements:
        by_period.setdefault(m.period_id, {"period": m.period})["measurement"] = m
    periods = sorted((d["period"] for d in by_period.values()), key=lambda p: p.ordinal)
    labels = {p.ordinal: p.label for p in periods}
    evaluations = arithmetic.history(series, [p.ordinal for p in periods], standard)
    rows, points = [], []
    for period, ev in zip(periods, evaluations):
        data = by_period[period.pk]
        target = data.get("target")
        row = PeriodRow(period=period, target=target, measurement=data.get("measurement"), evaluation=ev)
        row.contributions = computation.contributions_at(period.ordinal) if computation else []
        if indicator.is_qualitative:
            row.actual_text = figure(indicator, None, ev.rating or "") if ev.rating else "—"
        else:
            row.actual_text = figure(indicator, ev.actual) if ev.actual is not None else "—"
        fresh = series_freshness(ev.actual_period, start=period.start, end=period.end)
        if ev.actual_period is not None and not fresh.current:
            row.actual_from, row.actual_age = labels.get(ev.actual_period, ""), fresh.age
        if target is not None:
            if approved_only:
                row.target_text = figure(indicator, target.approved_value, target.approved_rating)
            else:
                row.target_text = figure(indicator, target.value, target.rating)
                if target.status != Target.Status.APPROVED and target.approved_at:
                    row.approved_target_text = figure(indicator, target.approved_value, target.approved_rating)
        if row.measurement is not None and not approved_only:
            row.working_text = figure(indicator, row.measurement.value, row.measurement.rating)
        rows.append(row)
        if not indicator.is_qualitative:
            proposed = None
            if not approved_only and target is not None and target.status != Target.Status.APPROVED:
                proposed = target.value
            points.append(ChartPoint(label=period.label, actual=ev.actual if fresh.current else None,
                                     target=ev.target, proposed=proposed))
    usable = baseline if baseline is not None and baseline.status != Baseline.Status.PLANNED else None
    chart = None
    if points:
        chart = build_chart(points, unit=indicator.unit,
                            baseline=usable.value if usable is not None else None,
                            baseline_label=usable.period.label if usable is not None and usable.period_id else "")
    return {
        "baseline": baseline,
        "baseline_text": (figure(indicator, baseline.value) if baseline and not indicator.is_qualitative
                          else (baseline.text if baseline else "")),
        "targets": targets,
        "measurements": measurements,
        "rows": rows,
        "chart": chart,
        "history": history_entries(indicator, approved_only=approved_only),
        "standard": standard,
        "approved_only": approved_only,
        "computation": computation,
        "returned": [] if approved_only else [m for m in measurements if m.status == Measurement.Status.RETURNED],
        # Proposed changes await a manager: readers of approved figures do not see them.
        "proposals": [] if approved_only else proposals_open(indicator=indicator),
    }


# ---------------------------------------------------------------------------------------------
# worklist and review queue


@dataclass
class WorkItem:
    indicator: Indicator
    kind: str  # "baseline", "measurement", "returned", "target"
    period: ReportingPeriod | None = None
    record: object = None
    due: date | None = None
    overdue: bool = False
    note: str = ""


def worklist(*, user, everyone: bool = False, today: date | None = None, framework_ids=None) -> dict:
    """What the officer must do: baselines missing or overdue, actuals due, items returned.

    An actual is due for every period with a target once the period has begun, until it is
    submitted. Three queries in all."""
    today = today or timezone.localdate()
    indicators = (Indicator.objects.select_related("result__framework", "baseline", "responsible")
                  .prefetch_related(Prefetch("targets", queryset=targets_qs()),
                                    Prefetch("measurements", queryset=measurements_qs()))
                  .order_by("result__framework__order", "result__tree_id", "result__lft", "order", "code"))
    if not everyone:
        indicators = indicators.filter(responsible=user)
    if framework_ids is not None:  # a programme role: that programme's indicators only
        indicators = indicators.filter(result__framework_id__in=sorted(framework_ids))
    baselines, due, returned = [], [], []
    for ind in indicators:
        baseline = baseline_of(ind)
        if baseline is None or baseline.status == Baseline.Status.PLANNED:
            due_date = baseline.due_date if baseline else None
            baselines.append(WorkItem(indicator=ind, kind="baseline", record=baseline, due=due_date,
                                      overdue=bool(due_date and due_date < today)))
        measured = {m.period.label: m for m in ind.measurements.all()}
        for m in measured.values():
            if m.status == Measurement.Status.RETURNED:
                returned.append(WorkItem(indicator=ind, kind="returned", period=m.period, record=m,
                                         note=m.review_note))
        kind = services.MEASURED_KIND.get(ind.frequency, YEAR)
        listed = set()
        for t in ind.targets.all():
            if t.status == Target.Status.RETURNED:
                returned.append(WorkItem(indicator=ind, kind="target", period=t.period, record=t,
                                         note=t.review_note))
            # The actuals due are of the indicator's own period kind: the quarters of an annual
            # target for a quarterly indicator, say.
            for spec in services.measured_periods(t.period.spec, kind):
                period = t.period if spec == t.period.spec else ReportingPeriod(
                    label=spec.label, kind=spec.kind, fiscal_year=spec.fiscal_year, number=spec.number,
                    start=spec.start, end=spec.end)
                m = measured.get(period.label)
                if period.label in listed or period.start > today or (
                        m is not None and m.status != Measurement.Status.DRAFT):
                    continue
                listed.add(period.label)
                due.append(WorkItem(indicator=ind, kind="measurement", period=period, record=m,
                                    due=period.end, overdue=period.end < today))
    baselines.sort(key=lambda w: (w.due is None, w.due or date.max))
    # A returned proposal stays on the list for 30 days: long enough to act on, then it drops off.
    proposals = Proposal.objects.filter(status=Proposal.Status.RETURNED, reviewed_at__date__gte=today - timedelta(days=30)
                                        ).select_related("indicator")
    if not everyone:
        proposals = proposals.filter(proposed_by=user)
    returned += [WorkItem(indicator=p.indicator, kind="proposal", record=p, note=p.review_note)
                 for p in proposals.order_by("-reviewed_at")[:50]]
    return {"baselines": baselines, "due": due, "returned": returned, "today": today}


def _queue_querysets(framework_ids=None):
    """What waits for a manager: the review queue's three lists, unevaluated; only the frameworks
    `framework_ids` (a programme manager's programmes) unless it is None."""
    where = {} if framework_ids is None else {"indicator__result__framework_id__in": sorted(framework_ids)}
    return (Measurement.objects.filter(status=Measurement.Status.SUBMITTED, **where),
            Target.objects.filter(status=Target.Status.PRELIMINARY, **where),
            Proposal.objects.filter(status=Proposal.Status.PROPOSED, **where))


def _queued_measurements(framework_ids=None):
    return _queue_querysets(framework_ids)[0].select_related("indicator__result", "period", "submitted_by").order_by(
        "submitted_at", "pk")


def _queued_targets(framework_ids=None):
    return _queue_querysets(framework_ids)[1].select_related("indicator__result", "period", "proposed_by").order_by(
        "indicator__code", "period__end", "pk")


def review_queue() -> dict:
    """Submitted measurements, preliminary targets and proposed changes, oldest first: all of them
    (the managers' digest). Three queries."""
    return {"measurements": list(_queued_measurements()), "targets": list(_queued_targets()),
            "proposals": proposals_open()}


REVIEW_PAGE_SIZE = 100


def review_queue_page(*, measurements_page=1, targets_page=1, per_page: int | None = None,
                      framework_ids=None) -> dict:
    """The review queue's page: its measurements and targets a page of `per_page` at a time (a
    planning round can leave thousands of preliminary targets; a page of them all cost more to send
    than to review), every proposed change. A page number out of range gives the last page. Five
    queries."""
    per_page = per_page or REVIEW_PAGE_SIZE
    return {"measurements": Paginator(_queued_measurements(framework_ids), per_page).get_page(measurements_page),
            "targets": Paginator(_queued_targets(framework_ids), per_page).get_page(targets_page),
            "proposals": proposals_open(framework_ids=framework_ids)}


def waiting_counts(*, user, today: date | None = None, enters_in=None, reviews_in=None) -> dict:
    """What waits for `user`, for the navigation bar's badges: the items of their worklist (the
    worklist's own selector: four queries) if they enter data, the review queue's length (three counts)
    if they review. Neither grows with the data."""
    counts = {"worklist": 0, "review": 0}
    if user.has_perm("indicators.change_measurement"):
        work = worklist(user=user, today=today, framework_ids=enters_in)
        counts["worklist"] = len(work["baselines"]) + len(work["due"]) + len(work["returned"])
    if (user.has_perm("indicators.review_measurement") or user.has_perm("indicators.approve_target")
            or user.has_perm("indicators.review_proposal")):
        counts["review"] = sum(qs.count() for qs in _queue_querysets(reviews_in))
    return counts


def proposals_open(*, indicator: Indicator | None = None, framework_ids=None) -> list[Proposal]:
    """Proposed changes waiting for a manager, oldest first. One query."""
    qs = _queue_querysets(framework_ids)[2].select_related("indicator", "proposed_by")
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    return list(qs.order_by("proposed_at", "pk"))


def measurement_get(*, code: str, period: str) -> Measurement:
    return get_object_or_404(
        Measurement.objects.select_related("indicator__result__framework", "period", "submitted_by",
                                           "reviewed_by", "created_by"),
        indicator__code__iexact=code, period__label__iexact=period)


def target_get(*, code: str, period: str) -> Target:
    """The target; `approved_text` is its approved figure in force while a revision awaits review."""
    target = get_object_or_404(
        Target.objects.select_related("indicator__result__framework", "period", "proposed_by", "approved_by"),
        indicator__code__iexact=code, period__label__iexact=period)
    target.approved_text = ""
    if target.status != Target.Status.APPROVED and target.approved_at:
        target.approved_text = figure(target.indicator, target.approved_value, target.approved_rating)
    return target


# ---------------------------------------------------------------------------------------------
# the result page


@dataclass
class ResultIndicatorRow:
    indicator: Indicator
    actual_text: str
    actual_period: str
    target_text: str
    target_period: str
    target_status: str


def result_indicator_rows(*, result, today: date | None = None, approved_only: bool = False) -> list[ResultIndicatorRow]:
    """The result's indicators with their latest approved actual and next target (approved_only: the
    next approved target, shown at its approved figure). Three queries."""
    today = today or timezone.localdate()
    indicators = (Indicator.objects.filter(result=result).select_related("baseline__period", "computation")
                  .prefetch_related(Prefetch("targets", queryset=targets_qs()),
                                    Prefetch("measurements", queryset=measurements_qs()))
                  .order_by("order", "code"))
    rows = []
    for ind in indicators:
        targets, measurements = list(ind.targets.all()), list(ind.measurements.all())
        series = indicator_series(ind, baseline=baseline_of(ind), targets=targets, measurements=measurements)
        approved = [m for m in measurements if m.approved_at]
        actual_text, actual_period = "—", ""
        latest = computation_selectors.latest_computed(ind, series_of=indicator_series)  # issue 18
        if latest is not None:
            actual_text, actual_period = latest
        elif approved:
            last = max(approved, key=lambda m: m.period.ordinal)
            ev = arithmetic.evaluate(series, last.period.ordinal)
            actual_text = (figure(ind, None, ev.rating) if ind.is_qualitative
                           else figure(ind, ev.actual) if ev.actual is not None else "—")
            actual_period = last.period.label
        shown = [t for t in targets if t.approved_at] if approved_only else targets
        upcoming = [t for t in shown if t.period.end >= today]
        target = upcoming[0] if upcoming else (shown[-1] if shown else None)
        text = "—"
        if target is not None:
            text = (figure(ind, target.approved_value, target.approved_rating) if approved_only
                    else figure(ind, target.value, target.rating))
        rows.append(ResultIndicatorRow(
            indicator=ind, actual_text=actual_text, actual_period=actual_period, target_text=text,
            target_period=target.period.label if target else "",
            target_status=("Approved" if approved_only else target.get_status_display()) if target else "",
        ))
    return rows


def has_approved_measurements(indicator: Indicator) -> bool:
    """Whether a change to what scores the indicator goes to review (indicators.rules)."""
    return Measurement.objects.filter(indicator=indicator, approved_at__isnull=False).exists()
