"""Figures in the reader's format (issue 19): 1,234.5 in English, 1 234,5 in French, 1.234,5 in
Spanish and Portuguese, under the active language. Every page, export and PDF that writes a number
by hand goes through here, so the formats never disagree.

The separators are the active language's Django formats (citiesalliance/formats/ overrides
Spanish); the grouping is by thousands, as in all four languages. Python groups the digits and the
marks are swapped: a 2,000-row scorecard writes some 8,000 figures, and this is several times
cheaper than django.utils.formats.number_format while giving the same text.
"""
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import get_language

_SEPARATORS: dict[str | None, tuple[str, str]] = {}


def separators() -> tuple[str, str]:
    """(decimal mark, thousands separator) of the active language, looked up once per language
    (get_format costs some 25 µs a call, five times the figure's own formatting)."""
    language = get_language()
    found = _SEPARATORS.get(language)
    if found is None:
        found = _SEPARATORS[language] = (get_format("DECIMAL_SEPARATOR", use_l10n=True),
                                         get_format("THOUSAND_SEPARATOR", use_l10n=True))
    return found


def grouped(value: Decimal | int, marks: tuple[str, str] | None = None) -> str:
    """A number with the active language's decimal mark and thousands grouping (always grouped,
    whatever USE_THOUSAND_SEPARATOR says: that setting would also group years in templates).
    Trailing zeros go: 1234.50 is 1,234.5. `marks`: separators() read once by a caller writing many
    figures (reading the active language costs more than writing the figure)."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        text = f"{value:,f}"
    else:
        text = f"{value:,}"
    decimal, thousand = marks or separators()
    if decimal == "." and thousand == ",":
        return text
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousand)
