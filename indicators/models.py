"""What is measured: indicators, their baselines, targets and measurements, and the standards.

Business rules live in services.py; the database constraints here make sure that no path (a bulk
import, the admin, a shell) can store what a form would refuse.
"""
import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from results.models import Result, code_validator

from .periods import HALF, PERIOD_NUMBERS, QUARTER, YEAR, PeriodSpec, check_period
from .series import period_ordinal

VALUE = dict(max_digits=20, decimal_places=4, null=True, blank=True)


def _period_label_expression():
    """The label the calendar gives (kind, fiscal_year, number): FY2015, FY2015-H1, FY2015-Q3."""
    number = Cast("number", CharField())
    return Concat(Value("FY"), Cast("fiscal_year", CharField()), Case(
        When(kind=HALF, then=Concat(Value("-H"), number)),
        When(kind=QUARTER, then=Concat(Value("-Q"), number)),
        default=Value(""), output_field=CharField()), output_field=CharField())


def _period_dates_agree():
    """Start and end where the July-June calendar puts them, for each kind and number (from PeriodSpec)."""
    conditions = []
    for kind, numbers in PERIOD_NUMBERS.items():
        for number in numbers:
            spec = PeriodSpec(kind, 2000, number)  # month and day do not depend on the year
            conditions.append(Q(kind=kind, number=number, start__day=1, start__month=spec.start.month,
                           start__year=F("fiscal_year") - (2000 - spec.start.year),
                           end__day=spec.end.day, end__month=spec.end.month,
                           end__year=F("fiscal_year") - (2000 - spec.end.year)))
    return reduce(operator.or_, conditions)


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        YEAR = YEAR, _("Fiscal year")
        HALF = HALF, _("Half year")
        QUARTER = QUARTER, _("Quarter")

    label = models.CharField(max_length=12, unique=True)  # FY2014, FY2014-H1, FY2014-Q3
    kind = models.CharField(max_length=8, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(default=0)
    start = models.DateField()
    end = models.DateField()
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["end", "start"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="period_start_before_end"),
            models.CheckConstraint(
                condition=(Q(kind=YEAR) & Q(number=0)) | (Q(kind=HALF) & Q(number__gte=1) & Q(number__lte=2))
                | (Q(kind=QUARTER) & Q(number__gte=1) & Q(number__lte=4)),
                name="period_number_fits_kind",
            ),
            # Reference data: the label and the dates are what the calendar says, whatever path
            # stores the row (the parent is checked by clean(), which sees other rows).
            models.CheckConstraint(condition=Q(label=_period_label_expression()), name="period_label_fits_calendar"),
            models.CheckConstraint(condition=_period_dates_agree(), name="period_dates_fit_calendar"),
            models.CheckConstraint(condition=Q(kind=YEAR, parent__isnull=True) | (~Q(kind=YEAR) & Q(parent__isnull=False)),
                                   name="period_parent_unless_year"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        problems = check_period(label=self.label, kind=self.kind, fiscal_year=self.fiscal_year, number=self.number,
                                start=self.start, end=self.end,
                                parent_label=self.parent.label if self.parent_id else None)
        if problems:
            raise ValidationError(problems)
        if self.pk is not None and self.has_figures():
            stored = type(self).objects.filter(pk=self.pk).values(*self.EDITABLE).first()
            if stored and any(getattr(self, f) != v for f, v in stored.items()):
                raise ValidationError(_("%(period)s has figures, editions or sub-periods: it cannot be edited.") % {
                    "period": stored["label"]})

    EDITABLE = ("label", "kind", "fiscal_year", "number", "start", "end", "parent_id")

    def has_figures(self) -> bool:
        """Anything refers to this period: a baseline, target, measurement, edition or sub-period."""
        return any(getattr(self, rel.get_accessor_name()).exists() for rel in self._meta.related_objects)

    @property
    def spec(self) -> PeriodSpec:
        return PeriodSpec(self.kind, self.fiscal_year, self.number)

    @property
    def ordinal(self) -> int:
        """Sortable integer for the arithmetic: by end date, a year after the quarter ending with it."""
        return period_ordinal(self.end, self.kind)


class Indicator(models.Model):
    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage (0-100)")
        CURRENCY = "currency", _("Currency")
        YES_NO = "yes_no", _("Yes / no")
        RATING = "rating", _("Rating")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")
        MAINTAIN = "maintain", _("Maintain")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of periods (cumulative count)")
        LATEST = "latest", _("Latest value")
        AVERAGE = "average", _("Average of periods")

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        SEMIANNUAL = "semiannual", _("Twice a year")
        QUARTERLY = "quarterly", _("Quarterly")

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.QUANTITATIVE)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.NUMBER)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("For example: cities, people, USD."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.LATEST)
    data_source = models.TextField(_("data source"), blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="indicators")
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic concurrency
    history = HistoricalRecords()

    class Meta:
        ordering = ["result__tree_id", "result__lft", "order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            # A qualitative indicator is judged by its rating, not by a sum or an average.
            models.CheckConstraint(
                condition=Q(kind="quantitative") | (Q(aggregation="latest") & Q(measure="rating")),
                name="indicator_qualitative_is_rated_latest",
            ),
            models.CheckConstraint(condition=Q(kind="qualitative") | ~Q(measure="rating"),
                                   name="indicator_rating_is_qualitative"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    def get_absolute_url(self):
        return reverse("indicators:indicator", args=[self.code])

    @property
    def is_qualitative(self) -> bool:
        return self.kind == self.Kind.QUALITATIVE


def _value_in_measure_range(prefix: str = "") -> Q:
    """The range a value may take for its (denormalised) measure: percentages 0-100, yes/no 0 or 1."""
    v = f"{prefix}value"
    return (
        Q(**{f"{v}__isnull": True})
        | ~Q(measure__in=["percentage", "yes_no"])
        | (Q(measure="percentage") & Q(**{f"{v}__gte": 0}) & Q(**{f"{v}__lte": 100}))
        | (Q(measure="yes_no") & Q(**{f"{v}__in": [0, 1]}))
    )


class Rating(models.TextChoices):
    """A qualitative indicator's rating; it maps to a status directly."""
    ON_TRACK = "on_track", _("On track")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    OFF_TRACK = "off_track", _("Off track")


RATING_OR_BLANK = ["", "on_track", "needs_attention", "off_track"]


def _rated_rows_hold_no_number(prefix: str = "") -> Q:
    """Qualitative values are kept apart: a rated row has no number, a numeric row no rating."""
    return (Q(measure="rating") & Q(**{f"{prefix}value__isnull": True})) | (
        ~Q(measure="rating") & Q(**{f"{prefix}rating": ""}))


class Baseline(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        COLLECTED = "collected", _("Collected")
        VALIDATED = "validated", _("Validated")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="baseline")
    measure = models.CharField(_("measure"), max_length=12, choices=Indicator.Measure.choices, editable=False)
    value = models.DecimalField(_("value"), **VALUE)
    text = models.TextField(_("qualitative baseline"), blank=True)
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="baselines")
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    due_date = models.DateField(_("due date"), null=True, blank=True, help_text=_("When the baseline data must be collected."))
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("collected by"), on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_value_in_measure_range(), name="baseline_value_in_range"),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(value__isnull=False) | ~Q(text=""),
                name="baseline_collected_has_value",
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(period__isnull=False) | Q(as_of__isnull=False),
                name="baseline_collected_has_date",
            ),
            # A rated (qualitative) baseline is described in words; a numeric one is a number.
            models.CheckConstraint(condition=~Q(measure="rating") | Q(value__isnull=True),
                                   name="baseline_rated_has_no_number"),
            models.CheckConstraint(condition=Q(measure="rating") | Q(text=""),
                                   name="baseline_numeric_has_no_text"),
        ]

    def __str__(self):
        return f"Baseline of {self.indicator.code}"


