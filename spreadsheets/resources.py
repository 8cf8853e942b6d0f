"""django-import-export resources for results, indicators, baselines, targets and measurements, and
the CSV export built on them.

Columns and headers come from the column table (spreadsheets.columns), so an export, a template
and an import speak the same headers: the fields are named by the English header, and the header
row is written in the reader's language (`get_export_headers`), which the importer reads back.
Rows are keyed by human codes (result code, indicator code, period label), never database ids.
Values are written as the importer reads them back ("1200", "12.5", "On track", "FY2014"), so
exporting and re-importing changes nothing.

The resources serve the export and, for MeasurementResource, the plain import-export baseline of
the benchmark (bench/import_measurements.py); the import itself is the set-based path in
spreadsheets.importing (see its docstring for why).
"""
import tablib
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from import_export import fields, resources
from import_export.widgets import CharWidget, DecimalWidget, ForeignKeyWidget, IntegerWidget

from citiesalliance.formula_guard import csv_bytes
from indicators import computed_rules
from indicators.models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from indicators.validation import RATINGS
from results.levels import Level
from results.models import BusinessLine, Result, ResultsFramework

from .columns import BY_KEY, COLUMNS


def _indicator_field(kind: str) -> fields.Field:
    return _field(kind, "indicator_code", "indicator", widget=ForeignKeyWidget(Indicator, field="code"))


def _plain(value) -> str:
    """A stored Decimal as people type it: 1200, 12.5 (no trailing zeros, no exponent)."""
    return "" if value is None else f"{value.normalize():f}"


def _field(kind: str, key: str, attribute: str | None = None, widget=None, **extra) -> fields.Field:
    return fields.Field(attribute=attribute or key, column_name=BY_KEY[kind][key].header,
                        widget=widget or CharWidget(), **extra)


class _Ordered(resources.ModelResource):
    """Export columns in the order of the importer's table."""

    sheet_kind = ""

    def get_export_order(self):
        return tuple(c.key for c in COLUMNS[self.sheet_kind])

    def get_export_headers(self, selected_fields=None):
        # The English headers translated (Column.label): the header row in the reader's language.
        return [gettext(name) for name in super().get_export_headers(selected_fields=selected_fields)]


class ResultResource(_Ordered):
    sheet_kind = "results"
    framework = _field("results", "framework", widget=ForeignKeyWidget(ResultsFramework, field="code"))
    code = _field("results", "code")
    parent_code = _field("results", "parent_code", "parent", widget=ForeignKeyWidget(Result, field="code"))
    level = _field("results", "level")
    # The English texts (what the import writes back), whatever the exporter's language (issue 19).
    statement = _field("results", "statement", "statement_en")
    description = _field("results", "description")
    business_line = _field("results", "business_line", widget=ForeignKeyWidget(BusinessLine, field="code"))
    order = _field("results", "order", widget=IntegerWidget())
    assumptions = _field("results", "assumptions")
    beneficiary = _field("results", "beneficiary")

    class Meta:
        model = Result
        fields = tuple(c.key for c in COLUMNS["results"])
        import_id_fields = ("code",)

    def get_queryset(self):
        return Result.objects.select_related("framework", "parent", "business_line").order_by("tree_id", "lft")

    def dehydrate_level(self, result):
        # The English name, as the import reads it back, whatever the exporter's language.
        return Level(result.level).info.name


