"""Reading a spreadsheet file into a table of cells keyed by column: CSV with the csv module, XLSX
with openpyxl in read-only mode; the header row found among the first rows (title rows above it
are allowed) and matched to the kind's column table. File-level problems raise Refused.
"""
from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NamedTuple

from django.core.exceptions import ValidationError

from .cells import clean_cell, clean_text, percent_text, show
from .columns import ALIASES, BY_KEY, COLUMNS, KIND_LABELS, KINDS, header_key
from .report import Problem, Refused, file_problem

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 10  # title rows above the header are allowed, up to this many


def check_upload(*, name: str, size: int) -> None:
    """The browser's and the command's limits: .csv or .xlsx, at most 20 MB, not empty."""
    extension = PurePath(name or "").suffix.lower()
    if extension == ".xls":
        raise ValidationError(f"“{name}” is an old Excel 97-2003 workbook (.xls): open it in Excel and save "
                              "it as .xlsx (Excel Workbook) or .csv, then upload that.")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(f"“{name}” is not a spreadsheet this import reads: upload a .xlsx or .csv file.")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"“{name}” is {size / 1024 / 1024:.1f} MB; the limit is "
                              f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into several files.")
    if size == 0:
        raise ValidationError(f"“{name}” is empty.")


class ColumnAt(NamedTuple):
    """Where a known column is in the file, and its header as the file writes it."""
    index: int
    header: str


class DataRow(NamedTuple):
    number: int  # the spreadsheet's row number, as Excel shows it
    cells: dict  # column key -> cleaned value (None if blank)


@dataclass
class Table:
    kind: str
    sheet: str
    header_row: int
    columns: dict[str, ColumnAt]
    rows: list[DataRow]
    ignored: list
    notes: list
    _by_number: dict = field(default_factory=dict, repr=False)

    def header(self, key: str) -> str:
        if key in self.columns:
            return self.columns[key].header
        return BY_KEY[self.kind][key].header

    def has(self, key: str) -> bool:
        return key in self.columns

    def cell(self, number: int, key: str):
        """The cleaned value of column `key` in spreadsheet row `number` (None if blank or absent)."""
        if not self._by_number:
            self._by_number = {line.number: line.cells for line in self.rows}
        return self._by_number.get(number, {}).get(key)


# ---- CSV ------------------------------------------------------------------------------------

def _read_csv(data: bytes, kind: str | None) -> tuple[str, list[list], str]:
    """Rows of a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252; the delimiter
    (comma, semicolon or tab) is the one that makes a header row we recognise."""
    note = ""
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = data.decode("cp1252")
        except UnicodeDecodeError:
            decoded = data.decode("latin-1")
        note = "The file is not UTF-8; it was read as Windows-1252 (Western European)."
    if "\x00" in decoded[:4096]:
        raise file_problem("This is not a CSV text file (it holds binary data): upload a .csv or .xlsx file.")
    head = decoded[:65536]
    best_score, best_delimiter = -1, ","
    for delimiter in (",", ";", "\t"):
        try:
            rows = [r for _, r in zip(range(HEADER_SEARCH_ROWS), csv.reader(io.StringIO(head), delimiter=delimiter))]
        except csv.Error:
            continue
        score = max((_known_columns(row, kind) for row in rows), default=0)
        if score > best_score:
            best_score, best_delimiter = score, delimiter
    try:
        rows = list(csv.reader(io.StringIO(decoded, newline=""), delimiter=best_delimiter))
    except csv.Error as exc:
        raise file_problem(f"The CSV file could not be read ({exc}): save it again from the spreadsheet "
                           "programme as CSV.") from None
    return "", rows, note


def _known_columns(cells, kind: str | None) -> int:
    """How many known columns a row names, for the best-fitting kind (or the given one)."""
    names = {header_key(c) for c in cells if c not in (None, "")}
    best = 0
    for k in ([kind] if kind else KINDS):
        best = max(best, len({ALIASES[k][n] for n in names if n in ALIASES[k]}))
    return best


