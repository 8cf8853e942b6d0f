"""Dimensions and their values (managers define them; the admin edits them too), and which
indicators they split. Used by the demo loader and the tests; the admin writes the same models."""
from django.db import transaction
from django.utils.text import slugify

from .. import rules
from ..dimensions import Dimension, DimensionValue
from .common import require_perm, save, stamp


def dimension_create(*, name: str, values: list[str], by, slug: str = "", order: int = 0) -> Dimension:
    """A dimension with its values, in the order given (value slugs from their names)."""
    require_perm(by, "indicators.add_dimension", "define dimensions")
    with transaction.atomic():
        dimension = Dimension(name=name.strip(), slug=slug or slugify(name), order=order)
        stamp(dimension, by, "Dimension defined")
        save(dimension)
        for position, value in enumerate(values, start=1):
            item = DimensionValue(dimension=dimension, name=value.strip(), slug=slugify(value), order=position)
            stamp(item, by, "Dimension value defined")
            save(item)
    return dimension


def dimension_add_indicator(*, dimension: Dimension, indicator, by) -> None:
    """Disaggregate `indicator` by `dimension` (only numbers, amounts and percentages)."""
    require_perm(by, "indicators.change_dimension", "choose an indicator's dimensions")
    rules.check_disaggregable(measure=indicator.measure, code=indicator.code)
    with transaction.atomic():
        dimension.indicators.add(indicator)
        stamp(dimension, by, f"{indicator.code} disaggregated by {dimension.name}")
        dimension.save()  # a history row, so the figures' stamp moves
