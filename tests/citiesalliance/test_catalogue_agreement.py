"""One translation per text (issue 19): Django reads the project catalogue (LOCALE_PATHS: templates/
and citiesalliance/) before the apps' <app>/locale/, so a text translated one way there and another
in an app shows the project's wording everywhere, model labels included (a submitted measurement
read "Enviado" on its badge while the indicators catalogue said "Presentada"). A text that needs two
wordings takes a context (pgettext, {% translate ... context ... %})."""
import polib
from django.conf import settings

from citiesalliance.catalogues import catalogue_files

TRANSLATED = ("fr", "es", "pt")


def _entries(po_path):
    return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.pofile(str(po_path)) if e.msgid and not e.obsolete}


def disagreements(language: str) -> list[str]:
    project_dir = settings.BASE_DIR / "locale"
    files = [po for po in catalogue_files(settings.BASE_DIR) if po.parent.parent.name == language]
    project = next(_entries(po) for po in files if po.parent.parent.parent == project_dir)
    found = []
    for po in files:
        if po.parent.parent.parent == project_dir:
            continue
        for key, translated in _entries(po).items():
            if key in project and project[key] != translated:
                found.append(f"{po.relative_to(settings.BASE_DIR)}: {key[1]!r} is {translated[0]!r} here, "
                             f"{project[key][0]!r} in the project catalogue")
    return found


def test_the_project_and_app_catalogues_agree_on_each_text():
    problems = [line for language in TRANSLATED for line in disagreements(language)]
    assert not problems, "\n".join(problems)


def test_the_agreement_check_finds_a_disagreement(tmp_path, settings):
    for where in ("locale", "app/locale"):
        folder = tmp_path / where / "fr" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalogue = polib.POFile()
        catalogue.append(polib.POEntry(msgid="Submitted", msgstr="Soumis" if where == "locale" else "Soumise"))
        catalogue.save(str(folder / "django.po"))
    settings.BASE_DIR = tmp_path
    assert disagreements("fr") == [
        "app/locale/fr/LC_MESSAGES/django.po: 'Submitted' is 'Soumise' here, 'Soumis' in the project catalogue"]
