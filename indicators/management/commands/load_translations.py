"""Load translations of the chains' statements and indicator names (default: the demo's
illustrative French, fixtures/translations_fr.json). Fills blank translations only; idempotent."""
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.services.translations import translations_load

DEFAULT = Path(settings.BASE_DIR) / "fixtures" / "translations_fr.json"


class Command(BaseCommand):
    help = "Fill blank translations of result statements and indicator names from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args, path, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            summary = translations_load(data=data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        note = " (illustrative translation)" if "illustrative" in data.get("about", "").lower() else ""
        self.stdout.write(f"Translations ({data.get('language')}){note} loaded: {summary['results']} result "
                          f"statements, {summary['indicators']} indicators filled.")
