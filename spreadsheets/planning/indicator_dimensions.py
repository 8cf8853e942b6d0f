"""The indicators sheet's "Disaggregated by" column (issue 14): the dimensions an indicator is split
by, named as "Sex; Country" (names or slugs, any case, ";" or "," between them). The column lists
them all: an empty cell means not disaggregated. The rulebook decides, as for the indicator's
dimensions form (services.indicator_dimensions_set): only numbers, amounts and percentages are
split (rules.check_disaggregable), and a dimension the indicator's figures have parts of is kept
(rules.check_dimensions_kept). The write goes through that service, one call per changed indicator.
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from indicators import rules
from indicators.dimensions import BaselinePart, Dimension, MeasurementPart, TargetPart

from ..cells import messages, text
from ..columns import header_key
from .common import Plan

_SEPARATORS = re.compile(r"[;,\n]")


class DimensionChoices:
    """The dimensions a file may name and the stored indicators' own: two queries, only when the
    file has the column."""

    def __init__(self, needed: bool):
        self.names: dict[int, str] = {}
        self.by_key: dict[str, int] = {}
        self.current: dict[int, frozenset] = {}  # indicator id -> its dimensions' ids
        if not needed:
            return
        for pk, name, slug in Dimension.objects.order_by("order", "name").values_list("id", "name", "slug"):
            self.names[pk] = name
            self.by_key.setdefault(header_key(name), pk)
            self.by_key.setdefault(header_key(slug), pk)
        pairs: dict[int, set] = {}
        for indicator_id, dimension_id in Dimension.indicators.through.objects.values_list("indicator_id",
                                                                                          "dimension_id"):
            pairs.setdefault(indicator_id, set()).add(dimension_id)
        self.current = {k: frozenset(v) for k, v in pairs.items()}

    def parse(self, plan: Plan, row: int, raw) -> frozenset | None:
        """The dimensions a cell names; None (a problem on the plan) if it names an unknown one."""
        wanted, unknown = set(), []
        for part in _SEPARATORS.split(text(raw)):
            if not part.strip():
                continue
            pk = self.by_key.get(header_key(part))
            if pk is None:
                unknown.append(part.strip())
            else:
                wanted.add(pk)
        if unknown:
            known = ", ".join(self.names.values()) or "none yet: a manager defines them on the site"
            plan.problem(row, "dimensions", raw, f"No dimension is called {', '.join(map(repr, unknown))}; the "
                         f"dimensions are {known} (separate several with “;”).")
            return None
        return frozenset(wanted)

    def shown(self, ids) -> str:
        """"Sex; Country", in the dimensions' order."""
        return "; ".join(name for pk, name in self.names.items() if pk in ids)


def dimensions_with_parts(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of (indicator id, dimension id) pairs, those whose indicator has figures (measurements,
    targets or its baseline) with parts of the dimension: three queries for the file."""
    if not pairs:
        return set()
    indicator_ids = {i for i, _ in pairs}
    found = set()
    for model, owner in ((MeasurementPart, "measurement"), (TargetPart, "target"), (BaselinePart, "baseline")):
        found |= set(model.objects.filter(**{f"{owner}__indicator_id__in": indicator_ids})
                     .values_list(f"{owner}__indicator_id", "dimension_value__dimension_id").distinct())
    return found & pairs


def dimension_problem(choices: DimensionChoices, *, code: str, measure: str, added, dropped_with_parts) -> str:
    """The rulebook on a row's change of dimensions: '' when it may be written."""
    try:
        if added:
            rules.check_disaggregable(measure=measure, code=code)
        rules.check_dimensions_kept(code=code, dropped_with_parts=[choices.names[pk] for pk in dropped_with_parts])
    except ValidationError as exc:
        return messages(exc)
    return ""
