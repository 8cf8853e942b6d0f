"""What an import reports: the preview (new, changed, unchanged rows and every problem with its
row, column and value) and the outcome of a confirm. The browser, the admin and the command show
these; nothing here reads or writes the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from django.utils.translation import gettext as _

from citiesalliance.formula_guard import csv_bytes

from .columns import KIND_LABELS

SAMPLE_ROWS = 200  # rows of each action the preview page lists


@dataclass
class Problem:
    row: int | None  # the spreadsheet's row number (as Excel shows it); None: the whole file
    column: str
    value: str
    message: str

    def __str__(self):
        where = [_("Row %(row)s") % {"row": self.row} if self.row else _("File")]
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        if self.value:
            where.append(_("value “%(value)s”") % {"value": self.value})
        return f"{', '.join(where)}: {self.message}"


class Change(NamedTuple):
    """One changed column of a row, as the preview shows it."""
    column: str
    before: str
    after: str


class Value(NamedTuple):
    """One value of a new row, as the preview shows it."""
    column: str
    value: str


@dataclass
class RowChange:
    row: int
    action: str  # new, changed, unchanged
    key: str  # "CORP-OUT-1-I1 FY2014"
    changes: list[Change] = field(default_factory=list)
    note: str = ""
    # Whose work in progress the row would take over ("Draft of officer1"), if someone else's.
    work_in_progress: str = ""
    # A new row's values, described only when shown (a preview lists a sample of 100,000 rows).
    new_values: dict | None = field(default=None, repr=False)
    describe: Callable[[dict], list[Value]] | None = field(default=None, repr=False)

    @property
    def values(self) -> list[Value]:
        if self.new_values is None or self.describe is None:
            return []
        return self.describe(self.new_values)


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
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def work_in_progress(self) -> list[RowChange]:
        """The rows that would change someone else's draft or returned measurement."""
        return [r for r in self.rows if r.work_in_progress]


def confirmed_counts(preview: Preview) -> dict:
    """What a person confirms when they confirm a preview: the rows new, changed and unchanged, and
    how many of them take over someone else's work. If these differ on confirm, nothing is written."""
    counts = {k: v for k, v in preview.counts.items() if k != "invalid"}
    counts["work_in_progress"] = len(preview.work_in_progress)
    return counts


@dataclass
class Outcome:
    preview: Preview
    written: bool
    stale: bool = False  # the data changed between preview and confirm: nothing written, look again
    # Rows would take over someone else's work in progress and the importer did not choose to: nothing written.
    work_in_progress_kept: bool = False

    @property
    def counts(self) -> dict:
        return self.preview.counts


class Refused(Exception):
    """The file cannot be read as a table of this kind: file-level problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def file_problem(message: str, *, row=None, column="", value="") -> Refused:
    return Refused([Problem(row, column, value, message)])


def problems_csv(problems: list[Problem]) -> bytes:
    """Every problem as a CSV file (the page lists the first thousand), UTF-8 with a BOM for Excel.
    The values quoted are the file's own cells: guarded like every CSV the site writes."""
    return csv_bytes(headers=["Row", "Column", "Value", "Problem"],
                     rows=([p.row or "", p.column, p.value, p.message] for p in problems))
