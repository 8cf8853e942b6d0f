"""Reads for the scorecard: everything for a framework in a fixed number of queries.

`scorecard_build` reads tuples (values_list), never model instances per row, hands them to the pure
arithmetic and formats the rows once; the page, the CSV/XLSX exports and an edition all use its
output. The number of queries does not depend on the number of results, indicators or periods.

What counts (DESIGN.md section 3, and the rules shown in the page's legend):
- actuals: approved figures only (Measurement.approved_value / approved_rating with approved_at
  set), so a measurement under revision keeps serving its last approved figures;
- baselines: collected or validated ones; a planned baseline counts as missing;
- targets: approved figures only (Target.approved_value / approved_rating), so a revision keeps
  the last approved target until a manager approves it, and a target never approved leaves the
  indicator not due (its row says a target awaits approval);
- standard: the indicator's own PerformanceStandard if it has one, else the default.
The arithmetic's input is built by indicators.series, as on the indicator pages.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import BooleanField, CharField, ExpressionWrapper, Max, Q
from django.db.models.functions import Cast, Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from indicators import series
from indicators.arithmetic import Standard, evaluate, evaluate_with_progress_path
from indicators.models import Baseline, Indicator, Measurement, PerformanceStandard, ReportingPeriod, Target
from indicators.periods import fiscal_year_of
from results.levels import LADDER, Level
from results.models import Alignment, BusinessLine, Result, ResultsFramework

from . import formatting, slices
from .computed import computations_apply
from .figures import FrameworkFigures
from .illustrative import illustrative_reasons
from .models import Edition
from .rollup import roll_up

_COUNTED_BASELINES = (Baseline.Status.COLLECTED, Baseline.Status.VALIDATED)
_PLACEHOLDER = "ZZPLACEHOLDERZZ"


@dataclass
class Scorecard:
    framework: ResultsFramework | None
    frameworks: list
    business_lines: list
    business_line: BusinessLine | None
    periods: list  # [(label, has approved data)] newest first, for the selector
    period: ReportingPeriod | None
    summary: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    standard: dict = field(default_factory=dict)
    illustrative: list = field(default_factory=list)  # the reasons, in words
    notices: list = field(default_factory=list)  # input that was not understood, in words
    period_has_data: bool = False  # a target or an approved figure of this framework falls in the period
    approved_on: object = None  # the latest approval of the figures shown (a datetime), for "as approved on"
    slice: object = None  # a scorecard.slices.Slice when sliced by a dimension value (issue 14)
    slices: list = field(default_factory=list)  # (slug, "Sex: female") for the page's menu (scorecard.cached)

    @property
    def rows(self):
        for section in self.sections:
            for result in section["results"]:
                yield from result["rows"]

    def export_rows(self) -> list[list[str]]:
        return export_rows(self.sections)


def export_rows(sections: list) -> list[list[str]]:
    """The page's indicator rows as export cells, for a live scorecard or a frozen edition."""
    return [
        formatting.export_row(section["level_name"], row)
        for section in sections for result in section["results"] for row in result["rows"]
    ]


def _as_text(field_name: str) -> Cast:
    """Read a decimal column as text: Decimal(text) is exact and several times cheaper than the ORM's
    per-value decimal converter, which dominated the time of a 2,000-indicator scorecard."""
    return Cast(field_name, output_field=CharField())


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _url_maker(viewname: str):
    """Reverse once and substitute codes: reverse() for each of 2,000 rows costs milliseconds."""
    try:
        pattern = reverse(viewname, args=[_PLACEHOLDER])
    except NoReverseMatch:
        return lambda code: ""
    return lambda code: pattern.replace(_PLACEHOLDER, code)


