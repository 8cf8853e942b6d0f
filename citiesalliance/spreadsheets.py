"""Spreadsheet cells that stay text: protection against formula injection in exports.

A cell that starts with = + - @ (or a tab or carriage return) is run as a formula by Excel and
LibreOffice when a CSV is opened, and openpyxl stores such a string as a formula in an XLSX. User
text (an indicator's name, a note) must never become a formula on a committee member's machine.
"""
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Figures as the pages show them ("-12", "-1,200.5", "-20%") are safe and stay as they are.
_FIGURE = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")


def csv_safe(value):
    """The OWASP advice for CSV: a leading apostrophe makes a would-be formula plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _FIGURE.match(value):
        return "'" + value
    return value


def xlsx_workbook(*, headers: list[str], rows: list[list], title: str):
    """An openpyxl workbook of one sheet, every string stored as text (never as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Sheet"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if cell.data_type == "f":  # openpyxl took a string starting with "=" for a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return book
