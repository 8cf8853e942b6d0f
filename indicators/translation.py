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
