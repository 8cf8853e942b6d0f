"""Published scorecard editions: what the Executive Committee reviewed, frozen.

An edition copies its figures (rows, roll-ups, counts), the standard and the labels it showed into
JSON at publication, so later corrections to baselines, targets or measurements never change it.
There are no change or delete permissions: editions are immutable by design. The PDF made at
publication is stored with the edition (scorecard.pack), with its SHA-256.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    framework = models.ForeignKey("results.ResultsFramework", on_delete=models.PROTECT, related_name="editions")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="editions")
    business_line = models.ForeignKey("results.BusinessLine", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="editions")
    # Labels as shown at publication, so a later rename does not rewrite history.
    framework_name = models.CharField(max_length=200)
    period_label = models.CharField(max_length=12)
    business_line_name = models.CharField(max_length=120, blank=True)
    standard = models.JSONField(help_text=_("The performance standard bands used (default and overrides)."))
    summary = models.JSONField(help_text=_("Counts by status, completeness and the framework score."))
    sections = models.JSONField(help_text=_("The frozen scorecard: levels, results and indicator rows."))
    illustrative = models.BooleanField(default=False)
    commentary = models.TextField(help_text=_("Reflect: what is working, what is not, and why."))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    schema = models.PositiveSmallIntegerField(default=1, editable=False)
    # SHA-256 of what was published (framework, period, business line, figures, standard, commentary):
    # publishing the same thing twice (a double click, two tabs) finds the first edition.
    fingerprint = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # The PDF the Committee received, made at publication and never again (empty for editions
    # published before PDFs were kept), and its SHA-256 so that a copy can be checked.
    pdf = models.FileField(upload_to="editions/", blank=True, editable=False)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True, editable=False)
    # The PDF is made by a background task after publication (scorecard.tasks): pending until then;
    # if it cannot be made, why (the download then renders it from the frozen figures).
    pdf_pending = models.BooleanField(default=False, editable=False)
    pdf_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        # No change/delete: an edition is a record of what was reviewed.
        default_permissions = ("add", "view")
        permissions = [("publish_edition", "Can publish a scorecard edition")]

    def __str__(self):
        suffix = f" · {self.business_line_name}" if self.business_line_name else ""
        return f"{self.framework_name} · {self.period_label}{suffix} (#{self.pk})"

    def get_absolute_url(self):
        return reverse("scorecard:edition", args=[self.pk])
