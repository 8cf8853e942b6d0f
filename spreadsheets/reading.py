"""Reading a spreadsheet file into a table of cells keyed by column: CSV with the csv module, XLSX
with openpyxl in read-only mode; the header row found among the first rows (title rows above it
are allowed) and matched to the kind's column table. File-level problems raise Refused.
"""
from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import PurePath
from typing import Callable, Iterator, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cells import clean_cell, clean_text, percent_text, show
from .columns import BY_KEY, COLUMNS, KIND_LABELS, KINDS, aliases, header_key, sheet_names
from .report import Problem, Refused, file_problem

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 10  # title rows above the header are allowed, up to this many
MAX_COLUMNS = 200  # columns read from a sheet: any kind's columns (at most 15) and many ignored ones
BLANK_RUN_END = 5000  # this many blank rows in a row end an XLSX sheet (formatting down to row 1,048,576)
NOT_A_WORKBOOK = gettext_lazy("The file could not be read as an Excel workbook (.xlsx: %(error)s): open it in "
                              "Excel and save it as .xlsx or .csv.")
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a workbook of MAX_ROWS rows of 15 columns unpacks to about 200 MB


def check_upload(*, name: str, size: int) -> None:
    """The browser's and the command's limits: .csv or .xlsx, at most 20 MB, not empty."""
    extension = PurePath(name or "").suffix.lower()
    if extension == ".xls":
        raise ValidationError(_("“%(name)s” is an old Excel 97-2003 workbook (.xls): open it in Excel and save "
                                "it as .xlsx (Excel Workbook) or .csv, then upload that.") % {"name": name})
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("“%(name)s” is not a spreadsheet this import reads: upload a .xlsx or .csv file.") % {
            "name": name})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Split it into several "
                                "files.") % {"name": name, "size": f"{size / 1024 / 1024:.1f}",
                                             "limit": MAX_UPLOAD_BYTES // 1024 // 1024})
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})


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
        return BY_KEY[self.kind][key].label

    def has(self, key: str) -> bool:
        return key in self.columns

    def cell(self, number: int, key: str):
        """The cleaned value of column `key` in spreadsheet row `number` (None if blank or absent)."""
        if not self._by_number:
            self._by_number = {line.number: line.cells for line in self.rows}
        return self._by_number.get(number, {}).get(key)


class _Source(NamedTuple):
    """A file opened for reading: its first rows (where the header is looked for), the header found
    there, and the rows below it, read lazily."""
    sheet: str
    head: list[list]
    header: "Header"
    below: Iterator[list]
    notes: list[str]
    close: Callable[[], None]


# ---- CSV ------------------------------------------------------------------------------------

def _open_csv(data: bytes, kind: str | None) -> _Source:
    """A CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252; the delimiter (comma,
    semicolon or tab) is the one that makes a header row we recognise. Rows are read as they are
    needed, never all at once."""
    notes = []
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = data.decode("cp1252")
        except UnicodeDecodeError:
            decoded = data.decode("latin-1")
        notes.append(_("The file is not UTF-8; it was read as Windows-1252 (Western European)."))
    if "\x00" in decoded[:4096]:
        raise file_problem(_("This is not a CSV text file (it holds binary data): upload a .csv or .xlsx file."))
    head = decoded[:65536]
    best_score, best_delimiter = -1, ","
    for delimiter in (",", ";", "\t"):
        try:
            rows = [r for _i, r in zip(range(HEADER_SEARCH_ROWS), csv.reader(io.StringIO(head), delimiter=delimiter))]
        except csv.Error:
            continue
        score = max((_known_columns(row, kind) for row in rows), default=0)
        if score > best_score:
            best_score, best_delimiter = score, delimiter

    def lines():
        try:
            yield from csv.reader(io.StringIO(decoded, newline=""), delimiter=best_delimiter)
        except csv.Error as exc:
            raise file_problem(_("The CSV file could not be read (%(error)s): save it again from the spreadsheet "
                                 "programme as CSV.") % {"error": exc}) from None

    rows = lines()
    first = list(islice(rows, HEADER_SEARCH_ROWS))
    header = find_header(first, kind)
    return _Source("", first, header, chain(first[header.index + 1:], rows), notes, rows.close)


def _known_columns(cells, kind: str | None) -> int:
    """How many known columns a row names, for the best-fitting kind (or the given one)."""
    names = {header_key(c) for c in cells if c not in (None, "")}
    best = 0
    for k in ([kind] if kind else KINDS):
        known = aliases(k)
        best = max(best, len({known[n] for n in names if n in known}))
    return best


