"""The XLSX workbooks people download: a template per kind (the headers with their help as
comments, drop-down lists of the known codes and values on a hidden Lists sheet, an Instructions
sheet) and the same workbook filled with the stored rows as the XLSX export. Headers and sheet
names are in the language of whoever downloads it (the importer reads them in any language); the
values stay as the importer reads them.
"""
import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citiesalliance.formula_guard import xlsx_text
from indicators.dimensions import Dimension, DimensionValue
from indicators.models import Baseline, Indicator, Measurement, Target
from indicators.periods import HALF, QUARTER, YEAR, PeriodSpec
from indicators.validation import RATINGS
from results.levels import LADDER
from results.models import BusinessLine, Result, ResultsFramework

from .columns import COLUMNS, DIMENSIONS_SHEET, INSTRUCTIONS_SHEET, KIND_LABELS, KINDS, LISTS_SHEET
from .resources import export_dataset


def export_xlsx(kind: str, queryset=None) -> bytes:
    """The template workbook (instructions, drop-downs) with the rows filled in."""
    dataset = export_dataset(kind, queryset)
    return workbook_bytes(kind, rows=list(dataset))


def template_xlsx(kind: str) -> bytes:
    return workbook_bytes(kind, rows=[])


def _period_labels() -> list[str]:
    years = ResultsFramework.objects.aggregate(first=Min("first_fiscal_year"), last=Max("last_fiscal_year"))
    labels = []
    if years["first"] is not None:
        for year in range(years["first"], years["last"] + 1):
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
        "beneficiaries": list(Result.Beneficiary.values),
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
        "ratings": list(RATINGS.values()),  # English: what the importer reads
        "dimensions": list(Dimension.objects.values_list("name", flat=True)),
        "dimension_values": [f"{dim}: {name}" for dim, name in DimensionValue.objects.order_by(
            "dimension__order", "dimension__name", "order", "name").values_list("dimension__name", "name")],
        "users": list(get_user_model().objects.filter(is_active=True).order_by("username")
                      .values_list("username", flat=True)),
    }


# The Instructions sheet, in the language of whoever downloads it; the two lines that name the
# kind are filled in per kind.
_NOUN_LINE = gettext_lazy("Keep the header row as it is; one row per %(noun)s. Extra columns are ignored; blank "
                          "rows are skipped.")
_WORKFLOW_LINE = object()
_INSTRUCTIONS = [
    gettext_lazy("How to fill in this sheet"),
    "",
    _NOUN_LINE,
    gettext_lazy("Codes may be typed in any case (corp-out-1-i1 is CORP-OUT-1-I1); periods as FY2014, FY2014-H1 or "
                 "FY2014-Q3 (fy14 works too)."),
    gettext_lazy("Numbers may be typed as 1200, 1,200 or 12.5; percentages from 0 to 100, as 45 or 45%; yes/no as "
                 "yes or no."),
    gettext_lazy("Dates as Excel dates, 2014-06-30 or 30 Jun 2014 (03/04/2014 is refused: day and month are "
                 "ambiguous)."),
    gettext_lazy("The drop-down lists offer the known codes and values; they are a help, the import checks every "
                 "value."),
    gettext_lazy("The import shows a preview first (new, changed, unchanged rows). If any row has a problem nothing "
                 "is imported, and every problem is listed with its row, column and value."),
    gettext_lazy("Importing the same file twice changes nothing the second time."),
    gettext_lazy("Column headers may be in English, French, Spanish or Portuguese. The values of the drop-down "
                 "lists stay in English, whatever the language of these instructions: the import reads them."),
    _WORKFLOW_LINE,
    "",
]
_WORKFLOW = {
    "measurements": gettext_lazy(
        "Imported measurements arrive submitted for review by you, with the evidence link: a manager approves or "
        "returns them. A changed approved measurement starts a new revision. %(parts)s"),
    "targets": gettext_lazy(
        "Imported targets arrive preliminary: a manager approves them. A changed approved target needs a new "
        "rationale saying why it changes. %(parts)s"),
    "baselines": gettext_lazy(
        "A collected or validated baseline needs its value (or words, for a qualitative indicator) and a period or "
        "an as-of date."),
    "indicators": gettext_lazy(
        "An indicator's kind and measure cannot change once it has a baseline, targets or measurements."),
    "results": gettext_lazy("Results are placed in their framework's tree: a child sits one level below its parent."),
}
_PARTS = gettext_lazy(
    "Disaggregated figures: after the row of the total, one row per dimension value (Dimension value: female, or "
    "Sex: female), same indicator and period, with that part's value; each dimension's parts add up to the total. "
    "A percentage's parts give their Numerator and Denominator instead (45 and 120 for 45 of 120 people): the "
    "parts' shares and the total are recomputed from them, never averaged, so the total may be left empty.")
