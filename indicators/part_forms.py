"""The grid of parts under a target's or a measurement's total (issue 14): one row per value of each
dimension the indicator is split by; a count's part is one number, a percentage's part a numerator
and a denominator. The form asks the same check as the services (services.parts.parts_plan, which
asks rules.check_parts), and shows its message on the dimension's rows."""
from dataclasses import dataclass

from crispy_forms.layout import HTML, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from . import rules, validation
from .models import Indicator
from .services.parts import PartInput, indicator_dimension_values, parts_plan, stored_parts

PART_WORDS = {"value": gettext_lazy("value"), "numerator": gettext_lazy("numerator"),
              "denominator": gettext_lazy("denominator")}
GRID = HTML('{% include "indicators/_parts_grid.html" %}')


@dataclass
class GridRow:
    value: object  # the DimensionValue
    fields: list  # bound fields: [value] or [numerator, denominator]


@dataclass
class GridDimension:
    name: str
    rows: list

    @property
    def errors(self) -> list[str]:
        return [e for row in self.rows for f in row.fields for e in f.errors]


def _plain(number) -> str:
    return "" if number is None else f"{number.normalize():f}"


class PartsMixin:
    """Call _part_fields(indicator, owner) at the end of __init__ (after the helper exists); in clean,
    _clean_parts(cleaned) before the total is checked."""
    dimension_values = ()  # none until _part_fields finds some
    percentage = False

    def _part_fields(self, indicator: Indicator, owner=None, *, total_from_parts: bool = True) -> None:
        disaggregable = indicator.measure in rules.DISAGGREGATED_MEASURES
        self.dimension_values = indicator_dimension_values(indicator) if disaggregable else []
        self.percentage = indicator.measure == Indicator.Measure.PERCENTAGE
        self._part_names = {}
        stored = stored_parts(owner) if owner is not None else {}
        for dv in self.dimension_values:
            part = stored.get(dv.pk, PartInput())
            names = (("numerator", "denominator") if self.percentage else ("value",))
            self._part_names[dv.pk] = [f"part-{dv.pk}-{n}" for n in names]
            for name, key in zip(names, self._part_names[dv.pk], strict=True):
                self.fields[key] = forms.CharField(required=False, max_length=40,
                                                   label=f"{dv.dimension.name}, {dv.name}: {PART_WORDS[name]}")
                self.initial.setdefault(key, _plain(getattr(part, name)))
        if not self.dimension_values:
            return
        if self.percentage and total_from_parts and "value" in self.fields:
            self.fields["value"].required = False
            self.fields["value"].help_text += " Leave it empty to take it from the parts below."
        names = [n for n in self.fields if not n.startswith("part-")]
        at = names.index("value") + 1 if "value" in names else len(names)
        self.helper.layout = Layout(*names[:at], GRID, *names[at:])

    @property
    def part_grid(self) -> list[GridDimension]:
        dims: dict[str, GridDimension] = {}
        for dv in self.dimension_values:
            dim = dims.setdefault(dv.dimension.name, GridDimension(dv.dimension.name, []))
            dim.rows.append(GridRow(dv, [self[k] for k in self._part_names[dv.pk]]))
        return list(dims.values())

    def _clean_parts(self, cleaned) -> dict | None:
        """{value id: PartInput} from the grid (None when the indicator has no dimensions)."""
        if not self.dimension_values:
            return None
        parts = {}
        for dv in self.dimension_values:
            numbers = []
            for key in self._part_names[dv.pk]:
                raw = (cleaned.get(key) or "").strip()
                number = None
                if raw:
                    try:
                        number = validation.parse_decimal(raw)
                    except ValidationError as exc:
                        self.add_error(key, f"{dv.dimension.name}, {dv.name}: {' '.join(exc.messages)}")
                numbers.append(number)
            parts[dv.pk] = (PartInput(numerator=numbers[0], denominator=numbers[1]) if self.percentage
                            else PartInput(value=numbers[0]))
        return parts

    def _check_parts(self, indicator: Indicator, total, parts) -> None:
        """The services' check, on the grid: a dimension's message goes on its first row."""
        if parts is None or self.errors:
            return
        try:
            parts_plan(indicator=indicator, total=total, parts=parts, stored={})
        except ValidationError as exc:
            self.add_part_errors(exc)

    def add_part_errors(self, exc: ValidationError) -> ValidationError | None:
        """Put the "parts:<dimension>" messages on the grid; return what is left for the form's top."""
        if not hasattr(exc, "error_dict"):
            return exc
        rest = {}
        for key, errors in exc.error_dict.items():
            dim = key.split(":", 1)[1] if key.startswith("parts:") else None
            first = next((self._part_names[dv.pk][0] for dv in self.dimension_values
                          if dv.dimension.name == dim), None) if dim else None
            if first:
                for error in errors:
                    self.add_error(first, " ".join(error.messages))
            else:
                rest[key] = errors
        return ValidationError(rest) if rest else None