def scorecard_choice(*, framework_code: str | None = None, business_line_code: str | None = None) -> Scorecard:
    """The framework and business line asked for, as an empty Scorecard with the menus: unknown codes
    fall back to the defaults and leave a notice. Two queries."""
    frameworks = list(ResultsFramework.objects.order_by("order", "name"))
    business_lines = list(BusinessLine.objects.order_by("order", "name"))
    framework = _pick_framework(frameworks, framework_code)
    business_line = next((b for b in business_lines if business_line_code and b.code == business_line_code.upper()),
                         None)
    card = Scorecard(framework=framework, frameworks=frameworks, business_lines=business_lines,
                     business_line=business_line, periods=[], period=None)
    if framework_code and (framework is None or framework.code != framework_code.strip().upper()):
        card.notices.append(_("There is no results framework %(code)s; showing the default one.") % {
            "code": repr(framework_code)})
    if business_line_code and business_line is None:
        card.notices.append(_("There is no business line %(code)s; showing all business lines.") % {
            "code": repr(business_line_code)})
    return card


def framework_figures(*, framework: ResultsFramework) -> FrameworkFigures:
    """Everything the arithmetic needs about `framework` and the results aligned to it, read once in
    a fixed number of queries (nine): the one reading pass of the scorecard, the over-time view and
    the status shown on the chains."""
    # -- periods (the whole table is small) -------------------------------------------------
    period_rows = list(ReportingPeriod.objects.all())
    period_by_id = {p.pk: p for p in period_rows}
    ordinal_of_id = {p.pk: p.ordinal for p in period_rows}
    labels = {ordinal_of_id[p.pk]: p.label for p in period_rows}

    # -- alignments touching this framework ---------------------------------------------------
    edges_in: dict[int, list[tuple]] = defaultdict(list)
    edges_out: dict[int, list[tuple]] = defaultdict(list)
    source_ids: set[int] = set()
    for (source_id, source_code, source_fw, target_id, target_code, target_fw, target_fw_id, relation) in (
        Alignment.objects.filter(Q(target__framework=framework) | Q(source__framework=framework))
        .values_list("source_id", "source__code", "source__framework__name", "target_id", "target__code",
                     "target__framework__name", "target__framework_id", "relation")
        .order_by("source__framework__order", "source__tree_id", "source__lft", "target__lft")
    ):
        if target_fw_id == framework.pk:
            edges_in[target_id].append((source_id, source_code, source_fw, relation))
            source_ids.add(source_id)
        else:
            edges_out[source_id].append((target_code, target_fw, relation))

    # -- results of the framework, and the results contributing to it --------------------------
    in_scope = Q(framework=framework) | Q(pk__in=source_ids)
    results: dict[int, dict] = {}
    for pk, code, statement, level, line_id, framework_id in (
        Result.objects.filter(in_scope)
        .values_list("pk", "code", "statement", "level", "business_line_id", "framework_id")
        .order_by("tree_id", "lft")
    ):
        results[pk] = {"pk": pk, "code": code, "statement": statement, "level": level,
                       "line_id": line_id, "own": framework_id == framework.pk}

    # -- indicators, baselines, targets, approved measurements, standards ----------------------
    of_scope = Q(result__framework=framework) | Q(result_id__in=source_ids)
    illustrative_flag = ExpressionWrapper(Q(definition__icontains="illustrative") | Q(code__startswith="DEMO-"),
                                          output_field=BooleanField())
    indicators: dict[int, dict] = {}
    for (pk, result_id, code, name, kind, measure, unit, direction, aggregation, weight, flagged) in (
        Indicator.objects.filter(of_scope).annotate(flagged=illustrative_flag)
        .values_list("pk", "result_id", "code", "name", "kind", "measure", "unit", "direction",
                     "aggregation", "weight", "flagged")
        .order_by("result__tree_id", "result__lft", "order", "code")
    ):
        result = results[result_id]
        indicators[pk] = {
            "pk": pk, "result_id": result_id, "result_code": result["code"], "level": result["level"],
            "code": code, "name": name, "qualitative": kind == Indicator.Kind.QUALITATIVE,
            "measure": measure, "unit": unit, "direction": direction, "aggregation": aggregation,
            "weight": weight, "illustrative": bool(flagged), "own": result["own"],
            "targets": [], "target_ratings": {}, "measurements": [],
            "baseline": None, "baseline_text": "", "baseline_ordinal": None, "baseline_label": "",
        }

    by_indicator = Q(indicator__result__framework=framework) | Q(indicator__result_id__in=source_ids)
    for indicator_id, value, text, period_id, as_of, _status in (
        Baseline.objects.filter(by_indicator, status__in=_COUNTED_BASELINES).order_by()
        .values_list("indicator_id", _as_text("value"), "text", "period_id", "as_of", "status")
    ):
        value = _decimal(value)
        item = indicators.get(indicator_id)
        if item is None:
            continue
        if period_id is not None:
            ordinal, label = ordinal_of_id[period_id], period_by_id[period_id].label
        else:
            ordinal, label = series.as_of_ordinal(as_of), f"FY{fiscal_year_of(as_of)}"
        item.update(baseline=value, baseline_text=text, baseline_ordinal=ordinal, baseline_label=label)

    data_periods: set[int] = set()    # period ids with an approved target or figure (selector)
    approved_periods: set[int] = set()  # period ids with an approved figure (default period)
    # Approved targets and approved measurements: three columns each (the approved figure is the
    # number as text, or the rating: a row holds one or the other), since fetching 40,000 rows is
    # most of this function's time. Rows go to indicators.series as (ordinal, value, rating).
    for indicator_id, period_id, figure in (
        Target.objects.filter(by_indicator, approved_at__isnull=False)
        .order_by()  # no default ordering: it joins and sorts 40,000 rows
        .values_list("indicator_id", "period_id", Coalesce(_as_text("approved_value"), "approved_rating"))
    ):
        item = indicators[indicator_id]
        if item["qualitative"]:
            ordinal = ordinal_of_id[period_id]
            item["targets"].append((ordinal, None, figure))
            item["target_ratings"][ordinal] = figure  # the rating aimed for is shown
        else:
            try:
                item["targets"].append((ordinal_of_id[period_id], Decimal(figure), ""))
            except (InvalidOperation, TypeError):
                continue  # no number to measure against
        if item["own"]:
            data_periods.add(period_id)

    for indicator_id, period_id, figure in (
        Measurement.objects.filter(by_indicator, approved_at__isnull=False).order_by()
        .values_list("indicator_id", "period_id", Coalesce(_as_text("approved_value"), "approved_rating"))
    ):
        item = indicators[indicator_id]
        if item["qualitative"]:
            item["measurements"].append((ordinal_of_id[period_id], None, figure))
        else:
            try:
                item["measurements"].append((ordinal_of_id[period_id], Decimal(figure), ""))
            except (InvalidOperation, TypeError):
                continue
        if item["own"]:
            approved_periods.add(period_id)
    data_periods |= approved_periods

    default_row, own_rows = series.pick_standards(
        PerformanceStandard.objects
        .filter(Q(indicator__isnull=True) | Q(indicator__in=Indicator.objects.filter(of_scope).values("pk")))
        .values_list("indicator_id", "name", "on_track", "needs_attention", "tolerance").order_by("pk"))
    default_standard = series.standard_of(default_row)
    default_meta = _standard_meta(default_row[1] if default_row else _("Arithmetic defaults"), default_standard)
    overrides = {}
    for indicator_id, row in own_rows.items():
        if indicator_id in indicators:
            standard = series.standard_of(row)
            overrides[indicator_id] = (standard, _standard_meta(row[1], standard))
    figures = FrameworkFigures(
        period_rows=period_rows, period_by_id=period_by_id, ordinal_of_id=ordinal_of_id, labels=labels,
        edges_in=edges_in, edges_out=edges_out, results=results, indicators=indicators, by_indicator=by_indicator,
        data_periods=data_periods, approved_periods=approved_periods, default_standard=default_standard,
        default_meta=default_meta, overrides=overrides,
    )
    computations_apply(figures, framework=framework)  # computed corporate indicators (issue 18)
    return figures


