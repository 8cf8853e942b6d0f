"""Every text the code marks for translation is in the French, Spanish and Portuguese catalogues, and
translated (issue 19). The catalogue test (test_i18n.py) reads the catalogues as they are; this one
first extracts the texts again, as `make messages-update` does, from a copy of the checkout, so a
string added to a template or to Python without its translation fails here, naming its file and line."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

APPS = ("results", "indicators", "scorecard", "spreadsheets", "api", "reminders")
COPIED_OUT = shutil.ignore_patterns(".venv", ".git", "node_modules", "media", "staticfiles", "screenshots",
                                    "__pycache__", "*.sqlite3", "*.mo", ".pytest_cache", ".hypothesis", "backups",
                                    "tests", "bench", "docs")

pytestmark = pytest.mark.skipif(not shutil.which("xgettext"),
                                reason="GNU gettext's xgettext is not installed (apt-get install gettext)")


def _makemessages(where: Path, root: Path, *extra: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{root / 'unused.sqlite3'}"}
    done = subprocess.run([sys.executable, str(root / "manage.py"), "makemessages", "-l", "fr", "-l", "es",
                           "-l", "pt", "--no-obsolete", *extra], cwd=where, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("checkout") / "project"
    shutil.copytree(settings.BASE_DIR, root, ignore=COPIED_OUT)
    # The project catalogue holds the templates and the citiesalliance package; each app's, its Python.
    _makemessages(root, root, "--ignore=static", *(f"--ignore={app}/*" for app in APPS))
    for app in APPS:
        _makemessages(root / app, root)
    return root


@pytest.mark.parametrize("language", ["fr", "es", "pt"])
def test_every_marked_text_is_in_the_catalogues_and_translated(extracted, language):
    missing = []
    for po in sorted(extracted.rglob(f"locale/{language}/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po)):
            if not entry.obsolete and (entry.fuzzy or not entry.translated()):
                where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
                missing.append(f"{po.relative_to(extracted)}: {entry.msgid[:70]!r} ({where})")
    assert missing == [], "Translate these (then `make messages`):\n" + "\n".join(missing)


def test_the_coverage_test_fails_on_a_text_without_translation(extracted, tmp_path):
    from django.template import engines  # noqa: F401 (the settings are loaded)

    template = extracted / "templates" / "coverage_probe.html"
    template.write_text('{% load i18n %}{% translate "A text nobody translated yet" %}')
    try:
        _makemessages(extracted, extracted, "--ignore=static", *(f"--ignore={app}/*" for app in APPS))
        catalogue = polib.pofile(str(extracted / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
        entry = catalogue.find("A text nobody translated yet")
        assert entry is not None and not entry.translated()
    finally:
        template.unlink()
        _makemessages(extracted, extracted, "--ignore=static", *(f"--ignore={app}/*" for app in APPS))
