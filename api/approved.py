"""The approved state of targets and measurements: what may leave the system.

A measurement or target carries its last approved figures in approved_value / approved_rating /
approved_at, so a revision under way never changes what the scorecard counts. The words and the
evidence that went with those figures (comment, "so what?", evidence, a target's rationale) are
working fields, though: during a revision they hold the officer's unapproved draft. Everything the
API and the IATI export publish as approved therefore reads those words from the row itself only
while it is approved, and otherwise from its last approved record in the audit history
(django-simple-history): one query for a whole page or framework, whatever its size. A row approved
outside the workflow without history (a bulk load) keeps its figures and publishes no words.

The approved parts of a figure (issue 14) are on its part rows (approved_value, approved_numerator,
approved_denominator), kept through a revision as the total's are; they are read from the rows'
`parts`, which the caller prefetches (with dimension_value__dimension) so that a page costs one
query more, whatever its size.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from indicators.models import Measurement, Target


@dataclass(frozen=True)
class ApprovedPart:
    """One dimension value's approved share of a total: a value, or for a percentage numerator and
    denominator too (the value is then numerator / denominator x 100)."""
    dimension: str  # the dimension's name, "Sex"
    dimension_slug: str
    name: str  # the value's name, "female"
    slug: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def approved_parts(row) -> tuple[ApprovedPart, ...]:
    """The approved parts of a target or measurement (its prefetched `parts`), in the dimensions' order."""
    return tuple(
        ApprovedPart(dimension=p.dimension_value.dimension.name, dimension_slug=p.dimension_value.dimension.slug,
                     name=p.dimension_value.name, slug=p.dimension_value.slug, value=p.approved_value,
                     numerator=p.approved_numerator, denominator=p.approved_denominator)
        for p in row.parts.all() if p.approved_value is not None or p.approved_numerator is not None)


@dataclass(frozen=True)
class ApprovedMeasurement:
    pk: int
    indicator_id: int
    period_id: int
    value: Decimal | None
    rating: str
    approved_at: datetime
    under_revision: bool
    comment: str = ""
    so_what: str = ""
    text: str = ""
    evidence_url: str = ""
    # The evidence file served today (indicators:evidence) is the approved one: a revision that
    # replaced the file keeps the approved file in storage but no public link to it.
    evidence_file: str = ""
    parts: tuple[ApprovedPart, ...] = ()


@dataclass(frozen=True)
class ApprovedTarget:
    pk: int
    indicator_id: int
    period_id: int
    value: Decimal | None
    rating: str
    approved_at: datetime
    under_revision: bool
    rationale: str = ""
    parts: tuple[ApprovedPart, ...] = ()


def _last_approved_records(model, ids) -> dict:
    """{object id: its most recent history record with status approved} in one query."""
    if not ids:
        return {}
    records = {}
    rows = (model.history.filter(id__in=ids, status="approved")
            .order_by("id", "-history_date", "-history_id"))
    for row in rows:
        records.setdefault(row.id, row)
    return records


def approved_measurements(measurements) -> list[ApprovedMeasurement]:
    """The approved state of each measurement that has one (others are left out), in the given order."""
    measurements = [m for m in measurements if m.approved_at is not None]
    revised = [m.pk for m in measurements if m.status != Measurement.Status.APPROVED]
    history = _last_approved_records(Measurement, revised)
    out = []
    for m in measurements:
        source = m if m.status == Measurement.Status.APPROVED else history.get(m.pk)
        words = {}
        if source is not None:
            evidence = str(source.evidence or "")
            words = {"comment": source.comment, "so_what": source.so_what, "text": source.text,
                     "evidence_url": source.evidence_url,
                     "evidence_file": evidence if evidence and evidence == str(m.evidence or "") else ""}
        out.append(ApprovedMeasurement(
            pk=m.pk, indicator_id=m.indicator_id, period_id=m.period_id, value=m.approved_value,
            rating=m.approved_rating, approved_at=m.approved_at,
            under_revision=m.status != Measurement.Status.APPROVED, parts=approved_parts(m), **words))
    return out


def approved_targets(targets) -> list[ApprovedTarget]:
    """The approved state of each target that has one (never-approved targets are left out)."""
    targets = [t for t in targets if t.approved_at is not None]
    revised = [t.pk for t in targets if t.status != Target.Status.APPROVED]
    history = _last_approved_records(Target, revised)
    out = []
    for t in targets:
        source = t if t.status == Target.Status.APPROVED else history.get(t.pk)
        out.append(ApprovedTarget(
            pk=t.pk, indicator_id=t.indicator_id, period_id=t.period_id, value=t.approved_value,
            rating=t.approved_rating, approved_at=t.approved_at,
            under_revision=t.status != Target.Status.APPROVED,
            rationale=source.rationale if source is not None else "", parts=approved_parts(t)))
    return out