# ---- XLSX -----------------------------------------------------------------------------------

def _sheet_rows(ws):
    """An openpyxl read-only sheet's rows as cleaned values; percentage-formatted numbers become
    "45%" (the cell holds 0.45, the person typed 45%)."""
    blank_run = 0
    for cells in ws.iter_rows():
        row = []
        for cell in cells:
            value = cell.value
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and "%" in (getattr(cell, "number_format", "") or ""):
                value = percent_text(value)
            row.append(clean_cell(value))
        if any(v is not None for v in row):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run > 5000:  # a sheet formatted down to row 1,048,576: stop reading emptiness
                return
        yield row


def _read_xlsx(data: bytes, kind: str | None) -> tuple[str, list[list], str]:
    """The first sheet (the one named after the kind first) whose header row we recognise."""
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # What openpyxl raises on a damaged workbook; read-only mode parses the sheets lazily, so these
    # come while the rows are read too (a number cell holding "inf", broken XML: ParseError is a
    # SyntaxError, a corrupt deflate stream: zlib.error).
    damaged = (BadZipFile, InvalidFileException, KeyError, IndexError, OSError, EOFError, ValueError, TypeError,
               OverflowError, SyntaxError, zlib.error)

    def refuse(exc):
        return file_problem(f"The file could not be read as an Excel workbook (.xlsx: {exc.__class__.__name__}): "
                            "open it in Excel and save it as .xlsx or .csv.")

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except damaged as exc:
        raise refuse(exc) from None
    try:
        sheets = [ws for ws in workbook.worksheets if header_key(ws.title) not in ("instructions", "lists")]
        if kind:
            sheets.sort(key=lambda ws: header_key(ws.title).rstrip("s") != kind.rstrip("s"))
        first_problem = None
        for ws in sheets:
            iterator = _sheet_rows(ws)
            rows = [row for _, row in zip(range(HEADER_SEARCH_ROWS), iterator)]
            try:
                find_header(rows, kind)
            except Refused as refused:
                first_problem = first_problem or refused
                continue
            rows.extend(iterator)
            return ws.title, rows, ""
        if first_problem and len(sheets) == 1:
            raise first_problem
        names = ", ".join(f"“{ws.title}”" for ws in workbook.worksheets)
        raise file_problem(f"No sheet of this workbook ({names}) has a header row this import knows; "
                           "download a template to see the headers.")
    except damaged as exc:
        raise refuse(exc) from None
    finally:
        workbook.close()


# ---- the header row -------------------------------------------------------------------------

class _Fit(NamedTuple):
    known: int  # how many of the kind's columns the row names
    kind: str


class _Partial(NamedTuple):
    """The best row so far that names columns of a kind but lacks a required one."""
    known: int
    index: int
    kind: str
    missing: set


class Header(NamedTuple):
    index: int  # 0-based position of the header row among the rows read
    kind: str


