"""Parsing and checking of indicator values, ratings, periods and evidence files: the one place.

Forms, services and the spreadsheet importer all call these, so "45%", "1,200" or " 12 " mean the
same everywhere and a bad value gets the same message naming it. Pure: no ORM import; callers pass
plain facts (the indicator's measure, the framework's fiscal years).

Every function raises django.core.exceptions.ValidationError (a plain message, no field: callers
attach it to the field they are checking).
"""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citiesalliance.l10n import grouped, separators

from . import rules
from .periods import PeriodSpec, parse_period_label

NUMBER, PERCENTAGE, CURRENCY, YES_NO, RATING = "number", "percentage", "currency", "yes_no", "rating"
MEASURES = (NUMBER, PERCENTAGE, CURRENCY, YES_NO, RATING)

# The database column: 20 digits, 4 after the point.
MAX_DECIMAL_PLACES = 4
MAX_INTEGER_DIGITS = 16

# English names: what imports accept and the IATI export writes; RATING_LABELS are what a reader sees.
RATINGS = {"on_track": "On track", "needs_attention": "Needs attention", "off_track": "Off track"}
RATING_LABELS = {"on_track": gettext_lazy("On track"), "needs_attention": gettext_lazy("Needs attention"),
                 "off_track": gettext_lazy("Off track")}
_RATING_WORDS = {
    **{key: key for key in RATINGS},
    **{label.lower(): key for key, label in RATINGS.items()},
    "on track": "on_track", "green": "on_track",
    "needs attention": "needs_attention", "amber": "needs_attention", "yellow": "needs_attention",
    "off track": "off_track", "red": "off_track",
}
_YES = {"yes", "y", "true", "1", "1.0", "done", "achieved"}
_NO = {"no", "n", "false", "0", "0.0", "not achieved"}

# Thousands separators people type or paste: spaces (including no-break and thin spaces), _ and '.
# Commas and points are read by _marks_read: either may be the decimal mark.
_GROUPING = re.compile(r"[\s\u00a0\u202f_']")
_THREE_DIGITS = re.compile(r"^\d{3}$")


def _marks_read(text: str) -> str:
    """The number with its grouping taken out and a decimal point, in English and in the reader's
    format (issue 19): "1,234.5" and "1 234,5" and "1.234,5" are all 1234.5; "12,5" is 12.5. Only
    a lone mark before exactly three digits is ambiguous: "1,200" is 1200 and "1.200" is 1.2 for
    an English reader, the other way round where the decimal mark is a comma (French, Spanish,
    Portuguese)."""
    if "," in text and "." in text:  # both: the last one is the decimal mark
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    decimal_comma = separators()[0] == ","
    mark = "," if "," in text else "."
    pieces = text.split(mark)
    if len(pieces) == 1:
        return text
    if len(pieces) > 2:  # 1,200,000 or 1.200.000: grouping (anything else is refused as before)
        return "".join(pieces) if all(_THREE_DIGITS.match(p) for p in pieces[1:]) else text
    ambiguous = _THREE_DIGITS.match(pieces[1]) and pieces[0].lstrip("+-") not in ("", "0")
    grouping_mark = "." if decimal_comma else ","
    if ambiguous and mark == grouping_mark:
        return "".join(pieces)
    return f"{pieces[0]}.{pieces[1]}"
NUMBER_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

EVIDENCE_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".csv", ".txt",
    ".png", ".jpg", ".jpeg", ".gif",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# The words callers pass as `what` to parse_decimal, translated for "Enter a ...".
WHAT_WORDS = {"value": gettext_lazy("value"), "weight": gettext_lazy("weight"),
              "whole number": gettext_lazy("whole number")}


def _show(raw) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_decimal(raw, *, allow_percent_sign: bool = False, what: str | None = None) -> Decimal:
    """" 1,200 " -> Decimal("1200"); "45%" -> 45 when allowed; anything else: a message naming it."""
    if isinstance(raw, bool):
        raise ValidationError(_("%(text)s is not a number.") % {"text": _show(raw)})
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))  # the digits the user saw, not the binary expansion
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise ValidationError(_("Enter a %(what)s.") % {"what": WHAT_WORDS.get(what, what)}
                                  if what and what != "value" else _("Enter a value."))
        if text.endswith("%"):
            if not allow_percent_sign:
                raise ValidationError(_("%(text)s: a %% sign only belongs to a percentage.") % {"text": _show(raw)})
            text = text[:-1].strip()
        text = _marks_read(_GROUPING.sub("", text))
        if not NUMBER_PATTERN.match(text):
            raise ValidationError(_("%(text)s is not a number: write digits, e.g. 1200 or 12.5.") % {
                "text": _show(raw)})
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern above already refused it
            raise ValidationError(_("%(text)s is not a number.") % {"text": _show(raw)}) from None
    if not number.is_finite():
        raise ValidationError(_("%(text)s is not a finite number.") % {"text": _show(raw)})
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        normalized = number.normalize()
        if normalized.as_tuple().exponent < -MAX_DECIMAL_PLACES:
            raise ValidationError(_("%(text)s has more than %(places)s decimal places; round it.") % {
                "text": _show(raw), "places": MAX_DECIMAL_PLACES})
        number = normalized
    if abs(number) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValidationError(_("%(text)s is too large (at most %(digits)s digits before the decimal point).") % {
            "text": _show(raw), "digits": MAX_INTEGER_DIGITS})
    return number