class IndicatorResource(_Ordered):
    sheet_kind = "indicators"
    result_code = _field("indicators", "result_code", "result", widget=ForeignKeyWidget(Result, field="code"))
    code = _field("indicators", "code")
    name = _field("indicators", "name", "name_en")  # English, as the statement above
    definition = _field("indicators", "definition", "definition_en")
    kind = _field("indicators", "kind")
    measure = _field("indicators", "measure")
    unit = _field("indicators", "unit")
    direction = _field("indicators", "direction")
    aggregation = _field("indicators", "aggregation")
    frequency = _field("indicators", "frequency")
    weight = _field("indicators", "weight", widget=DecimalWidget())
    order = _field("indicators", "order", widget=IntegerWidget())
    data_source = _field("indicators", "data_source")
    means_of_verification = _field("indicators", "means_of_verification")
    responsible = _field("indicators", "responsible", widget=ForeignKeyWidget(get_user_model(), field="username"))
    dimensions = _field("indicators", "dimensions", readonly=True)
    computed_as = fields.Field(column_name=BY_KEY["indicators"]["computed_as"].header, readonly=True)

    class Meta:
        model = Indicator
        fields = tuple(c.key for c in COLUMNS["indicators"])
        import_id_fields = ("code",)

    def get_queryset(self):
        return Indicator.objects.select_related("result", "responsible").prefetch_related(
            "dimensions", "computation__contributions__indicator").order_by(
            "result__tree_id", "result__lft", "order", "code")

    def dehydrate_weight(self, indicator):
        return _plain(indicator.weight)

    def dehydrate_computed_as(self, indicator):
        """The formula of a computed indicator (issue 18), empty for one whose figures are entered."""
        try:
            computation = indicator.computation
        except Indicator.computation.RelatedObjectDoesNotExist:
            return ""
        codes = sorted(c.indicator.code for c in computation.contributions.all())
        return computed_rules.formula_text(computation.kind, codes)

    def dehydrate_dimensions(self, indicator):
        """"Sex; Country", in the dimensions' order (prefetched: no query per indicator)."""
        return "; ".join(d.name for d in sorted(indicator.dimensions.all(), key=lambda d: (d.order, d.name)))


class _TotalRow:
    """The row of a total has no dimension value, numerator or denominator: its parts' rows follow
    it (export_dataset), and a percentage's total is recomputed from its parts'."""

    def dehydrate_dimension(self, obj):
        return ""

    def dehydrate_dimension_value(self, obj):
        return ""

    def dehydrate_numerator(self, obj):
        return ""

    def dehydrate_denominator(self, obj):
        return ""


class BaselineResource(_TotalRow, _Ordered):
    """A baseline with parts is followed by its parts' rows (export_dataset)."""

    sheet_kind = "baselines"
    indicator_code = _indicator_field("baselines")
    dimension = _field("baselines", "dimension", readonly=True)
    dimension_value = _field("baselines", "dimension_value", readonly=True)
    value = _field("baselines", "value", widget=DecimalWidget())
    numerator = _field("baselines", "numerator", readonly=True)
    denominator = _field("baselines", "denominator", readonly=True)
    text = _field("baselines", "text")
    period = _field("baselines", "period", widget=ForeignKeyWidget(ReportingPeriod, field="label"))
    as_of = _field("baselines", "as_of")
    source = _field("baselines", "source")
    status = _field("baselines", "status")
    due_date = _field("baselines", "due_date")

    class Meta:
        model = Baseline
        fields = tuple(c.key for c in COLUMNS["baselines"])
        import_id_fields = ("indicator_code",)

    def get_queryset(self):
        return Baseline.objects.select_related("indicator", "period").order_by("indicator__code")

    def dehydrate_value(self, baseline):
        return _plain(baseline.value)

    def dehydrate_as_of(self, baseline):
        return baseline.as_of.isoformat() if baseline.as_of else ""

    def dehydrate_due_date(self, baseline):
        return baseline.due_date.isoformat() if baseline.due_date else ""


class _ValueRowResource(_TotalRow, _Ordered):
    """Targets and measurements: indicator x period, a value or a rating."""

    def dehydrate_value(self, obj):
        return _plain(obj.value)

    def dehydrate_rating(self, obj):
        return RATINGS.get(obj.rating, obj.rating) if obj.rating else ""  # English: what the importer reads


class TargetResource(_ValueRowResource):
    sheet_kind = "targets"
    indicator_code = _indicator_field("targets")
    period = _field("targets", "period", widget=ForeignKeyWidget(ReportingPeriod, field="label"))
    dimension = _field("targets", "dimension", readonly=True)  # "" on a total; parts: export_dataset
    dimension_value = _field("targets", "dimension_value", readonly=True)
    numerator = _field("targets", "numerator", readonly=True)
    denominator = _field("targets", "denominator", readonly=True)
    value = _field("targets", "value", widget=DecimalWidget())
    rating = _field("targets", "rating")
    status = _field("targets", "status")
    rationale = _field("targets", "rationale")

    class Meta:
        model = Target
        fields = tuple(c.key for c in COLUMNS["targets"])
        import_id_fields = ("indicator_code", "period")

    def get_queryset(self):
        return Target.objects.select_related("indicator", "period").order_by("indicator__code", "period__end",
                                                                             "period__start")


