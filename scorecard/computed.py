"""Computed corporate indicators on the scorecard (issue 18): one query for the framework's
computations, then the pure arithmetic (indicators.computed) over the contributing indicators'
approved figures, which framework_figures has already read (a contributing indicator's result aligns
to the computed indicator's result, so it is among the results contributing to the framework).

The computed figures replace the computed indicator's own actuals in the figures every page of the
scorecard evaluates (the scorecard, the over-time view, the chains' status), so they can never
disagree; the query count does not depend on the number of programmes or contributions.
"""
from __future__ import annotations

from collections import defaultdict

from indicators import computed, computed_rules
from indicators.models import Computation

from .figures import FrameworkFigures


def computations_apply(figures: FrameworkFigures, *, framework) -> None:
    """Give each computed indicator of `framework` its computed figures (one query)."""
    kinds: dict[int, str] = {}
    parts: dict[int, list[int]] = defaultdict(list)
    for indicator_id, kind, contributor_id in (
        Computation.objects.filter(indicator__result__framework=framework).order_by("pk", "contributions__indicator__code")
        .values_list("indicator_id", "kind", "contributions__indicator_id")
    ):
        kinds[indicator_id] = kind
        if contributor_id is not None:
            parts[indicator_id].append(contributor_id)
    if not kinds:
        return
    programme_of = {source_id: fw for edges in figures.edges_in.values() for source_id, _, fw, _ in edges}
    id_of_ordinal = {ordinal: pk for pk, ordinal in figures.ordinal_of_id.items()}
    indicators = figures.indicators
    for indicator_id, kind in kinds.items():
        item = indicators.get(indicator_id)
        if item is None:
            continue
        contributors = []
        aligned = {source_result for source_result, *_ in figures.edges_in.get(item["result_id"], ())}
        for pk in parts.get(indicator_id, ()):
            source = indicators.get(pk)
            # its result's alignment to this indicator's result was removed since: it no longer counts
            # (the indicator page says so); it may still be read for another alignment of the framework
            if source is None or source["result_id"] not in aligned:
                continue
            contributors.append(computed.Contributor(
                pk=pk, code=source["code"], programme=programme_of.get(source["result_id"], ""),
                series=figures.series_for(source), standard=figures.standard_for(pk)))
        points = computed.computed_points(kind, contributors)
        item["measurements"] = computed.as_measurement_rows(points)
        item["series_aggregation"] = computed.SERIES_AGGREGATION
        item["formula"] = computed_rules.formula_text(kind, [c.code for c in contributors])
        item["contributors"] = contributors
        item["computation_kind"] = kind
        periods = {id_of_ordinal[o] for o in points if o in id_of_ordinal}
        figures.approved_periods |= periods
        figures.data_periods |= periods