def parse_rating(raw) -> str:
    """"On track", "on_track", "green" -> "on_track"."""
    text = re.sub(r"\s+", " ", str(raw or "").strip().lower().replace("-", " "))
    if not text:
        raise ValidationError(_("Choose a rating: on track, needs attention or off track."))
    key = _RATING_WORDS.get(text) or _RATING_WORDS.get(text.replace(" ", "_"))
    if key is None:
        raise ValidationError(_("%(text)s is not a rating: use on track, needs attention or off track.") % {
            "text": _show(raw)})
    return key


def parse_yes_no(raw) -> Decimal:
    text = str(raw if raw is not None else "").strip().lower()
    if text in _YES or raw is True:
        return Decimal(1)
    if text in _NO or raw is False:
        return Decimal(0)
    raise ValidationError(_("%(text)s is not yes or no.") % {"text": _show(raw)})


@dataclass(frozen=True)
class Figure:
    """A checked value: a number for numeric measures, a rating for qualitative indicators."""
    value: Decimal | None = None
    rating: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.rating


def clean_figure(*, measure: str, value=None, rating=None, required: bool = True) -> Figure:
    """Check a value (or rating) against an indicator's measure; the number rules in one place.

    Percentages are 0-100 (a trailing % is accepted), yes/no becomes 1 or 0, ratings are for
    qualitative indicators only and numbers never go with them.
    """
    if measure not in MEASURES:
        raise ValidationError(_("Unknown measure %(measure)s.") % {"measure": repr(measure)})
    blank_value = value is None or (isinstance(value, str) and not value.strip())
    blank_rating = rating is None or (isinstance(rating, str) and not rating.strip())
    if measure == RATING:
        if not blank_value:
            raise ValidationError({"value": _("This indicator is rated, not counted: choose a rating "
                                              "and leave the number empty.")})
        if blank_rating:
            if required:
                raise ValidationError({"rating": _("Choose a rating: on track, needs attention or off track.")})
            return Figure()
        try:
            return Figure(rating=parse_rating(rating))
        except ValidationError as exc:
            raise ValidationError({"rating": exc.messages}) from None
    if not blank_rating:
        raise ValidationError({"rating": _("Only qualitative indicators take a rating; enter a number.")})
    if blank_value:
        if required:
            raise ValidationError({"value": _("Enter a value.")})
        return Figure()
    try:
        if measure == YES_NO:
            return Figure(value=parse_yes_no(value))
        number = parse_decimal(value, allow_percent_sign=measure == PERCENTAGE)
        if measure == PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(_("%(text)s is not a percentage between 0 and 100.") % {"text": _show(value)})
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    return Figure(value=number)


def parse_period(raw) -> PeriodSpec:
    """"FY2014", "fy14", "FY2014-Q3" -> PeriodSpec, or a message naming the text."""
    try:
        return parse_period_label(raw)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def clean_period(raw, *, first_fiscal_year: int, last_fiscal_year: int,
                 framework: str | None = None) -> PeriodSpec:
    return rules.check_period_in_framework(parse_period(raw), first_fiscal_year=first_fiscal_year,
                                           last_fiscal_year=last_fiscal_year, framework=framework)


def check_evidence_file(*, name: str, size: int) -> None:
    """Evidence uploads: documents, spreadsheets and images only, at most 10 MB."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        allowed = ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))
        raise ValidationError(_("%(name)s: evidence must be one of these file types: %(allowed)s.") % {
            "name": _show(name), "allowed": allowed})
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_(
            "%(name)s is %(size)s MB; evidence files may be at most %(limit)s MB (link to larger documents "
            "instead).") % {"name": _show(name), "size": f"{size / 1024 / 1024:.1f}",
                            "limit": EVIDENCE_MAX_BYTES // 1024 // 1024})
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": _show(name)})


def format_figure(*, measure: str, value: Decimal | None, rating: str = "", unit: str = "") -> str:
    """How a value reads on a page: "1,200 cities", "45%", "Yes", "On track"."""
    if measure == RATING:
        return str(RATING_LABELS.get(rating, "—")) if rating else "—"
    if value is None:
        return "—"
    if measure == YES_NO:
        return _("Yes") if value == 1 else _("No")
    text = grouped(value)  # in the reader's format: 1 234,5 in French
    if measure == PERCENTAGE:
        return f"{text}%"
    return f"{text} {unit}".strip() if unit else text