def scorecard_build(*, framework_code: str | None = None, period_label: str | None = None,
                    business_line_code: str | None = None, slice_key: str | None = None) -> Scorecard:
    """Build the scorecard, sliced by a dimension value when `slice_key` names one (scorecard.slices).
    Unknown codes fall back to the defaults (the view reports them)."""
    card = scorecard_choice(framework_code=framework_code, business_line_code=business_line_code)
    framework, business_line = card.framework, card.business_line
    if framework is None:
        return card
    figures = framework_figures(framework=framework)
    value = slices.slice_pick(slice_key)  # no query unless a slice is asked for
    if value is not None:
        card.slice = slices.slice_apply(figures, value)
    elif slice_key:
        card.notices.append(_("There is no dimension value %(value)s to slice by; showing the whole scorecard.") % {
            "value": repr(slice_key)})
    period_rows, period_by_id, ordinal_of_id = figures.period_rows, figures.period_by_id, figures.ordinal_of_id
    labels, edges_in, edges_out = figures.labels, figures.edges_in, figures.edges_out
    results, indicators, by_indicator = figures.results, figures.indicators, figures.by_indicator
    data_periods, approved_periods = figures.data_periods, figures.approved_periods
    default_standard, default_meta, overrides = figures.default_standard, figures.default_meta, figures.overrides

    # -- period choice ------------------------------------------------------------------------
    card.periods = [
        (p.label, p.pk in approved_periods)
        for p in sorted((period_by_id[i] for i in data_periods), key=lambda p: p.ordinal, reverse=True)
    ]
    period = None
    if period_label:
        period = next((p for p in period_rows if p.label == period_label.strip().upper()), None)
        if period is None:
            card.notices.append(_("There is no reporting period %(period)s; showing the latest with data.") % {
                "period": repr(period_label)})
    if period is None:
        # The latest period with approved figures (else with targets); a fiscal year before a
        # quarter or half, since the scorecard is read year by year.
        candidates = approved_periods or data_periods
        years = {i for i in candidates if period_by_id[i].kind == ReportingPeriod.Kind.YEAR}
        if candidates:
            period = max((period_by_id[i] for i in (years or candidates)), key=lambda p: p.ordinal)
    card.period = period
    card.period_has_data = period is not None and period.pk in data_periods
    if period is not None and not card.period_has_data:
        # A period chosen by hand that has nothing yet still shows as chosen in the selector.
        card.periods = sorted(card.periods + [(period.label, False)],
                              key=lambda item: next(p.ordinal for p in period_rows if p.label == item[0]),
                              reverse=True)
    card.standard = {
        "default": default_meta,
        "overrides": [dict(indicator=indicators[i]["code"], **meta) for i, (_, meta) in overrides.items()
                      if results[indicators[i]["result_id"]]["own"]],
    }
    card.illustrative = illustrative_reasons(framework, indicators.values())
    if period is None:
        card.summary = _summary([], card.illustrative, default_standard)
        return card

    # "As approved on": the latest approval among the actuals counted (up to the period) and its targets.
    latest = [
        Measurement.objects.filter(by_indicator, approved_at__isnull=False, period__end__lte=period.end)
        .aggregate(latest=Max("approved_at"))["latest"],
        Target.objects.filter(by_indicator, approved_at__isnull=False, period=period)
        .aggregate(latest=Max("approved_at"))["latest"],
    ]
    card.approved_on = max((d for d in latest if d is not None), default=None)

    # Targets of the period awaiting approval (new, or a revision): their rows say so.
    pending = set(
        Target.objects.filter(by_indicator, period=period).exclude(status=Target.Status.APPROVED)
        .order_by().values_list("indicator_id", flat=True)
    )

    # -- the arithmetic, once per indicator -------------------------------------------------------
    at = ordinal_of_id[period.pk]
    period_label_text = period.label
    indicator_url, result_url = _url_maker("indicators:indicator"), _url_maker("results:result")
    line_id = business_line.pk if business_line else None
    evaluations: dict[int, tuple] = {}
    rows_by_result: dict[int, list[dict]] = defaultdict(list)
    # Completeness counts the due indicators whose approved figure is of this period; a figure
    # carried forward from an earlier period is shown with its age and counted apart.
    due_count = current_count = carried_count = 0
    for pk, item in figures.scored(line_id):
        own = item["own"]
        standard = figures.standard_for(pk)
        indicator_series = figures.series_for(item)
        if not own:  # a contributing result's indicator: its evaluation only, for the roll-up (no sparkline)
            evaluations[pk] = (item["weight"], evaluate(indicator_series, at, standard))
            continue
        evaluation, trajectory = evaluate_with_progress_path(indicator_series, at, standard, formatting.SPARK_POINTS)
        evaluations[pk] = (item["weight"], evaluation)
        fresh = series.freshness(evaluation.actual_period, start=period.start, end=period.end)
        if evaluation.target is not None:
            due_count += 1
            if evaluation.status.value != "no_data":
                current_count += fresh.current
                carried_count += not fresh.current
        row = formatting.indicator_row(
            indicator=item, evaluation=evaluation, trajectory=trajectory, labels=labels,
            baseline=item["baseline"], baseline_text=item["baseline_text"], baseline_label=item["baseline_label"],
            target_label=period_label_text, target_rating=item["target_ratings"].get(at, ""),
            target_pending=("revision" if evaluation.target is not None else "new") if pk in pending else "",
            freshness=fresh,
        )
        row["url"] = indicator_url(item["code"])
        row["result_url"] = result_url(item["result_code"])
        rows_by_result[item["result_id"]].append(row)

    # -- roll-ups: results, contributions, levels, framework ---------------------------------------
    per_result: dict[int, list[tuple]] = defaultdict(list)
    for pk, pair in evaluations.items():
        per_result[indicators[pk]["result_id"]].append(pair)
    # Results, levels and the framework are banded by the default standard the manager set (an
    # indicator's own override bands only that indicator's row).
    result_rollups = {rid: roll_up(pairs, default_standard) for rid, pairs in per_result.items()}

    sections: dict[int, dict] = {}
    level_pairs: dict[int, list[tuple]] = defaultdict(list)
    all_pairs: list[tuple] = []
    for rid, result in results.items():
        if not result["own"]:
            continue
        if line_id is not None and result["line_id"] != line_id:
            continue
        rows = rows_by_result.get(rid, [])
        pairs = per_result.get(rid, [])
        level_pairs[result["level"]].extend(pairs)
        all_pairs.extend(pairs)
        rollup = result_rollups.get(rid)
        block = {
            "code": result["code"], "statement": result["statement"], "url": result_url(result["code"]),
            "rows": rows, "rollup": formatting.roll_up_summary(rollup) if rollup else None,
            "contributions": [
                _contribution(results, result_rollups, result_url, source_id, source_code, source_fw, relation)
                for source_id, source_code, source_fw, relation in edges_in.get(rid, ())
            ],
            "contributes_to": [
                {"code": code, "framework": fw, "relation": _relation_words(relation), "url": result_url(code)}
                for code, fw, relation in edges_out.get(rid, ())
            ],
        }
        level = result["level"]
        if level not in sections:
            sections[level] = {"level": level, "level_name": LADDER[Level(level)].label, "results": []}
        sections[level]["results"].append(block)

    for level, section in sections.items():
        section["rollup"] = formatting.roll_up_summary(roll_up(level_pairs[level], default_standard))
    card.sections = [sections[level] for level in sorted(sections)]
    card.summary = _summary(all_pairs, card.illustrative, default_standard, period_label=period.label,
                            due=due_count, current=current_count, carried=carried_count)
    return card


