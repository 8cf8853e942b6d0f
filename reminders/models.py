"""Who wants reminders, and what was sent to whom: the record that makes a second run send nothing.

Written only by reminders/services.py.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderPreference(models.Model):
    """A person's choice; without a row a person gets reminders (the default is on)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="reminder_preference")
    enabled = models.BooleanField("Send me reminders by email", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.person}: reminders {'on' if self.enabled else 'off'}"


class ReminderSent(models.Model):
    """One email sent (or being sent): per person, day and kind; `key` tells editions apart."""

    class Kind(models.TextChoices):
        OFFICER_DIGEST = "officer_digest", _("Officer's digest: due, overdue, returned")
        REVIEW_DIGEST = "review_digest", _("Manager's digest: the review queue")
        EDITION = "edition", _("Edition published")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40, blank=True, help_text=_("The edition's number for an edition's notice."))
    items = models.PositiveIntegerField(default=0, help_text=_("How many items the email listed."))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["person", "day", "kind", "key"], name="reminder_once_per_person_day_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.person} on {self.day}"
