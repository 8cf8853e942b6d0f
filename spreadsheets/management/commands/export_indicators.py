"""manage.py export_indicators KIND [--format csv|xlsx] [--output FILE] [--language en|fr|es|pt]

The rows of one kind with the import template's headers (spreadsheets.resources), in English unless
--language says otherwise: edit and import back (the importer reads the headers in any of the site's
languages); importing an unchanged export changes nothing.
"""
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from spreadsheets.columns import KINDS
from spreadsheets.resources import export_csv
from spreadsheets.templates_xlsx import export_xlsx


class Command(BaseCommand):
    help = "Export results, indicators, baselines, targets or measurements as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output, CSV only).")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES], default="en",
                            help="The language of the headers and sheet names (default: English).")

    def handle(self, *args, kind, format, output, language="en", **options):
        with translation.override(language):
            data = export_csv(kind) if format == "csv" else export_xlsx(kind)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output}.")
        elif format == "xlsx":
            self.stderr.write("Give --output for an XLSX export.")
            sys.exit(2)
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
