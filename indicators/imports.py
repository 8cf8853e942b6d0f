"""Spreadsheet import for administrators: results, indicators, baselines, targets, measurements.

One path for the browser, the Django admin and `manage.py import_indicators`:

    read the file (CSV with the csv module, XLSX with openpyxl in read-only mode)
    -> find the header row and normalise the headers (case, spaces, aliases)
    -> read what the rows refer to in a few queries (codes, periods, the rows that already exist)
    -> check every row in Python with indicators.validation (the rules forms and services use)
    -> a Preview: new, changed, unchanged and invalid rows, every problem with row, column, value
    -> commit: the same checks again inside one transaction, then bulk_create / bulk_update with
       their audit history (django-simple-history's bulk utilities) in batches. Any problem: nothing
       is written.

Why not django-import-export's `import_data`: it works row by row (a query to find each instance,
one per foreign-key lookup, a save and a history insert per row, a savepoint per row), which is two
orders of magnitude short of the budget in DESIGN.md section 5 (10,000 measurement rows a second,
15 times the plain ModelResource). import-export's resources (indicators/resources.py) still define
the export, and share this module's column table so both speak the same headers.

Results are the exception: tree writes must go through results.services, which serialises them
(django-mptt corrupts a tree under bulk writes); results chains are tens of rows, so that path is
row by row on purpose.

Imported rows follow the typed workflow (indicators/services.py): measurements arrive submitted by
the importing user (an approved one whose figures change starts a new revision, its approved figures
keep serving the scorecard), targets arrive preliminary, and every write gets a history record with
the importing user and the reason "Imported from <file name>".
"""
from __future__ import annotations

import csv
import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from results import services as result_services
from results.levels import LADDER, LEVELS_WITH_BUSINESS_LINE, Level
from results.models import BusinessLine, Result, ResultsFramework, code_validator

from . import services, validation
from .models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from .periods import HALF, QUARTER, YEAR, PeriodSpec, fiscal_year_of

KINDS = ("results", "indicators", "baselines", "targets", "measurements")
KIND_LABELS = {"results": "Results", "indicators": "Indicators", "baselines": "Baselines",
               "targets": "Targets", "measurements": "Measurements"}
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 10  # title rows above the header are allowed, up to this many
BATCH_SIZE = 1000  # rows per INSERT/UPDATE statement (SQLite caps it lower by its 999 variables)
IN_LIST_LIMIT = 10_000  # ids per "IN (...)" list; SQLite allows 32,766 variables a statement
SAMPLE_ROWS = 200  # rows of each action the preview page lists


def can_import(user) -> bool:
    """Administrators only: the one role that may delete indicators (citiesalliance/roles.py).

    Imports rewrite many rows at once, so the gate is the Administrator's own permission rather
    than the officer's add/change permissions.
    """
    return bool(user and user.is_active and user.has_perm("indicators.delete_indicator"))


# ---------------------------------------------------------------------------------------------
# the column table: one per kind, shared by the importer, the export resources and the templates


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    choices: str = ""  # name of the drop-down list in the template's Lists sheet
    aliases: tuple[str, ...] = ()
    number: bool = False  # written as a number in XLSX exports
    date: bool = False
    informational: bool = False  # exported, never imported (the workflow decides it)


_IND = Column("indicator_code", "Indicator code", True, "The indicator's code, e.g. CORP-OUT-1-I1 (any case).",
              "indicators", ("indicator", "code", "indicator id"))
_PERIOD = Column("period", "Period", True, "A fiscal year (FY2014) or a half or quarter (FY2014-H1, FY2014-Q3) "
                 "within the indicator's framework.", "periods", ("fiscal year", "year", "reporting period"))
_VALUE = Column("value", "Value", False, "A number: 1200, 1,200, 12.5; percentages 0-100 (45 or 45%); yes/no "
                "as yes or no. Leave empty for rated (qualitative) indicators.", "", ("amount", "figure"),
                number=True)
_RATING = Column("rating", "Rating", False, "Qualitative indicators only: On track, Needs attention or "
                 "Off track.", "ratings")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "results": (
        Column("framework", "Framework", True, "The results framework's code, e.g. CORP.", "frameworks",
               ("framework code", "results framework", "chain")),
        Column("code", "Code", True, "The result's code, e.g. CORP-OUT-2 (capitals, digits, - _ .).", "",
               ("result code",)),
        Column("parent_code", "Parent code", False, "The code of the result one level above; empty for "
               "the Impact.", "results", ("parent", "parent result")),
        Column("level", "Level", True, "Impact, Outcome, Intermediate Outcome, Output or Activity.", "levels"),
        Column("statement", "Statement", True, "The result statement.", "", ("result statement", "result")),
        Column("description", "Description"),
        Column("business_line", "Business line", False, "Outputs and activities only: the business line's "
               "code.", "business_lines"),
        Column("order", "Order", False, "Position among its siblings: 0, 1, 2...", number=True),
        Column("assumptions", "Assumptions", False, "The assumptions linking it to the result above."),
        Column("beneficiary", "Whose change", False, "clients, clients_client or partnership.",
               "beneficiaries", ("beneficiary",)),
    ),
    "indicators": (
        Column("result_code", "Result code", True, "The code of the result the indicator measures.",
               "results", ("result",)),
        Column("code", "Indicator code", True, "The indicator's code, e.g. CORP-OUT-1-I1.", "",
               ("code", "indicator")),
        Column("name", "Name", True, "What is measured, in one line.", "", ("indicator name",)),
        Column("definition", "Definition"),
        Column("kind", "Kind", False, "quantitative (default) or qualitative.", "kinds"),
        Column("measure", "Measure", False, "number (default), percentage, currency, yes_no, or rating "
               "(qualitative).", "measures"),
        Column("unit", "Unit", False, "For example: cities, people, USD."),
        Column("direction", "Direction", False, "increase (default), decrease or maintain.", "directions"),
        Column("aggregation", "Aggregation", False, "latest (default), sum (cumulative counts) or average.",
               "aggregations"),
        Column("frequency", "Frequency", False, "annual (default), semiannual or quarterly.", "frequencies"),
        Column("weight", "Weight", False, "Weight in roll-ups; default 1.", number=True),
        Column("order", "Order", False, "Position among the result's indicators.", number=True),
        Column("data_source", "Data source"),
        Column("means_of_verification", "Means of verification", aliases=("verification",)),
        Column("responsible", "Responsible", False, "The username of the person responsible.", "users",
               ("responsible person", "responsible username")),
    ),
    "baselines": (
        _IND,
        Column("value", "Value", False, "Quantitative indicators: the baseline number (1,200; 45%; yes/no).",
               "", ("baseline", "baseline value"), number=True),
        Column("text", "Qualitative baseline", False, "Qualitative indicators: the baseline in words.", "",
               ("text", "description", "baseline text")),
        Column("period", "Period", False, "The period the baseline describes, e.g. FY2013.", "periods",
               ("baseline period", "year", "fiscal year")),
        Column("as_of", "As of", False, "Or the date it was measured (2013-06-30, 30 Jun 2013, or an Excel "
               "date).", "", ("as of date", "date"), date=True),
        Column("source", "Source", False, "Where the figure comes from.", "", ("data source",)),
        Column("status", "Status", False, "planned, collected or validated (empty: collected when a value "
               "is given, else planned).", "baseline_statuses"),
        Column("due_date", "Due date", False, "When the baseline must be collected.", date=True),
    ),
    "targets": (
        _IND, _PERIOD, _VALUE, _RATING,
        Column("status", "Status", False, "For information: imported targets arrive preliminary; a manager "
               "approves them.", "target_statuses", informational=True),
        Column("rationale", "Rationale", False, "Why this target; for a revised approved target, why it "
               "changes.", "", ("reason",)),
    ),
    "measurements": (
        _IND, _PERIOD, _VALUE, _RATING,
        Column("text", "Qualitative finding", False, "Qualitative indicators: the finding in words.", "",
               ("text", "finding")),
        Column("evidence_url", "Evidence link", False, "A link to the evidence (required: imported "
               "measurements are submitted for review).", "", ("evidence", "evidence url", "link", "url")),
        Column("comment", "Comment", aliases=("comments", "notes")),
        Column("so_what", "So what?", False, "What happened as a result; how the knowledge was used.", "",
               ("so what note",)),
        Column("status", "Status", False, "For information: imported measurements arrive submitted for "
               "review.", "measurement_statuses", informational=True),
    ),
}


def _norm(text) -> str:
    """A header as a key: case, spaces, underscores, '*' and '(...)' do not matter."""
    t = str(text if text is not None else "").replace("\ufeff", "").replace("\u200b", "").strip().lower()
    t = re.sub(r"\(.*?\)", " ", t)
    t = re.sub(r"[*?\"“”'’:]", " ", t)
    return re.sub(r"[\s_\-/.]+", " ", t).strip()


_ALIASES: dict[str, dict[str, str]] = {
    kind: {name: column.key
           for column in columns for name in map(_norm, (column.key, column.header, *column.aliases))}
    for kind, columns in COLUMNS.items()
}
_BY_KEY = {kind: {c.key: c for c in columns} for kind, columns in COLUMNS.items()}


