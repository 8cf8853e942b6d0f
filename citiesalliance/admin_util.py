"""What every admin page of the domain models shares: a change form saved unchanged writes nothing.

Django's admin saves on every press of "Save", and django-simple-history then records a history row
with no change; textareas come back with CRLF line breaks. Here an unchanged form skips the save,
and text keeps its stored line breaks."""
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _

from .forms_util import MultilineField


class UnchangedSaveMixin:
    formfield_overrides = {models.TextField: {"form_class": MultilineField, "widget": admin.widgets.AdminTextareaWidget}}

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)


class ReadOnlyAdminMixin:
    """An admin that shows records and never adds, changes or deletes them (records written by the
    system or by a workflow's services only)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TranslationsAdminMixin:
    """A change form whose translated fields (django-modeltranslation, issue 19) read as on the site's
    forms: the plain field is the English text, and a compact, folded "Translations" section holds
    the other languages. `translated` names the plain fields; the model's `<field>_en` is not shown
    (the plain field is it), whatever language the administrator reads the admin in."""

    translated: tuple[str, ...] = ()
    other_languages = ("fr", "es", "pt")

    def _translation_fields(self) -> list[str]:
        return [f"{field}_{lang}" for field in self.translated for lang in self.other_languages]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *(f"{field}_en" for field in self.translated)]

    def get_fieldsets(self, request, obj=None):
        extra = self._translation_fields()
        fields = [f for f in self.get_fields(request, obj) if f not in extra]
        return [(None, {"fields": fields}), (_("Translations"), {"fields": extra, "classes": ["collapse"]})]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        translated = self.translated

        class TranslatedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                for field in translated:
                    if field in self.fields:
                        self.fields[field].label = _("%(label)s (English)") % {"label": self.fields[field].label}
                        if self.instance.pk:  # the English text, not the admin reader's language
                            self.initial[field] = getattr(self.instance, f"{field}_en")

        TranslatedForm.__name__ = form.__name__
        return TranslatedForm
