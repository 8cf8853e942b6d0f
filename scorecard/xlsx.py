"""The scorecard as an Excel workbook a reader can compute with: numbers are numeric cells with
number formats (percentages as percentages), and the sheet carries what the page carries: title,
period and approval date (or the edition's publication), the illustrative warning, the at-a-glance
block, then the table with a row for the framework, each level and each result (their scores) above
the indicator rows. Column widths are set and the table's header stays in view.

User text is always a text cell (citiesalliance.formula_guard: never a formula). The CSV stays the
plain table of indicator rows (scorecard/exports.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .formatting import EXPORT_HEADERS
from .headings import export_headers, target_status_word, trend_word

WIDTHS = {"Level": 20, "Result": 13, "Indicator code": 17, "Indicator": 52, "Unit": 13, "Baseline": 11,
          "Baseline period": 11, "Actual": 11, "Actual period": 11, "Actual age": 12, "Target": 11,
          "Target period": 11, "Target status": 12, "Progress": 10, "Status": 16, "Trend": 8, "Note": 44}
PERCENT, PERCENT_1 = "0%", "0.0%"
INTEGER, DECIMAL = "#,##0", "#,##0.0#"
_COL = {name: i for i, name in enumerate(EXPORT_HEADERS)}


@dataclass
class Sheet:
    """What the workbook shows besides the rows (a live scorecard or an edition)."""
    title: str
    subtitle: str
    summary: dict
    sections: list
    illustrative: list = field(default_factory=list)
    commentary: str = ""


def live_sheet(card) -> Sheet:
    """The live scorecard's sheet: its period and "as approved on" the latest approval it shows."""
    from django.utils.formats import date_format

    line = _(" · business line %(line)s") % {"line": card.business_line.name} if card.business_line else ""
    if card.slice:
        line += _(" · sliced by %(slice)s (indicators not disaggregated by it, and cumulative ones whose baseline "
                  "is not split, left out)") % {"slice": card.slice.name}
    approved = (_(" · live figures, as approved on %(date)s") % {"date": date_format(card.approved_on, "j F Y")}
                if card.approved_on else _(" · no figure approved yet"))
    title = _("Scorecard: %(framework)s") % {"framework": card.framework.name}
    return Sheet(title=f"{title} · {card.slice.title}" if card.slice else title,
                 subtitle=_("Reporting period %(period)s (%(start)s – %(end)s)") % {
                     "period": card.period.label, "start": date_format(card.period.start, "j M Y"),
                     "end": date_format(card.period.end, "j M Y")} + line + approved,
                 summary=card.summary, sections=card.sections, illustrative=card.illustrative)


def edition_sheet(edition) -> Sheet:
    """A published edition's sheet: its publication date, publisher and commentary, as frozen."""
    from django.utils.formats import date_format

    line = _(" · business line %(line)s") % {"line": edition.business_line_name} if edition.business_line_name else ""
    publisher = edition.published_by.get_full_name() or edition.published_by.username
    return Sheet(
        title=_("Scorecard edition %(number)s: %(framework)s") % {"number": edition.pk,
                                                                  "framework": edition.framework_name},
        subtitle=_("Reporting period %(period)s%(line)s · published by %(user)s on %(date)s: frozen, later "
                   "corrections do not change it") % {
                       "period": edition.period_label, "line": line, "user": publisher,
                       "date": date_format(edition.published_at, "j F Y")},
        summary=edition.summary, sections=edition.sections,
        illustrative=edition.summary.get("illustrative", []) if edition.illustrative else [],
        commentary=edition.commentary)


def _number(text) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def _figure_cell(raw, shown: str, measure: str):
    """(value, number format) for a baseline, actual or target: numeric when it is a number."""
    value = _number(raw)
    if value is None or measure in ("yes_no", "rating", ""):
        return shown if shown != "—" else None, None
    if measure == "percentage":
        fraction = value / 100
        return fraction, PERCENT if fraction * 100 == (fraction * 100).to_integral() else PERCENT_1
    return value, INTEGER if value == value.to_integral() else DECIMAL


def _progress_cell(raw):
    value = _number(raw)
    return (value, PERCENT) if value is not None else (None, None)


