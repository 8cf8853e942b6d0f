"""Disaggregation (issue 14): the dimensions a manager defines (Sex, Country, ...), their values,
and the parts of targets and measurements, one per dimension value, beside the total.

A part of a count adds up, with the other parts of its dimension, to the total; a part of a
percentage is kept as numerator and denominator, so the total and every slice are recomputed from
them, never averaged (indicators.rules.check_parts). Parts are written only by the services of
their target or measurement, in the same transaction, and follow the same review: approved_*
hold what the scorecard reads while a revision is under way. A baseline's parts (BaselinePart)
are set while no measurement of the indicator is approved, and fixed afterwards (rules).
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import VALUE, Baseline, Indicator, Measurement, Target


class Dimension(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text=_("For example: Sex, Age group, Country."))
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="dimensions",
                                        help_text=_("The indicators disaggregated by this dimension."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class DimensionValue(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="values")
    name = models.CharField(max_length=80, help_text=_("For example: female, male."))
    slug = models.SlugField(max_length=80, unique=True,
                            help_text=_("Unique across dimensions: it names the slice in addresses (?slice=female)."))
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__order", "dimension__name", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["dimension", "name"], name="dimension_value_unique_name")]

    def __str__(self):
        return f"{self.dimension.name}: {self.name}"


class _PartFigures(models.Model):
    """One dimension value's share of a figure: a value (counts), or numerator and denominator
    (percentages, whose value is numerator / denominator x 100)."""
    dimension_value = models.ForeignKey(DimensionValue, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(**VALUE)
    numerator = models.DecimalField(**VALUE)
    denominator = models.DecimalField(**VALUE)

    class Meta:
        abstract = True


class _Part(_PartFigures):
    """A part that goes through review: approved_* are what the scorecard reads."""
    approved_value = models.DecimalField(**VALUE)
    approved_numerator = models.DecimalField(**VALUE)
    approved_denominator = models.DecimalField(**VALUE)

    class Meta:
        abstract = True


def _part_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=[prefix, "dimension_value"], name=f"{prefix}_part_unique_value"),
        models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name=f"{prefix}_part_not_negative"),
        models.CheckConstraint(condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                               name=f"{prefix}_part_denominator_positive"),
        models.CheckConstraint(condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                               name=f"{prefix}_part_numerator_not_negative"),
    ]


class MeasurementPart(_Part):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="parts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension_value__dimension__order", "dimension_value__order", "pk"]
        constraints = _part_constraints("measurement")

    def __str__(self):
        return f"{self.measurement}, {self.dimension_value}"


class TargetPart(_Part):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="parts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension_value__dimension__order", "dimension_value__order", "pk"]
        constraints = _part_constraints("target")

    def __str__(self):
        return f"{self.target}, {self.dimension_value}"


class BaselinePart(_PartFigures):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="parts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension_value__dimension__order", "dimension_value__order", "pk"]
        constraints = _part_constraints("baseline")

    def __str__(self):
        return f"{self.baseline}, {self.dimension_value}"
