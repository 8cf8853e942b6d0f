"""Dimensions and their values (managers define them; the admin edits them too), and which
indicators they split. Used by the demo loader and the tests; the admin writes the same models."""
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import rules
from ..dimensions import Dimension, DimensionValue, MeasurementPart, TargetPart
from .common import require_perm, save, stamp


def dimension_create(*, name: str, values: list[str], by, slug: str = "", order: int = 0) -> Dimension:
    """A dimension with its values, in the order given (value slugs from their names)."""
    require_perm(by, "indicators.add_dimension", _("define dimensions"))
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
    require_perm(by, "indicators.change_dimension", _("choose an indicator's dimensions"))
    rules.check_disaggregable(measure=indicator.measure, code=indicator.code)
    with transaction.atomic():
        dimension.indicators.add(indicator)
        stamp(dimension, by, f"{indicator.code} disaggregated by {dimension.name}")
        dimension.save()  # a history row, so the figures' stamp moves


def dimensions_with_parts(indicator, dimensions) -> list[str]:
    """The names of `dimensions` in whose values the figures of `indicator` have parts."""
    in_use = (Q(pk__in=MeasurementPart.objects.filter(measurement__indicator=indicator)
                .values("dimension_value__dimension"))
              | Q(pk__in=TargetPart.objects.filter(target__indicator=indicator).values("dimension_value__dimension")))
    return list(Dimension.objects.filter(in_use, pk__in=[d.pk for d in dimensions]).values_list("name", flat=True))


def indicator_dimensions_set(*, indicator, dimensions, by) -> None:
    """Choose the dimensions `indicator` is disaggregated by (a manager's choice). A dimension its
    figures already have parts of stays. Unchanged, nothing is written."""
    require_perm(by, "indicators.change_dimension", _("choose an indicator's dimensions"))
    wanted = {d.pk: d for d in dimensions}
    with transaction.atomic():
        current = {d.pk: d for d in Dimension.objects.select_for_update().filter(indicators=indicator)}
        dropped = [d for pk, d in current.items() if pk not in wanted]
        rules.check_dimensions_kept(code=indicator.code, dropped_with_parts=dimensions_with_parts(indicator, dropped))
        if set(wanted) - set(current):
            rules.check_disaggregable(measure=indicator.measure, code=indicator.code)
        for dimension in dropped:
            dimension.indicators.remove(indicator)
            stamp(dimension, by, f"{indicator.code} no longer disaggregated by {dimension.name}")
            dimension.save()
        for pk in set(wanted) - set(current):
            dimension = wanted[pk]
            dimension.indicators.add(indicator)
            stamp(dimension, by, f"{indicator.code} disaggregated by {dimension.name}")
            dimension.save()
