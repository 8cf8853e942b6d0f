"""What every write of the indicators app shares: the audit stamp, permissions, optimistic
concurrency (the `version` a form was loaded with), and saving with full_clean.

A stale edit raises ConflictError listing the current values instead of overwriting someone
else's work. The acting user is stamped on the audit history (`history_user`) so history is right
outside requests too (commands, tests).
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from results import programmes

from .. import validation


class ConflictError(ValidationError):
    """Someone saved the record after the caller loaded it. `current` holds the values now stored."""

    def __init__(self, message: str, *, current: dict, current_version: int):
        super().__init__(message, code="conflict")
        self.current = current
        self.current_version = current_version


def stamp(obj, by, reason: str = "") -> None:
    """Who did it and why, for django-simple-history."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason


def require_perm(by, perm: str, what: str) -> None:
    if by is None or not by.has_perm(perm):
        raise PermissionDenied(_("You may not %(what)s.") % {"what": what})


def require_in_programme(by, action: str, subject, what: str) -> None:
    """A programme role works in its own programme only (results/programme_rules.py): every write path
    (forms, the spreadsheet import, the API) comes through here. Organisation-wide roles are not
    looked up: they write as before."""
    if by is None or not programmes.standing_of(by).has_programme_role or programmes.everywhere(by, action):
        return
    # `subject`: an indicator, or the result one is created under or moved to.
    framework_id = subject.framework_id if hasattr(subject, "framework_id") else subject.result.framework_id
    place = programmes.place_of_framework_id(framework_id)
    if place is None or not programmes.may(by, action, place):
        raise PermissionDenied(_("You may not %(what)s for %(code)s: it is not in your programme.") % {
            "what": what, "code": subject.code})


def username(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def current_values(obj, fields) -> dict:
    """The stored values, as the user reads them ("Value": "1,200 cities"), for a conflict message."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if name == "period":
            value = obj.period.label if obj.period_id else "—"
        elif name == "value" and hasattr(obj, "measure"):
            unit = obj.indicator.unit if hasattr(obj, "indicator") else ""
            value = validation.format_figure(measure=obj.measure or "number", value=value, unit=unit)
        elif hasattr(obj, f"get_{name}_display") and value:
            value = getattr(obj, f"get_{name}_display")()
        elif value in (None, ""):
            value = "—"
        label = str(obj._meta.get_field(name).verbose_name)
        values[label[:1].upper() + label[1:]] = value
    return values


def check_version(fresh, version, *, noun: str, fields) -> None:
    """Optimistic concurrency: the caller's `version` must be the stored one."""
    if version is not None and int(version) == fresh.version:
        return
    last = fresh.history.select_related("history_user").first()
    current = current_values(fresh, fields)
    words = {"noun": noun, "listing": "; ".join(f"{k}: {v}" for k, v in current.items())}
    if last:
        words.update(user=username(last.history_user), time=f"{timezone.localtime(last.history_date):%d %b %Y %H:%M}")
        message = _("%(noun)s was changed by %(user)s at %(time)s after you opened it, so your changes were not "
                    "saved. Current values: %(listing)s. Check them, then save again if yours should replace them.")
    else:
        message = _("%(noun)s was changed after you opened it, so your changes were not saved. Current values: "
                    "%(listing)s. Check them, then save again if yours should replace them.")
    raise ConflictError(
        message % words,
        current=current, current_version=fresh.version,
    )


def bump(obj) -> None:
    obj.version = (obj.version or 0) + 1


def save(obj) -> None:
    """full_clean, then save; a constraint race (two creators at once) becomes a clear message."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(_("%(record)s could not be saved: it conflicts with a record saved at the same moment "
                                "(%(error)s). Reload and try again.") % {
                                    "record": obj, "error": exc.__class__.__name__}) from exc


def changed_fields(obj, values: dict) -> dict:
    """The subset of `values` that differs from what `obj` stores: a form saved unchanged writes
    nothing (no new version, no history row)."""
    return {name: value for name, value in values.items() if getattr(obj, name) != value}


def figure_text(indicator, value, rating) -> str:
    return validation.format_figure(measure=indicator.measure, value=value, rating=rating, unit=indicator.unit)
