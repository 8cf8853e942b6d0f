"""Spreadsheet import for administrators: results, indicators, baselines, targets, measurements.

One path for the browser, the Django admin and `manage.py import_indicators`:

    read the file (spreadsheets.reading: CSV with the csv module, XLSX with openpyxl read-only)
    -> find the header row and normalise the headers (case, spaces, aliases: spreadsheets.columns)
    -> read what the rows refer to in a few queries (codes, periods, the rows that already exist)
    -> check every row in Python with indicators.validation (the rules forms and services use),
       one planner per kind (spreadsheets.planning)
    -> a Preview: new, changed, unchanged and invalid rows, every problem with row, column, value
    -> commit: the same checks again inside one transaction, then set-based writes with their
       audit history (spreadsheets.bulk) in batches. Any problem: nothing is written.

Why not django-import-export's `import_data`: it works row by row (a query to find each instance,
one per foreign-key lookup, a save and a history insert per row, a savepoint per row), which is two
orders of magnitude short of the budget in DESIGN.md section 5 (10,000 measurement rows a second,
15 times the plain ModelResource). import-export's resources (spreadsheets.resources) still define
the export, and share the column table so both speak the same headers.

Imported rows follow the typed workflow (indicators/services.py): measurements arrive submitted by
the importing user (an approved one whose figures change starts a new revision, its approved figures
keep serving the scorecard), targets arrive preliminary, and every write gets a history record with
the importing user and the reason "Imported from <file name>".
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .columns import COLUMNS
from .permissions import can_import
from .planning import PLANNERS, RowsFailed
from .planning.common import Plan
from .reading import read_table
from .report import Outcome, Preview, Problem, Refused, confirmed_counts


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector walks every live object each time enough new containers
    have been allocated. An import allocates millions (a row, its cells, its checks) and keeps most
    of them until it ends, so those walks cost about 40% of a 100,000-row preview (measured: 3.3 s
    of CPU with the collector, 2.1 s without). Reference counting still frees whatever the import
    drops; only reference cycles wait until the import is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _DryRun(Exception):
    pass


def _dry_run(write) -> None:
    """Write inside a savepoint and roll it back: the preview of a results file sees the services'
    refusals (the results chains are small, so this costs little)."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except (_DryRun, RowsFailed):
        pass


def _plan(data: bytes, *, name: str, kind: str | None, by, lock: bool) -> Preview:
    with _collector_paused():
        return _checked_preview(data, name=name, kind=kind, by=by, lock=lock)


def _checked_preview(data: bytes, *, name: str, kind: str | None, by, lock: bool) -> Preview:
    try:
        table = read_table(data, name=name, kind=kind)
    except Refused as refused:
        return Preview(kind=kind or "", file_name=name, problems=refused.problems)
    plan = Plan(table)
    reason = f"Imported from {PurePath(name).name}"[:80]  # history keeps 100 characters
    write = PLANNERS[table.kind](table, plan, by=by, reason=reason, lock=lock)
    if not table.rows:
        plan.problems.append(Problem(None, "", "", _("The file has a header row but no data rows.")))
    if table.kind == "results" and not lock and not plan.problems and any(r.action != "unchanged" for r in plan.rows):
        _dry_run(write)  # tree rules live in the results services: try them, then roll back
    order = {at.header: at.index for at in table.columns.values()}
    plan.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
    absent = [c.label for c in COLUMNS[table.kind]
              if c.key not in table.columns and not c.required and not c.informational]
    notes = plan.notes
    if absent:
        notes.append(_("Columns not in the file are left as they are on existing rows (and empty on new ones): "
                       "%(columns)s.") % {"columns": ", ".join(absent)})
    return Preview(kind=table.kind, file_name=name, sheet=table.sheet, header_row=table.header_row,
                   rows=plan.rows, problems=plan.problems, ignored_columns=table.ignored,
                   absent_columns=absent, notes=notes, write=None if plan.problems else write)


def spreadsheet_preview(*, data: bytes, name: str, by, kind: str | None = None) -> Preview:
    """Read and check the file; nothing is written."""
    return _plan(data, name=name, kind=kind, by=by, lock=False)


def spreadsheet_import(*, data: bytes, name: str, by, kind: str | None = None, expected: dict | None = None,
                       take_over_work_in_progress: bool = False) -> Outcome:
    """Check the file again and, only if every row is valid, write it all in one transaction.

    `expected`: the counts the user confirmed in the preview (report.confirmed_counts); if the data
    changed since (someone entered a measurement meanwhile), nothing is written and the fresh
    preview is returned. Rows that change someone else's draft or returned measurement are written
    only with `take_over_work_in_progress`; without it nothing is written.
    """
    if not can_import(by):
        raise PermissionDenied(_("Only administrators may import spreadsheets."))
    with transaction.atomic():
        preview = _plan(data, name=name, kind=kind, by=by, lock=True)
        if not preview.ok:
            return Outcome(preview, written=False)
        counts = confirmed_counts(preview)
        if expected is not None and any(expected.get(k, v if k == "work_in_progress" else None) != v
                                        for k, v in counts.items()):
            return Outcome(preview, written=False, stale=True)
        if preview.work_in_progress and not take_over_work_in_progress:
            return Outcome(preview, written=False, work_in_progress_kept=True)
        if not counts["new"] and not counts["changed"]:
            return Outcome(preview, written=True)  # nothing to do: an idempotent re-import
        try:
            with transaction.atomic(), _collector_paused():
                preview.write()
        except RowsFailed:
            preview.write = None
            return Outcome(preview, written=False)
        except IntegrityError as exc:
            preview.problems.append(Problem(None, "", "", _(
                "The data changed while the import ran (someone saved a record at the same moment: %(error)s); "
                "nothing was imported. Upload the file again.") % {
                    "error": str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}))
            preview.write = None
            return Outcome(preview, written=False)
    return Outcome(preview, written=True)
