"""django-import-export resources for results, indicators, baselines, targets and measurements, and
the CSV export built on them.

Columns and headers come from the column table (spreadsheets.columns), so an export, a template
and an import speak the same headers; rows are keyed by human codes (result code, indicator code,
period label), never database ids. Values are written as the importer reads them back ("1200",
"12.5", "On track", "FY2014"), so exporting and re-importing changes nothing.

The resources serve the export and, for MeasurementResource, the plain import-export baseline of
the benchmark (bench/import_measurements.py); the import itself is the set-based path in
spreadsheets.importing (see its docstring for why).
"""
import tablib
from django.contrib.auth import get_user_model
from import_export import fields, resources
from import_export.widgets import CharWidget, DecimalWidget, ForeignKeyWidget, IntegerWidget

from citiesalliance.formula_guard import csv_bytes
from indicators.models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from indicators.validation import RATINGS
from results.levels import Level
from results.models import BusinessLine, Result, ResultsFramework

from .columns import COLUMNS, HEADERS


def _indicator_field(kind: str) -> fields.Field:
    return _field(kind, "indicator_code", "indicator", widget=ForeignKeyWidget(Indicator, field="code"))


def _plain(value) -> str:
    """A stored Decimal as people type it: 1200, 12.5 (no trailing zeros, no exponent)."""
    return "" if value is None else f"{value.normalize():f}"


def _field(kind: str, key: str, attribute: str | None = None, widget=None, **extra) -> fields.Field:
    return fields.Field(attribute=attribute or key, column_name=HEADERS[kind][key],
                        widget=widget or CharWidget(), **extra)


class _Ordered(resources.ModelResource):
    """Export columns in the order of the importer's table."""

    sheet_kind = ""

    def get_export_order(self):
        return tuple(c.key for c in COLUMNS[self.sheet_kind])


class ResultResource(_Ordered):
    sheet_kind = "results"
    framework = _field("results", "framework", widget=ForeignKeyWidget(ResultsFramework, field="code"))
    code = _field("results", "code")
    parent_code = _field("results", "parent_code", "parent", widget=ForeignKeyWidget(Result, field="code"))
    level = _field("results", "level")
    statement = _field("results", "statement")
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
        return Level(result.level).label


class IndicatorResource(_Ordered):
    sheet_kind = "indicators"
    result_code = _field("indicators", "result_code", "result", widget=ForeignKeyWidget(Result, field="code"))
    code = _field("indicators", "code")
    name = _field("indicators", "name")
    definition = _field("indicators", "definition")
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

    class Meta:
        model = Indicator
        fields = tuple(c.key for c in COLUMNS["indicators"])
        import_id_fields = ("code",)

    def get_queryset(self):
        return Indicator.objects.select_related("result", "responsible").order_by(
            "result__tree_id", "result__lft", "order", "code")

    def dehydrate_weight(self, indicator):
        return _plain(indicator.weight)


class BaselineResource(_Ordered):
    sheet_kind = "baselines"
    indicator_code = _indicator_field("baselines")
    value = _field("baselines", "value", widget=DecimalWidget())
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


class _ValueRowResource(_Ordered):
    """Targets and measurements: indicator x period, a value or a rating; the row of the total has no
    dimension value (its parts' rows follow it: export_dataset)."""

    def dehydrate_dimension(self, obj):
        return ""

    def dehydrate_dimension_value(self, obj):
        return ""

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
    """The rows of `kind` as a tablib Dataset with the template's headers; a measurement with parts
    is followed by one row per part (its dimension value and working figure), as the importer reads
    them back."""
    resource = RESOURCES[kind]()
    if kind not in ("measurements", "targets"):
        return resource.export(queryset=queryset)
    queryset = resource.get_queryset() if queryset is None else queryset
    dataset = resource.export(queryset=queryset)
    parts = _part_rows(kind, queryset)
    if not parts:
        return dataset
    ids = list(queryset.values_list("id", flat=True))
    headers = list(dataset.headers)
    at = {key: headers.index(HEADERS[kind][key]) for key in ("dimension", "dimension_value", "value")}
    out = tablib.Dataset(headers=headers)
    for pk, row in zip(ids, dataset):
        out.append(row)
        for dimension, name, value in parts.get(pk, ()):
            part = [row[0], row[1]] + [""] * (len(headers) - 2)
            part[at["dimension"]], part[at["dimension_value"]], part[at["value"]] = dimension, name, _plain(value)
            out.append(part)
    return out


def _part_rows(kind: str, queryset) -> dict[int, list]:
    """{measurement or target id: [(dimension, value name, value)]}: the working parts of counts, in order."""
    from indicators.dimensions import MeasurementPart, TargetPart

    model, owner = (MeasurementPart, "measurement") if kind == "measurements" else (TargetPart, "target")
    found: dict[int, list] = {}
    for owner_id, dimension, name, value in (
            model.objects.filter(**{f"{owner}__in": queryset.values("id")}, value__isnull=False)
            .exclude(**{f"{owner}__measure": "percentage"})  # numerator and denominator: not in the columns yet
            .order_by(f"{owner}_id", "dimension_value__dimension__order", "dimension_value__dimension__name",
                      "dimension_value__order", "dimension_value__name")
            .values_list(f"{owner}_id", "dimension_value__dimension__name", "dimension_value__name", "value")):
        found.setdefault(owner_id, []).append((dimension, name, value))
    return found


def export_csv(kind: str, queryset=None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents and dashes correctly; every cell guarded
    against formula injection in a way the importer reads back (citiesalliance.formula_guard)."""
    dataset = export_dataset(kind, queryset)
    return csv_bytes(headers=dataset.headers, rows=dataset)
