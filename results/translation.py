"""Result statements stored per language (django-modeltranslation, issue 19).

`statement` reads the active language's text, the English one where that is missing;
`statement_en`, `statement_fr`, `statement_es`, `statement_pt` are the stored texts. Writes name the
language they mean (results.services sets statement_en from the form's Statement field), so a
French reader editing a result never overwrites its English statement.
"""
from modeltranslation.translator import TranslationOptions, register

from .models import Result


@register(Result)
class ResultTranslation(TranslationOptions):
    fields = ("statement",)
    # The English statement is required as before; the translations are optional.
    required_languages = ("en",)
