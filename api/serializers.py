"""What the API answers, field by field (the OpenAPI schema is generated from these classes).

Objects are named by their codes as on the site (framework CORP, result CORP-OUT-2, indicator
CORP-OUT-2-I1, period FY2015). Figures are decimals written as strings ("1200.5"), so that no
client rounds them through a float. Approved serializers read an api.approved snapshot: the
approved figures and the words that went with them; working serializers, offered only to those
who may edit, read the record as it stands.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Baseline, Indicator, Measurement, Rating, ReportingPeriod, Target
from results.levels import LADDER, Level
from results.models import Alignment, Result, ResultsFramework
from scorecard.models import Edition

from .part_serializers import (
    ApprovedPartSerializer,
    BaselinePartSerializer,
    DimensionRefSerializer,
    WorkingPartSerializer,
    parts_field,
)

SLICE_PATTERN = r"^\s*(?:[A-Za-z0-9_-]{1,80}:)?[A-Za-z0-9_-]{1,80}\s*$"  # [dimension:]value, by slugs
FIGURE = dict(max_digits=20, decimal_places=4, allow_null=True, read_only=True)


def _person(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


class FrameworkSerializer(serializers.ModelSerializer):
    iati_url = serializers.SerializerMethodField(help_text="The IATI 2.03 results document of this framework.")

    class Meta:
        model = ResultsFramework
        fields = ["code", "name", "kind", "description", "first_fiscal_year", "last_fiscal_year", "order",
                  "iati_url"]

    def get_iati_url(self, framework) -> str:
        request = self.context.get("request")
        path = reverse("api:framework-iati", args=[framework.code])
        return request.build_absolute_uri(path) if request else path


class ResultSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True,
                                   help_text="The result one level above; null for the framework's Impact.")
    level = serializers.IntegerField(read_only=True, help_text="1 Impact, 2 Outcome, 3 Intermediate Outcome, "
                                                               "4 Output, 5 Activity.")
    level_name = serializers.SerializerMethodField()
    business_line = serializers.CharField(source="business_line.code", read_only=True, allow_null=True)

    class Meta:
        model = Result
        fields = ["code", "framework", "parent", "level", "level_name", "statement", "description",
                  "business_line", "order", "assumptions", "beneficiary"]

    def get_level_name(self, result) -> str:
        return LADDER[Level(result.level)].name


class AlignmentSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", read_only=True)
    source_framework = serializers.CharField(source="source.framework.code", read_only=True)
    target = serializers.CharField(source="target.code", read_only=True)
    target_framework = serializers.CharField(source="target.framework.code", read_only=True)

    class Meta:
        model = Alignment
        fields = ["id", "source", "source_framework", "relation", "target", "target_framework", "note"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["label", "kind", "fiscal_year", "number", "start", "end"]


class IndicatorSerializer(serializers.ModelSerializer):
    result = serializers.CharField(source="result.code", read_only=True)
    framework = serializers.CharField(source="result.framework.code", read_only=True)
    disaggregated_by = DimensionRefSerializer(source="dimensions", many=True, read_only=True,
                                              help_text="The dimensions its figures are split by (/api/v1/dimensions/).")

    class Meta:
        model = Indicator
        fields = ["code", "result", "framework", "name", "definition", "kind", "measure", "unit", "direction",
                  "aggregation", "data_source", "means_of_verification", "frequency", "weight", "disaggregated_by"]


class BaselineSerializer(serializers.ModelSerializer):
    """A collected or validated baseline; with figures=working, planned ones too (no value yet, a due date)."""
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True, allow_null=True)
    value = serializers.DecimalField(**FIGURE)
    parts = BaselinePartSerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = ["indicator", "value", "text", "period", "as_of", "source", "status", "due_date", "version",
                  "parts"]


class ApprovedTargetSerializer(serializers.Serializer):
    """The target in force: its approved figure, and the rationale it was approved with."""
    id = serializers.IntegerField(source="row.pk", read_only=True)
    indicator = serializers.CharField(source="row.indicator.code", read_only=True)
    period = serializers.CharField(source="row.period.label", read_only=True)
    value = serializers.DecimalField(source="approved.value", **FIGURE)
    rating = serializers.ChoiceField(source="approved.rating", choices=Rating.choices, allow_blank=True,
                                     read_only=True)
    rationale = serializers.CharField(source="approved.rationale", read_only=True)
    approved_at = serializers.DateTimeField(source="approved.approved_at", read_only=True)
    under_revision = serializers.BooleanField(
        source="approved.under_revision", read_only=True,
        help_text="A revised target awaits approval; this approved one counts meanwhile.")
    parts = ApprovedPartSerializer(source="approved.parts", many=True, read_only=True,
                                   help_text="The approved parts, one per dimension value.")


class WorkingTargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    value = serializers.DecimalField(**FIGURE)
    approved_value = serializers.DecimalField(**FIGURE)
    parts = WorkingPartSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = ["id", "indicator", "period", "value", "rating", "status", "rationale", "review_note",
                  "approved_value", "approved_rating", "approved_at", "version", "parts"]


class ApprovedMeasurementSerializer(serializers.Serializer):
    """The approved actual: figures, words and evidence as approved (a revision under way keeps them)."""
    id = serializers.IntegerField(source="row.pk", read_only=True)
    indicator = serializers.CharField(source="row.indicator.code", read_only=True)
    period = serializers.CharField(source="row.period.label", read_only=True)
    value = serializers.DecimalField(source="approved.value", **FIGURE)
    rating = serializers.ChoiceField(source="approved.rating", choices=Rating.choices, allow_blank=True,
                                     read_only=True)
    text = serializers.CharField(source="approved.text", read_only=True)
    comment = serializers.CharField(source="approved.comment", read_only=True)
    so_what = serializers.CharField(source="approved.so_what", read_only=True)
    evidence_url = serializers.CharField(source="approved.evidence_url", read_only=True)
    evidence_file = serializers.SerializerMethodField()
    approved_at = serializers.DateTimeField(source="approved.approved_at", read_only=True)
    under_revision = serializers.BooleanField(source="approved.under_revision", read_only=True)
    parts = ApprovedPartSerializer(source="approved.parts", many=True, read_only=True,
                                   help_text="The approved parts, one per dimension value.")

    @extend_schema_field(serializers.URLField(allow_null=True, read_only=True))
    def get_evidence_file(self, item) -> str | None:
        return _evidence_link(self.context.get("request"), item.row.pk) if item.approved.evidence_file else None


def _evidence_link(request, pk) -> str:
    path = reverse("indicators:evidence", args=[pk])
    return request.build_absolute_uri(path) if request else path


class WorkingMeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    value = serializers.DecimalField(**FIGURE)
    approved_value = serializers.DecimalField(**FIGURE)
    evidence_file = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    parts = WorkingPartSerializer(many=True, read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "period", "value", "rating", "text", "comment", "so_what", "evidence_url",
                  "evidence_file", "status", "review_note", "submitted_by", "submitted_at", "reviewed_by",
                  "reviewed_at", "approved_value", "approved_rating", "approved_at", "revision", "version", "parts"]

    @extend_schema_field(serializers.URLField(allow_null=True, read_only=True))
    def get_evidence_file(self, measurement) -> str | None:
        return _evidence_link(self.context.get("request"), measurement.pk) if measurement.evidence else None

    def get_submitted_by(self, measurement) -> str | None:
        return _person(measurement.submitted_by)

    def get_reviewed_by(self, measurement) -> str | None:
        return _person(measurement.reviewed_by)


# -- writes (the services check every rule; these only bound the input) ----------------------------

_TEXT = dict(required=False, allow_blank=True, max_length=10000, trim_whitespace=False)


class MeasurementFieldsSerializer(serializers.Serializer):
    value = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40,
                                  help_text='A number as people write it ("1,200", "45%", "yes" for yes/no).')
    rating = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40,
                                   help_text="Qualitative indicators: on track, needs attention or off track.")
    text = serializers.CharField(**_TEXT)
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    comment = serializers.CharField(**_TEXT)
    so_what = serializers.CharField(**_TEXT)
    parts = parts_field()
    submit = serializers.BooleanField(default=False, help_text="Submit for review in the same step.")


class MeasurementCreateSerializer(MeasurementFieldsSerializer):
    indicator = serializers.CharField(max_length=30, help_text="The indicator's code.")
    period = serializers.CharField(max_length=20, help_text="A reporting period: FY2016, FY2016-H1, FY2016-Q3.")


class MeasurementUpdateSerializer(MeasurementFieldsSerializer):
    """Omitted fields keep their current values; `version` is the one you read."""
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1,
                                       help_text="The version you read: a later save by someone else gives 409.")


class ReturnSerializer(VersionSerializer):
    note = serializers.CharField(max_length=10000, allow_blank=True, trim_whitespace=False,
                                 help_text="What should change: the officer sees this note.")


# -- scorecard and editions ------------------------------------------------------------------------

class ScorecardRowSerializer(serializers.Serializer):
    """One indicator row, cell for cell as the CSV export writes it, plus its raw progress and status."""
    level = serializers.CharField()
    result = serializers.CharField()
    indicator_code = serializers.CharField()
    indicator = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    baseline = serializers.CharField()
    baseline_period = serializers.CharField(allow_blank=True)
    actual = serializers.CharField()
    actual_period = serializers.CharField(allow_blank=True)
    actual_age = serializers.CharField(allow_blank=True, help_text="How old a carried-forward actual is, "
                                       "e.g. \"1 year old\"; blank when the actual is of the period itself.")
    target = serializers.CharField()
    target_period = serializers.CharField(allow_blank=True)
    target_status = serializers.CharField(allow_blank=True)
    progress = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    trend = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    progress_raw = serializers.CharField(allow_null=True, help_text="Uncapped progress as a fraction (1 = 100%).")
    status_code = serializers.CharField()


class ScorecardSliceSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The value's slug, as it goes in ?slice=.")
    name = serializers.CharField(help_text='For example "Sex: female".')
    dimension = serializers.CharField()
    value = serializers.CharField()
    included = serializers.ListField(child=serializers.CharField(), help_text="Indicator codes scored on the slice.")
    excluded = serializers.ListField(child=serializers.CharField(),
                                     help_text="Left out: not disaggregated by the dimension.")
    unsliced = serializers.ListField(child=serializers.CharField(),
                                     help_text="Left out: cumulative, with a baseline that is not split.")


class ScorecardSerializer(serializers.Serializer):
    framework = serializers.CharField()
    framework_name = serializers.CharField()
    period = serializers.CharField(allow_null=True)
    business_line = serializers.CharField(allow_null=True)
    periods = serializers.ListField(child=serializers.CharField(), help_text="Periods with data, newest first.")
    illustrative = serializers.ListField(child=serializers.CharField(),
                                         help_text="Why the figures must be read as illustrative (empty if real).")
    summary = serializers.JSONField()
    slice = ScorecardSliceSerializer(allow_null=True, help_text="The slice scored (null: the whole figures).")
    rows = ScorecardRowSerializer(many=True)


class ScorecardQuerySerializer(serializers.Serializer):
    framework = serializers.CharField(required=False, max_length=30, help_text="Default: the corporate framework.")
    period = serializers.CharField(required=False, max_length=20, help_text="Default: the latest with data.")
    line = serializers.CharField(required=False, max_length=30, help_text="A business line's code.")
    slice = serializers.RegexField(
        SLICE_PATTERN, required=False, max_length=161,
        error_messages={"invalid": _("Write the slice as dimension:value (for example sex:female) or a dimension "
                                     "value's slug (female), as the scorecard page's ?slice= does.")},
        help_text="Score a dimension value's slice (issue 14), as the scorecard page's ?slice= does: "
                  "dimension:value by their slugs (sex:female) or the value's slug alone (female). "
                  "An unknown dimension or value is refused (400, naming `slice`).")


class EditionSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)
    published_by = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["id", "framework", "framework_name", "period_label", "business_line_name", "illustrative",
                  "commentary", "published_by", "published_at"]

    def get_published_by(self, edition) -> str:
        return _person(edition.published_by) or ""


class EditionDetailSerializer(EditionSerializer):
    """The edition as frozen at publication: its standard, summary and sections, unchanged."""
    standard = serializers.JSONField(read_only=True)
    summary = serializers.JSONField(read_only=True)
    sections = serializers.JSONField(read_only=True)

    class Meta(EditionSerializer.Meta):
        fields = EditionSerializer.Meta.fields + ["schema", "standard", "summary", "sections"]
