"""What every kind's planning shares: the plan that collects problems and row decisions, the facts
about the indicators and periods a file refers to (read in a few queries), and the checks of an
indicator code, a period and a figure cell.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators import services, validation
from indicators.models import Indicator, ReportingPeriod
from indicators.periods import HALF, QUARTER, YEAR, PeriodSpec

from ..cells import messages, show, shown_value, text
from ..columns import COLUMNS
from ..reading import Table
from ..report import Change, Problem, RowChange, Value


class Plan:
    """Collects problems and row decisions while a kind's rows are checked."""

    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.rows: list[RowChange] = []
        self.notes: list[str] = list(table.notes)
        self.bad_rows: set[int] = set()

    def problem(self, row: int, key: str, raw, message: str) -> None:
        self.problems.append(Problem(row, self.table.header(key) if key else "", show(raw), message))
        self.bad_rows.add(row)

    def describer(self, *, headers: dict | None = None, show: dict | None = None):
        """A function listing a new row's values (column header, value as shown), blanks left out:
        `headers` maps a value's key to its column's key, `show` a key to how its value is shown."""
        headers, show = headers or {}, show or {}
        order = {column.key: i for i, column in enumerate(COLUMNS[self.table.kind])}

        def describe(values: dict) -> list[Value]:
            keys = sorted((k for k, v in values.items() if v is not None and v != ""),
                          key=lambda k: order.get(headers.get(k, k), len(order)))
            return [Value(self.table.header(headers.get(k, k)), shown_value(show[k](values[k]) if k in show
                                                                            else values[k])) for k in keys]
        return describe

    def new(self, row: int, label: str, values: dict, describe, note: str = "") -> None:
        """A new row for the preview, its values shown through `describe`."""
        self.rows.append(RowChange(row, "new", label, note=note, new_values=values, describe=describe))

    def changes(self, before: dict, after: dict) -> list[Change]:
        """The preview's before/after of each column whose value differs."""
        return [Change(self.table.header(k), shown_value(before[k]), shown_value(after[k]))
                for k in after if before[k] != after[k]]


# ---- what the file refers to ----------------------------------------------------------------

class IndicatorFacts(NamedTuple):
    id: int
    code: str
    measure: str
    unit: str
    first: int  # the framework's first and last fiscal years
    last: int
    framework: str
    frequency: str = Indicator.Frequency.ANNUAL
    framework_id: int | None = None


def period_key(spec: PeriodSpec) -> tuple:
    """A period as a dictionary key (kind, fiscal year, number): cheaper to hash than the spec."""
    return (spec.kind, spec.fiscal_year, spec.number)


class Lookups:
    """The indicators and periods a file may name, each read once, in one query."""

    def __init__(self, *, enter_in: frozenset[int] | None = None):
        self._indicators = None
        self._periods = None
        # A programme role imports rows for its own programme's indicators only (results.programmes:
        # the frameworks the importing person may enter figures in; None: every framework).
        self.enter_in = enter_in

    @property
    def indicators(self) -> dict[str, IndicatorFacts]:
        if self._indicators is None:
            rows = Indicator.objects.values_list(
                "id", "code", "measure", "unit", "result__framework__first_fiscal_year",
                "result__framework__last_fiscal_year", "result__framework__name", "frequency",
                "result__framework_id", named=True)
            self._indicators = {
                r.code: IndicatorFacts(r.id, r.code, r.measure, r.unit, r.result__framework__first_fiscal_year,
                                       r.result__framework__last_fiscal_year, r.result__framework__name,
                                       r.frequency, r.result__framework_id)
                for r in rows}
        return self._indicators

    @property
    def periods(self) -> dict[tuple, int]:
        """period_key -> id, for every stored period (a few dozen rows)."""
        if self._periods is None:
            self._periods = {(r.kind, r.fiscal_year, r.number): r.id for r in
                             ReportingPeriod.objects.values_list("id", "kind", "fiscal_year", "number", named=True)}
        return self._periods

    def period_labels(self) -> dict[int, str]:
        return {pk: PeriodSpec(*key).label for key, pk in self.periods.items()}

    def ensure_periods(self, specs) -> dict[tuple, int]:
        """Create the missing reporting periods (with their parents) through the service the typed
        path uses; one service call per new period, never per row."""
        missing = {s for s in specs if period_key(s) not in self.periods}
        if missing:
            order = {YEAR: 0, HALF: 1, QUARTER: 2}
            for spec in sorted(missing, key=lambda s: (order[s.kind], s.fiscal_year, s.number)):
                services.period_get_or_create(spec=spec)
            self._periods = None
        return self.periods