# ---------------------------------------------------------------------------------------------
# what the preview reports


@dataclass
class Problem:
    row: int | None  # the spreadsheet's row number (as Excel shows it); None: the whole file
    column: str
    value: str
    message: str

    def __str__(self):
        where = [f"Row {self.row}" if self.row else "File"]
        if self.column:
            where.append(f"column “{self.column}”")
        if self.value:
            where.append(f"value “{self.value}”")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class RowChange:
    row: int
    action: str  # new, changed, unchanged
    key: str  # "CORP-OUT-1-I1 FY2014"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)
    note: str = ""


@dataclass
class Preview:
    kind: str
    file_name: str
    sheet: str = ""
    header_row: int = 0
    rows: list[RowChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    absent_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    write: Callable | None = field(default=None, repr=False)  # the commit, when there are no problems

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict:
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for r in self.rows:
            counts[r.action] += 1
        counts["invalid"] = len({p.row for p in self.problems if p.row})
        return counts

    def sample(self, action: str, limit: int = SAMPLE_ROWS) -> list[RowChange]:
        out = []
        for r in self.rows:
            if r.action == action:
                out.append(r)
                if len(out) >= limit:
                    break
        return out

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class Outcome:
    preview: Preview
    written: bool
    stale: bool = False  # the data changed between preview and confirm: nothing written, look again

    @property
    def counts(self) -> dict:
        return self.preview.counts


class _Refused(Exception):
    """The file cannot be read as a table of this kind: file-level problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def _file_problem(message: str, *, row=None, column="", value="") -> _Refused:
    return _Refused([Problem(row, column, value, message)])


# ---------------------------------------------------------------------------------------------
# reading files


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


def _clean_cell(value):
    """What a cell holds, as people meant it: stripped text (None if blank), numbers without float
    noise, dates without a midnight time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\ufeff", "").replace("\u200b", "").strip()
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        text = repr(value)
        if "e" in text or len(text.split(".")[-1]) > validation.MAX_DECIMAL_PLACES:
            rounded = round(value, validation.MAX_DECIMAL_PLACES)
            if abs(rounded - value) <= 1e-9 * max(1.0, abs(value)):  # binary noise: 0.30000000000000004
                text = repr(rounded)
        return text
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def _clean_text(value):
    """A CSV cell: stripped text, None if blank (the hot path: one call per cell read)."""
    value = value.strip()
    if not value:
        return None
    if "\ufeff" in value or "\u200b" in value:
        value = value.replace("\ufeff", "").replace("\u200b", "").strip() or None
    return value


def _read_csv(data: bytes, kind: str | None) -> tuple[str, list[list], str]:
    """Rows of a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252; the delimiter
    (comma, semicolon or tab) is the one that makes a header row we recognise."""
    note = ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        note = "The file is not UTF-8; it was read as Windows-1252 (Western European)."
    if "\x00" in text[:4096]:
        raise _file_problem("This is not a CSV text file (it holds binary data): upload a .csv or .xlsx file.")
    head = text[:65536]
    best = (-1, ",")
    for delimiter in (",", ";", "\t"):
        try:
            rows = [r for _, r in zip(range(HEADER_SEARCH_ROWS), csv.reader(io.StringIO(head), delimiter=delimiter))]
        except csv.Error:
            continue
        score = max((_header_score(row, kind)[0] for row in rows), default=0)
        if score > best[0]:
            best = (score, delimiter)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=best[1]))
    except csv.Error as exc:
        raise _file_problem(f"The CSV file could not be read ({exc}): save it again from the spreadsheet "
                            "programme as CSV.") from None
    return "", rows, note


def _header_score(cells, kind: str | None) -> tuple[int, str | None]:
    """How many known columns a row names, for the best-fitting kind (or the given one)."""
    names = {_norm(c) for c in cells if c not in (None, "")}
    best = (0, None)
    for k in ([kind] if kind else KINDS):
        keys = {_ALIASES[k][n] for n in names if n in _ALIASES[k]}
        if len(keys) > best[0]:
            best = (len(keys), k)
    return best


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
                value = _percent_text(value)
            row.append(_clean_cell(value))
        if any(v is not None for v in row):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run > 5000:  # a sheet formatted down to row 1,048,576: stop reading emptiness
                return
        yield row


def _percent_text(value) -> str:
    number = Decimal(repr(float(value))) * 100
    if not number.is_finite() or abs(number) >= Decimal(10) ** validation.MAX_INTEGER_DIGITS:
        # Too large to round to 6 places (quantize would raise): as it is, for the value checks to refuse.
        return f"{number:f}%"
    number = number.quantize(Decimal("0.000001")).normalize()
    return f"{number:f}%"


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
        return _file_problem(f"The file could not be read as an Excel workbook (.xlsx: {exc.__class__.__name__}): "
                             "open it in Excel and save it as .xlsx or .csv.")

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except damaged as exc:
        raise refuse(exc) from None
    try:
        sheets = [ws for ws in workbook.worksheets if _norm(ws.title) not in ("instructions", "lists")]
        if kind:
            sheets.sort(key=lambda ws: _norm(ws.title).rstrip("s") != kind.rstrip("s"))
        first_problem = None
        for ws in sheets:
            iterator = _sheet_rows(ws)
            rows = [row for _, row in zip(range(HEADER_SEARCH_ROWS), iterator)]
            try:
                _find_header(rows, kind)
            except _Refused as refused:
                first_problem = first_problem or refused
                continue
            rows.extend(iterator)
            return ws.title, rows, ""
        if first_problem and len(sheets) == 1:
            raise first_problem
        names = ", ".join(f"“{ws.title}”" for ws in workbook.worksheets)
        raise _file_problem(f"No sheet of this workbook ({names}) has a header row this import knows; "
                            "download a template to see the headers.")
    except damaged as exc:
        raise refuse(exc) from None
    finally:
        workbook.close()


def _find_header(rows: list[list], kind: str | None) -> tuple[int, str]:
    """(row index, kind) of the header row among the first rows; _Refused says what is missing."""
    partial = None  # (score, index, kind) of the best row that lacks a required column
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {_norm(c) for c in row if c not in (None, "")}
        if not names:
            continue
        scored = []
        for k in ([kind] if kind else KINDS):
            keys = {_ALIASES[k][n] for n in names if n in _ALIASES[k]}
            required = {c.key for c in COLUMNS[k] if c.required}
            if required <= keys:
                scored.append((len(keys), k))
            elif keys and (partial is None or len(keys) > partial[0]):
                partial = (len(keys), index, k, required - keys)
        if not scored:
            continue
        scored.sort(reverse=True)
        if partial and partial[1] == index and partial[0] > scored[0][0]:
            break  # the row names more columns of a kind it lacks a required column of: say so
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            tied = " or ".join(KIND_LABELS[k].lower() for n, k in scored if n == scored[0][0])
            raise _file_problem(f"The headers fit {tied} equally well: choose the kind of data when you "
                                "upload (or add a column only one of them has).", row=index + 1)
        return index, scored[0][1]
    if partial and partial[0] >= 2:
        _, index, k, missing = partial
        headers = ", ".join(f"“{_BY_KEY[k][key].header}”" for key in sorted(missing))
        raise _file_problem(f"Row {index + 1} looks like the header row of {KIND_LABELS[k].lower()}, but has no "
                            f"{headers} column, which {KIND_LABELS[k].lower()} need.", row=index + 1)
    first = next((r for r in rows[:HEADER_SEARCH_ROWS] if any(v not in (None, "") for v in r)), [])
    seen = ", ".join(f"“{v}”" for v in first if v not in (None, ""))[:300] or "nothing"
    if kind:
        required = ", ".join(f"“{c.header}”" for c in COLUMNS[kind] if c.required)
        message = (f"No header row with the columns {KIND_LABELS[kind].lower()} need ({required}) in the first "
                   f"{HEADER_SEARCH_ROWS} rows; the first row holds {seen}.")
    else:
        message = (f"The kind of data could not be told from the headers (the first row holds {seen}): choose "
                   "the kind, or start from a downloaded template.")
    raise _file_problem(message)


@dataclass
class _Table:
    kind: str
    sheet: str
    header_row: int
    columns: dict  # key -> (index, header text as in the file)
    rows: list  # (row number, {key: cleaned value})
    ignored: list
    notes: list

    def header(self, key: str) -> str:
        if key in self.columns:
            return self.columns[key][1]
        return _BY_KEY[self.kind][key].header

    def has(self, key: str) -> bool:
        return key in self.columns


