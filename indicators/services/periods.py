"""Reporting periods as the services use them: created with their parents from the July-June
calendar (indicators.periods), and checked against the framework and the indicator's frequency
by the rulebook."""
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import rules, validation
from ..models import Indicator, ReportingPeriod
from ..periods import PeriodSpec


def period_get_or_create(*, label: str | None = None, spec: PeriodSpec | None = None) -> ReportingPeriod:
    """The reporting period named by `label` ("FY2014", "FY2014-Q3"), created with its parents."""
    if spec is None:
        spec = validation.parse_period(label)
    existing = ReportingPeriod.objects.filter(kind=spec.kind, fiscal_year=spec.fiscal_year,
                                              number=spec.number).first()
    if existing is not None:
        return existing
    parent = period_get_or_create(spec=spec.parent) if spec.parent else None
    with transaction.atomic():
        period, _ = ReportingPeriod.objects.get_or_create(
            kind=spec.kind, fiscal_year=spec.fiscal_year, number=spec.number,
            defaults={"label": spec.label, "start": spec.start, "end": spec.end, "parent": parent},
        )
    return period


def framework_period(indicator: Indicator, period, *, field: str = "period") -> ReportingPeriod:
    """A period (object or label) inside the indicator's framework's fiscal years."""
    framework = indicator.result.framework
    try:
        spec = period.spec if isinstance(period, ReportingPeriod) else validation.parse_period(period)
        rules.check_period_in_framework(
            spec, first_fiscal_year=framework.first_fiscal_year,
            last_fiscal_year=framework.last_fiscal_year, framework=framework.name)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return period if isinstance(period, ReportingPeriod) else period_get_or_create(spec=spec)


def check_measured_period(indicator: Indicator, period: ReportingPeriod) -> None:
    """The rulebook's period kind for the indicator's frequency, on the period field."""
    try:
        rules.check_measurement_period(spec=period.spec, code=indicator.code, frequency=indicator.frequency)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None
