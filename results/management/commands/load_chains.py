import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from results.services import chains_load

DEFAULT = Path(settings.BASE_DIR) / "fixtures" / "results_chains.json"


class Command(BaseCommand):
    help = "Load (or bring up to date) the Cities Alliance results chains from fixtures/results_chains.json."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args, path, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            summary = chains_load(data=data)
        except ValidationError as exc:
            raise CommandError(f"{path} was not loaded: {'; '.join(exc.messages)}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Results chains loaded: {summary['frameworks']} frameworks, {summary['results']} results, "
            f"{summary['alignments']} alignments, {summary['business_lines']} business lines "
            f"({summary['created']} created, {summary['updated']} updated)."
        ))