class Target(models.Model):
    class Status(models.TextChoices):
        PRELIMINARY = "preliminary", _("Preliminary")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="targets")
    measure = models.CharField(_("measure"), max_length=12, choices=Indicator.Measure.choices, editable=False)
    value = models.DecimalField(_("value"), **VALUE)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True,
                              help_text=_("Qualitative indicators: the rating aimed for."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PRELIMINARY)
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Why this target; on a revision, why it changed."))
    review_note = models.TextField(_("review note"), blank=True, help_text=_("The reviewer's note when a target is returned."))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True,
                                       help_text=_("When the approved figures below were approved."))
    # The last approved target: what every page scores against while a revision awaits approval.
    # A target never approved has none, and its indicator is not due at its period.
    approved_value = models.DecimalField(_("approved value"), **VALUE)
    approved_rating = models.CharField(_("approved rating"), max_length=16, choices=Rating.choices, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()  # a revised target keeps its earlier values and reasons here

    class Meta:
        ordering = ["indicator", "period__end"]
        permissions = [("approve_target", "Can approve targets")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_unique_period"),
            models.CheckConstraint(condition=_value_in_measure_range(), name="target_value_in_range"),
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(rating=""), name="target_has_value"),
            models.CheckConstraint(condition=_rated_rows_hold_no_number(), name="target_value_or_rating"),
            models.CheckConstraint(condition=Q(rating__in=RATING_OR_BLANK), name="target_rating_known"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(approved_at__isnull=False),
                                   name="target_approved_has_time"),
            # The approved figures obey the same rules as the working ones, and exist exactly when
            # the target has been approved at least once.
            models.CheckConstraint(condition=_value_in_measure_range("approved_"),
                                   name="target_approved_value_in_range"),
            models.CheckConstraint(condition=~Q(measure="rating") | Q(approved_value__isnull=True),
                                   name="target_approved_rated_has_no_number"),
            models.CheckConstraint(condition=Q(measure="rating") | Q(approved_rating=""),
                                   name="target_approved_numeric_has_no_rating"),
            models.CheckConstraint(condition=Q(approved_rating__in=RATING_OR_BLANK),
                                   name="target_approved_rating_known"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_value__isnull=False) | ~Q(approved_rating=""),
                name="target_approved_has_figure",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=False) | (Q(approved_value__isnull=True) & Q(approved_rating="")),
                name="target_approved_figure_has_time",
            ),
            # Nobody approves the target they proposed.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(proposed_by__isnull=True)
                | ~Q(approved_by=F("proposed_by")),
                name="target_not_self_approved",
            ),
        ]

    def __str__(self):
        return f"Target of {self.indicator.code} for {self.period.label}"


