"""The record of changes to people's accounts: who changed whose roles, password or access, when.

Written only by citiesalliance/accounts.py, shown read-only on the person's admin page. A password
change records that it happened and how, never the password or its hash.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountChange(models.Model):
    class What(models.TextChoices):
        CREATED = "created", _("Account created")
        GROUPS = "groups", _("Roles (groups)")
        PASSWORD = "password", _("Password")
        ACTIVE = "active", _("Active")
        STAFF = "staff", _("Staff status (admin access)")
        SUPERUSER = "superuser", _("Superuser status")
        PERMISSIONS = "permissions", _("Individual permissions")
        EMAIL = "email", _("Email address")
        PROGRAMME_ROLES = "programmes", _("Programme roles")

    # PROTECT: an account with a record is deactivated, not deleted, so the record stays whole.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("Empty when the system or the person did it "
                                                                 "without being signed in (a reset by email)."))
    at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=12, choices=What.choices)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    how = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_what_display()} of {self.person} at {self.at:%Y-%m-%d %H:%M}"


class Preference(models.Model):
    """A person's own settings that follow them from browser to browser: the interface's language.

    Written by citiesalliance/services.py (the language menu); read once at each login into the
    session (citiesalliance/languages.py), so no page asks the database for it."""
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True,
                                help_text=_("Empty: the browser's language."))

    def __str__(self):
        return f"{self.person}: {self.language or 'browser language'}"
