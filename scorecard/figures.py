"""What the scorecard reads about a framework, as one value (built by selectors.framework_figures).

The scorecard, the over-time view and the status shown on the chains all evaluate these same figures
with the same series and standards, so they can never disagree. No queries here.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from indicators import series
from indicators.arithmetic import Standard


@dataclass
class FrameworkFigures:
    """What framework_figures read: periods, alignments, results and indicators (dicts of plain values,
    with their approved targets and measurements as series rows), and the standards."""
    period_rows: list
    period_by_id: dict
    ordinal_of_id: dict
    labels: dict  # period ordinal -> label
    edges_in: dict
    edges_out: dict
    results: dict  # pk -> {"pk", "code", "statement", "level", "line_id", "own"}
    indicators: dict  # pk -> the indicator's fields, "own", "targets", "measurements", "baseline", ...
    by_indicator: Q  # the filter on indicator__ for the indicators read
    data_periods: set  # period ids with an approved target or figure of the framework's own indicators
    approved_periods: set  # period ids with an approved figure of them
    default_standard: Standard
    default_meta: dict
    overrides: dict  # indicator pk -> (Standard, meta)

    def scored(self, line_id: int | None):
        """(pk, indicator) of every indicator a scorecard evaluates: the framework's own (in the business
        line, when one is chosen) and those of results contributing to it."""
        results = self.results
        for pk, item in self.indicators.items():
            if item["own"] and line_id is not None and results[item["result_id"]]["line_id"] != line_id:
                continue
            yield pk, item

    def standard_for(self, pk: int) -> Standard:
        return self.overrides[pk][0] if pk in self.overrides else self.default_standard

    @staticmethod
    def series_for(item: dict):
        """The arithmetic's input for one indicator read by framework_figures (a computed indicator's
        figures are its actuals at each period, taken as they stand: scorecard.computed)."""
        return series.indicator_series(
            direction=item["direction"], aggregation=item.get("series_aggregation", item["aggregation"]), qualitative=item["qualitative"],
            weight=item["weight"], baseline=item["baseline"], baseline_period=item["baseline_ordinal"],
            measurements=item["measurements"], targets=item["targets"],
        )
