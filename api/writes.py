"""The API's writes: the one place in api/ that calls the indicators services.

The site's forms call the same functions (indicators.services.measurement_record, _submit,
_approve, _return), so a figure sent through the API passes exactly the rules a form does and
fails with the same messages, naming the field (turned into a 400 by api.errors). No rule is
written here: this module only turns request data into the services' keyword arguments. When the
services move to the new rulebook, this is the file to adapt.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators import services, validation
from indicators.dimensions import DimensionValue
from indicators.models import Indicator, Measurement
from indicators.services.parts import PartInput
from results import programmes
from results.programme_rules import SEE

_WORDS = ("text", "evidence_url", "comment", "so_what")


def _indicator(code: str, by=None) -> Indicator:
    indicator = Indicator.objects.select_related("result__framework").filter(code__iexact=code.strip()).first()
    # Another programme's indicator is unknown to a programme role, as on the site (a 404 there).
    if indicator is None or (by is not None and not programmes.may(by, SEE, programmes.place_of(
            indicator.result.framework))):
        raise ValidationError({"indicator": _("There is no indicator %(code)s.") % {"code": repr(code)}})
    return indicator


def _figures(data: dict, current: Measurement | None = None) -> dict:
    """The service's value/rating/words arguments; on an update, omitted fields keep their value."""
    fields = {}
    for name in ("value", "rating") + _WORDS:
        if name in data:
            fields[name] = data[name] if data[name] is not None else ""
        elif current is not None:
            stored = getattr(current, name)
            fields[name] = (f"{stored.normalize():f}" if name == "value" and stored is not None
                            else ("" if stored is None else stored))
    for name in ("value", "rating"):
        if fields.get(name) == "":
            fields[name] = None
    return fields


def _number(raw, field: str, label: str, errors: dict):
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return validation.parse_decimal(raw)
    except ValidationError as exc:
        errors[field] = f"{label}: {' '.join(exc.messages)}"
        return None


def _parts(indicator: Indicator, rows: list[dict] | None) -> dict | None:
    """The services' {value id: PartInput} from the body's parts (None when it sends none). Only the
    slugs and numbers are read here; whether they add up, and whether the indicator is split by
    the value's dimension, is the services' check (services.parts, rules.check_parts)."""
    if rows is None:
        return None
    slugs = {row["dimension_value"].strip().lower() for row in rows}
    found = {v.slug: v for v in DimensionValue.objects.filter(slug__in=slugs).select_related("dimension")}
    errors, parts = {}, {}
    percentage = indicator.measure == Indicator.Measure.PERCENTAGE
    for i, row in enumerate(rows):
        where = f"parts[{i}]"
        slug = row["dimension_value"].strip().lower()
        value = found.get(slug)
        if value is None:
            errors[f"{where}.dimension_value"] = _("There is no dimension value %(value)s.") % {
                "value": repr(row["dimension_value"])}
            continue
        dimension = (row.get("dimension") or "").strip().lower()
        if dimension and dimension != value.dimension.slug:
            errors[f"{where}.dimension"] = _("%(value)s is a value of %(dimension)s, not of %(given)s.") % {
                "value": f"{value.dimension.name}: {value.name}", "dimension": repr(value.dimension.slug),
                "given": repr(row["dimension"])}
            continue
        if value.pk in parts:
            errors[f"{where}.dimension_value"] = _("%(value)s: given twice; send each value's part once.") % {
                "value": value}
            continue
        if percentage and row.get("value") not in (None, ""):
            errors[f"{where}.value"] = _("%(value)s: %(code)s is a percentage; give its part as numerator and "
                                         "denominator (the value is recomputed from them).") % {
                "value": value, "code": indicator.code}
            continue
        figures = {name: _number(row.get(name), f"{where}.{name}", str(value), errors)
                   for name in ("value", "numerator", "denominator")}
        parts[value.pk] = PartInput(**figures)
    if errors:
        raise ValidationError(errors)
    return parts


def measurement_create(*, by, data: dict) -> Measurement:
    """A new measurement as a draft, submitted too when data["submit"]."""
    indicator = _indicator(data["indicator"], by)
    return services.measurement_record(indicator=indicator, period=data["period"], by=by, version=0,
                                       submit=data.get("submit", False), parts=_parts(indicator, data.get("parts")),
                                       **_figures(data))


def measurement_update(*, measurement: Measurement, by, data: dict) -> Measurement:
    """Correct a draft or returned measurement, or start a revision of an approved one."""
    return services.measurement_record(
        indicator=measurement.indicator, period=measurement.period, by=by, version=data["version"],
        submit=data.get("submit", False), parts=_parts(measurement.indicator, data.get("parts")),
        **_figures(data, current=measurement))


def measurement_submit(*, measurement: Measurement, by, version: int) -> Measurement:
    return services.measurement_submit(measurement=measurement, by=by, version=version)


def measurement_approve(*, measurement: Measurement, by, version: int) -> Measurement:
    return services.measurement_approve(measurement=measurement, by=by, version=version)


def measurement_return(*, measurement: Measurement, by, note: str, version: int) -> Measurement:
    return services.measurement_return(measurement=measurement, by=by, note=note, version=version)