class MeasurementResource(_ValueRowResource):
    """Also the benchmark's plain baseline: ForeignKeyWidgets on codes, one row at a time."""

    sheet_kind = "measurements"
    indicator_code = _indicator_field("measurements")
    period = _field("measurements", "period", widget=ForeignKeyWidget(ReportingPeriod, field="label"))
    dimension = _field("measurements", "dimension", readonly=True)  # "" on a total; parts: export_dataset
    dimension_value = _field("measurements", "dimension_value", readonly=True)
    numerator = _field("measurements", "numerator", readonly=True)
    denominator = _field("measurements", "denominator", readonly=True)
    value = _field("measurements", "value", widget=DecimalWidget())
    rating = _field("measurements", "rating")
    text = _field("measurements", "text")
    evidence_url = _field("measurements", "evidence_url")
    comment = _field("measurements", "comment")
    so_what = _field("measurements", "so_what")
    status = _field("measurements", "status")

    class Meta:
        model = Measurement
        fields = tuple(c.key for c in COLUMNS["measurements"])
        import_id_fields = ("indicator_code", "period")

    def get_queryset(self):
        return Measurement.objects.select_related("indicator", "period").order_by(
            "indicator__code", "period__end", "period__start")

    def before_save_instance(self, instance, row, **kwargs):
        # The measure is denormalised onto each value row (the CHECK constraints read it).
        instance.measure = instance.indicator.measure


RESOURCES = {"results": ResultResource, "indicators": IndicatorResource, "baselines": BaselineResource,
             "targets": TargetResource, "measurements": MeasurementResource}


def export_dataset(kind: str, queryset=None):
    """The rows of `kind` as a tablib Dataset with the template's headers; a figure with parts is
    followed by one row per part (its dimension value and working figure: a value, or a
    percentage's numerator, denominator and share), as the importer reads them back."""
    resource = RESOURCES[kind]()
    if kind not in _PART_MODELS:
        return resource.export(queryset=queryset)
    queryset = resource.get_queryset() if queryset is None else queryset
    dataset = resource.export(queryset=queryset)
    parts = _part_rows(kind, queryset)
    if not parts:
        return dataset
    ids = list(queryset.values_list("id", flat=True))
    headers = list(dataset.headers)
    keys = [c.key for c in COLUMNS[kind]]  # the export's order (_Ordered)
    at = {key: keys.index(key) for key in _PART_COLUMNS}
    out = tablib.Dataset(headers=headers)
    for pk, row in zip(ids, dataset):
        out.append(row)
        for figures in parts.get(pk, ()):
            part = [row[0], *([row[1]] if kind != "baselines" else [])]
            part += [""] * (len(headers) - len(part))
            for key, shown in zip(_PART_COLUMNS, figures):
                part[at[key]] = shown
            out.append(part)
    return out


_PART_COLUMNS = ("dimension", "dimension_value", "value", "numerator", "denominator")
_PART_MODELS = {"measurements": ("MeasurementPart", "measurement"), "targets": ("TargetPart", "target"),
                "baselines": ("BaselinePart", "baseline")}


def _part_rows(kind: str, queryset) -> dict[int, list]:
    """{measurement, target or baseline id: [(dimension, value name, value, numerator, denominator)]}:
    the working parts, in order, as text."""
    from indicators import dimensions

    model_name, owner = _PART_MODELS[kind]
    model = getattr(dimensions, model_name)
    found: dict[int, list] = {}
    for owner_id, dimension, name, value, numerator, denominator in (
            model.objects.filter(**{f"{owner}__in": queryset.values("id")})
            .exclude(value__isnull=True, numerator__isnull=True, denominator__isnull=True)  # emptied
            .order_by(f"{owner}_id", "dimension_value__dimension__order", "dimension_value__dimension__name",
                      "dimension_value__order", "dimension_value__name")
            .values_list(f"{owner}_id", "dimension_value__dimension__name", "dimension_value__name", "value",
                         "numerator", "denominator")):
        found.setdefault(owner_id, []).append((dimension, name, _plain(value), _plain(numerator),
                                               _plain(denominator)))
    return found


def export_csv(kind: str, queryset=None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents and dashes correctly; every cell guarded
    against formula injection in a way the importer reads back (citiesalliance.formula_guard)."""
    dataset = export_dataset(kind, queryset)
    return csv_bytes(headers=dataset.headers, rows=dataset)
