"""The scorecard over time: every period of a framework side by side (issue 13).

Reads the framework once (selectors.framework_figures, the scorecard's own reading pass), builds each
indicator's series once and evaluates it at every period with indicators.arithmetic.history, then
rolls the evaluations up to results, levels and the framework with scorecard.rollup, exactly as
scorecard_build does for one period: a test compares every cell with the one-period scorecard. The
number of queries (those of scorecard_choice and framework_figures) does not depend on the number of
results, indicators or periods.

Columns are the periods in which the framework has an approved target or figure (the periods the
scorecard's menu offers), fiscal years by default; halves and quarters are shown on request
(`kinds="all"`), since an annual indicator is simply not due at a quarter. The last column is the
progress towards each indicator's final target: its last approved target, whatever period that is,
against the latest approved actual. It is not banded into a status (the target may not be due yet).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.arithmetic import Evaluation, history
from indicators.periods import YEAR
from results.levels import LADDER, Level

from . import formatting, slices
from .illustrative import illustrative_reasons
from .rollup import roll_up
from .selectors import Scorecard, framework_figures, scorecard_choice

KIND_CHOICES = {"years": gettext_lazy("Fiscal years"), "all": gettext_lazy("All periods (halves and quarters too)")}


@dataclass(frozen=True)
class Column:
    label: str
    ordinal: int
    approved: bool  # an approved figure of the framework falls in the period
    url: str  # that period's scorecard, with the same choices


@dataclass(frozen=True)
class Cell:
    """One indicator at one period: what its row on that period's scorecard says."""
    status: str
    status_label: str
    progress: str  # as the scorecard shows it, uncapped ("" when there is none)
    progress_raw: str | None
    actual: str  # the approved actual shown (rating words for a qualitative indicator)


@dataclass(frozen=True)
class FinalProgress:
    """How far the latest approved actual has come towards the indicator's last approved target."""
    progress: str
    progress_raw: str | None
    bar: int
    actual: str
    target: str  # "120 by FY2025", or "" without a target
    capped: Decimal | None


@dataclass
class IndicatorLine:
    code: str
    name: str
    detail: str  # kind · unit
    url: str
    cells: list[Cell]
    final: FinalProgress
    spark: list[Decimal | None]  # capped progress at each column, for the sparkline


@dataclass
class ResultLine:
    code: str
    statement: str
    url: str
    cells: list[dict]  # formatting.roll_up_summary per column, None where it has no indicator
    final: dict | None
    indicators: list[IndicatorLine] = field(default_factory=list)


@dataclass
class LevelSection:
    level: int
    level_name: str
    cells: list[dict]
    final: dict
    results: list[ResultLine] = field(default_factory=list)


@dataclass
class OverTime:
    choice: Scorecard  # framework, business line, menus and notices (as the scorecard's)
    kinds: str = "years"
    has_other_kinds: bool = False  # halves or quarters with data exist (the menu offers them)
    columns: list[Column] = field(default_factory=list)
    framework_cells: list[dict] = field(default_factory=list)
    framework_final: dict | None = None
    sections: list[LevelSection] = field(default_factory=list)
    standard: dict = field(default_factory=dict)
    illustrative: list = field(default_factory=list)
    slice: object = None  # a scorecard.slices.Slice when sliced by a dimension value (issue 14)
    slices: list = field(default_factory=list)  # (slug, "Sex: female") for the page's menu

    @property
    def framework(self):
        return self.choice.framework

    @property
    def business_line(self):
        return self.choice.business_line

    @property
    def indicator_lines(self):
        for section in self.sections:
            for result in section.results:
                yield from result.indicators