class Measurement(models.Model):
    """An actual for indicator x period. Working fields are edited; approved_* hold what the scorecard uses."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="measurements",
                               verbose_name=_("period"))
    measure = models.CharField(_("measure"), max_length=12, choices=Indicator.Measure.choices, editable=False)
    value = models.DecimalField(_("value"), **VALUE)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    text = models.TextField(_("qualitative finding"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True, max_length=255)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)
    comment = models.TextField(_("comment"), blank=True)
    so_what = models.TextField(_('"so what?"'), blank=True,
                               help_text=_("What happened as a result, how the knowledge was used."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(_("review note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The last approved figures: what the scorecard reads while a revision is under way.
    approved_value = models.DecimalField(_("approved value"), **VALUE)
    approved_rating = models.CharField(_("approved rating"), max_length=16, choices=Rating.choices, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__end"]
        permissions = [("review_measurement", "Can approve or return submitted measurements")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="measurement_unique_period"),
            models.CheckConstraint(condition=_value_in_measure_range(), name="measurement_value_in_range"),
            models.CheckConstraint(condition=_value_in_measure_range("approved_"),
                                   name="measurement_approved_value_in_range"),
            # Nobody approves their own submission.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(submitted_by__isnull=True)
                | ~Q(reviewed_by=F("submitted_by")),
                name="measurement_not_self_reviewed",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="measurement_approved_has_time",
            ),
            models.CheckConstraint(condition=_rated_rows_hold_no_number(),
                                   name="measurement_value_or_rating"),
            models.CheckConstraint(
                condition=~Q(measure="rating") | Q(approved_value__isnull=True),
                name="measurement_approved_rated_has_no_number",
            ),
            models.CheckConstraint(
                condition=Q(measure="rating") | Q(approved_rating=""),
                name="measurement_approved_numeric_has_no_rating",
            ),
            models.CheckConstraint(
                condition=Q(rating__in=RATING_OR_BLANK) & Q(approved_rating__in=RATING_OR_BLANK),
                name="measurement_rating_known",
            ),
            # What goes to review or to the scorecard has a figure.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(value__isnull=False) | ~Q(rating=""),
                name="measurement_submitted_has_value",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_value__isnull=False) | ~Q(approved_rating=""),
                name="measurement_approved_has_figure",
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="measurement_revision_positive"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period.label}"


class PerformanceStandard(models.Model):
    """Bands turning progress into a status: one default (indicator empty) and optional overrides."""
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="standard")
    name = models.CharField(max_length=120, default="Default standard")
    on_track = models.DecimalField(max_digits=6, decimal_places=4, default=Decimal("0.90"),
                                   help_text=_("Progress at or above this is on track (0.90 = 90%)."))
    needs_attention = models.DecimalField(max_digits=6, decimal_places=4, default=Decimal("0.60"),
                                          help_text=_("Progress at or above this needs attention; below is off track."))
    tolerance = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal("0"),
                                    help_text=_("For maintain targets and target = baseline: how far off still counts as met."))
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(indicator__isnull=True),
                                    name="standard_default_unique_name"),
            models.CheckConstraint(
                condition=Q(needs_attention__gte=0) & Q(needs_attention__lte=F("on_track")) & Q(tolerance__gte=0),
                name="standard_bands_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.indicator.code})" if self.indicator_id else self.name


class Proposal(models.Model):
    """A change that would re-score approved figures, waiting for a manager (indicators.rules).

    Until it is approved the indicator and its baseline keep their stored values, so every page,
    export and edition goes on reading the approved state; approving applies `changes` through
    the same services as a direct edit."""

    class Subject(models.TextChoices):
        INDICATOR = "indicator", _("Indicator")
        BASELINE = "baseline", _("Baseline")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="proposals")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    # {field: value as stored in JSON}: result and period by primary key, numbers and dates as text.
    changes = models.JSONField()
    # [[field label, before, after]] as the proposer saw them, for the review page and the history.
    shown = models.JSONField(default=list)
    reason = models.TextField(help_text=_("Why the change is needed."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    review_note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposed_at", "pk"]
        permissions = [("review_proposal", "Can approve or return proposed changes to approved figures")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "subject"], condition=Q(status="proposed"),
                                    name="proposal_one_open_per_subject"),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(proposed_by__isnull=True)
                | ~Q(reviewed_by=F("proposed_by")),
                name="proposal_not_self_reviewed",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="proposal_has_reason"),
        ]

    def __str__(self):
        return f"Proposed change to the {self.get_subject_display().lower()} of {self.indicator.code}"


# Disaggregation: dimensions, their values and the parts of targets and measurements (issue 14).
# Computed corporate indicators (issue 18).
from .computations import Computation, Contribution  # noqa: E402, F401
from .dimensions import BaselinePart, Dimension, DimensionValue, MeasurementPart, TargetPart  # noqa: E402, F401