def _standard_meta(name: str, standard: Standard) -> dict:
    return {"name": name, "on_track": str(standard.on_track), "needs_attention": str(standard.needs_attention),
            "tolerance": str(standard.tolerance), "on_track_shown": formatting.percent(standard.on_track),
            "needs_attention_shown": formatting.percent(standard.needs_attention)}


def _pick_framework(frameworks: list, code: str | None) -> ResultsFramework | None:
    if code:
        wanted = code.strip().upper()
        for framework in frameworks:
            if framework.code == wanted:
                return framework
    corporate = [f for f in frameworks if f.kind == ResultsFramework.Kind.CORPORATE]
    return (corporate or frameworks or [None])[0]


def _relation_words(relation: str) -> str:
    return str(Alignment.Relation(relation).label)  # kept in JSON (editions): a plain string


def _contribution(results, rollups, result_url, source_id, source_code, source_fw, relation) -> dict:
    rollup = rollups.get(source_id)
    summary = formatting.roll_up_summary(rollup) if rollup else None
    if summary is None:
        status, label = "no_indicators", _("no indicators")
    elif not summary["score"]:  # only qualitative or not-due indicators: say what there is
        status, label = "unscored", formatting.not_scored(summary["counts_text"])
    else:
        status, label = summary["status"], summary["status_label"]
    return {
        "code": source_code, "statement": results[source_id]["statement"], "framework": source_fw,
        "relation": _relation_words(relation), "url": result_url(source_code),
        "score": summary["score"] if summary else "", "status": status, "status_label": label,
    }