def overtime_build(*, framework_code: str | None = None, business_line_code: str | None = None,
                   kinds: str | None = None, slice_key: str | None = None) -> OverTime:
    """Build the over-time view, sliced by a dimension value when `slice_key` names one (each period
    as the sliced scorecard scores it: scorecard.slices.slice_apply). Unknown codes fall back to the
    defaults, with a notice, as on the scorecard."""
    choice = scorecard_choice(framework_code=framework_code, business_line_code=business_line_code)
    kinds = kinds if kinds in KIND_CHOICES else "years"
    view = OverTime(choice=choice, kinds=kinds)
    framework = choice.framework
    if framework is None:
        return view
    figures = framework_figures(framework=framework)
    value = slices.slice_pick(slice_key)  # no query unless a slice is asked for
    if value is not None:
        view.slice = slices.slice_apply(figures, value)
    elif slice_key:
        choice.notices.append(_("There is no dimension value %(value)s to slice by; showing the whole figures.") % {
            "value": repr(slice_key)})
    periods = sorted((figures.period_by_id[i] for i in figures.data_periods), key=lambda p: p.ordinal)
    view.has_other_kinds = any(p.kind != YEAR for p in periods)
    if kinds == "years":
        periods = [p for p in periods if p.kind == YEAR]
    scorecard_url = reverse("scorecard:scorecard")
    line_query = f"&line={choice.business_line.code}" if choice.business_line else ""
    if view.slice:
        line_query += f"&slice={view.slice.key}"
    view.columns = [
        Column(label=p.label, ordinal=p.ordinal, approved=p.pk in figures.approved_periods,
               url=f"{scorecard_url}?framework={framework.code}&period={p.label}{line_query}")
        for p in periods
    ]
    view.standard = {"default": figures.default_meta}
    view.illustrative = illustrative_reasons(framework, figures.indicators.values())
    indicator_url = _url_maker("indicators:indicator")
    result_url = _url_maker("results:result")
    ordinals = [c.ordinal for c in view.columns]
    width = len(ordinals)
    line_id = choice.business_line.pk if choice.business_line else None
    results = figures.results

    # -- every indicator at every period, and at its final target ----------------------------------
    evaluations: dict[int, list[Evaluation]] = {}  # pk -> one per column, then the final target's
    for pk, item in figures.scored(line_id):
        indicator_series = figures.series_for(item)
        final_at = max(indicator_series.targets) if indicator_series.targets else None
        evaluations[pk] = history(indicator_series, ordinals + ([final_at] if final_at is not None else []),
                                  figures.standard_for(pk))

    # -- roll-ups per column, as scorecard_build does for one period --------------------------------
    per_result: dict[int, list[tuple[Decimal, list[Evaluation]]]] = {}
    lines_of: dict[int, list[int]] = {}  # result -> its scored indicators, in the scorecard's order
    for pk, evals in evaluations.items():
        item = figures.indicators[pk]
        per_result.setdefault(item["result_id"], []).append((item["weight"], evals))
        lines_of.setdefault(item["result_id"], []).append(pk)
    standard = figures.default_standard

    def summaries(pairs: list[tuple[Decimal, list[Evaluation]]]) -> tuple[list[dict], dict]:
        cells = [formatting.roll_up_summary(roll_up([(w, evals[n]) for w, evals in pairs], standard))
                 for n in range(width)]
        finals = [(w, evals[width]) for w, evals in pairs if len(evals) > width]
        return cells, formatting.roll_up_summary(roll_up(finals, standard))

    sections: dict[int, LevelSection] = {}
    level_pairs: dict[int, list] = {}
    all_pairs: list = []
    for rid, result in results.items():
        if not result["own"] or (line_id is not None and result["line_id"] != line_id):
            continue
        pairs = per_result.get(rid, [])
        level = result["level"]
        level_pairs.setdefault(level, []).extend(pairs)
        all_pairs.extend(pairs)
        cells, final = summaries(pairs) if pairs else ([None] * width, None)
        line = ResultLine(code=result["code"], statement=result["statement"], url=result_url(result["code"]),
                          cells=cells, final=final)
        for pk in lines_of.get(rid, ()):
            item = figures.indicators[pk]
            line.indicators.append(_indicator_line(item, evaluations[pk], width, figures.labels,
                                                   indicator_url(item["code"])))
        if level not in sections:
            sections[level] = LevelSection(level=level, level_name=LADDER[Level(level)].label, cells=[], final={})
        sections[level].results.append(line)
    for level, section in sections.items():
        section.cells, section.final = summaries(level_pairs[level])
    view.sections = [sections[level] for level in sorted(sections)]
    view.framework_cells, view.framework_final = summaries(all_pairs)
    return view


def _indicator_line(item: dict, evals: list[Evaluation], width: int, labels: dict, url: str) -> IndicatorLine:
    measure, unit = item["measure"], item["unit"]
    qualitative = item["qualitative"]
    cells = []
    for evaluation in evals[:width]:
        status = evaluation.status.value
        actual = str(formatting.RATING_LABELS.get(evaluation.rating or "", formatting.DASH)) if qualitative \
            else formatting.number(evaluation.actual, measure, unit)
        cells.append(Cell(status=status, status_label=formatting.STATUS_LABELS[status],
                          progress=formatting.percent(evaluation.progress),
                          progress_raw=formatting.raw(evaluation.progress), actual=actual))
    if len(evals) > width:
        final_eval = evals[width]
        if qualitative:
            target = str(formatting.RATING_LABELS.get(item["target_ratings"].get(final_eval.period, ""), ""))
            actual = str(formatting.RATING_LABELS.get(final_eval.rating or "", formatting.DASH))
        else:
            target = formatting.number(final_eval.target, measure, unit)
            actual = formatting.number(final_eval.actual, measure, unit)
        if period := labels.get(final_eval.period, ""):
            target = _("%(target)s by %(period)s") % {"target": target, "period": period}
        final = FinalProgress(progress=formatting.percent(final_eval.progress),
                              progress_raw=formatting.raw(final_eval.progress),
                              bar=formatting.bar_width(final_eval.capped_progress), actual=actual,
                              target=target, capped=final_eval.capped_progress)
    else:
        final = FinalProgress(progress="", progress_raw=None, bar=0, actual="", target="", capped=None)
    detail = str(_("qualitative") if qualitative else formatting.AGGREGATION_WORDS[item["aggregation"]])
    if unit:
        detail += f" · {unit}"
    return IndicatorLine(code=item["code"], name=item["name"], detail=detail, url=url, cells=cells, final=final,
                         spark=[e.capped_progress for e in evals[:width]])


def _url_maker(viewname: str):
    """Reverse once and put the code in: reverse() for each of thousands of rows costs milliseconds."""
    placeholder = "ZZPLACEHOLDERZZ"
    pattern = reverse(viewname, args=[placeholder])
    return lambda code: pattern.replace(placeholder, code)