_NOUNS = {"results": gettext_lazy("result"), "indicators": gettext_lazy("indicator"),
          "baselines": gettext_lazy("indicator's baseline"), "targets": gettext_lazy("target (indicator and period)"),
          "measurements": gettext_lazy("measurement (indicator and period)")}


def _instruction(line, kind: str) -> str:
    if line is _NOUN_LINE:
        return _NOUN_LINE % {"noun": _NOUNS[kind]}
    if line is _WORKFLOW_LINE:
        return str(_WORKFLOW[kind]) % {"parts": _PARTS}
    return str(line)


def _as_cell(column, text):
    """Numbers as numbers and dates as dates in XLSX (when that loses nothing), else the text as
    the importer reads it back (formula_guard.xlsx_text)."""
    if text in (None, ""):
        return None
    if column.number:
        try:
            number = Decimal(str(text))
        except ArithmeticError:
            return xlsx_text(text)
        if number == number.to_integral_value() and abs(number) < 10 ** 15:
            return int(number)
        if Decimal(repr(float(number))) == number:
            return float(number)
        return xlsx_text(text)
    if column.date:
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            return xlsx_text(text)
    return xlsx_text(text)


def _dimensions_sheet(book, *, bold, fill) -> None:
    """The dimensions and their values, one row per value: what "Disaggregated by" and "Dimension
    value" may name (a value as "Sex: female", or its name alone when only one dimension has it)."""
    sheet = book.create_sheet(_(DIMENSIONS_SHEET))
    sheet.append([_("Dimension"), _("Dimension value"), _("Write it as"), _("Slug")])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for dimension, name, slug in DimensionValue.objects.order_by(
            "dimension__order", "dimension__name", "order", "name").values_list("dimension__name", "name", "slug"):
        sheet.append([xlsx_text(dimension), xlsx_text(name), xlsx_text(f"{dimension}: {name}"), slug])
    if sheet.max_row == 1:
        sheet.append([_("No dimensions are defined yet: a manager defines them on the site.")])
    for letter, width in zip("ABCD", (20, 24, 32, 20)):
        sheet.column_dimensions[letter].width = width


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
    sheet.title = str(KIND_LABELS[kind])
    headers = [c.label for c in columns]
    sheet.append(headers)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        if column.help:
            cell.comment = Comment((_("Required.") + " " if column.required else "") + str(column.help),
                                   "Cities Alliance")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(headers[index - 1]) + 6))
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
    lists_title = _(LISTS_SHEET)
    list_sheet = book.create_sheet(lists_title)
    quoted = "'" + lists_title.replace("'", "''") + "'"  # a sheet name in a formula, whatever its letters
    last_row = max(1000, len(rows) + 1000)
    list_column = 0
    for index, column in enumerate(columns, start=1):
        values = lists.get(column.choices) if column.choices else None
        if not values:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        list_sheet.cell(row=1, column=list_column, value=column.label)
        for r, value in enumerate(values, start=2):
            list_sheet.cell(row=r, column=list_column, value=value)
        validation = DataValidation(
            type="list", formula1=f"={quoted}!${letter}$2:${letter}${len(values) + 1}", allow_blank=True,
            showErrorMessage=True, errorStyle="warning",
            errorTitle=_("Unknown %(column)s") % {"column": column.label.lower()},
            error=_("This is not in the list of %(column)s values; the import will check it.") % {
                "column": column.label.lower()})
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    list_sheet.sheet_state = "hidden"

    instructions = book.create_sheet(_(INSTRUCTIONS_SHEET))
    for line in _INSTRUCTIONS:
        instructions.append([_instruction(line, kind)])
    instructions.append([_("Column"), _("Required"), _("What to write"), _("Drop-down list")])
    for column in columns:
        instructions.append([column.label, _("yes") if column.required else "", str(column.help),
                             _("yes") if column.choices and lists.get(column.choices) else ""])
    instructions["A1"].font = Font(bold=True, size=14)
    header_row = len(_INSTRUCTIONS) + 1
    for cell in instructions[header_row]:
        cell.font = bold
        cell.fill = fill
    instructions.column_dimensions["A"].width = 28
    instructions.column_dimensions["B"].width = 10
    instructions.column_dimensions["C"].width = 90
    instructions.column_dimensions["D"].width = 16
    for (what_to_write,) in instructions.iter_rows(min_row=header_row + 1, min_col=3, max_col=3):
        what_to_write.alignment = Alignment(wrap_text=True, vertical="top")

    if any(c.choices in ("dimensions", "dimension_values") for c in columns):
        _dimensions_sheet(book, bold=bold, fill=fill)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
