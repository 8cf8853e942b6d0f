"""manage.py export_iati --framework CODE [--framework CODE ...] [-o FILE] [--validate SCHEMA_DIR]

Writes the IATI 2.03 results document of the frameworks (approved figures only) to FILE or to
standard output. --validate checks it against the official schema in SCHEMA_DIR and the IATI rules
in api/iati_checks.py and fails, writing nothing, if either complains."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api import iati, iati_checks, iati_export
from api.iati_selectors import framework_codes


class Command(BaseCommand):
    help = "Export results frameworks as an IATI 2.03 iati-activities document (approved figures only)."

    def add_arguments(self, parser):
        parser.add_argument("--framework", action="append", required=True, metavar="CODE",
                            help="A framework code (repeat for several; ALL for every framework).")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
        parser.add_argument("--validate", metavar="SCHEMA_DIR",
                            help="Folder with the IATI 2.03 schema (iati-activities-schema.xsd and the files it "
                                 "includes): validate, and check the IATI results rules, before writing.")

    def handle(self, *args, framework, output, validate, **options):
        codes = framework_codes() if [c.upper() for c in framework] == ["ALL"] else framework
        now = timezone.now()
        try:
            document = iati_export.document(codes, now=now)
        except iati_export.FrameworkNotFound as exc:
            raise CommandError(str(exc)) from None
        if validate:
            try:
                problems = iati_checks.schema_errors(document, validate)
            except (FileNotFoundError, OSError) as exc:
                raise CommandError(str(exc)) from None
            problems += iati_checks.rule_errors(document, today=timezone.localdate())
            if problems:
                raise CommandError("The export does not validate; nothing was written:\n" + "\n".join(problems))
        content = iati.to_bytes(document)
        if output:
            Path(output).write_bytes(content)
            count = len(document.getroot())
            self.stderr.write(self.style.SUCCESS(
                f"{output}: {count} activit{'y' if count == 1 else 'ies'}, "
                f"{sum(1 for _ in document.iter('indicator'))} indicators"
                f"{', valid against the schema and the IATI rules' if validate else ''}."))
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
