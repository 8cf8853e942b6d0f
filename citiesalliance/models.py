"""The record of changes to people's accounts: who changed whose roles, password or access, when.

Written only by citiesalliance/accounts.py, shown read-only on the person's admin page. A password
change records that it happened and how, never the password or its hash.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone


class AccountChange(models.Model):
    class What(models.TextChoices):
        CREATED = "created", "Account created"
        GROUPS = "groups", "Roles (groups)"
        PASSWORD = "password", "Password"
        ACTIVE = "active", "Active"
        STAFF = "staff", "Staff status (admin access)"
        SUPERUSER = "superuser", "Superuser status"
        PERMISSIONS = "permissions", "Individual permissions"
        EMAIL = "email", "Email address"
        PROGRAMME_ROLES = "programmes", "Programme roles"

    # PROTECT: an account with a record is deactivated, not deleted, so the record stays whole.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text="Empty when the system or the person did it "
                                                               "without being signed in (a reset by email).")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=12, choices=What.choices)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    how = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_what_display()} of {self.person} at {self.at:%Y-%m-%d %H:%M}"
