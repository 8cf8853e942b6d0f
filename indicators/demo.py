"""The demo's calendar: illustrative figures dated relative to today, so the demo always looks current.

A demo dated FY2013-FY2016 would show every worklist item ten years overdue. The demo fixture
(fixtures/demo_indicators.json) therefore names periods by their place relative to the day it is
loaded: "Y0" is the last fiscal year that has ended (FY2026 on 1 December 2026, the Cities Alliance
fiscal year running July to June), "Y-3" three years before it, "Y+1" the fiscal year under way;
"Q0" is the quarter under way and "Q-1" the last quarter that has ended. Dates are written
"today-30", "today+45" or "Y-3:end"; text may quote a period as "{Y0}". Pure: no ORM.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .periods import QUARTER, YEAR, PeriodSpec, fiscal_year_of

_TOKEN = re.compile(r"^(Y|Q)([+-]\d+|0)$")
_DATE = re.compile(r"^(?:today([+-]\d+)|(Y[+-]?\d+|Q[+-]?\d+):(start|end))$")
_IN_TEXT = re.compile(r"\{((?:Y|Q)(?:[+-]\d+|0))\}")
_PERIOD_KEYS = {"period"}
_DATE_KEYS = {"due_date", "as_of"}


@dataclass(frozen=True)
class DemoCalendar:
    today: date

    @property
    def latest_year(self) -> int:
        """The last fiscal year that has ended: Y0."""
        return fiscal_year_of(self.today) - 1

    def spec(self, token: str) -> PeriodSpec:
        match = _TOKEN.match(token.strip())
        if not match:
            raise ValueError(f"{token!r} is not a demo period: write Y0, Y-3, Y+1, Q0 or Q-2.")
        kind, offset = match.group(1), int(match.group(2))
        if kind == "Y":
            return PeriodSpec(YEAR, self.latest_year + offset, 0)
        fiscal_year = fiscal_year_of(self.today)
        index = fiscal_year * 4 + ((self.today.month - 7) % 12) // 3 + offset  # quarters since year 0
        return PeriodSpec(QUARTER, index // 4, index % 4 + 1)

    def label(self, token: str) -> str:
        return self.spec(token).label

    @property
    def years(self) -> list[str]:
        """The demo's four fiscal years, oldest first: the baseline year Y-3, then Y-2, Y-1 and Y0."""
        return [self.label(f"Y{n}") for n in (-3, -2, -1, 0)]

    @property
    def current_year(self) -> str:
        return self.label("Y+1")

    def day(self, text: str) -> date:
        match = _DATE.match(text.strip())
        if not match:
            return date.fromisoformat(text)
        if match.group(1) is not None:
            return self.today + timedelta(days=int(match.group(1)))
        spec = self.spec(match.group(2))
        return spec.start if match.group(3) == "start" else spec.end

    def text(self, text: str) -> str:
        return _IN_TEXT.sub(lambda m: self.label(m.group(1)), text)

    def resolve(self, value, key: str = ""):
        """The fixture with every period token, date and quoted period made concrete."""
        if isinstance(value, dict):
            return {k: self.resolve(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, key) for v in value]
        if isinstance(value, str):
            if key in _PERIOD_KEYS and _TOKEN.match(value.strip()):
                return self.label(value)
            if key in _DATE_KEYS and value:
                return self.day(value).isoformat()
            return self.text(value)
        return value



def fiscal_years_used(data) -> tuple[int, int]:
    """The first and last fiscal years the periods of a resolved fixture fall in."""
    years = {int(match) for match in re.findall(r"\bFY(\d{4})", repr(data))}
    return min(years), max(years)


def demo_calendar(today: date | None = None) -> DemoCalendar:
    """The calendar the demo is loaded with (today's date unless one is given)."""
    if today is None:
        from django.utils import timezone  # only for the date: the module stays free of the ORM

        today = timezone.localdate()
    return DemoCalendar(today=today)
