from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from citiesalliance.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and uploaded evidence with a backup folder made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (backups/backup-YYYYmmddTHHMMSSZ).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        if not yes:
            answer = input(f"This replaces ALL current data with {folder}. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backup_restore(source=Path(folder))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {folder}"))
