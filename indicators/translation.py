"""Indicator names and definitions stored per language (django-modeltranslation, issue 19).

`name` and `definition` read the active language's text, the English one where that is missing;
`name_en`, `name_fr`, ... are the stored texts. The audit history (simple_history) keeps every
language too: its model is registered with the same fields, since it copies the indicator's columns.
"""
from modeltranslation.translator import TranslationOptions, translator

from .models import Indicator


class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition")
    required_languages = ("en",)


class HistoricalIndicatorTranslation(TranslationOptions):
    fields = ("name", "definition")


translator.register(Indicator, IndicatorTranslation)
translator.register(Indicator.history.model, HistoricalIndicatorTranslation)

# simple_history lists the fields it copies when it makes the history model, before the translation
# fields exist: its bulk path (the spreadsheet import) would leave them out, and the history row's
# English name would be whatever language the importer read. The single-row path reads the
# model's fields afresh; this makes both copy every language.
_history = Indicator.history.model
_history.tracked_fields = [*_history.tracked_fields, *(
    Indicator._meta.get_field(f"{name}_{lang}") for name in HistoricalIndicatorTranslation.fields
    for lang in ("en", "fr", "es", "pt"))]
