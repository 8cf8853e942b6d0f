"""Reporting periods on the Cities Alliance fiscal year (July to June). Pure: no ORM.

FY2013 runs from 1 July 2012 to 30 June 2013. Halves and quarters nest inside a fiscal year:
H1 = July-December, Q1 = July-September. Labels: "FY2013", "FY2013-H1", "FY2013-Q3".
"""
import re
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

YEAR, HALF, QUARTER = "year", "half", "quarter"
_LABEL = re.compile(r"^\s*FY\s*(\d{2}|\d{4})(?:\s*[-/ ]?\s*(H|Q)\s*([1-4]))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    fiscal_year: int
    number: int  # 0 for a year, 1-2 for a half, 1-4 for a quarter

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return f"FY{self.fiscal_year}"
        return f"FY{self.fiscal_year}-{'H' if self.kind == HALF else 'Q'}{self.number}"

    @property
    def months(self) -> int:
        return {YEAR: 12, HALF: 6, QUARTER: 3}[self.kind]

    @property
    def start(self) -> date:
        offset = 0 if self.kind == YEAR else (self.number - 1) * self.months  # months after 1 July
        month0 = 6 + offset  # zero-based month index from January of the previous calendar year
        return date(self.fiscal_year - 1 + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> date:
        month0 = 6 + (0 if self.kind == YEAR else (self.number - 1) * self.months) + self.months
        year, month = self.fiscal_year - 1 + month0 // 12, month0 % 12 + 1
        return date.fromordinal(date(year, month, 1).toordinal() - 1)

    @property
    def parent(self) -> "PeriodSpec | None":
        if self.kind == YEAR:
            return None
        if self.kind == HALF:
            return PeriodSpec(YEAR, self.fiscal_year, 0)
        return PeriodSpec(HALF, self.fiscal_year, (self.number + 1) // 2)


def parse_period_label(text: str) -> PeriodSpec:
    """"FY2014", "fy14", "FY2014 Q3", "FY2014-H1" -> PeriodSpec. ValueError with a clear message."""
    match = _LABEL.match(str(text or ""))
    if not match:
        raise ValueError(_("%(text)s is not a reporting period: write FY2014, FY2014-H1 or FY2014-Q3.") % {
            "text": repr(text)})
    year = int(match.group(1))
    if year < 100:
        year += 2000
    if not 1990 <= year <= 2100:
        raise ValueError(_("%(text)s: fiscal year %(year)s is out of range.") % {"text": repr(text), "year": year})
    letter, number = match.group(2), match.group(3)
    if letter is None:
        return PeriodSpec(YEAR, year, 0)
    number = int(number)
    if letter.upper() == "H":
        if number > 2:
            raise ValueError(_("%(text)s: a fiscal year has two halves, H1 and H2.") % {"text": repr(text)})
        return PeriodSpec(HALF, year, number)
    return PeriodSpec(QUARTER, year, number)


def fiscal_year_of(day: date) -> int:
    """The fiscal year a date falls in: 15 August 2012 is in FY2013."""
    return day.year + 1 if day.month >= 7 else day.year


PERIOD_NUMBERS = {YEAR: (0,), HALF: (1, 2), QUARTER: (1, 2, 3, 4)}
# "A quarter is numbered 1, 2, 3, 4": the kind in the reader's words.
KIND_WORDS = {YEAR: gettext_lazy("year"), HALF: gettext_lazy("half"), QUARTER: gettext_lazy("quarter")}


def check_period(*, label: str, kind: str, fiscal_year: int, number: int, start: date | None, end: date | None,
                 parent_label: str | None) -> dict[str, str]:
    """What a stored period gets wrong against the July-June calendar, field -> message ({} if nothing).

    Periods are reference data made by the system from a PeriodSpec; this is the check every path
    that stores one (model validation, the admin, a migration) asks, so a period labelled FY2021 but
    dated as FY2015, or ending in 2099, is refused wherever it comes from.
    """
    if kind not in PERIOD_NUMBERS:
        return {"kind": _("%(kind)s is not a kind of period: year, half or quarter.") % {"kind": repr(kind)}}
    if number not in PERIOD_NUMBERS[kind]:
        return {"number": _("A %(kind)s is numbered %(numbers)s, not %(number)s.") % {
            "kind": KIND_WORDS[kind], "numbers": ", ".join(map(str, PERIOD_NUMBERS[kind])), "number": number}}
    if not isinstance(fiscal_year, int) or not 1990 <= fiscal_year <= 2100:
        return {"fiscal_year": _("Fiscal year %(year)s is out of range (1990-2100).") % {"year": fiscal_year}}
    spec = PeriodSpec(kind, fiscal_year, number)
    problems = {}
    if label != spec.label:
        words = {"year": fiscal_year, "number": number, "label": spec.label, "stored": label}
        problems["label"] = (_("Fiscal year %(year)s is labelled %(label)s, not %(stored)s.") if kind == YEAR
                             else _("Half %(number)s of FY%(year)s is labelled %(label)s, not %(stored)s.")
                             if kind == HALF
                             else _("Quarter %(number)s of FY%(year)s is labelled %(label)s, not %(stored)s.")) % words
    if start != spec.start:
        problems["start"] = _("%(label)s starts on %(date)s, not %(stored)s.") % {
            "label": spec.label, "date": date_format(spec.start, "j F Y"), "stored": start}
    if end != spec.end:
        problems["end"] = _("%(label)s ends on %(date)s, not %(stored)s.") % {
            "label": spec.label, "date": date_format(spec.end, "j F Y"), "stored": end}
    wanted_parent = spec.parent.label if spec.parent else None
    if parent_label != wanted_parent:
        problems["parent"] = (
            _("%(label)s lies inside %(parent)s, not %(stored)s.") % {
                "label": spec.label, "parent": wanted_parent, "stored": parent_label or _("nothing")}
            if wanted_parent else
            _("A fiscal year lies inside no other period, not %(stored)s.") % {"stored": parent_label})
    return problems
