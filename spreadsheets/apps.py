from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Spreadsheet import and export: the top of the stack (it reads and writes results, indicators
    and their figures; nothing below imports it). Its one model, ImportJob, follows a large import
    run in the background (spreadsheets/jobs.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Spreadsheet import and export")