# ---- checks of cells every kind has ---------------------------------------------------------

class ParsedPeriod(NamedTuple):
    spec: PeriodSpec | None
    message: str  # why there is no spec


class PeriodChecker:
    """Period labels parsed once per distinct text, and checked against the indicator's framework."""

    def __init__(self):
        self.parsed: dict = {}

    def check(self, raw, facts: IndicatorFacts) -> ParsedPeriod:
        parsed = self.parsed.get(raw)
        if parsed is None:
            if isinstance(raw, (date, datetime)):
                parsed = ParsedPeriod(None, "is a date, not a reporting period: write FY2014, FY2014-H1 or FY2014-Q3.")
            else:
                try:
                    parsed = ParsedPeriod(validation.parse_period(text(raw)), "")
                except ValidationError as exc:
                    parsed = ParsedPeriod(None, messages(exc))
            self.parsed[raw] = parsed
        if parsed.spec is None:
            return parsed
        problem = period_in_framework(parsed.spec, facts)
        return ParsedPeriod(None, problem) if problem else parsed  # the hot path allocates nothing


def period_in_framework(spec: PeriodSpec, facts: IndicatorFacts) -> str:
    """Period rule: a period lies within the fiscal years of the indicator's framework. "" if it does."""
    if not facts.first <= spec.fiscal_year <= facts.last:
        return _("%(period)s is outside %(framework)s, which covers %(first)s to %(last)s (%(code)s).") % {
            "period": spec.label, "framework": facts.framework, "first": f"FY{facts.first}",
            "last": f"FY{facts.last}", "code": facts.code}
    return ""


def figure_problems(plan: Plan, row: int, cells: dict, facts: IndicatorFacts, *, required: bool):
    """clean_figure on the row's value/rating columns; a rating typed in the Value column of a rated
    indicator is taken as the rating. None (and the problems on the plan) if the figure is wrong."""
    value, rating = cells.get("value"), cells.get("rating")
    if facts.measure == validation.RATING and rating is None and isinstance(value, str) \
            and not validation.NUMBER_PATTERN.match(value.replace(",", "")):
        value, rating = None, value
    try:
        return validation.clean_figure(measure=facts.measure, value=value, rating=rating, required=required)
    except ValidationError as exc:
        for key, problem_messages in exc.message_dict.items():
            column = key if key in ("value", "rating") else "value"
            plan.problem(row, column, cells.get(column), f"{facts.code}: {' '.join(problem_messages)}")
        return None


def indicator_of(plan: Plan, lookups: Lookups, row: int, cells: dict) -> IndicatorFacts | None:
    raw = cells.get("indicator_code")
    code = text(raw).upper()
    if not code:
        plan.problem(row, "indicator_code", raw, _("Enter the indicator's code."))
        return None
    facts = lookups.indicators.get(code)
    if facts is not None and lookups.enter_in is not None and facts.framework_id not in lookups.enter_in:
        # Another programme's indicator reads as unknown, as its page does (404); a corporate one too.
        facts = None
    if facts is None:
        plan.problem(row, "indicator_code", raw, (
            _("No indicator has the code %(code)s in your programme. Import the indicator first, or correct the code.")
            if lookups.enter_in is not None else
            _("No indicator has the code %(code)s. Import the indicator first, or correct the code.")) % {"code": code})
    return facts


def period_of(plan: Plan, checker: PeriodChecker, row: int, cells: dict, facts: IndicatorFacts, *,
              required=True) -> PeriodSpec | None:
    raw = cells.get("period")
    if raw is None:
        if required:
            plan.problem(row, "period", raw, _("Enter the period, e.g. FY2014 or FY2014-Q3."))
        return None
    parsed = checker.check(raw, facts)
    if parsed.spec is None:
        plan.problem(row, "period", raw, parsed.message)
    return parsed.spec


def duplicate(plan: Plan, seen: dict, key, row: int, column: str, raw, what: str) -> bool:
    """True (and a problem) if an earlier row of the file gives the same record."""
    first = seen.get(key)
    if first is not None:
        plan.problem(row, column, raw, _("Row %(row)s already gives %(what)s: keep one row for it.") % {
            "row": first, "what": what})
        return True
    seen[key] = row
    return False
