"""The API's reads: each list's joins in one place, so a page costs the same few queries whatever
the data's size (tests/api/test_queries.py), and the lookups that must never reach the database
with a value it cannot hold."""
from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from indicators.dimensions import BaselinePart, Dimension, MeasurementPart, TargetPart
from indicators.models import Baseline, Indicator, Measurement, ReportingPeriod, Target
from results.models import Alignment, Result, ResultsFramework
from scorecard import selectors as scorecard_selectors
from scorecard.formatting import export_row

# The CSV export's headers (scorecard.formatting.EXPORT_HEADERS) as JSON keys, in the same order.
ROW_KEYS = ["level", "result", "indicator_code", "indicator", "unit", "baseline", "baseline_period", "actual",
            "actual_period", "actual_age", "target", "target_period", "target_status", "progress", "status", "trend", "note"]
_COUNTED_BASELINES = (Baseline.Status.COLLECTED, Baseline.Status.VALIDATED)


def get_or_404(queryset, **lookup):
    """queryset.get(**lookup), or 404; a value with a NUL byte (which PostgreSQL cannot compare) is 404."""
    if any("\x00" in str(value) for value in lookup.values()):
        raise Http404(_("No such object."))
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(_("No such object."))
    return obj


def frameworks():
    return ResultsFramework.objects.order_by("order", "name")


def results():
    return (Result.objects.select_related("framework", "parent", "business_line")
            .order_by("framework__order", "tree_id", "lft"))


def alignments():
    return Alignment.objects.select_related("source__framework", "target__framework").order_by("pk")


def periods():
    return ReportingPeriod.objects.order_by("end", "start")


def _parts(model) -> Prefetch:
    """A figure's parts with their dimension value and dimension: one query for a whole page."""
    return Prefetch("parts", queryset=model.objects.select_related("dimension_value__dimension"))


def dimensions():
    return Dimension.objects.prefetch_related("values", "indicators").order_by("order", "name")


def indicators():
    return (Indicator.objects.select_related("result__framework").prefetch_related("dimensions")
            .order_by("result__framework__order", "result__tree_id", "result__lft", "order", "code"))


def baselines(*, working: bool):
    rows = (Baseline.objects.select_related("indicator", "period").prefetch_related(_parts(BaselinePart))
            .order_by("indicator__code"))
    return rows if working else rows.filter(status__in=_COUNTED_BASELINES)


def targets(*, working: bool):
    rows = (Target.objects.select_related("indicator", "period").prefetch_related(_parts(TargetPart))
            .order_by("indicator__code", "period__end", "pk"))
    return rows if working else rows.filter(approved_at__isnull=False)


def measurements(*, working: bool):
    rows = (Measurement.objects.select_related("indicator", "period", "submitted_by", "reviewed_by")
            .prefetch_related(_parts(MeasurementPart)).order_by("indicator__code", "period__end", "pk"))
    return rows if working else rows.filter(approved_at__isnull=False)


def editions(*, detail: bool):
    rows = scorecard_selectors.edition_list().select_related("framework")
    if detail:
        rows = rows.defer(None)  # the frozen standard and sections too
    return rows


def scorecard_notices(card, asked: dict) -> dict:
    """The period or business line asked for that the scorecard did not find (it fell back to a
    default, as the page does with a notice): by parameter, for a 400."""
    errors = {}
    period = (asked.get("period") or "").strip().upper()
    if period and (card.period is None or card.period.label != period):
        errors["period"] = [_("There is no reporting period %(period)s.") % {"period": repr(asked["period"])}]
    if asked.get("line") and card.business_line is None:
        errors["line"] = [_("There is no business line %(line)s.") % {"line": repr(asked["line"])}]
    if asked.get("slice") and card.slice is None:
        errors["slice"] = [_("There is no dimension value %(value)s to slice by (write dimension:value, for "
                             "example sex:female; GET /api/v1/dimensions/ lists them).") % {"value": repr(asked["slice"])}]
    return errors


def scorecard_data(card) -> dict:
    """The scorecard as the API answers it: the export's cells per row (the same function the CSV
    export writes them with), the raw progress and status beside them."""
    rows = []
    for section in card.sections:
        for result in section["results"]:
            for row in result["rows"]:
                cells = dict(zip(ROW_KEYS, export_row(section["level_name"], row)))
                cells.update(progress_raw=row["progress_raw"], status_code=row["status"])
                rows.append(cells)
    return {
        "framework": card.framework.code, "framework_name": card.framework.name,
        "period": card.period.label if card.period else None,
        "business_line": card.business_line.code if card.business_line else None,
        "periods": [label for label, _label in card.periods], "illustrative": card.illustrative,
        "summary": card.summary, "rows": rows, "slice": _slice_data(card.slice),
    }


def _slice_data(chosen) -> dict | None:
    """The slice a scorecard was scored on (scorecard.slices.Slice), named in the answer."""
    if chosen is None:
        return None
    return {"key": chosen.key, "name": chosen.name, "dimension": chosen.dimension, "value": chosen.value,
            "included": chosen.included, "excluded": chosen.excluded, "unsliced": chosen.unsliced}
