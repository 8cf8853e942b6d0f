"""Disaggregation in the API (issue 14): the dimensions with their values, and the parts of a
baseline, a target or a measurement, one per dimension value beside the total.

A part names its dimension and value by slug (as `?slice=` does on the site), with their names
beside them. A count's part has a `value`; a percentage's part has `numerator` and `denominator`,
its `value` being numerator / denominator x 100, recomputed by the services, never sent. Approved
parts (api.approved.ApprovedPart) are what the committee-facing answers show; working parts carry
the approved figures beside the working ones, as the total does.
"""
from rest_framework import serializers

from indicators.dimensions import Dimension, DimensionValue

FIGURE = dict(max_digits=20, decimal_places=4, allow_null=True, read_only=True)
MAX_PARTS = 500  # far more values than any indicator is split by; bounds a hostile body


class DimensionValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = DimensionValue
        fields = ["slug", "name", "order"]


class DimensionSerializer(serializers.ModelSerializer):
    values = DimensionValueSerializer(many=True, read_only=True)
    indicators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code",
                                              help_text="The codes of the indicators disaggregated by it.")

    class Meta:
        model = Dimension
        fields = ["slug", "name", "order", "values", "indicators"]


class DimensionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["slug", "name"]


class ApprovedPartSerializer(serializers.Serializer):
    """An approved part (api.approved.ApprovedPart)."""
    dimension = serializers.CharField(source="dimension_slug", read_only=True, help_text="The dimension's slug.")
    dimension_name = serializers.CharField(source="dimension", read_only=True)
    dimension_value = serializers.CharField(source="slug", read_only=True, help_text="The value's slug.")
    dimension_value_name = serializers.CharField(source="name", read_only=True)
    value = serializers.DecimalField(**FIGURE)
    numerator = serializers.DecimalField(**FIGURE, help_text="Percentages only.")
    denominator = serializers.DecimalField(**FIGURE, help_text="Percentages only.")


class _StoredPartSerializer(serializers.Serializer):
    """A stored part row (MeasurementPart, TargetPart, BaselinePart) with its working figures."""
    dimension = serializers.CharField(source="dimension_value.dimension.slug", read_only=True,
                                      help_text="The dimension's slug.")
    dimension_name = serializers.CharField(source="dimension_value.dimension.name", read_only=True)
    dimension_value = serializers.CharField(source="dimension_value.slug", read_only=True,
                                            help_text="The value's slug.")
    dimension_value_name = serializers.CharField(source="dimension_value.name", read_only=True)
    value = serializers.DecimalField(**FIGURE)
    numerator = serializers.DecimalField(**FIGURE, help_text="Percentages only.")
    denominator = serializers.DecimalField(**FIGURE, help_text="Percentages only.")


class BaselinePartSerializer(_StoredPartSerializer):
    """A baseline's part (fixed once a measurement of the indicator is approved)."""


class WorkingPartSerializer(_StoredPartSerializer):
    """A working part and, beside it, its approved figures (null until approved)."""
    approved_value = serializers.DecimalField(**FIGURE)
    approved_numerator = serializers.DecimalField(**FIGURE)
    approved_denominator = serializers.DecimalField(**FIGURE)


# -- writes: only the shape is checked here; api.writes resolves the slugs, the services the rules ---

_NUMBER = dict(required=False, allow_blank=True, allow_null=True, max_length=40)


class PartInputSerializer(serializers.Serializer):
    dimension = serializers.CharField(required=False, max_length=80,
                                      help_text="The dimension's slug (optional: the value's slug is unique).")
    dimension_value = serializers.CharField(max_length=80, help_text="The value's slug, e.g. female.")
    value = serializers.CharField(**_NUMBER, help_text="A count's or amount's part, e.g. \"60\".")
    numerator = serializers.CharField(**_NUMBER, help_text="A percentage's part: how many of the denominator.")
    denominator = serializers.CharField(**_NUMBER, help_text="A percentage's part: out of how many.")


def parts_field():
    return PartInputSerializer(
        many=True, required=False, max_length=MAX_PARTS,
        help_text="The total's parts, one per dimension value. Omitted: the stored parts stay (and must "
                  "still add up to the total); given: they replace the stored ones ([] removes them all).")
