from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citiesalliance.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump on PostgreSQL, online copy on SQLite) and uploaded evidence."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(Path(settings.BASE_DIR) / "backups"),
                            help="Folder to write the backup into (default: ./backups).")

    def handle(self, *args, to, **options):
        try:
            folder = backup_create(destination=Path(to))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
