"""Cell values as people meant them: cleaning what a reader returns, and parsing the cells that
are not figures (dates, whole numbers, choices, levels, links). Figures, ratings and periods are
parsed by indicators.validation, the rules the forms and services use.

Pure: no database access.
"""
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from citiesalliance.formula_guard import unguard
from indicators import validation
from indicators.models import Baseline, Indicator, Measurement, Target
from results.levels import LADDER
from results.models import Result

from .columns import header_key


def clean_cell(value):
    """What an XLSX cell holds, as people meant it: stripped text (None if blank; a guarded cell of
    our CSV exports, saved as XLSX, without its guard), numbers without float noise, dates without a
    midnight time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\ufeff", "").replace("\u200b", "").strip()
        if value.startswith("'"):
            value = unguard(value)
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        text = repr(value)
        if "e" in text or len(text.split(".")[-1]) > validation.MAX_DECIMAL_PLACES:
            rounded = round(value, validation.MAX_DECIMAL_PLACES)
            if abs(rounded - value) <= 1e-9 * max(1.0, abs(value)):  # binary noise: 0.30000000000000004
                text = repr(rounded)
        return text
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def clean_text(value):
    """A CSV cell: stripped text, None if blank (the hot path: one call per cell read); a cell our
    exports guarded against formula injection ("'=...") as it was before the guard."""
    value = value.strip()
    if not value:
        return None
    if "\ufeff" in value or "\u200b" in value:
        value = value.replace("\ufeff", "").replace("\u200b", "").strip() or None
        if value is None:
            return None
    if value[0] == "'":
        value = unguard(value)
    return value


def percent_text(value) -> str:
    """A percentage-formatted XLSX number as the person typed it: 0.45 -> "45%"."""
    number = Decimal(repr(float(value))) * 100
    if not number.is_finite() or abs(number) >= Decimal(10) ** validation.MAX_INTEGER_DIGITS:
        # Too large to round to 6 places (quantize would raise): as it is, for the value checks to refuse.
        return f"{number:f}%"
    number = number.quantize(Decimal("0.000001")).normalize()
    return f"{number:f}%"


def show(raw) -> str:
    """A cell's value as a problem quotes it (at most 80 characters)."""
    if raw is None:
        return ""
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    text = str(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def text(raw) -> str:
    """A cell as text to store: "" for blank, yes/no for booleans, ISO dates."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    return str(raw).strip()


def shown_value(value) -> str:
    """A stored or imported value as the preview shows it: "—" for nothing, 1200 not 1200.0000."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def looks_numeric(value) -> bool:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"[+-]?[\d,.\s\u00a0%']+", str(value)))


# ---- dates ----------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(raw) -> date:
    """Excel dates, ISO dates, 30/06/2014 (day first, as in en-GB), 30 Jun 2014, June 30, 2014.
    03/04/2014 is refused: day and month cannot be told apart."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) or (
            isinstance(raw, str) and re.fullmatch(r"\d{5}(\.0+)?", raw)):
        serial = int(float(raw))
        if 20000 <= serial <= 80000:  # an Excel date serial that lost its format (1954-2119)
            return _EXCEL_EPOCH + timedelta(days=serial)
        raise ValidationError(_("is not a date: write 2014-06-30 or 30 Jun 2014."))
    typed = text(raw).lower().replace(",", " ").replace("  ", " ")
    typed = re.sub(r"\s+00:00(:00)?$", "", typed)
    try:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", typed)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", typed)
        if match:
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            if first <= 12 and second <= 12 and first != second:
                raise ValidationError(_(
                    "is ambiguous: is it %(one)s or %(other)s? Write %(iso)s or %(spelled)s.") % {
                        "one": f"{first} {_month_name(second)}", "other": f"{second} {_month_name(first)}",
                        "iso": f"{year}-{second:02d}-{first:02d}", "spelled": f"{first} {_month_name(second)} {year}"})
            if second > 12:  # month first: 06/30/2014
                first, second = second, first
            return date(year, second, first)
        match = re.fullmatch(r"(\d{1,2})[ \-]([a-z]+)\.?[ \-](\d{4})", typed)
        if match and match[2][:3] in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2][:3]], int(match[1]))
        match = re.fullmatch(r"([a-z]+)\.? (\d{1,2}) (\d{4})", typed)
        if match and match[1][:3] in _MONTHS:
            return date(int(match[3]), _MONTHS[match[1][:3]], int(match[2]))
    except ValueError:
        raise ValidationError(_("is not a real date.")) from None
    raise ValidationError(_("is not a date: write 2014-06-30 or 30 Jun 2014."))


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%b")


# ---- whole numbers, choices, levels, links --------------------------------------------------

def parse_int(raw, *, low=0, high=32767) -> int:
    number = validation.parse_decimal(raw, what="whole number")
    if number != number.to_integral_value():
        raise ValidationError(_("is not a whole number."))
    if not low <= number <= high:
        raise ValidationError(_("must be between %(low)s and %(high)s.") % {"low": low, "high": high})
    return int(number)


def choice_parser(choices, synonyms: dict | None = None):
    """A parser of one of `choices` (by value or label, any case or spacing) or a synonym."""
    table = {}
    with translation.override("en"):  # the English labels, whatever language is active at import time
        for value, label in choices:
            table[header_key(value)] = value
            table[header_key(str(label))] = value
    for word, value in (synonyms or {}).items():
        table[header_key(word)] = value
    allowed = ", ".join(str(v) for v, _label in choices)

    def parse(raw):
        key = header_key(raw)
        if key in table:
            return table[key]
        raise ValidationError(_("is not one of: %(allowed)s.") % {"allowed": allowed})
    return parse


parse_kind = choice_parser(Indicator.Kind.choices)
parse_measure = choice_parser(Indicator.Measure.choices, {
    "%": "percentage", "percent": "percentage", "yes/no": "yes_no", "yes no": "yes_no", "boolean": "yes_no",
    "count": "number", "money": "currency", "usd": "currency"})
parse_direction = choice_parser(Indicator.Direction.choices, {"up": "increase", "down": "decrease",
                                                              "higher is better": "increase",
                                                              "lower is better": "decrease"})
parse_aggregation = choice_parser(Indicator.Aggregation.choices, {"cumulative": "sum", "total": "sum",
                                                                  "latest value": "latest", "last": "latest",
                                                                  "mean": "average"})
parse_frequency = choice_parser(Indicator.Frequency.choices, {
    "yearly": "annual", "annually": "annual", "semi annual": "semiannual", "biannual": "semiannual",
    "half yearly": "semiannual", "twice yearly": "semiannual", "quarter": "quarterly"})
parse_baseline_status = choice_parser(Baseline.Status.choices)
parse_target_status = choice_parser(Target.Status.choices)
parse_measurement_status = choice_parser(Measurement.Status.choices)
parse_beneficiary = choice_parser(Result.Beneficiary.choices, {"urban poor": "clients_client",
                                                               "clients' client": "clients_client"})

_LEVELS = {}
for _info in LADDER.values():
    _LEVELS.update({header_key(_info.name): int(_info.level), header_key(_info.short): int(_info.level),
                    str(int(_info.level)): int(_info.level)})


def parse_level(raw) -> int:
    key = header_key(raw)
    if key in _LEVELS:
        return _LEVELS[key]
    raise ValidationError(_("is not a level: Impact, Outcome, Intermediate Outcome, Output or Activity."))


_url_validator = URLValidator(schemes=["http", "https"])
# Plain links (https://example.org/path) in one regex; it accepts a subset of what URLValidator does,
# which checks everything else (IP addresses, international names, user:password@...).
_PLAIN_URL = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?"
                        r"(?:[/?#][^\s]*)?", re.IGNORECASE)


def check_url(link: str) -> None:
    """ValidationError unless `link` is a full http(s) web link."""
    if _PLAIN_URL.fullmatch(link) and len(link.split("/", 3)[2]) <= 253:
        return
    _url_validator(link)
