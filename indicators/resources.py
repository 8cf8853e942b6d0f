"""django-import-export resources for results, indicators, baselines, targets and measurements, and
the XLSX workbooks (templates and exports) built on them.

Columns and headers come from the importer's table (indicators.imports.COLUMNS), so an export, a
template and an import speak the same headers; rows are keyed by human codes (result code,
indicator code, period label), never database ids. Values are written as the importer reads them
back ("1200", "12.5", "On track", "FY2014"), so exporting and re-importing changes nothing.

The resources serve the export and, for MeasurementResource, the plain import-export baseline of
the benchmark (bench/import_measurements.py); the import itself is the set-based path in
indicators/imports.py (see its docstring for why).
"""
import csv
import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from import_export import fields, resources
from import_export.widgets import CharWidget, DecimalWidget, ForeignKeyWidget, IntegerWidget

from results.levels import LADDER, Level
from results.models import BusinessLine, Result, ResultsFramework

from .imports import COLUMNS, KIND_LABELS, KINDS
from .models import Baseline, Indicator, Measurement, Rating, ReportingPeriod, Target
from .periods import HALF, QUARTER, YEAR, PeriodSpec

_HEADERS = {kind: {c.key: c.header for c in columns} for kind, columns in COLUMNS.items()}


def _indicator_field(kind: str) -> fields.Field:
    return _field(kind, "indicator_code", "indicator", widget=ForeignKeyWidget(Indicator, field="code"))


def _plain(value) -> str:
    """A stored Decimal as people type it: 1200, 12.5 (no trailing zeros, no exponent)."""
    return "" if value is None else f"{value.normalize():f}"


