"""Computed corporate indicators (issue 18): an indicator whose figures are computed from indicators
of the country programmes aligned to it, never entered by hand.

The rules (same unit, aligned programme frameworks, no computed indicator contributing, no manual
entry) are indicators.computed_rules'; the arithmetic is indicators.computed's. Written only by
indicators.services.computations, with their history kept (who changed a formula, when).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import Indicator


class Computation(models.Model):
    class Kind(models.TextChoices):
        SUM = "sum", _("Sum of contributing indicators")
        COUNT_MET = "count_met", _("Number of programmes meeting their target")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="computation")
    kind = models.CharField(_("formula"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True, help_text=_("Why the indicator is computed this way."))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        permissions = [("define_computation", "Can define computed indicators")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["sum", "count_met"]),
                                              name="computation_kind_known")]

    def __str__(self):
        return f"{self.indicator.code}: {self.get_kind_display().lower()}"


class Contribution(models.Model):
    computation = models.ForeignKey(Computation, on_delete=models.CASCADE, related_name="contributions")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="contributions")
    history = HistoricalRecords()

    class Meta:
        ordering = ["computation", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["computation", "indicator"], name="contribution_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} contributes to {self.computation.indicator.code}"



