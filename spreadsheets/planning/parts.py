"""The stored parts of the figures an import changes (issue 14): a new total must still agree with
them, by the rulebook's own check (indicators.rules.check_parts). One query for a whole file.

Disaggregated rows themselves (one row per dimension value) are planned by part_rows."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from indicators import rules
from indicators.dimensions import BaselinePart, TargetPart

from ..cells import messages


def stored_part_figures(model, owner_ids) -> dict[int, list[rules.PartFigure]]:
    """{owner id: its working parts}, for `model` BaselinePart, TargetPart or MeasurementPart."""
    owner = {TargetPart: "target_id", BaselinePart: "baseline_id"}.get(model, "measurement_id")
    found: dict[int, list[rules.PartFigure]] = {}
    if not owner_ids:
        return found
    rows = (model.objects.filter(**{f"{owner}__in": list(owner_ids)})
            .values_list(owner, "dimension_value__dimension__name", "dimension_value__name", "value",
                         "numerator", "denominator"))
    for owner_id, dim, name, value, numerator, denominator in rows:
        if value is None and numerator is None and denominator is None:
            continue
        found.setdefault(owner_id, []).append(rules.PartFigure(dim, name, value, numerator, denominator))
    return found


def parts_problem(*, measure: str, total, figures: list[rules.PartFigure] | None, label: str) -> str:
    """'' when the new total agrees with the stored parts, else the rulebook's message."""
    if not figures:
        return ""
    try:
        rules.check_parts(measure=measure, total=total,
                          parts=[f if measure == rules.PERCENTAGE else rules.PartFigure(f.dimension, f.name, f.value)
                                 for f in figures])
    except ValidationError as exc:
        return f"{label} is disaggregated: {messages(exc)} Change its parts on the site first."
    return ""

