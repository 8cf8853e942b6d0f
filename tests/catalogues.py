"""The app catalogues compiled for the translation tests: git keeps only the .po files, so a test
that reads a message in French compiles <app>/locale/<lang>/LC_MESSAGES/django.po when its .mo is
missing or older (GNU msgfmt, else polib), then makes Django forget the catalogues it loaded before."""
import shutil
import subprocess
from pathlib import Path

import pytest
from asgiref.local import Local
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[1]
APPS = ("indicators", "scorecard", "spreadsheets", "results", "reminders", "api")
LANGUAGES = ("fr", "es", "pt")


def _compile(po: Path) -> None:
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    else:
        polib = pytest.importorskip("polib", reason="neither msgfmt nor polib can compile the catalogues")
        polib.pofile(str(po)).save_as_mofile(str(mo))


def compile_app_catalogues() -> None:
    for app in APPS:
        for lang in LANGUAGES:
            _compile(ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po")
    # What Django does when LANGUAGES or LOCALE_PATHS change (django.test.signals).
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