def _field(kind: str, key: str, attribute: str | None = None, widget=None, **extra) -> fields.Field:
    return fields.Field(attribute=attribute or key, column_name=_HEADERS[kind][key],
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
    """Targets and measurements: indicator x period, a value or a rating."""

    def dehydrate_value(self, obj):
        return _plain(obj.value)

    def dehydrate_rating(self, obj):
        return Rating(obj.rating).label if obj.rating else ""


class TargetResource(_ValueRowResource):
    sheet_kind = "targets"
    indicator_code = _indicator_field("targets")
    period = _field("targets", "period", widget=ForeignKeyWidget(ReportingPeriod, field="label"))
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
    """The rows of `kind` as a tablib Dataset with the template's headers."""
    resource = RESOURCES[kind]()
    return resource.export(queryset=queryset)


# ---------------------------------------------------------------------------------------------
# CSV and XLSX files


def export_csv(kind: str, queryset=None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents and dashes correctly."""
    dataset = export_dataset(kind, queryset)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.headers)
    writer.writerows(dataset)
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(kind: str, queryset=None) -> bytes:
    """The template workbook (instructions, drop-downs) with the rows filled in."""
    dataset = export_dataset(kind, queryset)
    return workbook_bytes(kind, rows=list(dataset))


def template_xlsx(kind: str) -> bytes:
    return workbook_bytes(kind, rows=[])


def _period_labels() -> list[str]:
    years = ResultsFramework.objects.values_list("first_fiscal_year", "last_fiscal_year")
    labels = []
    if years:
        first, last = min(y[0] for y in years), max(y[1] for y in years)
        for year in range(first, last + 1):
            labels.append(PeriodSpec(YEAR, year, 0).label)
            labels += [PeriodSpec(HALF, year, n).label for n in (1, 2)]
            labels += [PeriodSpec(QUARTER, year, n).label for n in (1, 2, 3, 4)]
    return labels


def drop_down_lists() -> dict[str, list[str]]:
    """The values offered in the templates' drop-down lists (the importer accepts more spellings)."""
    return {
        "frameworks": list(ResultsFramework.objects.values_list("code", flat=True)),
        "results": list(Result.objects.order_by("tree_id", "lft").values_list("code", flat=True)),
        "levels": [info.name for info in LADDER.values()],
        "business_lines": list(BusinessLine.objects.values_list("code", flat=True)),
        "beneficiaries": [value for value, _ in Result.Beneficiary.choices],
        "indicators": list(Indicator.objects.order_by("code").values_list("code", flat=True)),
        "periods": _period_labels(),
        "kinds": list(Indicator.Kind.values),
        "measures": list(Indicator.Measure.values),
        "directions": list(Indicator.Direction.values),
        "aggregations": list(Indicator.Aggregation.values),
        "frequencies": list(Indicator.Frequency.values),
        "baseline_statuses": list(Baseline.Status.values),
        "target_statuses": list(Target.Status.values),
        "measurement_statuses": list(Measurement.Status.values),
        "ratings": [label for _, label in Rating.choices],
        "users": list(get_user_model().objects.filter(is_active=True).order_by("username")
                      .values_list("username", flat=True)),
    }


_INSTRUCTIONS = [
    "How to fill in this sheet",
    "",
    "Keep the header row as it is; one row per {noun}. Extra columns are ignored; blank rows are skipped.",
    "Codes may be typed in any case (corp-out-1-i1 is CORP-OUT-1-I1); periods as FY2014, FY2014-H1 or "
    "FY2014-Q3 (fy14 works too).",
    "Numbers may be typed as 1200, 1,200 or 12.5; percentages from 0 to 100, as 45 or 45%; yes/no as yes or no.",
    "Dates as Excel dates, 2014-06-30 or 30 Jun 2014 (03/04/2014 is refused: day and month are ambiguous).",
    "The drop-down lists offer the known codes and values; they are a help, the import checks every value.",
    "The import shows a preview first (new, changed, unchanged rows). If any row has a problem nothing "
    "is imported, and every problem is listed with its row, column and value.",
    "Importing the same file twice changes nothing the second time.",
    "{workflow}",
    "",
]
_WORKFLOW = {
    "measurements": "Imported measurements arrive submitted for review by you, with the evidence link: a "
                    "manager approves or returns them. A changed approved measurement starts a new revision.",
    "targets": "Imported targets arrive preliminary: a manager approves them. A changed approved target needs "
               "a new rationale saying why it changes.",
    "baselines": "A collected or validated baseline needs its value (or words, for a qualitative indicator) "
                 "and a period or an as-of date.",
    "indicators": "An indicator's kind and measure cannot change once it has a baseline, targets or "
                  "measurements.",
    "results": "Results are placed in their framework's tree: a child sits one level below its parent.",
}
_NOUNS = {"results": "result", "indicators": "indicator", "baselines": "indicator's baseline",
          "targets": "target (indicator and period)", "measurements": "measurement (indicator and period)"}


def _as_cell(column, text):
    """Numbers as numbers and dates as dates in XLSX (when that loses nothing), else the text."""
    if text in (None, ""):
        return None
    if column.number:
        try:
            number = Decimal(str(text))
        except ArithmeticError:
            return text
        if number == number.to_integral_value() and abs(number) < 10 ** 15:
            return int(number)
        if Decimal(repr(float(number))) == number:
            return float(number)
        return text
    if column.date:
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            return text
    return text


def workbook_bytes(kind: str, *, rows: list) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind not in KINDS:
        raise ValueError(kind)
    columns = COLUMNS[kind]
    lists = drop_down_lists()
    book = Workbook()
    sheet = book.active
    sheet.title = KIND_LABELS[kind]
    sheet.append([c.header for c in columns])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        if column.help:
            cell.comment = Comment(("Required. " if column.required else "") + column.help, "Cities Alliance")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(column.header) + 6))
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        cells = [_as_cell(column, value) for column, value in zip(columns, row)]
        sheet.append(cells)
        for index, value in enumerate(cells, start=1):
            if isinstance(value, str) and value.startswith("="):
                # openpyxl writes "=..." as a formula: keep what people typed as text (and never run it)
                sheet.cell(row=number, column=index).data_type = "s"
    for index, column in enumerate(columns, start=1):
        if column.date:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"

    # Lists: one column per list; drop-downs point at them.
    list_sheet = book.create_sheet("Lists")
    last_row = max(1000, len(rows) + 1000)
    list_column = 0
    for index, column in enumerate(columns, start=1):
        values = lists.get(column.choices) if column.choices else None
        if not values:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        list_sheet.cell(row=1, column=list_column, value=column.header)
        for r, value in enumerate(values, start=2):
            list_sheet.cell(row=r, column=list_column, value=value)
        validation = DataValidation(
            type="list", formula1=f"=Lists!${letter}$2:${letter}${len(values) + 1}", allow_blank=True,
            showErrorMessage=True, errorStyle="warning", errorTitle=f"Unknown {column.header.lower()}",
            error=f"This is not in the list of {column.header.lower()} values; the import will check it.")
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    list_sheet.sheet_state = "hidden"

    instructions = book.create_sheet("Instructions")
    for line in _INSTRUCTIONS:
        instructions.append([line.format(noun=_NOUNS[kind], workflow=_WORKFLOW[kind])])
    instructions.append(["Column", "Required", "What to write", "Drop-down list"])
    for column in columns:
        instructions.append([column.header, "yes" if column.required else "", column.help,
                             "yes" if column.choices and lists.get(column.choices) else ""])
    instructions["A1"].font = Font(bold=True, size=14)
    header_row = len(_INSTRUCTIONS) + 1
    for cell in instructions[header_row]:
        cell.font = bold
        cell.fill = fill
    instructions.column_dimensions["A"].width = 28
    instructions.column_dimensions["B"].width = 10
    instructions.column_dimensions["C"].width = 90
    instructions.column_dimensions["D"].width = 16
    for row in instructions.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
