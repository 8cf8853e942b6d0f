from django.conf import settings
from django.core.management.base import BaseCommand

from citiesalliance.catalogues import catalogues_compile


class Command(BaseCommand):
    help = ("Compile the translation catalogues (every locale/<lang>/LC_MESSAGES/django.po of the "
            "checkout) to .mo files, without GNU gettext.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even the catalogues that are up to date.")

    def handle(self, *args, force=False, **options):
        written = catalogues_compile(root=settings.BASE_DIR, force=force)
        self.stdout.write(f"{len(written)} catalogue(s) compiled.")