def read_table(data: bytes, *, name: str, kind: str | None = None) -> _Table:
    """The file's rows keyed by column, blank rows dropped; _Refused if it cannot be read."""
    if kind is not None and kind not in KINDS:
        raise _file_problem(f"Unknown kind of data “{kind}”: choose one of {', '.join(KINDS)}.")
    extension = PurePath(name or "").suffix.lower()
    is_xlsx = extension == ".xlsx" or data[:4] == b"PK\x03\x04"
    if is_xlsx:
        sheet, rows, note = _read_xlsx(data, kind)
    else:
        sheet, rows, note = _read_csv(data, kind)
    index, kind = _find_header(rows, kind)
    aliases = _ALIASES[kind]
    columns, ignored, problems = {}, [], []
    for i, cell in enumerate(rows[index]):
        if cell in (None, ""):
            continue
        key = aliases.get(_norm(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in columns:
            problems.append(Problem(index + 1, str(cell).strip(), "", (
                f"Two columns mean “{_BY_KEY[kind][key].header}” (“{columns[key][1]}” and “{str(cell).strip()}”): "
                "keep one, so no value is ambiguous.")))
        else:
            columns[key] = (i, str(cell).strip())
    if problems:
        raise _Refused(problems)
    positions = [(key, i) for key, (i, _) in columns.items()]
    clean = _clean_cell if is_xlsx else _clean_text
    data_rows = []
    for number, row in enumerate(rows[index + 1:], start=index + 2):
        width = len(row)
        cells = {}
        blank = True
        for key, i in positions:
            value = row[i] if i < width else None
            if value is not None and not is_xlsx:
                value = clean(value)
                if value is not None and "\x00" in value:
                    # PostgreSQL cannot store a NUL character (a write would fail with a server error);
                    # the check on the file's first 4 KB does not see one further down.
                    problems.append(Problem(number, columns[key][1], _show(value.replace("\x00", "\u2400")),
                                            "holds a NUL character (binary data), which cannot be stored: "
                                            "retype the cell or save the file again as CSV."))
            if value is not None:
                blank = False
            cells[key] = value
        if blank:
            continue  # a blank row, or one with text only in columns this import does not read
        data_rows.append((number, cells))
        if len(data_rows) > MAX_ROWS:
            raise _file_problem(f"The file has more than {MAX_ROWS:,} rows; split it into several files.")
    if problems:
        raise _Refused(problems)
    return _Table(kind, sheet, index + 1, columns, data_rows, ignored, [note] if note else [])


# ---------------------------------------------------------------------------------------------
# cell parsing (values, ratings and periods are validation's job; these are the rest)


def _show(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    text = str(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    return str(raw).strip()


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_EXCEL_EPOCH = date(1899, 12, 30)


def _parse_date(raw) -> date:
    """Excel dates, ISO dates, 30/06/2014 (day first, as in en-GB), 30 Jun 2014, June 30, 2014.
    03/04/2014 is refused: day and month cannot be told apart."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) or (
            isinstance(raw, str) and re.fullmatch(r"\d{5}(\.0+)?", raw)):
        serial = int(float(raw))
        if 20000 <= serial <= 80000:  # an Excel date serial that lost its format (1954-2119)
            return _EXCEL_EPOCH + timedelta(days=serial)
        raise ValidationError("is not a date: write 2014-06-30 or 30 Jun 2014.")
    text = _text(raw).lower().replace(",", " ").replace("  ", " ")
    text = re.sub(r"\s+00:00(:00)?$", "", text)
    try:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if match:
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            if first <= 12 and second <= 12 and first != second:
                raise ValidationError(f"is ambiguous: is it {first} {_month_name(second)} or "
                                      f"{second} {_month_name(first)}? Write {year}-{second:02d}-{first:02d} "
                                      f"or {first} {_month_name(second)} {year}.")
            if second > 12:  # month first: 06/30/2014
                first, second = second, first
            return date(year, second, first)
        match = re.fullmatch(r"(\d{1,2})[ \-]([a-z]+)\.?[ \-](\d{4})", text)
        if match and match[2][:3] in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2][:3]], int(match[1]))
        match = re.fullmatch(r"([a-z]+)\.? (\d{1,2}) (\d{4})", text)
        if match and match[1][:3] in _MONTHS:
            return date(int(match[3]), _MONTHS[match[1][:3]], int(match[2]))
    except ValueError:
        raise ValidationError("is not a real date.") from None
    raise ValidationError("is not a date: write 2014-06-30 or 30 Jun 2014.")


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%b")


def _parse_int(raw, *, low=0, high=32767) -> int:
    number = validation.parse_decimal(raw, what="whole number")
    if number != number.to_integral_value():
        raise ValidationError("is not a whole number.")
    if not low <= number <= high:
        raise ValidationError(f"must be between {low} and {high}.")
    return int(number)


def _choice_parser(choices, synonyms: dict | None = None):
    table = {}
    for value, label in choices:
        table[_norm(value)] = value
        table[_norm(label)] = value
    for word, value in (synonyms or {}).items():
        table[_norm(word)] = value
    allowed = ", ".join(str(v) for v, _ in choices)

    def parse(raw):
        key = _norm(raw)
        if key in table:
            return table[key]
        raise ValidationError(f"is not one of: {allowed}.")
    return parse


_kind = _choice_parser(Indicator.Kind.choices)
_measure = _choice_parser(Indicator.Measure.choices, {
    "%": "percentage", "percent": "percentage", "yes/no": "yes_no", "yes no": "yes_no", "boolean": "yes_no",
    "count": "number", "money": "currency", "usd": "currency"})
_direction = _choice_parser(Indicator.Direction.choices, {"up": "increase", "down": "decrease",
                                                          "higher is better": "increase",
                                                          "lower is better": "decrease"})
_aggregation = _choice_parser(Indicator.Aggregation.choices, {"cumulative": "sum", "total": "sum",
                                                              "latest value": "latest", "last": "latest",
                                                              "mean": "average"})
_frequency = _choice_parser(Indicator.Frequency.choices, {
    "yearly": "annual", "annually": "annual", "semi annual": "semiannual", "biannual": "semiannual",
    "half yearly": "semiannual", "twice yearly": "semiannual", "quarter": "quarterly"})
_baseline_status = _choice_parser(Baseline.Status.choices)
_target_status = _choice_parser(Target.Status.choices)
_measurement_status = _choice_parser(Measurement.Status.choices)
_beneficiary = _choice_parser(Result.Beneficiary.choices, {"urban poor": "clients_client",
                                                           "clients' client": "clients_client"})
_LEVELS = {}
for _info in LADDER.values():
    _LEVELS.update({_norm(_info.name): int(_info.level), _norm(_info.short): int(_info.level),
                    str(int(_info.level)): int(_info.level)})


def _level(raw) -> int:
    key = _norm(raw)
    if key in _LEVELS:
        return _LEVELS[key]
    raise ValidationError("is not a level: Impact, Outcome, Intermediate Outcome, Output or Activity.")


_url_validator = URLValidator(schemes=["http", "https"])
# Plain links (https://example.org/path) in one regex; it accepts a subset of what URLValidator does,
# which checks everything else (IP addresses, international names, user:password@...).
_PLAIN_URL = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?"
                        r"(?:[/?#][^\s]*)?", re.IGNORECASE)


def _url(text: str) -> None:
    if _PLAIN_URL.fullmatch(text) and len(text.split("/", 3)[2]) <= 253:
        return
    _url_validator(text)


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------------
# the rows a file refers to: read in a few queries


@dataclass(frozen=True)
class _IndicatorFacts:
    id: int
    code: str
    measure: str
    unit: str
    first: int
    last: int
    framework: str
    frequency: str = Indicator.Frequency.ANNUAL


class _Lookups:
    def __init__(self):
        self._indicators = None
        self._periods = None

    @property
    def indicators(self) -> dict[str, _IndicatorFacts]:
        if self._indicators is None:
            self._indicators = {
                row[1]: _IndicatorFacts(*row) for row in Indicator.objects.values_list(
                    "id", "code", "measure", "unit", "result__framework__first_fiscal_year",
                    "result__framework__last_fiscal_year", "result__framework__name", "frequency")}
        return self._indicators

    @property
    def periods(self) -> dict[tuple, int]:
        """(kind, fiscal year, number) -> id, for every stored period (a few dozen rows)."""
        if self._periods is None:
            self._periods = {(k, y, n): pk for pk, k, y, n in
                             ReportingPeriod.objects.values_list("id", "kind", "fiscal_year", "number")}
        return self._periods

    def period_labels(self) -> dict[int, str]:
        return {pk: PeriodSpec(*key).label for key, pk in self.periods.items()}


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rows_to_update(model, pks, *, lock: bool) -> list:
    """The stored instances to change, read in IN-list-sized chunks (locked on confirm)."""
    rows = []
    for chunk in _chunks(list(pks), IN_LIST_LIMIT):
        queryset = model.objects.filter(pk__in=chunk)
        rows += list(queryset.select_for_update() if lock else queryset)
    return rows


def _existing(model, indicator_ids: list[int], fields: tuple, *, lock: bool):
    """Stored rows of `model` for these indicators, as value tuples, in one query: an IN list up to
    10,000 indicators; past that (SQLite's variable limit) the whole table, filtered here."""
    manager = model.objects
    if lock:
        manager = manager.select_for_update(of=("self",))
    if not indicator_ids:
        return []
    if len(indicator_ids) <= IN_LIST_LIMIT:
        return list(manager.filter(indicator_id__in=indicator_ids).values_list(*fields))
    wanted = set(indicator_ids)
    position = fields.index("indicator_id")
    return [r for r in manager.all().values_list(*fields) if r[position] in wanted]


# ---------------------------------------------------------------------------------------------
# planning: check every row, decide new / changed / unchanged


class _Plan:
    """Collects problems and row decisions while a kind's rows are checked."""

    def __init__(self, table: _Table):
        self.table = table
        self.problems: list[Problem] = []
        self.rows: list[RowChange] = []
        self.notes: list[str] = list(table.notes)
        self.bad_rows: set[int] = set()

    def problem(self, row: int, key: str, raw, message: str) -> None:
        self.problems.append(Problem(row, self.table.header(key) if key else "", _show(raw), message))
        self.bad_rows.add(row)


def _figure_problems(plan: _Plan, row: int, cells: dict, facts: _IndicatorFacts, *, required: bool):
    """clean_figure on the row's value/rating columns; a rating typed in the Value column of a rated
    indicator is taken as the rating."""
    value, rating = cells.get("value"), cells.get("rating")
    if facts.measure == validation.RATING and rating is None and isinstance(value, str) \
            and not validation.NUMBER_PATTERN.match(value.replace(",", "")):
        value, rating = None, value
    try:
        return validation.clean_figure(measure=facts.measure, value=value, rating=rating, required=required)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            column = key if key in ("value", "rating") else "value"
            raw = cells.get(column)
            plan.problem(row, column, raw, f"{facts.code}: {' '.join(messages)}")
        return None


class _PeriodChecker:
    """Period labels parsed once per distinct text, and checked against the indicator's framework."""

    def __init__(self):
        self.parsed: dict = {}

    def check(self, raw, facts: _IndicatorFacts):
        """-> (spec, message)."""
        parsed = self.parsed.get(raw)
        if parsed is None:
            if isinstance(raw, (date, datetime)):
                parsed = (None, "is a date, not a reporting period: write FY2014, FY2014-H1 or FY2014-Q3.")
            else:
                try:
                    parsed = (validation.parse_period(_text(raw)), "")
                except ValidationError as exc:
                    parsed = (None, _messages(exc))
            self.parsed[raw] = parsed
        spec, message = parsed
        if spec is None:
            return None, message
        if not facts.first <= spec.fiscal_year <= facts.last:
            return None, (f"{spec.label} is outside {facts.framework}, which covers FY{facts.first} to "
                          f"FY{facts.last} ({facts.code}).")
        return spec, ""


def _indicator_of(plan: _Plan, lookups: _Lookups, row: int, cells: dict) -> _IndicatorFacts | None:
    raw = cells.get("indicator_code")
    code = _text(raw).upper()
    if not code:
        plan.problem(row, "indicator_code", raw, "Enter the indicator's code.")
        return None
    facts = lookups.indicators.get(code)
    if facts is None:
        plan.problem(row, "indicator_code", raw, f"No indicator has the code {code}. Import the indicator "
                     "first, or correct the code.")
    return facts


def _period_of(plan, checker, row, cells, facts, *, required=True):
    raw = cells.get("period")
    if raw is None:
        if required:
            plan.problem(row, "period", raw, "Enter the period, e.g. FY2014 or FY2014-Q3.")
        return None
    spec, message = checker.check(raw, facts)
    if spec is None:
        plan.problem(row, "period", raw, message)
    return spec


def _duplicate(plan: _Plan, seen: dict, key, row: int, column: str, raw, what: str) -> bool:
    first = seen.get(key)
    if first is not None:
        plan.problem(row, column, raw, f"Row {first} already gives {what}: keep one row for it.")
        return True
    seen[key] = row
    return False


def _fmt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _diff(plan_table: _Table, before: dict, after: dict) -> list[tuple[str, str, str]]:
    return [(plan_table.header(k), _fmt(before[k]), _fmt(after[k])) for k in after if before[k] != after[k]]


def _ensure_periods(specs, lookups: _Lookups) -> dict[tuple, int]:
    """Create the missing reporting periods (with their parents) through the service the typed path
    uses; one service call per new period, never per row."""
    missing = {s for s in specs if _key(s) not in lookups.periods}
    if missing:
        order = {YEAR: 0, HALF: 1, QUARTER: 2}
        for spec in sorted(missing, key=lambda s: (order[s.kind], s.fiscal_year, s.number)):
            services.period_get_or_create(spec=spec)
        lookups._periods = None
    return lookups.periods


def _key(spec: PeriodSpec) -> tuple:
    return (spec.kind, spec.fiscal_year, spec.number)


# ---- set-based writes -----------------------------------------------------------------------
# The ORM's bulk_create and simple_history's bulk_history_create spend ~70 µs a row preparing each
# field of each model instance (measured: 1.4 s of 1.8 s for 10,000 measurements), which alone
# misses the budget. For the measurement rows, the fast path writes plain multi-row INSERTs of the
# checked values, and copies each written row into its history table with one INSERT ... SELECT
# per batch (so a history record is exactly the stored row, with the importing user, the date, the
# reason and the type as django-simple-history records them). The database's constraints still
# check every row.


def _db_value(field, value):
    if isinstance(field, (models.DecimalField, models.DateField)):  # DateTimeField is a DateField
        return field.get_db_prep_save(value, connection)
    return value


def _insert_returning(model, names: tuple[str, ...], rows: list[tuple], constants: dict) -> list[int]:
    """INSERT rows (values for the fields `names`, in order) plus `constants` and every other field's
    default; returns the new primary keys."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    by_name = {f.attname: f for f in fields}
    missing = [f for f in fields if f.attname not in names and f.attname not in constants]
    fixed = {**{f.attname: f.get_default() for f in missing}, **constants}
    fixed_cols = [(by_name[k], _db_value(by_name[k], v)) for k, v in fixed.items()]
    row_fields = [by_name[n] for n in names]
    adapt = [i for i, f in enumerate(row_fields) if isinstance(f, (models.DecimalField, models.DateField))]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    columns = ", ".join(qn(f.column) for f in row_fields + [f for f, _ in fixed_cols])
    fixed_values = [v for _, v in fixed_cols]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # The constant columns once per statement; the casts type the VALUES list and the parameters.
        width = len(row_fields)
        aliases = [f"c{i}" for i in range(width)]
        select = ", ".join([f"CAST(v.{a} AS {f.db_type(connection)})" for a, f in zip(aliases, row_fields)]
                           + [f"CAST(%s AS {f.db_type(connection)})" for f, _ in fixed_cols])
        statement = (f"INSERT INTO {table} ({columns}) SELECT {select} FROM (VALUES {{values}}) AS v "
                     f"({', '.join(aliases)}) RETURNING {pk}")
    else:
        width = len(row_fields) + len(fixed_cols)
        statement = f"INSERT INTO {table} ({columns}) VALUES {{values}} RETURNING {pk}"
    per_statement = max(1, min(BATCH_SIZE, (connection.features.max_query_params or 65535) // width))
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    pks = []
    with connection.cursor() as cursor:
        for batch in _chunks(rows, per_statement):
            params = list(fixed_values) if postgres else []  # the SELECT list's come first
            for row in batch:
                if adapt:
                    row = list(row)
                    for i in adapt:
                        row[i] = _db_value(row_fields[i], row[i])
                params.extend(row)
                if not postgres:
                    params.extend(fixed_values)
            cursor.execute(statement.format(values=", ".join([placeholder] * len(batch))), params)
            pks.extend(r[0] for r in cursor.fetchall())
    return pks


def _update_rows(model, names: tuple[str, ...], rows: list[tuple], constants: dict) -> None:
    """UPDATE each row (values for `names`, then its primary key) and set `constants` on all of them:
    one prepared statement run for every row (executemany), not a CASE per field per batch."""
    meta = model._meta
    fields = [meta.get_field(n.removesuffix("_id")) if n.endswith("_id") else meta.get_field(n) for n in names]
    fixed = [(meta.get_field(k.removesuffix("_id")), v) for k, v in constants.items()]
    adapt = [i for i, f in enumerate(fields) if isinstance(f, (models.DecimalField, models.DateField))]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields + [f for f, _ in fixed])
    fixed_values = [_db_value(f, v) for f, v in fixed]
    params = []
    for row in rows:
        values = list(row[:-1])
        for i in adapt:
            values[i] = _db_value(fields[i], values[i])
        params.append((*values, *fixed_values, row[-1]))
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # SQLite runs a prepared statement per row in C: fast
            for batch in _chunks(params, BATCH_SIZE * 10):
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", batch)
            return
        # PostgreSQL: one UPDATE ... FROM (VALUES ...) per batch instead of a round trip per row.
        aliases = [f"c{i}" for i in range(len(fields))]
        sets = ", ".join([f"{qn(f.column)} = CAST(v.{a} AS {f.db_type(connection)})" for a, f in zip(aliases, fields)]
                         + [f"{qn(f.column)} = CAST(%s AS {f.db_type(connection)})" for f, _ in fixed])
        placeholder = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        for batch in _chunks([(*p[:len(fields)], p[-1]) for p in params], BATCH_SIZE):
            flat = [*fixed_values, *(v for row in batch for v in row)]
            cursor.execute(f"UPDATE {table} AS t SET {sets} "
                           f"FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v ({', '.join(aliases)}, pk) "
                           f"WHERE t.{pk} = v.pk", flat)


def _history_copy(model, pks_by_reason: dict[str, list[int]], *, by, when, history_type: str) -> None:
    """One history record per row, copied from the stored row: "+" created, "~" changed."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    tracked = list(history.tracked_fields)
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    known = {f.attname for f in tracked} | set(extra) | {history._meta.pk.attname}
    unknown = [f.attname for f in history._meta.concrete_fields if f.attname not in known]
    if unknown:  # pragma: no cover - a history model with custom fields needs its values here
        raise RuntimeError(f"{history.__name__} has fields the import does not fill: {unknown}")
    qn = connection.ops.quote_name
    target = ", ".join([qn(history._meta.get_field(f.name).column) for f in tracked]
                       + [qn(history._meta.get_field(name).column) for name in extra])
    source = ", ".join(qn(f.column) for f in tracked)
    date_param = connection.ops.adapt_datetimefield_value(when)
    per_statement = min(BATCH_SIZE, (connection.features.max_query_params or 65535) - 4)
    with connection.cursor() as cursor:
        for reason, pks in pks_by_reason.items():
            for batch in _chunks(pks, per_statement):
                cursor.execute(
                    f"INSERT INTO {qn(history._meta.db_table)} ({target}) SELECT {source}, %s, %s, %s, %s "
                    f"FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN "
                    f"({', '.join(['%s'] * len(batch))})",
                    [date_param, reason, history_type, by.pk if by else None, *batch])


# ---- measurements ---------------------------------------------------------------------------

_M_FIELDS = ("value", "rating", "text", "evidence_url", "comment", "so_what")


def _plan_measurements(table: _Table, plan: _Plan, *, by, reason: str, lock: bool):
    lookups = _Lookups()
    checker = _PeriodChecker()
    seen: dict = {}
    checked = []  # (row, facts, spec, values)
    has_text = {k: table.has(k) for k in ("text", "evidence_url", "comment", "so_what")}
    for row, cells in table.rows:
        facts = _indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        spec = _period_of(plan, checker, row, cells, facts)
        if spec is not None:
            try:  # the services' rule: a measurement's period is of its indicator's frequency
                services.check_measurement_period(spec=spec, code=facts.code, frequency=facts.frequency)
            except ValidationError as exc:
                plan.problem(row, "period", cells.get("period"), _messages(exc))
                spec = None
        figure = _figure_problems(plan, row, cells, facts, required=False)
        values = {}
        for k, has in has_text.items():
            if has:
                values[k] = _text(cells.get(k))
        url = values.get("evidence_url")
        if url:
            if len(url) > 500:
                plan.problem(row, "evidence_url", url, "The link is longer than 500 characters.")
            else:
                try:
                    _url(url)
                except ValidationError:
                    plan.problem(row, "evidence_url", url, "is not a web link: write it in full, starting "
                                 "with https://.")
        if spec is None or _duplicate(plan, seen, (facts.id, spec), row, "period", cells.get("period"),
                                      f"{facts.code} {spec.label}") or figure is None:
            continue
        values["value"], values["rating"] = figure.value, figure.rating
        checked.append((row, facts, spec, values))

    periods = lookups.periods
    stored = {}
    fields = ("id", "indicator_id", "period_id", *_M_FIELDS, "status", "evidence", "revision", "review_note",
              "version")
    for rec in _existing(Measurement, list({c[1].id for c in checked}), fields, lock=lock):
        stored[(rec[1], rec[2])] = rec
    if table.has("status"):
        plan.notes.append("The Status column is for information: new and changed measurements arrive "
                          "submitted for review by you; a manager approves them.")

    creates, updates, new_specs = [], [], []
    for row, facts, spec, values in checked:
        label = f"{facts.code} {spec.label}"
        period_id = periods.get(_key(spec))
        rec = stored.get((facts.id, period_id)) if period_id else None
        if rec is None:
            if values["value"] is None and not values["rating"]:
                plan.problem(row, "rating" if facts.measure == validation.RATING else "value", None,
                             f"{label}: enter the value (an imported measurement is submitted for review).")
                continue
            if not values.get("evidence_url"):
                plan.problem(row, "evidence_url", values.get("evidence_url"),
                             f"{label}: give a link to the evidence; imported measurements are submitted for "
                             "review, which needs evidence.")
                continue
            plan.rows.append(RowChange(row, "new", label))
            creates.append((facts, spec, values))
            if period_id is None:
                new_specs.append(spec)
            continue
        before = dict(zip(_M_FIELDS, rec[3:9]))
        after = {k: values[k] for k in _M_FIELDS if k in values}
        diff = [k for k in after if before[k] != after[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        status, evidence = rec[9], rec[10]
        if status == Measurement.Status.SUBMITTED:
            first = diff[0]
            plan.problem(row, first, values[first], (
                f"The {spec.label} measurement of {facts.code} is awaiting review; it can be changed once a "
                "manager approves or returns it (or leave this row as it is stored)."))
            continue
        if after.get("value", before["value"]) is None and not after.get("rating", before["rating"]):
            plan.problem(row, "rating" if facts.measure == validation.RATING else "value", None,
                         f"{label}: enter the value (an imported measurement is submitted for review).")
            continue
        if not evidence and not after.get("evidence_url", before["evidence_url"]):
            plan.problem(row, "evidence_url", None, f"{label}: give a link to the evidence; imported "
                         "measurements are submitted for review, which needs evidence.")
            continue
        note = ""
        if status == Measurement.Status.APPROVED:
            note = f"Approved: starts revision {rec[11] + 1}; the approved figure stays on the scorecard until then."
        plan.rows.append(RowChange(row, "changed", label, _diff(table, before, {k: after[k] for k in diff}),
                                   note))
        # As measurement_save_draft + measurement_submit: an approved actual starts a revision (its
        # approved_* figures keep serving the scorecard); every changed row goes to review, submitted.
        approved = status == Measurement.Status.APPROVED
        merged = {**before, **after}
        updates.append((
            *(merged[k] for k in _M_FIELDS), Measurement.Status.SUBMITTED, rec[11] + 1 if approved else rec[11],
            "" if approved else rec[12], rec[13] + 1, rec[0],
            f"{reason} (revision {rec[11] + 1})" if approved else reason))

    def write():
        now = timezone.now()
        pids = _ensure_periods(new_specs, lookups)
        if creates:
            names = ("indicator_id", "period_id", "measure", "value", "rating", "text", "evidence_url", "comment",
                     "so_what")
            rows = [(facts.id, pids[_key(spec)], facts.measure, values["value"], values["rating"],
                     values.get("text", ""), values.get("evidence_url", ""), values.get("comment", ""),
                     values.get("so_what", "")) for facts, spec, values in creates]
            # As measurement_save_draft + measurement_submit: created and submitted by the importer.
            pks = _insert_returning(Measurement, names, rows, {
                "status": Measurement.Status.SUBMITTED, "created_by_id": by.pk, "submitted_by_id": by.pk,
                "submitted_at": now, "revision": 1, "version": 1})
            _history_copy(Measurement, {reason: pks}, by=by, when=now, history_type="+")
        if updates:
            names = (*_M_FIELDS, "status", "revision", "review_note", "version")
            _update_rows(Measurement, names, [u[:-1] for u in updates],
                         {"submitted_by_id": by.pk, "submitted_at": now, "reviewed_by_id": None, "reviewed_at": None})
            by_reason: dict[str, list[int]] = {}
            for u in updates:
                by_reason.setdefault(u[-1], []).append(u[-2])
            _history_copy(Measurement, by_reason, by=by, when=now, history_type="~")
    return write


# ---- targets --------------------------------------------------------------------------------

_T_FIELDS = ("value", "rating", "rationale")


def _plan_targets(table: _Table, plan: _Plan, *, by, reason: str, lock: bool):
    lookups = _Lookups()
    checker = _PeriodChecker()
    seen: dict = {}
    checked = []
    for row, cells in table.rows:
        facts = _indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        spec = _period_of(plan, checker, row, cells, facts)
        figure = _figure_problems(plan, row, cells, facts, required=True)
        if table.has("status") and cells.get("status") is not None:
            try:
                _target_status(cells["status"])
            except ValidationError as exc:
                plan.problem(row, "status", cells["status"], _messages(exc))
        if spec is None or _duplicate(plan, seen, (facts.id, spec), row, "period", cells.get("period"),
                                      f"the {spec.label} target of {facts.code}") or figure is None:
            continue
        values = {"value": figure.value, "rating": figure.rating}
        if table.has("rationale"):
            values["rationale"] = _text(cells.get("rationale"))
        checked.append((row, facts, spec, values))
    if table.has("status"):
        plan.notes.append("The Status column is for information: new and changed targets arrive preliminary; "
                          "a manager approves them.")

    periods = lookups.periods
    fields = ("id", "indicator_id", "period_id", *_T_FIELDS, "status")
    stored = {(r[1], r[2]): r for r in _existing(Target, list({c[1].id for c in checked}), fields, lock=lock)}
    creates, updates, new_specs = [], {}, []
    for row, facts, spec, values in checked:
        label = f"{facts.code} {spec.label}"
        period_id = periods.get(_key(spec))
        rec = stored.get((facts.id, period_id)) if period_id else None
        if rec is None:
            plan.rows.append(RowChange(row, "new", label, note="Arrives preliminary."))
            creates.append((facts, spec, values))
            if period_id is None:
                new_specs.append(spec)
            continue
        before = dict(zip(_T_FIELDS, rec[3:6]))
        diff = [k for k in values if before[k] != values[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        note = ""
        if rec[6] == Target.Status.APPROVED:  # as target_revise: a new value, and the reason for it
            same_figure = values["value"] == before["value"] and values["rating"] == before["rating"]
            rationale = values.get("rationale", before["rationale"]).strip()
            if same_figure:
                plan.problem(row, "rationale", values.get("rationale"), (
                    f"The {spec.label} target of {facts.code} is approved at "
                    f"{_fmt(before['value'] if before['value'] is not None else before['rating'])}; this row "
                    "changes only its rationale. A rationale changes with a revised value: put back the "
                    "approved rationale, or revise the value."))
                continue
            if not rationale or rationale == before["rationale"].strip():
                plan.problem(row, "rationale", values.get("rationale"), (
                    f"The {spec.label} target of {facts.code} was approved: say in Rationale why it changes "
                    "(the earlier value and reason are kept in the history)."))
                continue
            note = ("Approved: the revision goes back to preliminary; the approved target counts until a "
                    "manager approves the revision.")
        plan.rows.append(RowChange(row, "changed", label, _diff(table, before, {k: values[k] for k in diff}), note))
        updates[rec[0]] = values

    def write():
        now = timezone.now()
        pids = _ensure_periods(new_specs, lookups)
        objs = [Target(indicator_id=facts.id, period_id=pids[_key(spec)], measure=facts.measure,
                       value=values["value"], rating=values["rating"], rationale=values.get("rationale", ""),
                       status=Target.Status.PRELIMINARY, proposed_by=by) for facts, spec, values in creates]
        if objs:
            bulk_create_with_history(objs, Target, batch_size=BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = _rows_to_update(Target, updates, lock=lock)
            for t in changed:
                for k, v in updates[t.pk].items():
                    setattr(t, k, v)
                # As target_set / target_revise: back to preliminary, proposed by the importer. The
                # approved figures (approved_value / approved_rating / approved_at) are not written:
                # the last approved target keeps counting until a manager approves the revision.
                t.status = Target.Status.PRELIMINARY
                t.proposed_by = by
                t.approved_by = None
                t.review_note = ""
                t.version += 1
            bulk_update_with_history(changed, Target, [*_T_FIELDS, "status", "proposed_by", "approved_by",
                                                       "review_note", "version"],
                                     batch_size=BATCH_SIZE, default_user=by, default_change_reason=reason,
                                     default_date=now)
    return write


# ---- baselines ------------------------------------------------------------------------------

_B_FIELDS = ("value", "text", "period_id", "as_of", "source", "status", "due_date")


def _looks_numeric(value) -> bool:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"[+-]?[\d,.\s\u00a0%']+", str(value)))


def _plan_baselines(table: _Table, plan: _Plan, *, by, reason: str, lock: bool):
    """As services.baseline_record: a rated indicator's baseline is words, another's a number; a
    collected or validated baseline has its figure and a period or an as-of date, in the framework."""
    lookups = _Lookups()
    checker = _PeriodChecker()
    seen: dict = {}
    checked = []
    for row, cells in table.rows:
        facts = _indicator_of(plan, lookups, row, cells)
        if facts is None:
            continue
        bad = len(plan.problems)
        duplicate = _duplicate(plan, seen, facts.id, row, "indicator_code", cells.get("indicator_code"),
                               f"the baseline of {facts.code}")
        rated = facts.measure == validation.RATING
        value, text = cells.get("value"), _text(cells.get("text"))
        if rated and value is not None and not text and not _looks_numeric(value):
            value, text = None, _text(value)  # words typed in the Value column of a qualitative indicator
        figure = validation.Figure()
        if rated:
            if value is not None:
                plan.problem(row, "value", value, f"{facts.code} is qualitative: describe the baseline in "
                             f"“{table.header('text')}”, not as a number.")
        else:
            if text:
                plan.problem(row, "text", text, f"{facts.code} is quantitative: give the baseline as a number "
                             f"in “{table.header('value')}”.")
            figure = _figure_problems(plan, row, cells, facts, required=False) or figure
        spec = _period_of(plan, checker, row, cells, facts, required=False)
        dates = {}
        for key in ("as_of", "due_date"):
            raw = cells.get(key)
            if raw is None:
                dates[key] = None
                continue
            try:
                dates[key] = parsed = _parse_date(raw)
            except ValidationError as exc:
                plan.problem(row, key, raw, f"{_show(raw)} {_messages(exc)}")
                continue
            fy = fiscal_year_of(parsed)
            if key == "as_of" and not facts.first <= fy <= facts.last:
                plan.problem(row, key, raw, f"{parsed:%d %b %Y} falls in FY{fy}, outside {facts.framework} "
                             f"(FY{facts.first} to FY{facts.last}).")
        status = None
        if cells.get("status") is not None:
            try:
                status = _baseline_status(cells["status"])
            except ValidationError as exc:
                plan.problem(row, "status", cells["status"], f"{_show(cells['status'])} {_messages(exc)}")
        if duplicate or len(plan.problems) > bad:
            continue
        values = {"value": figure.value, "text": text if rated else ""}
        for key, v in (("period", spec), ("as_of", dates["as_of"]), ("due_date", dates["due_date"]),
                       ("source", _text(cells.get("source")))):
            if table.has(key):
                values[key] = v
        checked.append((row, facts, values, status))

    periods = lookups.periods
    labels = lookups.period_labels()
    fields = ("id", "indicator_id", *_B_FIELDS)
    stored = {r[1]: r for r in _existing(Baseline, list({c[1].id for c in checked}), fields, lock=lock)}
    creates, updates, new_specs = [], {}, []
    names = ("value", "text", "period", "as_of", "source", "status", "due_date")
    for row, facts, values, status in checked:
        label = f"{facts.code} baseline"
        rec = stored.get(facts.id)
        before = dict(zip(names, rec[2:])) if rec else dict.fromkeys(names)
        if rec:
            before["period"] = labels.get(before["period"]) if before["period"] else None
        has_figure = values["value"] is not None or bool(values["text"])
        if status is None:  # no status given: keep a collected/validated one; else collected if a figure
            status = before["status"] if before["status"] not in (None, Baseline.Status.PLANNED) else (
                Baseline.Status.COLLECTED if has_figure else Baseline.Status.PLANNED)
        values["status"] = status
        after = {k: (v.label if k == "period" and v is not None else v) for k, v in values.items()}
        merged = {**before, **after}
        if status != Baseline.Status.PLANNED:
            if not has_figure:
                key = "text" if facts.measure == validation.RATING else "value"
                plan.problem(row, key, None, f"A {status} baseline of {facts.code} needs its "
                             f"{'description' if key == 'text' else 'value'} (or set the status to planned).")
                continue
            if merged["period"] is None and merged["as_of"] is None:
                plan.problem(row, "period", None, f"Say when the baseline of {facts.code} was measured: a period "
                             f"or an as-of date (status {status}).")
                continue
        if values.get("period") is not None and periods.get(_key(values["period"])) is None:
            new_specs.append(values["period"])
        if rec is None:
            plan.rows.append(RowChange(row, "new", label))
            creates.append((facts, values))
            continue
        diff = [k for k in after if before[k] != after[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", label))
            continue
        plan.rows.append(RowChange(row, "changed", label, _diff(table, before, {k: after[k] for k in diff})))
        updates[rec[0]] = values

    def write():
        now = timezone.now()
        pids = _ensure_periods(new_specs, lookups)

        def apply(b, values):
            for k, v in values.items():
                if k == "period":
                    b.period_id = pids[_key(v)] if v is not None else None
                else:
                    setattr(b, k, v)
            if b.status != Baseline.Status.PLANNED:
                b.collected_by = by

        objs = []
        for facts, values in creates:
            b = Baseline(indicator_id=facts.id, measure=facts.measure)
            apply(b, values)
            objs.append(b)
        if objs:
            bulk_create_with_history(objs, Baseline, batch_size=BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = _rows_to_update(Baseline, updates, lock=lock)
            for b in changed:
                apply(b, updates[b.pk])
                b.version += 1
            bulk_update_with_history(changed, Baseline, ["value", "text", "period", "as_of", "source", "status",
                                                         "due_date", "collected_by", "version"],
                                     batch_size=BATCH_SIZE, default_user=by, default_change_reason=reason,
                                     default_date=now)
    return write


# ---- indicators -----------------------------------------------------------------------------

_I_FIELDS = ("result_id", "name", "definition", "kind", "measure", "unit", "direction", "aggregation",
             "frequency", "weight", "order", "data_source", "means_of_verification", "responsible_id")
_I_PARSERS = {"kind": _kind, "measure": _measure, "direction": _direction, "aggregation": _aggregation,
              "frequency": _frequency}
_I_LIMITS = {"name": 300, "unit": 60}


def _plan_indicators(table: _Table, plan: _Plan, *, by, reason: str, lock: bool):
    results = dict(Result.objects.values_list("code", "id"))
    result_codes = {v: k for k, v in results.items()}
    users = {}
    if table.has("responsible"):
        for pk, username, email in get_user_model().objects.values_list("id", "username", "email"):
            users[username.lower()] = (pk, username)
            if email:
                users.setdefault(email.lower(), (pk, username))
    usernames = {pk: name for pk, name in users.values()}
    stored = {r[0]: r for r in Indicator.objects.values_list("code", "id", *_I_FIELDS)}
    seen: dict = {}
    checked = []
    for row, cells in table.rows:
        bad = len(plan.problems)
        raw_code = cells.get("code")
        code = _text(raw_code).upper()
        if not code:
            plan.problem(row, "code", raw_code, "Enter the indicator's code.")
        else:
            try:
                code_validator(code)
                if len(code) > 30:
                    raise ValidationError("A code has at most 30 characters.")
            except ValidationError as exc:
                plan.problem(row, "code", raw_code, _messages(exc))
        raw_result = cells.get("result_code")
        result_id = results.get(_text(raw_result).upper())
        if result_id is None:
            plan.problem(row, "result_code", raw_result, "Enter the code of an existing result." if raw_result is None
                         else f"No result has the code {_text(raw_result).upper()}.")
        name = _text(cells.get("name"))
        if not name:
            plan.problem(row, "name", None, "Enter the indicator's name.")
        existing = stored.get(code)
        current = dict(zip(_I_FIELDS, existing[2:])) if existing else None
        values = {"result_id": result_id, "name": name}
        for key in ("definition", "unit", "data_source", "means_of_verification"):
            if table.has(key):
                values[key] = _text(cells.get(key))
        for key, limit in _I_LIMITS.items():
            if len(values.get(key, "")) > limit:
                plan.problem(row, key, values[key], f"is longer than {limit} characters.")
        for key, parser in _I_PARSERS.items():
            raw = cells.get(key)
            if raw is None:
                if table.has(key) or current is None:
                    values[key] = None  # filled in below
                continue
            try:
                values[key] = parser(raw)
            except ValidationError as exc:
                plan.problem(row, key, raw, f"{_show(raw)} {_messages(exc)}")
        if table.has("weight") or current is None:
            raw = cells.get("weight")
            try:
                weight = Decimal(1) if raw is None else validation.parse_decimal(raw, what="weight")
                if weight <= 0 or weight >= 10000 or weight != weight.quantize(Decimal("0.01")):
                    raise ValidationError("A weight is a positive number below 10,000 with at most 2 decimals.")
                values["weight"] = weight.quantize(Decimal("0.01"))
            except ValidationError as exc:
                plan.problem(row, "weight", raw, _messages(exc))
        if table.has("order") or current is None:
            raw = cells.get("order")
            try:
                values["order"] = 0 if raw is None else _parse_int(raw)
            except ValidationError as exc:
                plan.problem(row, "order", raw, f"{_show(raw)} {_messages(exc)}")
        if table.has("responsible"):
            raw = cells.get("responsible")
            if raw is None:
                values["responsible_id"] = None
            elif _text(raw).lower() in users:
                values["responsible_id"] = users[_text(raw).lower()][0]
            else:
                plan.problem(row, "responsible", raw, f"No user has the username {_text(raw)}.")
        if code and _duplicate(plan, seen, code, row, "code", raw_code, f"indicator {code}") \
                or len(plan.problems) > bad:
            continue
        # Defaults as the model and indicator_create (a qualitative indicator is rated, latest value);
        # on an existing indicator an absent column or an empty cell keeps what is stored.
        kind = values.get("kind") or (current or {}).get("kind") or Indicator.Kind.QUANTITATIVE
        values["kind"] = kind
        qualitative = kind == Indicator.Kind.QUALITATIVE
        defaults = {"measure": Indicator.Measure.RATING if qualitative else Indicator.Measure.NUMBER,
                    "aggregation": Indicator.Aggregation.LATEST, "direction": Indicator.Direction.INCREASE,
                    "frequency": Indicator.Frequency.ANNUAL}
        for key, default in defaults.items():
            if values.get(key) is not None:
                continue
            if current is None or (qualitative and current["kind"] != kind and key in ("measure", "aggregation")):
                values[key] = default
            elif key in values:
                values[key] = current[key]  # an empty cell keeps what is stored
        candidate = Indicator(**{**(current or {}), **values, "code": code})
        try:
            services.check_indicator_rules(candidate)  # the service's own rules, no query
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                plan.problem(row, key if key in _BY_KEY["indicators"] else "measure", cells.get(key),
                             f"{code}: {' '.join(messages)}")
            continue
        checked.append((row, code, existing, current, values))

    # As indicator_update: kind and measure are fixed once figures are recorded. A file without a
    # Measure column keeps the stored measure (values has no "measure" then).
    remeasured = [existing[1] for _, _, existing, current, values in checked if existing and (
        values["kind"] != current["kind"] or values.get("measure", current["measure"]) != current["measure"])]
    with_figures = set()
    if remeasured:
        with_figures |= set(Baseline.objects.filter(indicator_id__in=remeasured).exclude(value=None, text="")
                            .values_list("indicator_id", flat=True))
        with_figures |= set(Target.objects.filter(indicator_id__in=remeasured).values_list("indicator_id", flat=True))
        with_figures |= set(Measurement.objects.filter(indicator_id__in=remeasured)
                            .values_list("indicator_id", flat=True))
    creates, updates = [], {}
    show = {"result_id": lambda v: result_codes.get(v), "responsible_id": lambda v: usernames.get(v, v)}
    for row, code, existing, current, values in checked:
        if existing is None:
            plan.rows.append(RowChange(row, "new", code))
            creates.append((code, values))
            continue
        diff = [k for k in values if current[k] != values[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", code))
            continue
        if existing[1] in with_figures and {"kind", "measure"} & set(diff):
            key = "measure" if "measure" in diff else "kind"
            plan.problem(row, key, cells_value(table, row, key), (
                f"{code} already has a baseline, targets or measurements recorded as "
                f"{Indicator.Measure(current['measure']).label.lower()}; its kind and measure can no longer change."))
            continue
        headers = {"result_id": "result_code", "responsible_id": "responsible"}
        changes = [(table.header(headers.get(k, k)), _fmt(show.get(k, lambda v: v)(current[k])),
                    _fmt(show.get(k, lambda v: v)(values[k]))) for k in diff]
        plan.rows.append(RowChange(row, "changed", code, changes))
        updates[existing[1]] = {k: values[k] for k in diff}

    def write():
        now = timezone.now()
        objs = []
        for code, values in creates:
            objs.append(Indicator(code=code, **{k: v for k, v in values.items() if v is not None}))
        if objs:
            bulk_create_with_history(objs, Indicator, batch_size=BATCH_SIZE, default_user=by,
                                     default_change_reason=reason, default_date=now)
        if updates:
            changed = list((Indicator.objects.select_for_update() if lock else Indicator.objects)
                           .filter(pk__in=list(updates)))
            fields = set()
            for ind in changed:
                for k, v in updates[ind.pk].items():
                    setattr(ind, k, v)
                    fields.add(k.replace("_id", ""))
                ind.version += 1
            bulk_update_with_history(changed, Indicator, sorted(fields | {"version"}), batch_size=BATCH_SIZE,
                                     default_user=by, default_change_reason=reason, default_date=now)
            # A blank (planned) baseline carries the indicator's measure: keep it in step.
            for ind in changed:
                if "measure" in updates[ind.pk]:
                    Baseline.objects.filter(indicator=ind, value=None, text="").update(measure=ind.measure)
    return write


def cells_value(table: _Table, row: int, key: str):
    if not hasattr(table, "_by_row"):
        table._by_row = dict(table.rows)
    return table._by_row.get(row, {}).get(key)


# ---- results (through results.services: tree writes are serialised there) -------------------

_R_FIELDS = ("framework", "parent_code", "level", "statement", "description", "business_line", "order",
             "assumptions", "beneficiary")


def _plan_results(table: _Table, plan: _Plan, *, by, reason: str, lock: bool):
    frameworks = {f.code: f for f in ResultsFramework.objects.all()}
    lines = {b.code: b for b in BusinessLine.objects.all()}
    stored = {r.code: r for r in Result.objects.select_related("framework", "parent", "business_line")}
    roots = {r.framework.code: r.code for r in stored.values() if r.parent_id is None}
    seen: dict = {}
    checked = []
    for row, cells in table.rows:
        bad = len(plan.problems)
        raw_code = cells.get("code")
        code = _text(raw_code).upper()
        try:
            if not code:
                raise ValidationError("Enter the result's code.")
            code_validator(code)
            if len(code) > 30:
                raise ValidationError("A code has at most 30 characters.")
        except ValidationError as exc:
            plan.problem(row, "code", raw_code, _messages(exc))
        raw_fw = cells.get("framework")
        framework = frameworks.get(_text(raw_fw).upper())
        if framework is None:
            plan.problem(row, "framework", raw_fw, f"No results framework has the code {_text(raw_fw).upper()}."
                         if raw_fw is not None else "Enter the framework's code.")
        level = None
        try:
            level = _level(cells.get("level"))
        except ValidationError as exc:
            plan.problem(row, "level", cells.get("level"), f"{_show(cells.get('level'))} {_messages(exc)}")
        statement = _text(cells.get("statement"))
        if not statement:
            plan.problem(row, "statement", None, "Enter the result statement.")
        values = {"framework": framework.code if framework else None,
                  "parent_code": _text(cells.get("parent_code")).upper() or None,
                  "level": level, "statement": statement}
        for key in ("description", "assumptions"):
            if table.has(key):
                values[key] = _text(cells.get(key))
        if table.has("business_line"):
            raw = cells.get("business_line")
            values["business_line"] = None
            if raw is not None:
                line = lines.get(_text(raw).upper()) or next(
                    (b for b in lines.values() if _norm(b.name) == _norm(raw)), None)
                if line is None:
                    plan.problem(row, "business_line", raw, f"No business line has the code or name {_text(raw)}.")
                elif level is not None and Level(level) not in LEVELS_WITH_BUSINESS_LINE:
                    plan.problem(row, "business_line", raw, "Only outputs and activities belong to a business line.")
                else:
                    values["business_line"] = line.code
        if table.has("order"):
            raw = cells.get("order")
            try:
                values["order"] = 0 if raw is None else _parse_int(raw)
            except ValidationError as exc:
                plan.problem(row, "order", raw, f"{_show(raw)} {_messages(exc)}")
        if table.has("beneficiary"):
            raw = cells.get("beneficiary")
            try:
                values["beneficiary"] = "" if raw is None else _beneficiary(raw)
            except ValidationError as exc:
                plan.problem(row, "beneficiary", raw, f"{_show(raw)} {_messages(exc)}")
        if code and _duplicate(plan, seen, code, row, "code", raw_code, f"result {code}") \
                or len(plan.problems) > bad:
            continue
        checked.append((row, code, values))

    # The tree rules, across the file and the database: a parent one level up in the same framework.
    in_file = {code: values for _, code, values in checked}
    creates, updates = [], []
    for row, code, values in checked:
        parent_code, level, fw = values["parent_code"], values["level"], values["framework"]
        if parent_code:
            parent = in_file.get(parent_code)
            parent_level, parent_fw = ((parent["level"], parent["framework"]) if parent else
                                       (stored[parent_code].level, stored[parent_code].framework.code)
                                       if parent_code in stored else (None, None))
            if parent_level is None:
                plan.problem(row, "parent_code", parent_code, f"No result has the code {parent_code} (in the "
                             "database or this file).")
                continue
            if parent_fw != fw:
                plan.problem(row, "parent_code", parent_code, f"{parent_code} belongs to {parent_fw}, not {fw}.")
                continue
            if level != parent_level + 1:
                plan.problem(row, "level", cells_value(table, row, "level"), (
                    f"A child of {parent_code} ({Level(parent_level).label}) must be one level below it "
                    f"({Level(parent_level + 1).label if parent_level < 5 else 'none: activities have no children'})."))
                continue
        elif level != Level.IMPACT:
            plan.problem(row, "parent_code", None, f"{Level(level).label} {code} needs a parent result one level "
                         "above it; only the Impact is the root of a framework.")
            continue
        elif roots.get(fw) not in (None, code):
            plan.problem(row, "parent_code", None, f"{fw} already has its Impact ({roots[fw]}); a framework has "
                         "exactly one root.")
            continue
        existing = stored.get(code)
        if existing is None:
            plan.rows.append(RowChange(row, "new", code))
            creates.append((row, code, values))
            continue
        current = {"framework": existing.framework.code,
                   "parent_code": existing.parent.code if existing.parent else None,
                   "level": existing.level, "statement": existing.statement, "description": existing.description,
                   "business_line": existing.business_line.code if existing.business_line else None,
                   "order": existing.order, "assumptions": existing.assumptions,
                   "beneficiary": existing.beneficiary}
        if current["framework"] != fw:
            plan.problem(row, "framework", fw, f"{code} is in {current['framework']}: a result stays in its "
                         "framework; create it anew with another code.")
            continue
        diff = [k for k in values if current[k] != values[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", code))
            continue
        plan.rows.append(RowChange(row, "changed", code, [(table.header(k), _fmt(current[k]), _fmt(values[k]))
                                                          for k in diff]))
        updates.append((row, code, {k: values[k] for k in diff}))

    def write():
        def fail(row, exc):
            for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                column = key if key in _BY_KEY["results"] else ("parent_code" if key == "parent" else "")
                plan.problem(row, column, None, " ".join(messages))
            raise _RowsFailed()

        for row, code, values in sorted(creates, key=lambda c: c[2]["level"]):
            try:
                result_services.result_create(
                    framework=frameworks[values["framework"]], level=values["level"], code=code,
                    statement=values["statement"],
                    parent=Result.objects.get(code=values["parent_code"]) if values["parent_code"] else None,
                    description=values.get("description", ""),
                    business_line=lines.get(values.get("business_line")), order=values.get("order", 0),
                    assumptions=values.get("assumptions", ""), beneficiary=values.get("beneficiary", ""))
            except ValidationError as exc:
                fail(row, exc)
        for row, code, changes in sorted(updates, key=lambda u: in_file[u[1]]["level"]):
            try:
                result = Result.objects.get(code=code)
                if "parent_code" in changes:
                    result = result_services.result_move(
                        result=result, parent=Result.objects.get(code=changes.pop("parent_code")),
                        order=changes.pop("order", None))
                fields = {k: v for k, v in changes.items() if k != "framework"}
                if "business_line" in fields:
                    fields["business_line"] = lines.get(fields["business_line"])
                if fields:
                    result_services.result_update(result=result, **fields)
            except ValidationError as exc:
                fail(row, exc)
    return write


class _RowsFailed(Exception):
    """A service refused a row while writing; its problems are on the plan."""


class _DryRun(Exception):
    pass


def _dry_run(write) -> None:
    """Write inside a savepoint and roll it back: the preview of a results file sees the services'
    refusals (the results chains are small, so this costs little)."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except (_DryRun, _RowsFailed):
        pass


_PLANNERS = {"results": _plan_results, "indicators": _plan_indicators, "baselines": _plan_baselines,
             "targets": _plan_targets, "measurements": _plan_measurements}


# ---------------------------------------------------------------------------------------------
# the public functions: preview and import (the browser, the admin and the command call these)


def _plan(data: bytes, *, name: str, kind: str | None, by, lock: bool) -> Preview:
    try:
        table = read_table(data, name=name, kind=kind)
    except _Refused as refused:
        return Preview(kind=kind or "", file_name=name, problems=refused.problems)
    plan = _Plan(table)
    reason = f"Imported from {PurePath(name).name}"[:80]  # history keeps 100 characters
    write = _PLANNERS[table.kind](table, plan, by=by, reason=reason, lock=lock)
    if not table.rows:
        plan.problems.append(Problem(None, "", "", "The file has a header row but no data rows."))
    if table.kind == "results" and not lock and not plan.problems and any(r.action != "unchanged" for r in plan.rows):
        _dry_run(write)  # tree rules live in the results services: try them, then roll back
    order = {header: index for index, header in table.columns.values()}
    plan.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
    absent = [c.header for c in COLUMNS[table.kind]
              if c.key not in table.columns and not c.required and not c.informational]
    notes = plan.notes
    if absent:
        notes.append("Columns not in the file are left as they are on existing rows (and empty on new ones): "
                     + ", ".join(absent) + ".")
    return Preview(kind=table.kind, file_name=name, sheet=table.sheet, header_row=table.header_row,
                   rows=plan.rows, problems=plan.problems, ignored_columns=table.ignored,
                   absent_columns=absent, notes=notes, write=None if plan.problems else write)


def spreadsheet_preview(*, data: bytes, name: str, by, kind: str | None = None) -> Preview:
    """Read and check the file; nothing is written."""
    return _plan(data, name=name, kind=kind, by=by, lock=False)


def spreadsheet_import(*, data: bytes, name: str, by, kind: str | None = None,
                       expected: dict | None = None) -> Outcome:
    """Check the file again and, only if every row is valid, write it all in one transaction.

    `expected`: the counts the user confirmed in the preview; if the data changed since (someone
    entered a measurement meanwhile), nothing is written and the fresh preview is returned.
    """
    if not can_import(by):
        raise PermissionDenied("Only administrators may import spreadsheets.")
    with transaction.atomic():
        preview = _plan(data, name=name, kind=kind, by=by, lock=True)
        if not preview.ok:
            return Outcome(preview, written=False)
        counts = {k: v for k, v in preview.counts.items() if k != "invalid"}
        if expected is not None and {k: expected.get(k) for k in counts} != counts:
            return Outcome(preview, written=False, stale=True)
        if not counts["new"] and not counts["changed"]:
            return Outcome(preview, written=True)  # nothing to do: an idempotent re-import
        try:
            with transaction.atomic():
                preview.write()
        except _RowsFailed:
            preview.write = None
            return Outcome(preview, written=False)
        except IntegrityError as exc:
            preview.problems.append(Problem(None, "", "", (
                "The data changed while the import ran (someone saved a record at the same moment"
                f": {str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}); nothing "
                "was imported. Upload the file again.")))
            preview.write = None
            return Outcome(preview, written=False)
    return Outcome(preview, written=True)
