"""The indicator page's history: every change to an indicator and its baseline, targets and
measurements, read from their historical tables (django-simple-history), newest first."""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from results.models import Result

from . import validation
from .models import Baseline, Indicator, Measurement, ReportingPeriod, Target


@dataclass
class HistoryEntry:
    when: object
    who: str
    subject: str
    action: str
    reason: str
    changes: list = field(default_factory=list)  # [(field label, old, new)]


_NOUNS = {"Indicator": gettext_lazy("Indicator"), "Baseline": gettext_lazy("Baseline"),
          "Target": gettext_lazy("Target"), "Measurement": gettext_lazy("Measurement")}
_ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}
# The reasons the services stamp on a change, stored in English and shown in the reader's language.
_REASONS = frozenset((
    gettext_noop("Approved"),
    gettext_noop("Baseline parts changed"),
    gettext_noop("Baseline parts recorded"),
    gettext_noop("Baseline planned"),
    gettext_noop("Baseline recorded"),
    gettext_noop("Baseline updated"),
    gettext_noop("Change approved"),
    gettext_noop("Change proposed"),
    gettext_noop("Change returned"),
    gettext_noop("Computation changed"),
    gettext_noop("Computation removed"),
    gettext_noop("Dimension defined"),
    gettext_noop("Dimension value defined"),
    gettext_noop("Indicator created"),
    gettext_noop("Indicator edited"),
    gettext_noop("Measurement drafted"),
    gettext_noop("Measurement edited"),
    gettext_noop("Returned for revision"),
    gettext_noop("Submitted for review"),
    gettext_noop("Target approved"),
    gettext_noop("Target changed"),
    gettext_noop("Target proposed"),
    gettext_noop("Target returned for revision"),
    gettext_noop("Target revised"),
))
_HIDDEN = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
           "indicator", "measure", "version"}


def _reason(stored: str) -> str:
    return _(stored) if stored in _REASONS else stored


def history_entries(indicator: Indicator, *, approved_only: bool = False) -> list[HistoryEntry]:
    """Every change to the indicator and its baseline, targets and measurements, newest first.

    approved_only (a reader who enters no data): of targets and measurements, only the approvals,
    so that drafts and proposals never show. At most seven queries (one per history table, then the
    user, period and result names)."""
    sources = [
        ("Indicator", Indicator.history.filter(id=indicator.pk)),
        ("Baseline", Baseline.history.filter(indicator_id=indicator.pk)),
        ("Target", Target.history.filter(indicator_id=indicator.pk)),
        ("Measurement", Measurement.history.filter(indicator_id=indicator.pk)),
    ]
    records = []
    for noun, qs in sources:
        rows = list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        records.append((noun, rows))
    user_ids, period_ids, result_ids = set(), set(), set()
    for _noun, rows in records:
        for r in rows:
            for name in ("responsible_id", "collected_by_id", "proposed_by_id", "approved_by_id",
                         "created_by_id", "submitted_by_id", "reviewed_by_id"):
                if getattr(r, name, None):
                    user_ids.add(getattr(r, name))
            if getattr(r, "period_id", None):
                period_ids.add(r.period_id)
            if getattr(r, "result_id", None):
                result_ids.add(r.result_id)
    names = {}
    if user_ids:
        names = {u.pk: (u.get_full_name() or u.username)
                 for u in get_user_model().objects.filter(pk__in=user_ids)}
    periods = {}
    if period_ids:
        periods = dict(ReportingPeriod.objects.filter(pk__in=period_ids).values_list("pk", "label"))

    results = {}
    if result_ids:
        results = dict(Result.objects.filter(pk__in=result_ids).values_list("pk", "code"))

    def shown(model_field, value):
        if value in (None, ""):
            return "—"
        if model_field.is_relation:
            if model_field.related_model is ReportingPeriod:
                return periods.get(value, value)
            if model_field.related_model is Result:
                return results.get(value, value)
            return names.get(value, value)
        if model_field.choices:
            return dict(model_field.choices).get(value, value)
        if isinstance(value, Decimal):
            return validation.format_figure(measure="number", value=value)
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return date_format(value, "DATE_FORMAT")
        return value

    entries = []
    for noun, rows in records:
        previous_by_object = {}
        for r in rows:
            if approved_only and noun in ("Target", "Measurement") and r.status != "approved":
                continue
            fields = [f for f in r._meta.fields if f.name not in _HIDDEN]
            before = previous_by_object.get(r.id)
            changes = []
            for f in fields:
                new = getattr(r, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is None and new in (None, ""):
                    continue
                if before is not None and old == new:
                    continue
                label = str(f.verbose_name)
                was = shown(f, old) if before is not None and old not in (None, "") else ""
                changes.append((label[:1].upper() + label[1:], was, shown(f, new)))
            previous_by_object[r.id] = r
            subject = str(_NOUNS[noun])
            if noun in ("Target", "Measurement") and r.period_id:
                subject = f"{subject} {periods.get(r.period_id, '')}"
                if noun == "Measurement" and getattr(r, "revision", 1) > 1:
                    subject += " " + _("(revision %(revision)s)") % {"revision": r.revision}
            action = str(_ACTIONS[r.history_type])
            user = r.history_user
            entries.append(HistoryEntry(
                when=r.history_date, who=(user.get_full_name() or user.username) if user else _("system"),
                subject=subject, action=action, changes=changes,
                reason=_reason(r.history_change_reason or ""),
            ))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


