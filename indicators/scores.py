"""The values the arithmetic works on and returns (indicators.arithmetic): statuses, trends, the
standard's bands, an indicator's series and an evaluation, with the number checks they share.

Pure standard-library code: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from enum import Enum

from django.utils.translation import gettext_lazy

AGGREGATIONS = ("sum", "latest", "average")
DIRECTIONS = ("increase", "decrease", "maintain")

# One fixed context, built once, so results do not depend on whatever the
# calling thread did to decimal.getcontext() and no context is created per call.
# Same precision and rounding as Python's default context.
CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

ZERO = Decimal("0")
ONE = Decimal("1")

# Progress moving by less than half a percentage point is shown as flat, so an
# arrow never contradicts two percentages that look identical once rounded.
TREND_EPSILON = Decimal("0.005")


class Status(str, Enum):
    ON_TRACK = "on_track"
    NEEDS_ATTENTION = "needs_attention"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_DUE = "not_due"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])  # in the active language

    def __str__(self) -> str:
        # Templates and CSV exports want "on_track", not "Status.ON_TRACK".
        return self.value


STATUS_LABELS = {
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.NEEDS_ATTENTION: gettext_lazy("Needs attention"),
    Status.OFF_TRACK: gettext_lazy("Off track"),
    Status.NO_DATA: gettext_lazy("No data"),
    Status.NOT_DUE: gettext_lazy("Not due"),
}

# Qualitative ratings are the three "judged" statuses; their rank orders them
# for trends (higher is better).
RATING_RANK = {
    Status.OFF_TRACK.value: 0,
    Status.NEEDS_ATTENTION.value: 1,
    Status.ON_TRACK.value: 2,
}
RATINGS = tuple(RATING_RANK)
RATING_SCORE = {rating: Decimal(rank) for rating, rank in RATING_RANK.items()}


class Trend(str, Enum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"

    def __str__(self) -> str:
        return self.value


def as_decimal(value: object, what: str) -> Decimal:
    """Accept Decimal or int; refuse float, whose binary rounding would leak in."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        raise TypeError(f"{what} must be a Decimal (or int), not {type(value).__name__}: {value!r}")
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, got {number}")
    return number


def as_optional_decimal(value: object, what: str) -> Decimal | None:
    return None if value is None else as_decimal(value, what)


def decimal_map(mapping: Mapping[int, object], what: str) -> dict[int, Decimal]:
    """Copy a period -> number map, checking every value as as_decimal does.

    The fast path (all values already finite Decimals, as read from the database) builds no
    error messages: a scorecard builds thousands of series per request.
    """
    for value in mapping.values():
        if type(value) is not Decimal or not value.is_finite():
            return {p: as_decimal(v, f"{what} at period {p}") for p, v in mapping.items()}
    return dict(mapping)


@dataclass(frozen=True)
class Standard:
    """Status bands (as fractions of progress) and the tolerance for binary checks."""

    on_track: Decimal = Decimal("0.90")
    needs_attention: Decimal = Decimal("0.60")
    tolerance: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        on_track = as_decimal(self.on_track, "Standard.on_track")
        needs_attention = as_decimal(self.needs_attention, "Standard.needs_attention")
        tolerance = as_decimal(self.tolerance, "Standard.tolerance")
        if needs_attention < 0:
            raise ValueError(f"Standard.needs_attention must be >= 0, got {needs_attention}")
        if needs_attention > on_track:
            raise ValueError(
                "Standard.needs_attention must not exceed Standard.on_track "
                f"(got needs_attention={needs_attention}, on_track={on_track})"
            )
        if tolerance < 0:
            raise ValueError(f"Standard.tolerance must be >= 0, got {tolerance}")
        # Store ints as Decimal; frozen dataclasses need object.__setattr__ for that.
        object.__setattr__(self, "on_track", on_track)
        object.__setattr__(self, "needs_attention", needs_attention)
        object.__setattr__(self, "tolerance", tolerance)


DEFAULT_STANDARD = Standard()

# Shared with scorecard.rollup, which rolls these evaluations up with the same decimal rules.
DECIMAL_CONTEXT = CONTEXT


@dataclass(frozen=True)
class IndicatorSeries:
    """Everything the arithmetic needs about one indicator, as plain data.

    ``measurements`` and ``ratings`` must hold approved values only. For a
    qualitative indicator the ratings drive the status and ``measurements`` is
    ignored.
    """

    direction: str
    aggregation: str
    qualitative: bool = False
    baseline: Decimal | None = None
    baseline_period: int | None = None
    measurements: Mapping[int, Decimal] = field(default_factory=dict)
    ratings: Mapping[int, str] = field(default_factory=dict)
    targets: Mapping[int, Decimal] = field(default_factory=dict)
    weight: Decimal = Decimal("1")

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, got {self.direction!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {self.aggregation!r}")
        for period, rating in self.ratings.items():
            if rating not in RATING_RANK:
                raise ValueError(f"rating at period {period} must be one of {RATINGS}, got {rating!r}")
        weight = as_decimal(self.weight, "weight")
        if weight < 0:
            raise ValueError(f"weight must be >= 0, got {weight}")
        # Normalise once here so the hot paths never re-check types.
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "baseline", as_optional_decimal(self.baseline, "baseline"))
        object.__setattr__(self, "measurements", decimal_map(self.measurements, "measurement"))
        object.__setattr__(self, "targets", decimal_map(self.targets, "target"))
        object.__setattr__(self, "ratings", dict(self.ratings))


@dataclass(frozen=True)
class Evaluation:
    period: int
    actual: Decimal | None
    actual_period: int | None
    target: Decimal | None
    progress: Decimal | None
    capped_progress: Decimal | None
    status: Status
    baseline_missing: bool
    rating: str | None
    trend: Trend | None
