"""Admin: a read-only window on the indicator data with its audit history.

Baselines, targets and measurements change only through the app's forms and services (versions,
review transitions, evidence checks); the admin shows them and their history but does not edit
them. Reporting periods are system-made reference data, read-only here; performance standards are
edited here. The lists show what a reader looks for (figure, status, who and when), with filters and
search by indicator.
"""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from citiesalliance.admin_history import HistoryAdmin
from citiesalliance.admin_util import ReadOnlyAdminMixin, UnchangedSaveMixin
from results.admin import ResultsFrameworkAdmin
from results.models import ResultsFramework

from . import rules, services, validation
from .models import (
    Baseline,
    Computation,
    Dimension,
    DimensionValue,
    Indicator,
    Measurement,
    MeasurementPart,
    PerformanceStandard,
    Proposal,
    ReportingPeriod,
    Target,
    TargetPart,
)
from .services.dimensions import dimensions_with_parts

_BY_INDICATOR = ("indicator__code", "indicator__name")


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True  # reverting would bypass the versions and the review workflow


def _figure(obj, value, rating) -> str:
    return validation.format_figure(measure=obj.measure or obj.indicator.measure, value=value, rating=rating or "",
                                    unit=obj.indicator.unit)


@admin.display(description=_("Indicator"), ordering="indicator__code")
def indicator_code(obj) -> str:
    """The indicator by its code (its full name would take the list's whole width)."""
    return obj.indicator.code


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "—"


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "result_code", "measure", "aggregation", "direction", "frequency", "responsible")
    list_select_related = ("result", "responsible")
    list_filter = ("result__framework", "kind", "measure", "aggregation", "direction", "frequency")
    search_fields = ("code", "name", "result__code")

    @admin.display(description=_("Result"), ordering="result__code")
    def result_code(self, obj):
        return obj.result.code


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyHistoryAdmin):
    list_display = (indicator_code, "figure", "period", "as_of", "status", "due_date", "recorded_by")
    list_select_related = ("indicator", "period", "collected_by")
    list_filter = ("status", "indicator__result__framework")
    search_fields = _BY_INDICATOR

    @admin.display(description=_("Value"))
    def figure(self, obj):
        return obj.text[:60] if obj.text else _figure(obj, obj.value, "")

    @admin.display(description=_("Recorded by"), ordering="collected_by__username")
    def recorded_by(self, obj):
        return _who(obj.collected_by)


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = (indicator_code, "period", "figure", "status", "proposer", "approver", "approved_at")
    list_select_related = ("indicator", "period", "proposed_by", "approved_by")
    list_filter = ("status", "period__kind", "period__fiscal_year", "indicator__result__framework")
    search_fields = _BY_INDICATOR + ("period__label",)

    @admin.display(description=_("Target"))
    def figure(self, obj):
        return _figure(obj, obj.value, obj.rating)

    @admin.display(description=_("Proposed by"), ordering="proposed_by__username")
    def proposer(self, obj):
        return _who(obj.proposed_by)

    @admin.display(description=_("Approved by"), ordering="approved_by__username")
    def approver(self, obj):
        return _who(obj.approved_by)


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyHistoryAdmin):
    list_display = (indicator_code, "period", "figure", "status", "revision", "submitter", "reviewed")
    list_select_related = ("indicator", "period", "submitted_by", "reviewed_by")
    list_filter = ("status", "period__kind", "period__fiscal_year", "indicator__result__framework")
    search_fields = _BY_INDICATOR + ("period__label",)
    date_hierarchy = "submitted_at"

    @admin.display(description=_("Value"))
    def figure(self, obj):
        return _figure(obj, obj.value, obj.rating)

    @admin.display(description=_("Submitted by"), ordering="submitted_by__username")
    def submitter(self, obj):
        if not obj.submitted_at:
            return "—"
        return f"{_who(obj.submitted_by)}, {obj.submitted_at:%d %b %Y}"

    @admin.display(description=_("Reviewed"), ordering="reviewed_at")
    def reviewed(self, obj):
        if not obj.reviewed_at:
            return "—"
        return f"{_who(obj.reviewed_by)}, {obj.reviewed_at:%d %b %Y}"


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyHistoryAdmin):
    """Proposed changes are reviewed in the site's review queue, where the effect is shown."""
    list_display = (indicator_code, "subject", "status", "proposed_by", "proposed_at", "reviewed_by")
    list_select_related = ("indicator", "proposed_by", "reviewed_by")
    list_filter = ("status", "subject")
    search_fields = ("indicator__code", "reason")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone: periods are made by the system from the July-June calendar
    (services.period_get_or_create); a relabelled period would re-date every figure recorded in it."""
    list_display = ("label", "kind", "fiscal_year", "start", "end", "parent")
    list_filter = ("kind", "fiscal_year")
    list_select_related = ("parent",)
    search_fields = ("label",)


@admin.register(PerformanceStandard)
class PerformanceStandardAdmin(UnchangedSaveMixin, HistoryAdmin):
    list_display = ("name", "indicator", "on_track", "needs_attention", "tolerance")
    list_select_related = ("indicator",)
    search_fields = ("name", "indicator__code")


class FrameworkYearsForm(forms.ModelForm):
    """A framework's fiscal years never leave out its figures (the rulebook, asked through the
    indicators services: the results app knows nothing of figures)."""

    def clean(self):
        cleaned = super().clean()
        years = ("first_fiscal_year", "last_fiscal_year")
        if self.instance.pk and set(years) & set(self.changed_data) and all(cleaned.get(y) for y in years):
            services.check_framework_years(self.instance, first_fiscal_year=cleaned["first_fiscal_year"],
                                           last_fiscal_year=cleaned["last_fiscal_year"])
        return cleaned


admin.site.unregister(ResultsFramework)


@admin.register(ResultsFramework)
class FrameworkAdmin(ResultsFrameworkAdmin):
    form = FrameworkYearsForm


# ---------------------------------------------------------------------------------------------
# disaggregation: managers define dimensions, their values and the indicators they split


class DimensionValueInline(admin.TabularInline):
    model = DimensionValue
    fields = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}
    extra = 2


class DimensionForm(forms.ModelForm):
    class Meta:
        model = Dimension
        fields = ("name", "slug", "order", "indicators")

    def clean_indicators(self):
        """An indicator whose figures have parts of this dimension stays disaggregated by it."""
        chosen = self.cleaned_data["indicators"]
        if self.instance.pk is None:
            return chosen
        dropped = set(self.instance.indicators.all()) - set(chosen)
        for indicator in sorted(dropped, key=lambda i: i.code):
            try:
                rules.check_dimensions_kept(code=indicator.code,
                                            dropped_with_parts=dimensions_with_parts(indicator, [self.instance]))
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return chosen


@admin.register(Dimension)
class DimensionAdmin(UnchangedSaveMixin, HistoryAdmin):
    form = DimensionForm
    list_display = ("name", "slug", "order", "value_names")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("indicators",)
    inlines = [DimensionValueInline]
    search_fields = ("name", "values__name")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    @admin.display(description=_("values"))
    def value_names(self, obj):
        return ", ".join(v.name for v in obj.values.all())

    def save_model(self, request, obj, form, change):
        # Always saved, so the history (and the figures' stamp) moves when only the indicators change.
        obj._history_user = request.user
        super(UnchangedSaveMixin, self).save_model(request, obj, form, change)


@admin.register(Computation)
class ComputationAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a formula is defined through the service (manage.py define_computation), which asks
    the rulebook (indicators.computed_rules)."""
    list_display = (indicator_code, "kind", "contributing", "changed_by")
    list_select_related = ("indicator", "changed_by")
    search_fields = _BY_INDICATOR

    @admin.display(description=_("Contributing indicators"))
    def contributing(self, obj):
        return ", ".join(sorted(c.indicator.code for c in obj.contributions.select_related("indicator")))


@admin.register(MeasurementPart, TargetPart)
class PartAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "value", "numerator", "denominator", "approved_value")
    list_select_related = True
