"""The translation catalogues: every <dir>/locale/<lang>/LC_MESSAGES/django.po of the checkout,
compiled to its .mo beside it (the .mo files are not kept in git).

GNU gettext's msgfmt (Django's compilemessages) is not needed: polib writes the same .mo, so the
two-command quick start works on a machine without gettext. Used by `manage.py catalogues_compile`
(`make messages`) and by the test suite before it starts (tests/conftest.py).
"""
from pathlib import Path

import polib

SKIPPED_DIRS = {".venv", "node_modules", ".git", "static", "staticfiles", "media"}


def catalogue_files(root: Path) -> list[Path]:
    found = []
    for po in sorted(Path(root).rglob("LC_MESSAGES/*.po")):
        if not SKIPPED_DIRS.intersection(po.relative_to(root).parts):
            found.append(po)
    return found


def catalogues_compile(*, root: Path, force: bool = False) -> list[Path]:
    """Compile each catalogue whose .mo is missing or older than its .po; the .mo files written."""
    written = []
    for po in catalogue_files(root):
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # Fuzzy entries are left out, as msgfmt does: a guessed translation is never shown.
            polib.pofile(str(po)).save_as_mofile(str(mo))
            written.append(mo)
    return written