def find_header(rows: list[list], kind: str | None) -> Header:
    """The header row among the first rows, and the kind it names; Refused says what is missing."""
    partial = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {header_key(c) for c in row if c not in (None, "")}
        if not names:
            continue
        fits = []
        for k in ([kind] if kind else KINDS):
            keys = {ALIASES[k][n] for n in names if n in ALIASES[k]}
            required = {c.key for c in COLUMNS[k] if c.required}
            if required <= keys:
                fits.append(_Fit(len(keys), k))
            elif keys and (partial is None or len(keys) > partial.known):
                partial = _Partial(len(keys), index, k, required - keys)
        if not fits:
            continue
        fits.sort(reverse=True)
        best = fits[0]
        if partial and partial.index == index and partial.known > best.known:
            break  # the row names more columns of a kind it lacks a required column of: say so
        if len(fits) > 1 and best.known == fits[1].known:
            tied = " or ".join(KIND_LABELS[fit.kind].lower() for fit in fits if fit.known == best.known)
            raise file_problem(f"The headers fit {tied} equally well: choose the kind of data when you "
                               "upload (or add a column only one of them has).", row=index + 1)
        return Header(index, best.kind)
    if partial and partial.known >= 2:
        label = KIND_LABELS[partial.kind].lower()
        headers = ", ".join(f"“{BY_KEY[partial.kind][key].header}”" for key in sorted(partial.missing))
        raise file_problem(f"Row {partial.index + 1} looks like the header row of {label}, but has no "
                           f"{headers} column, which {label} need.", row=partial.index + 1)
    first = next((r for r in rows[:HEADER_SEARCH_ROWS] if any(v not in (None, "") for v in r)), [])
    seen = ", ".join(f"“{v}”" for v in first if v not in (None, ""))[:300] or "nothing"
    if kind:
        required = ", ".join(f"“{c.header}”" for c in COLUMNS[kind] if c.required)
        message = (f"No header row with the columns {KIND_LABELS[kind].lower()} need ({required}) in the first "
                   f"{HEADER_SEARCH_ROWS} rows; the first row holds {seen}.")
    else:
        message = (f"The kind of data could not be told from the headers (the first row holds {seen}): choose "
                   "the kind, or start from a downloaded template.")
    raise file_problem(message)


# ---- the table ------------------------------------------------------------------------------

def read_table(data: bytes, *, name: str, kind: str | None = None) -> Table:
    """The file's rows keyed by column, blank rows dropped; Refused if it cannot be read."""
    if kind is not None and kind not in KINDS:
        raise file_problem(f"Unknown kind of data “{kind}”: choose one of {', '.join(KINDS)}.")
    extension = PurePath(name or "").suffix.lower()
    is_xlsx = extension == ".xlsx" or data[:4] == b"PK\x03\x04"
    if is_xlsx:
        sheet, rows, note = _read_xlsx(data, kind)
    else:
        sheet, rows, note = _read_csv(data, kind)
    header = find_header(rows, kind)
    kind = header.kind
    aliases = ALIASES[kind]
    columns: dict[str, ColumnAt] = {}
    ignored, problems = [], []
    for i, cell in enumerate(rows[header.index]):
        if cell in (None, ""):
            continue
        key = aliases.get(header_key(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in columns:
            problems.append(Problem(header.index + 1, str(cell).strip(), "", (
                f"Two columns mean “{BY_KEY[kind][key].header}” (“{columns[key].header}” and "
                f"“{str(cell).strip()}”): keep one, so no value is ambiguous.")))
        else:
            columns[key] = ColumnAt(i, str(cell).strip())
    if problems:
        raise Refused(problems)
    positions = [(key, at.index) for key, at in columns.items()]
    data_rows = []
    for number, row in enumerate(rows[header.index + 1:], start=header.index + 2):
        width = len(row)
        cells = {}
        blank = True
        for key, i in positions:
            value = row[i] if i < width else None
            if value is not None and not is_xlsx:
                value = clean_text(value)
                if value is not None and "\x00" in value:
                    # PostgreSQL cannot store a NUL character (a write would fail with a server error);
                    # the check on the file's first 4 KB does not see one further down.
                    problems.append(Problem(number, columns[key].header, show(value.replace("\x00", "\u2400")),
                                            "holds a NUL character (binary data), which cannot be stored: "
                                            "retype the cell or save the file again as CSV."))
            if value is not None:
                blank = False
            cells[key] = value
        if blank:
            continue  # a blank row, or one with text only in columns this import does not read
        data_rows.append(DataRow(number, cells))
        if len(data_rows) > MAX_ROWS:
            raise file_problem(f"The file has more than {MAX_ROWS:,} rows; split it into several files.")
    if problems:
        raise Refused(problems)
    return Table(kind, sheet, header.index + 1, columns, data_rows, ignored, [note] if note else [])
