"""Admin: a read-only window on the indicator data with its audit history.

Baselines, targets and measurements change only through the app's forms and services (versions,
review transitions, evidence checks); the admin shows them and their history but does not edit
them. Reporting periods are system-made reference data, read-only here; performance standards are
edited here.
"""
from django.contrib import admin

from citiesalliance.admin_history import HistoryAdmin

from . import admin_imports  # noqa: F401  (the admin's link to spreadsheet imports)
from .models import Baseline, Indicator, Measurement, PerformanceStandard, Proposal, ReportingPeriod, Target


class ReadOnlyHistoryAdmin(HistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True  # reverting would bypass the versions and the review workflow


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "result", "measure", "aggregation", "responsible")
    list_select_related = ("result", "responsible")
    list_filter = ("kind", "measure", "aggregation", "result__framework")
    search_fields = ("code", "name")


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyHistoryAdmin):
    list_display = ("indicator", "value", "text", "period", "status", "due_date")
    list_select_related = ("indicator", "period")
    list_filter = ("status",)


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ("indicator", "period", "value", "rating", "status")
    list_select_related = ("indicator", "period")
    list_filter = ("status", "period")


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyHistoryAdmin):
    list_display = ("indicator", "period", "value", "rating", "status", "revision", "approved_value")
    list_select_related = ("indicator", "period")
    list_filter = ("status", "period")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyHistoryAdmin):
    """Proposed changes are reviewed in the site's review queue, where the effect is shown."""
    list_display = ("indicator", "subject", "status", "proposed_by", "proposed_at", "reviewed_by")
    list_select_related = ("indicator", "proposed_by", "reviewed_by")
    list_filter = ("status", "subject")
    search_fields = ("indicator__code", "reason")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Read-only for everyone: periods are made by the system from the July-June calendar
    (services.period_get_or_create); a relabelled period would re-date every figure recorded in it."""
    list_display = ("label", "kind", "fiscal_year", "start", "end", "parent")
    list_filter = ("kind", "fiscal_year")
    list_select_related = ("parent",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PerformanceStandard)
class PerformanceStandardAdmin(HistoryAdmin):
    list_display = ("name", "indicator", "on_track", "needs_attention", "tolerance")
