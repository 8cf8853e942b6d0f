"""What every admin page of the domain models shares: a change form saved unchanged writes nothing.

Django's admin saves on every press of "Save", and django-simple-history then records a history row
with no change; textareas come back with CRLF line breaks. Here an unchanged form skips the save,
and text keeps its stored line breaks."""
from django.contrib import admin
from django.db import models

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
