"""A large import (over LARGE_ROWS rows) checked and written by a background task, and what the
page polls: status, progress, message, the result. Written only by spreadsheets/jobs.py."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Stage(models.TextChoices):
        PREVIEW = "preview", _("Checking the file")
        IMPORT = "import", _("Importing")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, help_text=_("The stored upload (spreadsheets.uploads)."))
    file_name = models.CharField(max_length=255)
    ext = models.CharField(max_length=8)
    kind = models.CharField(max_length=20, blank=True)
    rows = models.PositiveIntegerField(default=0, help_text=_("Rows in the file, as counted before the job."))
    stage = models.CharField(max_length=10, choices=Stage.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    take_over = models.BooleanField(default=False)
    expected = models.JSONField(null=True, blank=True, help_text=_("The counts confirmed in the preview."))
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self):
        return f"{self.get_stage_display()} {self.file_name} ({self.get_status_display()})"
