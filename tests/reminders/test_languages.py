"""Reminders in each recipient's own language (issue 19): the language saved on the menu
(citiesalliance.models.Preference) writes the subject and the body of their email, whatever the
language the sending run happens to be in; without a choice, the site's default (English)."""
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from citiesalliance.services import preference_language_set
from reminders import services

from .test_reminders import DAY, by_recipient

# language: (officer's subject start, officer's body word, manager's subject word)
WORDS = {
    "en": ("Cities Alliance results:", "OVERDUE (", "submissions to review"),
    "fr": ("Résultats Cities Alliance :", "EN RETARD (", "à examiner"),
    "es": ("Resultados de Cities Alliance:", "ATRASADAS (", "por revisar"),
    "pt": ("Resultados da Cities Alliance:", "EM ATRASO (", "a rever"),
}


@pytest.fixture
def demo_people(seeded_chains, settings):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("load_demo", "--today", DAY.isoformat(), stdout=io.StringIO())
    settings.DEBUG = False
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_each_person_gets_the_digest_in_their_own_language(demo_people, smtp_server, language):
    if language != "en":
        preference_language_set(person=demo_people["officer"], language=language)
        preference_language_set(person=demo_people["manager"], language=language)
    subject_start, body_word, review_word = WORDS[language]
    with translation.override("pt" if language != "pt" else "fr"):  # the run's own language does not leak
        services.reminders_send(today=DAY)
    mails = by_recipient(smtp_server.messages)
    officer = mails["officer@example.org"].message
    assert str(officer["Subject"]).strip().startswith(subject_start), officer["Subject"]
    text = officer.get_body(preferencelist=("plain",)).get_content()
    html = officer.get_body(preferencelist=("html",)).get_content()
    assert body_word in text
    assert f'lang="{language}"' in html or language == "en"
    manager = mails["manager@example.org"].message
    assert review_word in manager["Subject"], manager["Subject"]
    if language != "en":
        assert "OVERDUE" not in text and "submissions to review" not in manager["Subject"]


def test_two_people_with_two_languages_each_get_their_own(demo_people, smtp_server):
    preference_language_set(person=demo_people["officer"], language="fr")
    preference_language_set(person=demo_people["manager"], language="es")
    services.reminders_send(today=DAY)
    mails = by_recipient(smtp_server.messages)
    assert mails["officer@example.org"].message["Subject"].strip().startswith(WORDS["fr"][0])
    assert mails["manager@example.org"].message["Subject"].strip().startswith(WORDS["es"][0])