def _indicator_cells(level_name: str, row: dict) -> list[tuple]:
    qualitative = row.get("qualitative", row.get("kind") == "qualitative")  # older editions: kind alone
    measure = "" if qualitative else row.get("measure", "")
    baseline = _figure_cell(row.get("baseline_raw"), row["baseline"], measure) if "baseline_raw" in row \
        else (row["baseline"], None)
    actual = _figure_cell(row.get("actual_raw"), row["actual"], measure) if "actual_raw" in row \
        else (row["actual"], None)
    target = _figure_cell(row.get("target_raw"), row["target"], measure) if "target_raw" in row \
        else (row["target"], None)
    progress = _progress_cell(row.get("progress_raw"))
    target_status = target_status_word(row)
    return [
        (level_name, None), (row["result_code"], None), (row["code"], None), (row["name"], None), (row["unit"], None),
        baseline, (row["baseline_period"], None), actual, (row["actual_period"], None),
        (row.get("actual_age", ""), None), target, (row["target_period"], None), (target_status, None),
        progress, (row["status_label"], None), (trend_word(row["trend"]), None), (row["note"], None),
    ]


def _score_cells(label: str, result: str, code: str, text: str, rollup: dict | None) -> list[tuple]:
    cells = [(None, None)] * len(EXPORT_HEADERS)
    cells[_COL["Level"]] = (label, None)
    cells[_COL["Result"]] = (result, None)
    cells[_COL["Indicator code"]] = (code, None)
    cells[_COL["Indicator"]] = (text, None)
    if rollup:
        cells[_COL["Progress"]] = _progress_cell(rollup.get("score_raw"))
        if rollup.get("score_raw"):
            cells[_COL["Status"]] = (rollup.get("status_label", ""), None)
        cells[_COL["Note"]] = (rollup.get("counts_text", ""), None)
    return cells


def workbook(sheet: Sheet, *, sheet_title: str):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "-", sheet_title)[:31] or "Scorecard"
    bold = Font(bold=True)

    def put(row: int, cells: list[tuple], font=None, fill=None):
        for col, (value, number_format) in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # user text stays text, never a formula
            if number_format:
                cell.number_format = number_format
            if font:
                cell.font = font
            if fill:
                cell.fill = fill

    put(1, [(sheet.title, None)], font=Font(bold=True, size=14))
    put(2, [(sheet.subtitle, None)])
    row = 3
    if sheet.illustrative:
        put(row, [(_("Illustrative figures. Do not read them as Cities Alliance results:") + " "
                   + " ".join(sheet.illustrative), None)],
            font=Font(bold=True, color="8A4B00"), fill=PatternFill("solid", fgColor="FFF3CD"))
        row += 1
    if sheet.commentary:
        put(row, [(_("Commentary: %(text)s") % {"text": sheet.commentary}, None)])
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1

    # -- at a glance ------------------------------------------------------------------------------
    row += 1
    summary = sheet.summary
    put(row, [(_("At a glance"), None)], font=bold)
    row += 1
    for count in summary.get("counts", []):
        put(row, [(count["label"], None), (count["count"], INTEGER)])
        row += 1
    due = summary.get("due", 0)
    if due:
        completeness = (Decimal(summary.get("with_data", 0)) / Decimal(due)).quantize(Decimal("0.0001"))
        period = summary.get("period_label", "")
        words = {"count": summary.get("with_data", 0), "due": due, "period": period, "carried": summary.get("carried")}
        text = (_("%(count)s of %(due)s indicators due have approved figures for %(period)s") % words if period
                else _("%(count)s of %(due)s indicators due have approved figures") % words)
        if summary.get("carried"):
            text += _("; %(carried)s show an earlier period's figure") % words
        put(row, [(_("Data completeness"), None), (completeness, PERCENT), (text, None)])
    else:
        put(row, [(_("Data completeness"), None), (_("no indicator is due"), None)])
    row += 1
    score = _progress_cell(summary.get("score_raw"))
    put(row, [(_("Framework score"), None), score, (summary.get("status_label", "") if score[0] is not None else "",
                                                 None)])
    row += 2

    # -- the table ----------------------------------------------------------------------------------
    header_row = row
    put(row, [(h, None) for h in export_headers(EXPORT_HEADERS)], font=bold, fill=PatternFill("solid", fgColor="E9ECEF"))
    row += 1
    put(row, _score_cells(_("Framework"), "", "", sheet.title, summary), font=bold)
    row += 1
    for section in sheet.sections:
        put(row, _score_cells(section["level_name"], "", "", _("%(level)s level") % {"level": section["level_name"]},
                              section.get("rollup")), font=bold, fill=PatternFill("solid", fgColor="F1F3F5"))
        row += 1
        for result in section["results"]:
            put(row, _score_cells(section["level_name"], result["code"], "", result["statement"],
                                  result.get("rollup")), font=Font(italic=True))
            row += 1
            for indicator_row in result["rows"]:
                put(row, _indicator_cells(section["level_name"], indicator_row))
                row += 1

    for name, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(_COL[name] + 1)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(EXPORT_HEADERS))}{max(row - 1, header_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return book
