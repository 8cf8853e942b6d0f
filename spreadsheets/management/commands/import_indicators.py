"""manage.py import_indicators FILE --user USERNAME [--kind KIND] [--dry-run] [--take-over-work-in-progress]

The same import as the browser's (spreadsheets.importing): checks every row, lists every problem with
its row, column and value, and writes everything in one transaction or nothing. Rows that change
someone else's draft or returned measurement are listed, and imported only with
--take-over-work-in-progress (the browser's "Take over" box).
"""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from spreadsheets.columns import KINDS
from spreadsheets.importing import spreadsheet_import, spreadsheet_preview
from spreadsheets.permissions import can_import
from spreadsheets.reading import check_upload


class Command(BaseCommand):
    help = ("Import results, indicators, baselines, targets or measurements from an .xlsx or .csv file "
            "(the kind is told from the headers unless --kind is given).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=KINDS, help="The kind of data (default: from the headers).")
        parser.add_argument("--user", required=True,
                            help="The administrator importing: recorded in the audit history and as submitter.")
        parser.add_argument("--dry-run", action="store_true", help="Check and show the preview; write nothing.")
        parser.add_argument("--take-over-work-in-progress", action="store_true", help=(
            "Import rows that change someone else's draft or returned measurement (they go to review as "
            "submitted by --user); without it, such rows mean nothing is imported."))

    def handle(self, *args, file, kind, user, dry_run, take_over_work_in_progress, **options):
        self.verbosity = options.get("verbosity", 1)  # report() lists the changes at -v 2
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            check_upload(name=path.name, size=path.stat().st_size)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        by = get_user_model().objects.filter(username=user).first()
        if by is None:
            raise CommandError(f"No user {user!r}.")
        if not can_import(by):
            raise CommandError(f"{user} may not import spreadsheets: only administrators may.")
        data = path.read_bytes()
        if dry_run:
            preview = spreadsheet_preview(data=data, name=path.name, by=by, kind=kind)
            self.report(preview)
            if not preview.ok:
                raise CommandError(f"{len(preview.problems)} problem(s): the file would not be imported.")
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            outcome = spreadsheet_import(data=data, name=path.name, by=by, kind=kind,
                                         take_over_work_in_progress=take_over_work_in_progress)
        except (OperationalError, InterfaceError) as exc:
            # The import is one transaction: the database threw the partial write away with it.
            cause = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
            raise CommandError(f"The database connection was lost during the import ({cause}); nothing was "
                               "imported. Run the command again.") from exc
        self.report(outcome.preview)
        if outcome.work_in_progress_kept:
            held = len(outcome.preview.work_in_progress)
            raise CommandError(f"{held} row(s) would change someone else's work in progress (listed above); nothing "
                               "was imported. Ask them first, or run again with --take-over-work-in-progress.")
        if not outcome.written:
            raise CommandError(f"{len(outcome.preview.problems)} problem(s): nothing was imported.")
        counts = outcome.counts
        self.stdout.write(self.style.SUCCESS(
            f"Imported: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged."))

    def report(self, preview):
        counts = preview.counts
        if preview.kind:
            where = f" (sheet {preview.sheet})" if preview.sheet else ""
            self.stdout.write(f"{preview.label} from {preview.file_name}{where}: {counts['new']} new, "
                              f"{counts['changed']} changed, {counts['unchanged']} unchanged, "
                              f"{counts['invalid']} invalid.")
        if preview.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(preview.ignored_columns)}.")
        for note in preview.notes:
            self.stdout.write(f"Note: {note}")
        for row in preview.work_in_progress:
            self.stdout.write(f"Work in progress: row {row.row} {row.key}: {row.work_in_progress}.")
        for row in preview.rows:
            if row.action == "changed" and self.verbosity >= 2:
                changes = "; ".join(f"{c.column}: {c.before} -> {c.after}" for c in row.changes)
                self.stdout.write(f"  row {row.row} {row.key}: {changes}")
            elif row.action == "new" and self.verbosity >= 2:
                values = "; ".join(f"{v.column}: {v.value}" for v in row.values)
                self.stdout.write(f"  row {row.row} {row.key} (new): {values}")
            if row.note:  # such as a change that waits for a manager's review
                self.stdout.write(f"  row {row.row} {row.key}: {row.note}")
        for problem in preview.problems:
            self.stderr.write(str(problem))
