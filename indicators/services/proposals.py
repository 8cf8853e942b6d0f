"""Proposed changes to what scores approved figures (indicators.rules: the result and weight of an
indicator, its baseline's value, period, as-of date and status once it has approved measurements).

A proposal stores the new values as JSON (`changes`) and, for the reviewer, each field's before and
after as the proposer saw them (`shown`). A baseline's parts travel as `changes["parts"]` (one
"Dimension: value" row each in `shown`), so no column of their own is needed. Nothing else changes until a manager approves it
(services.reviews), so every page, export and edition keeps reading the approved state.
"""
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from results.models import Result

from .. import rules, validation
from ..models import Baseline, Indicator, Proposal, ReportingPeriod
from .common import save, stamp, username
from .parts import decode_parts, encode_parts, parts_compared

_LABELS = {"result": "Result", "weight": "Weight", "value": "Value", "text": "Baseline (in words)",
           "period": "Period", "as_of": "As of", "status": "Status"}


def encode(changes: dict) -> dict:
    """Model values to JSON: related objects by primary key, decimals and dates as text."""
    out = {}
    for name, value in changes.items():
        if name == "parts":  # a baseline's parts (services.parts)
            value = encode_parts(value)
        elif isinstance(value, (Result, ReportingPeriod)):
            value = value.pk
        elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def decode(subject: str, changes: dict) -> dict:
    """JSON back to model values (the inverse of encode)."""
    out = {}
    for name, value in changes.items():
        if value is not None:
            if name == "parts":
                value = decode_parts(value)
            elif name in ("result", "period"):
                model = Result if name == "result" else ReportingPeriod
                found = model.objects.filter(pk=value).first()
                if found is None:  # deleted while the proposal waited: it can only be returned
                    raise ValidationError({name: _("The %(field)s this change proposes no longer exists; return the "
                                                   "proposal.") % {"field": str(_LABELS[name]).lower()}})
                value = found
            elif name in ("weight", "value"):
                value = Decimal(value)
            elif name == "as_of":
                value = date.fromisoformat(value)
        out[name] = value
    return out


def _shown_value(indicator: Indicator, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "result":
        return value.code
    if name == "value":
        return validation.format_figure(measure=indicator.measure, value=Decimal(str(value)), unit=indicator.unit)
    if name == "weight":
        return validation.format_figure(measure="number", value=Decimal(str(value)))
    if name == "status":
        return Baseline.Status(value).label
    if name == "as_of":
        return f"{value:%d %b %Y}"
    return str(value)


def _shown(indicator: Indicator, before: dict, changes: dict) -> list:
    """What the proposal changes, as stored (JSON) for the history: in English, whoever proposed it,
    like every stored record (translation.override: the labels and figures are translatable)."""
    with translation.override("en"):
        return [row for n, v in changes.items() for row in (
            parts_compared(indicator, before.get(n) or {}, v) if n == "parts"  # a row per part that changes
            else [[str(_LABELS.get(n, n)), str(_shown_value(indicator, n, before.get(n))),
                   str(_shown_value(indicator, n, v))]])]


def proposal_open(*, indicator: Indicator, subject: str, changes: dict, before: dict | None = None,
                  reason: str, by) -> Proposal:
    """Record a change for review. `before` holds the current values of the changed fields (read
    from the indicator itself when not given)."""
    open_one = (Proposal.objects.filter(indicator=indicator, subject=subject, status=Proposal.Status.PROPOSED)
                .select_related("proposed_by").first())
    rules.check_no_open_proposal(open_by=username(open_one.proposed_by) if open_one else None,
                                 code=indicator.code, subject=subject)
    before = before if before is not None else {name: getattr(indicator, name) for name in changes}
    proposal = Proposal(
        indicator=indicator, subject=subject, changes=encode(changes), reason=reason.strip(),
        shown=_shown(indicator, before, changes),
        proposed_by=by, proposed_at=timezone.now())
    stamp(proposal, by, "Change proposed")
    save(proposal)
    return proposal


__all__ = ["proposal_open", "encode", "decode"]
