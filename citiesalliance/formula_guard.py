"""Spreadsheet cells that stay text: the one guard against formula injection, used by every CSV and
XLSX the site produces (the scorecard's exports, the spreadsheet exports, the problems CSV, any
django-import-export CSV), and its reverse, used by the importer.

A cell that starts with = + - @ (or a tab or carriage return) is run as a formula by Excel and
LibreOffice when a CSV is opened (=HYPERLINK(...), +cmd|' /C calc'!A0, @SUM(...)), and openpyxl
stores such a string as a formula in an XLSX. User text (an indicator's name, a note) must never
become a formula on a committee member's machine. It lives in the project package, below every
app, so that each app's exports use the same guard.

The CSV guard is OWASP's: a leading apostrophe makes a would-be formula plain text. It is
reversible: `unguard` gives back exactly the exported text, so an export re-imports unchanged. To
keep that true for text that itself starts with apostrophes before a formula character ("'=x"),
such text gets one apostrophe more, and `unguard` takes exactly one away.

A cell that is entirely a plain number ("-5", "-0.25", "-1,200.5", "+5", "-20%") is left as it is:
the spreadsheet reads it as a number, which runs nothing (there is no function to call), and
guarding it would turn every negative figure into text that no longer sums or sorts.
"""
import csv
import io
import re

from import_export.formats.base_formats import CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Figures as the pages and exports write them: sign, digits (grouped by commas), decimals, percent.
_FIGURE = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def _would_run(text: str) -> bool:
    """Whether `text` (with any leading apostrophes removed) starts like a formula and is not a figure."""
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_START) and not _FIGURE.match(bare)


def csv_safe(value):
    """The cell as a CSV must hold it: a would-be formula gets a leading apostrophe; anything else
    (figures, plain text, non-strings) is unchanged."""
    if isinstance(value, str) and _would_run(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """The original text of a cell `csv_safe` guarded (the importer's side); other text unchanged."""
    if text.startswith("'") and _would_run(text):
        return text[1:]
    return text


def xlsx_text(value):
    """A string for an XLSX text cell that `unguard` reads back unchanged: only text that already
    looks guarded ("'=x") needs an apostrophe more. XLSX cells are typed, so no other guard is needed
    there (the writers store every string as text, never as a formula)."""
    if isinstance(value, str) and value.startswith("'") and _would_run(value):
        return "'" + value
    return value


def csv_bytes(*, headers: list, rows) -> bytes:
    """A CSV file of `rows` under `headers`, every cell guarded: UTF-8 with a byte-order mark (so
    Excel opens accents and dashes correctly) and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in headers])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


class GuardedCSV(CSV):
    """django-import-export's CSV format with every cell guarded (settings.IMPORT_EXPORT_FORMATS), so
    an admin export through the library is as safe as the site's own. The library's own setting
    (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) deletes the "=" instead, which loses the text."""

    def export_data(self, dataset, **kwargs):
        import tablib

        guarded = tablib.Dataset(*([csv_safe(cell) for cell in row] for row in dataset),
                                 headers=[csv_safe(h) for h in dataset.headers] if dataset.headers else None)
        return super().export_data(guarded, **kwargs)


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