# ---- XLSX -----------------------------------------------------------------------------------
# Read in openpyxl's streaming (read-only) mode, never trusting the size a sheet declares: a sheet
# declaring A1:XFD1048576 made the reader pad every row to 16,384 cells (a 30 KB file took 25 s and
# 717 MB). So the declared size is checked and then set aside, every row is read at most MAX_COLUMNS
# wide (and the data rows only as wide as the header row), and the row limit counts while reading.

def _sheet_rows(ws, *, width: int, min_row: int = 1):
    """Rows of an openpyxl read-only sheet as cleaned values, `width` cells each; percentage-formatted
    numbers become "45%" (the cell holds 0.45, the person typed 45%)."""
    blank_run = 0
    for cells in ws.iter_rows(min_row=min_row, max_col=width):
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
            if blank_run > BLANK_RUN_END:  # a sheet formatted down to row 1,048,576: stop reading emptiness
                return
        yield row


def _check_unpacked(data: bytes) -> None:
    """A workbook is a zip of XML files: refuse one that unpacks to far more than any spreadsheet of
    MAX_ROWS rows needs (a zip bomb), before openpyxl unpacks anything."""
    from zipfile import BadZipFile, ZipFile

    try:
        unpacked = sum(member.file_size for member in ZipFile(io.BytesIO(data)).infolist())
    except (BadZipFile, OSError, ValueError, EOFError) as exc:
        raise file_problem(NOT_A_WORKBOOK % {"error": exc.__class__.__name__}) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_problem(f"The workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB of data, more than a "
                           f"spreadsheet of {MAX_ROWS:,} rows needs ({MAX_UNPACKED_BYTES // 1024 // 1024} MB): "
                           "open it in Excel, delete what is not data, and save it again (or save it as CSV).")


def _declared_size_problem(title: str, rows: int | None, columns: int | None) -> str:
    if rows is None or rows <= MAX_ROWS + HEADER_SEARCH_ROWS + BLANK_RUN_END:
        return ""
    from openpyxl.utils import get_column_letter

    return (f"The sheet “{title}” says it fills {rows:,} rows (A1:{get_column_letter(min(columns or 1, 16384))}"
            f"{rows}), more than the {MAX_ROWS:,} rows an import reads. If it holds less, the rest is empty "
            "formatting: open it in Excel, delete the empty rows below the data, and save it again (or save "
            "it as CSV); else split it into several files.")