def _summary(pairs: list[tuple], illustrative: list[str], standard, *, period_label: str = "", due: int = 0,
             current: int = 0, carried: int = 0) -> dict:
    """Counts, the framework score, and completeness: of the indicators due, how many have an
    approved figure of the period itself (`with_data`), and how many show an earlier one (`carried`)."""
    rollup = roll_up(pairs, standard)
    summary = formatting.roll_up_summary(rollup)
    summary.update(
        indicators=len(pairs), due=due, with_data=current, carried=carried, period_label=period_label,
        completeness=formatting.percent(Decimal(current) / Decimal(due)) if due else "",
        illustrative=illustrative,
    )
    return summary


# -- editions -------------------------------------------------------------------------------------

def edition_list(*, framework_code: str | None = None, visible=None):
    """`visible`: a filter to the frameworks the reader may see (results.programmes), None for all."""
    editions = Edition.objects.select_related("published_by").defer("sections", "standard")
    if framework_code:
        editions = editions.filter(framework__code=framework_code.upper())
    if visible is not None:
        editions = editions.filter(visible)
    return editions


def edition_get(*, pk: int, visible=None) -> Edition:
    """An edition; Http404 for one of a framework the reader may not see (`visible`, as above)."""
    from django.shortcuts import get_object_or_404
    editions = Edition.objects.select_related("published_by", "framework", "period")
    return get_object_or_404(editions if visible is None else editions.filter(visible), pk=pk)


def approval_time(*, framework: ResultsFramework, period: ReportingPeriod | None = None,
                  business_line: BusinessLine | None = None):
    """When the figures a scorecard of `framework` shows were last approved: the latest approval of
    its approved targets and measurements up to `period` (all periods without one). Two queries."""
    scope = Q(indicator__result__framework=framework)
    if business_line is not None:
        scope &= Q(indicator__result__business_line=business_line)
    if period is not None:
        scope &= Q(period__end__lte=period.end)
    latest = [model.objects.filter(scope, approved_at__isnull=False).order_by().aggregate(at=Max("approved_at"))["at"]
              for model in (Target, Measurement)]
    return max((at for at in latest if at is not None), default=None)
