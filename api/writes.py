"""The API's writes: the one place in api/ that calls the indicators services.

The site's forms call the same functions (indicators.services.measurement_record, _submit,
_approve, _return), so a figure sent through the API passes exactly the rules a form does and
fails with the same messages, naming the field (turned into a 400 by api.errors). No rule is
written here: this module only turns request data into the services' keyword arguments. When the
services move to the new rulebook, this is the file to adapt.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators import services
from indicators.models import Indicator, Measurement

_WORDS = ("text", "evidence_url", "comment", "so_what")


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.select_related("result__framework").filter(code__iexact=code.strip()).first()
    if indicator is None:
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


def measurement_create(*, by, data: dict) -> Measurement:
    """A new measurement as a draft, submitted too when data["submit"]."""
    indicator = _indicator(data["indicator"])
    return services.measurement_record(indicator=indicator, period=data["period"], by=by, version=0,
                                       submit=data.get("submit", False), **_figures(data))


def measurement_update(*, measurement: Measurement, by, data: dict) -> Measurement:
    """Correct a draft or returned measurement, or start a revision of an approved one."""
    return services.measurement_record(
        indicator=measurement.indicator, period=measurement.period, by=by, version=data["version"],
        submit=data.get("submit", False), **_figures(data, current=measurement))


def measurement_submit(*, measurement: Measurement, by, version: int) -> Measurement:
    return services.measurement_submit(measurement=measurement, by=by, version=version)


def measurement_approve(*, measurement: Measurement, by, version: int) -> Measurement:
    return services.measurement_approve(measurement=measurement, by=by, version=version)


def measurement_return(*, measurement: Measurement, by, note: str, version: int) -> Measurement:
    return services.measurement_return(measurement=measurement, by=by, note=note, version=version)