def _open_xlsx(data: bytes, kind: str | None) -> _Source:
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
        return file_problem(NOT_A_WORKBOOK % {"error": exc.__class__.__name__})

    def guarded(rows):
        try:
            yield from rows
        except damaged as exc:
            raise refuse(exc) from None

    _check_unpacked(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except damaged as exc:
        raise refuse(exc) from None
    try:
        # The template's Instructions and Lists sheets are skipped, the kind's own sheet read first,
        # whatever language they are named in.
        titles = sheet_names()
        sheets = [ws for ws in workbook.worksheets if titles.get(header_key(ws.title)) != ""]
        if kind:
            def named_otherwise(ws) -> bool:  # False sorts first
                title = header_key(ws.title)
                return titles.get(title, title.rstrip("s")) not in (kind, kind.rstrip("s"))
            sheets.sort(key=named_otherwise)
        first_problem = None
        for ws in sheets:
            declared_rows, declared_columns = ws.max_row, ws.max_column
            ws.reset_dimensions()  # read the rows there are, not the size the sheet declares
            head = list(islice(guarded(_sheet_rows(ws, width=MAX_COLUMNS)), HEADER_SEARCH_ROWS))
            try:
                header = find_header(head, kind)
            except Refused as refused:
                first_problem = first_problem or refused
                continue
            problem = _declared_size_problem(ws.title, declared_rows, declared_columns)
            if problem:
                raise file_problem(problem)
            width = max(i for i, cell in enumerate(head[header.index]) if cell not in (None, "")) + 1
            notes = []
            if (declared_columns or 0) > MAX_COLUMNS:
                notes.append(f"The sheet says it is {declared_columns:,} columns wide; the import read the "
                             f"first {MAX_COLUMNS} (the headers end in column {width}).")
            below = guarded(_sheet_rows(ws, width=width, min_row=header.index + 2))
            return _Source(ws.title, head, header, below, notes, workbook.close)
        if first_problem and len(sheets) == 1:
            raise first_problem
        names = ", ".join(f"“{ws.title}”" for ws in workbook.worksheets)
        raise file_problem(_("No sheet of this workbook (%(sheets)s) has a header row this import knows; "
                             "download a template to see the headers.") % {"sheets": names})
    except damaged as exc:
        workbook.close()
        raise refuse(exc) from None
    except Refused:
        workbook.close()
        raise


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
            known = aliases(k)
            keys = {known[n] for n in names if n in known}
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
            raise file_problem(_("The headers fit %(kinds)s equally well: choose the kind of data when you "
                                 "upload (or add a column only one of them has).") % {"kinds": tied}, row=index + 1)
        return Header(index, best.kind)
    if partial and partial.known >= 2:
        label = KIND_LABELS[partial.kind].lower()
        headers = ", ".join(f"“{BY_KEY[partial.kind][key].label}”" for key in sorted(partial.missing))
        raise file_problem(_("Row %(row)s looks like the header row of %(kind)s, but has no %(headers)s column, "
                             "which %(kind)s need.") % {"row": partial.index + 1, "kind": label, "headers": headers},
                           row=partial.index + 1)
    first = next((r for r in rows[:HEADER_SEARCH_ROWS] if any(v not in (None, "") for v in r)), [])
    seen = ", ".join(f"“{v}”" for v in first if v not in (None, ""))[:300] or _("nothing")
    if kind:
        required = ", ".join(f"“{c.label}”" for c in COLUMNS[kind] if c.required)
        message = _("No header row with the columns %(kind)s need (%(required)s) in the first %(rows)s rows; the "
                    "first row holds %(seen)s.") % {"kind": KIND_LABELS[kind].lower(), "required": required,
                                                    "rows": HEADER_SEARCH_ROWS, "seen": seen}
    else:
        message = _("The kind of data could not be told from the headers (the first row holds %(seen)s): choose "
                    "the kind, or start from a downloaded template.") % {"seen": seen}
    raise file_problem(message)


# ---- the table ------------------------------------------------------------------------------

def read_table(data: bytes, *, name: str, kind: str | None = None) -> Table:
    """The file's rows keyed by column, blank rows dropped; Refused if it cannot be read. The row
    limit counts while the file is read: an oversized file is refused before it is all in memory."""
    if kind is not None and kind not in KINDS:
        raise file_problem(_("Unknown kind of data “%(kind)s”: choose one of %(kinds)s.") % {
            "kind": kind, "kinds": ", ".join(KINDS)})
    extension = PurePath(name or "").suffix.lower()
    is_xlsx = extension == ".xlsx" or data[:4] == b"PK\x03\x04"
    source = _open_xlsx(data, kind) if is_xlsx else _open_csv(data, kind)
    try:
        return _table(source, kind=source.header.kind, is_xlsx=is_xlsx)
    finally:
        source.close()


def _table(source: _Source, *, kind: str, is_xlsx: bool) -> Table:
    header = source.header
    known = aliases(kind)
    columns: dict[str, ColumnAt] = {}
    ignored, problems = [], []
    for i, cell in enumerate(source.head[header.index]):
        if cell in (None, ""):
            continue
        key = known.get(header_key(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in columns:
            problems.append(Problem(header.index + 1, str(cell).strip(), "", _(
                "Two columns mean “%(column)s” (“%(first)s” and “%(second)s”): keep one, so no value is "
                "ambiguous.") % {"column": BY_KEY[kind][key].label, "first": columns[key].header,
                                 "second": str(cell).strip()}))
        else:
            columns[key] = ColumnAt(i, str(cell).strip())
    if problems:
        raise Refused(problems)
    positions = [(key, at.index) for key, at in columns.items()]
    too_many = file_problem(_("The file has more than %(rows)s rows; split it into several files.") % {
        "rows": f"{MAX_ROWS:,}"})
    data_rows = []
    for number, row in enumerate(source.below, start=header.index + 2):
        if number > MAX_ROWS + BLANK_RUN_END + header.index + 1:  # blank rows count too, past a margin
            raise file_problem(_("The file has more than %(rows)s rows, counting the blank ones: delete the "
                                 "blank rows, or split it into several files.") % {"rows": f"{MAX_ROWS:,}"})
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
            raise too_many
    if problems:
        raise Refused(problems)
    return Table(kind, source.sheet, header.index + 1, columns, data_rows, ignored, source.notes)
