"""The interface in four languages (issue 19): the catalogues are complete, the language menu
switches and is remembered per person, pages come out in French, the page cache keeps languages apart."""
import re
import shutil
import subprocess
from collections import Counter

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from citiesalliance.catalogues import catalogue_files
from citiesalliance.models import Preference
from citiesalliance.page_cache import cache_key

TRANSLATED = ("fr", "es", "pt")
# %(name)s and %s (gettext, blocktranslate), {name} (str.format): a translation keeps each one exactly.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")


def catalogues():
    return [po for po in catalogue_files(settings.BASE_DIR) if po.parent.parent.name in TRANSLATED]


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_each_language_has_the_project_catalogue():
    found = {po.parent.parent.name for po in catalogues() if po.parent.parent.parent == settings.BASE_DIR / "locale"}
    assert found == set(TRANSLATED)


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_string_is_translated_with_the_same_placeholders(po_path):
    problems = []
    catalogue = polib.pofile(str(po_path))
    forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata.get("Plural-Forms", "nplurals=2")).group(1))
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{entry.occurrences[0][0] if entry.occurrences else '?'}: {entry.msgid[:60]!r}"
        if entry.fuzzy:
            problems.append(f"fuzzy {where}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(forms)):
            problems.append(f"plural forms {sorted(entry.msgstr_plural)} of {forms} {where}")
        if not all(t.strip() for t in translations):
            problems.append(f"untranslated {where}")
            continue
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = placeholders(sources[-1])
        for text in translations:
            if placeholders(text) != wanted and placeholders(text) != placeholders(sources[0]):
                problems.append(f"placeholders differ {where}: {text[:60]!r}")
    assert problems == [], "\n".join(problems)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_gnu_msgfmt_accepts_the_catalogue(po_path):
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_catalogue_test_fails_on_an_untranslated_string(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Worklist", msgstr=""))
    po.append(polib.POEntry(msgid="%(count)s due", msgstr="%(nombre)s à rendre"))
    entries = list(po)
    assert not entries[0].msgstr.strip()
    assert placeholders(entries[1].msgstr) != placeholders(entries[1].msgid)


def test_the_page_cache_key_carries_the_language():
    with translation.override("fr"):
        french = cache_key("menu", 1, "x")
    with translation.override(settings.LANGUAGE_CODE):
        english = cache_key("menu", 1, "x")
    assert french != english


@pytest.fixture
def officer_client(officer, make_indicator):
    make_indicator(code="LANG1", by=officer)
    client = Client()
    client.force_login(officer)
    return client


def test_the_language_menu_switches_and_comes_back_to_the_page(officer_client, officer):
    worklist = reverse("indicators:worklist")
    assert "Log out" in officer_client.get(worklist).content.decode()

    response = officer_client.post(reverse("set_language"), {"language": "fr", "next": worklist})

    assert response.status_code == 302 and response["Location"] == worklist
    page = officer_client.get(worklist).content.decode()
    assert 'lang="fr"' in page and "Se déconnecter" in page and "Log out" not in page
    assert Preference.objects.get(person=officer).language == "fr"


def test_the_choice_follows_the_person_to_another_browser(officer_client, officer):
    officer_client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")  # a second browser, in English
    elsewhere.force_login(officer)
    page = elsewhere.get(reverse("indicators:worklist")).content.decode()

    assert "Se déconnecter" in page and "Log out" not in page


def test_another_person_keeps_their_language(officer_client, manager):
    officer_client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    other = Client()
    other.force_login(manager)
    assert "Log out" in other.get(reverse("indicators:review_queue")).content.decode()


def test_an_anonymous_visitor_gets_the_browser_language_and_the_menu(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("login")).content.decode()
    assert 'lang="es"' in page and 'action="/language/"' in page

    client = Client()
    response = client.post(reverse("set_language"), {"language": "pt", "next": reverse("login")})
    assert response.status_code == 302
    assert 'lang="pt"' in client.get(reverse("login")).content.decode()


def test_a_language_not_offered_is_refused_with_a_message(officer_client, officer):
    response = officer_client.post(reverse("set_language"), {"language": "xx<b>", "next": "/"}, follow=True)
    page = response.content.decode()
    assert "is not offered" in page and "xx&lt;b&gt;" in page
    assert not Preference.objects.filter(person=officer).exists()


def test_a_forged_post_without_the_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    assert not Preference.objects.filter(person=officer).exists()


def test_the_menu_cache_keeps_languages_apart(officer_client):
    """The navigation bar is kept per person (citiesalliance/templatetags/site_tags.py): the French
    menu is not served to the same person reading in English, nor the other way round."""
    worklist = reverse("indicators:worklist")
    first = officer_client.get(worklist).content.decode()  # kept in English
    assert "Results chains" in first and "Measurements due" in first
    officer_client.post(reverse("set_language"), {"language": "fr", "next": worklist})
    french = officer_client.get(worklist).content.decode()
    assert "Chaînes de résultats" in french and "Results chains" not in french
    assert "Mesures à rendre" in french and "Measurements due" not in french  # the page's kept body too
    officer_client.post(reverse("set_language"), {"language": settings.LANGUAGES[0][0], "next": worklist})
    english = officer_client.get(worklist).content.decode()
    assert "Results chains" in english and "Chaînes de résultats" not in english
    assert "Measurements due" in english and "Mesures à rendre" not in english


def test_the_language_to_write_to_a_person_is_their_choice_else_the_default(officer, manager):
    from citiesalliance.languages import language_of
    from citiesalliance.services import preference_language_set

    preference_language_set(person=officer, language="pt")
    officer.refresh_from_db()
    assert language_of(officer) == "pt"
    assert language_of(manager) == settings.LANGUAGE_CODE


def test_a_language_not_offered_is_refused_by_the_service(officer):
    from django.core.exceptions import ValidationError

    from citiesalliance.services import preference_language_set

    with pytest.raises(ValidationError):
        preference_language_set(person=officer, language="xx")
    assert not Preference.objects.filter(person=officer).exists()


ENGLISH_NAVIGATION = ("Results chains", "Alignment map", "Worklist", "Review queue", "Log out", "Password<")


def test_the_officer_journey_pages_come_out_in_french(officer_client, officer):
    officer_client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    worklist = officer_client.get(reverse("indicators:worklist")).content.decode()
    form = officer_client.get(reverse("indicators:measurement_create", args=["LANG1"])).content.decode()

    assert "Liste de travail" in worklist and "Mesures à rendre" in worklist and "Situations de référence manquantes" in worklist
    assert "Measurements due" not in worklist and "Baselines missing" not in worklist
    assert "Indicateurs" in form and "Se déconnecter" in form
    for page in (worklist, form):
        assert 'lang="fr"' in page and "Chaînes de résultats" in page
        assert [words for words in ENGLISH_NAVIGATION if words in page] == []


@pytest.mark.parametrize("language, words", [("es", "Cerrar sesión"), ("pt", "Terminar sessão")])
def test_the_manager_reads_the_review_queue_in_spanish_or_portuguese(manager, language, words):
    client = Client()
    client.force_login(manager)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("indicators:review_queue")).content.decode()
    assert words in page and "Review queue" not in page


def test_the_committee_reads_the_scorecard_and_its_pdf_in_portuguese(db, committee):
    from tests.scorecard.builders import build_scorecard_data
    from tests.scorecard.pdfs import page_texts

    build_scorecard_data()
    client = Client()
    client.force_login(committee)
    client.post(reverse("set_language"), {"language": "pt", "next": "/"})

    page = client.get(reverse("scorecard:scorecard"), {"framework": "SC"}).content.decode()
    pdf = client.get(reverse("scorecard:scorecard_pdf"), {"framework": "SC"})

    assert "Painel de resultados" in page and "Em resumo" in page and "At a glance" not in page
    text = " ".join(page_texts(pdf.content))
    assert "Em resumo" in text and "Pontuação do quadro" in text and "At a glance" not in text
