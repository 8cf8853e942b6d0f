"""Writes of a person's own preferences (the language menu)."""
from django.db import transaction

from .models import Preference


def preference_language_set(*, person, language: str) -> Preference:
    """Remember `language` (a code of settings.LANGUAGES, or "" for the browser's) for `person`."""
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(person=person)
        preference.language = language
        preference.full_clean()
        preference.save(update_fields=["language"])
    return preference
