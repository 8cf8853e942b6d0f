"""Query filters of the API lists (django-filter): by framework, result, indicator, period and status.

Codes and labels match without regard to case, as on the site. A malformed value (an unknown status,
a NUL byte) is a 400 naming the parameter, never a database error."""
import django_filters as filters

from indicators.models import Baseline, Indicator, Measurement, Target
from results.models import Alignment, Result, ResultsFramework
from scorecard.models import Edition

FIGURES = [("approved", "approved figures only (the default)"),
           ("working", "the records as they stand (officers and managers only)")]


def _code(field_name: str, help_text: str):
    return filters.CharFilter(field_name=field_name, lookup_expr="iexact", max_length=30, help_text=help_text)


class FrameworkFilter(filters.FilterSet):
    class Meta:
        model = ResultsFramework
        fields = ["kind"]


class ResultFilter(filters.FilterSet):
    framework = _code("framework__code", "A framework's code, e.g. CORP.")
    parent = _code("parent__code", "The parent result's code.")

    class Meta:
        model = Result
        fields = ["framework", "parent", "level"]


class AlignmentFilter(filters.FilterSet):
    framework = filters.CharFilter(method="in_framework", max_length=30,
                                   help_text="Alignments with either end in this framework.")

    class Meta:
        model = Alignment
        fields = ["framework", "relation"]

    def in_framework(self, queryset, name, value):
        return queryset.filter(source__framework__code__iexact=value) | queryset.filter(
            target__framework__code__iexact=value)


class _FiguresFilter(filters.FilterSet):
    """Filters shared by baselines, targets and measurements."""
    framework = _code("indicator__result__framework__code", "A framework's code, e.g. CORP.")
    result = _code("indicator__result__code", "A result's code.")
    indicator = _code("indicator__code", "An indicator's code.")
    figures = filters.ChoiceFilter(choices=FIGURES, method="no_filter",
                                   help_text="approved (default) or working; working is for those who may edit.")

    def no_filter(self, queryset, name, value):
        return queryset  # chooses the representation (api.views), not the rows


class IndicatorFilter(filters.FilterSet):
    framework = _code("result__framework__code", "A framework's code, e.g. CORP.")
    result = _code("result__code", "A result's code.")

    class Meta:
        model = Indicator
        fields = ["framework", "result", "kind", "measure", "direction"]


class BaselineFilter(_FiguresFilter):
    period = filters.CharFilter(field_name="period__label", lookup_expr="iexact", max_length=20,
                                help_text="The baseline's period, e.g. FY2013.")

    class Meta:
        model = Baseline
        fields = ["framework", "result", "indicator", "period", "status", "figures"]


class TargetFilter(_FiguresFilter):
    period = filters.CharFilter(field_name="period__label", lookup_expr="iexact", max_length=20,
                                help_text="A reporting period, e.g. FY2016 or FY2016-Q3.")

    class Meta:
        model = Target
        fields = ["framework", "result", "indicator", "period", "status", "figures"]


class MeasurementFilter(TargetFilter):
    class Meta:
        model = Measurement
        fields = ["framework", "result", "indicator", "period", "status", "figures"]


class EditionFilter(filters.FilterSet):
    framework = _code("framework__code", "A framework's code, e.g. CORP.")
    period = filters.CharFilter(field_name="period_label", lookup_expr="iexact", max_length=20)

    class Meta:
        model = Edition
        fields = ["framework", "period"]
