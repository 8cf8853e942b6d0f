"""The scorecard sliced by a dimension value (issue 14): for example women only.

A slice is scored by the same arithmetic (DESIGN.md section 3) on the slice's own figures: the
approved parts of the value in the indicators' approved targets and approved measurements, and its
part of the (collected) baseline. A baseline without that part leaves the slice without a baseline:
progress falls back to actual / target and the row says the baseline is missing. A cumulative
("sum") indicator whose baseline is not 0 cannot be sliced without its baseline's part (its actual
is the baseline plus the periods' figures, and its targets are stated in those terms), so it is left
out, and named apart. Indicators not disaggregated by the value's dimension are left out of the
slice (and of its roll-ups), and the page names them. Five queries, whatever the size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.dimensions import BaselinePart, DimensionValue, MeasurementPart, TargetPart
from indicators.models import Indicator

from .figures import FrameworkFigures


@dataclass
class Slice:
    key: str  # as it goes in the address: the value's slug
    name: str  # "Sex: female"
    dimension: str
    included: list[str] = field(default_factory=list)  # codes scored on the slice
    excluded: list[str] = field(default_factory=list)  # codes not disaggregated by the dimension
    unsliced: list[str] = field(default_factory=list)  # cumulative codes with a baseline (it has no parts)
    value: str = ""  # "female"

    @property
    def title(self) -> str:
        """How the exports' titles name the slice: "Slice: Sex = female"."""
        return _("Slice: %(dimension)s = %(value)s") % {"dimension": self.dimension, "value": self.value}

    @property
    def note(self) -> str:
        """What the slice scores and leaves out, in words, for the exports (the page says it at length)."""
        dimension = self.dimension.lower()
        words = [_("Each indicator disaggregated by %(dimension)s is scored on its own %(value)s part of the "
                   "baseline, the approved targets and the approved actuals, by the same arithmetic; without a "
                   "baseline part, progress is actual / target.") % {"dimension": dimension, "value": self.value}]
        if self.unsliced:
            words.append(_("Left out, cumulative with a baseline that is not split: %(codes)s.") % {
                "codes": ", ".join(self.unsliced)})
        if self.excluded:
            words.append(_("Left out, not disaggregated by %(dimension)s: %(codes)s.") % {
                "dimension": dimension, "codes": ", ".join(self.excluded)})
        if not self.included:
            words.append(_("No indicator of this framework is disaggregated by %(dimension)s.") % {
                "dimension": dimension})
        return " ".join(words)


def slice_choices() -> list[tuple[str, str]]:
    """(slug, "Sex: female") of every dimension value, for the page's menu. One query."""
    return [(v.slug, f"{v.dimension.name}: {v.name}") for v in
            DimensionValue.objects.select_related("dimension").order_by("dimension__order", "dimension__name",
                                                                        "order", "name")]


def slice_pick(key: str | None) -> DimensionValue | None:
    """The dimension value named by its slug or id, or as "dimension:value" (both slugs, as the API
    documents it: sex:female); None when there is none (or the value is not of that dimension)."""
    key = (key or "").strip()
    if not key:
        return None
    found = DimensionValue.objects.select_related("dimension")
    dimension, _colon, key = key.rpartition(":")
    if dimension:
        found = found.filter(dimension__slug=dimension.strip().lower())
        key = key.strip()
    return (found.filter(pk=int(key)) if key.isdigit() else found.filter(slug=key.lower())).first()


def slice_apply(figures: FrameworkFigures, value: DimensionValue) -> Slice:
    """Turn `figures` into the slice's figures, in place: each indicator split by the value's dimension
    takes the value's approved target and measurement parts and no baseline; the others go."""
    chosen = Slice(key=value.slug, name=f"{value.dimension.name}: {value.name}", dimension=value.dimension.name,
                   value=value.name)
    split = set(Indicator.objects.filter(dimensions=value.dimension, pk__in=list(figures.indicators))
                .values_list("pk", flat=True))
    # the value's part of each counted baseline (figures hold only collected or validated baselines)
    baselines = dict(BaselinePart.objects.filter(dimension_value=value, value__isnull=False,
                                                 baseline__indicator_id__in=split)
                     .values_list("baseline__indicator_id", "value")) if split else {}
    for pk in list(figures.indicators):
        item = figures.indicators[pk]
        if pk not in split:
            if item["own"]:
                chosen.excluded.append(item["code"])
            del figures.indicators[pk]
            continue
        part = baselines.get(pk) if item["baseline"] is not None else None
        if item["aggregation"] == "sum" and item["baseline"] and part is None:
            if item["own"]:
                chosen.unsliced.append(item["code"])
            del figures.indicators[pk]
            split.discard(pk)
            continue
        if item["own"]:
            chosen.included.append(item["code"])
        item.update(baseline=part, targets=[], target_ratings={}, measurements=[])
        if part is None:
            item.update(baseline_text="", baseline_label="")
    if not split:
        return chosen
    for model, owner, key in ((TargetPart, "target", "targets"), (MeasurementPart, "measurement", "measurements")):
        rows = (model.objects.filter(dimension_value=value, approved_value__isnull=False,
                                     **{f"{owner}__approved_at__isnull": False, f"{owner}__indicator_id__in": split})
                .order_by().values_list(f"{owner}__indicator_id", f"{owner}__period_id", "approved_value"))
        for indicator_id, period_id, figure in rows:
            figures.indicators[indicator_id][key].append(
                (figures.ordinal_of_id[period_id], Decimal(figure), ""))
    for item in figures.indicators.values():
        item["targets"].sort()
        item["measurements"].sort()
    return chosen
