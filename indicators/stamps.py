"""The figures' stamp: one cheap query whose answer changes whenever anything a page shows of the
figures changes, so that an evaluation kept in the cache under it is never stale (issue 17).

Derived from data already in the database, never from signals or a counter someone must remember to
bump, so every write path counts (the services, the spreadsheet import's set-based writes, the
admin, the API, a command):
- every write of an indicator, baseline, target, measurement, performance standard or proposal adds
  a row to its audit history (django-simple-history; the importer writes its history copies in the
  same transaction), so the highest history id of those six tables moves on every approval,
  correction, revision, new or changed standard, proposal and deletion;
- reporting periods are reference data, only ever added: their count and highest id;
- the results chains (results, alignments, frameworks, business lines) keep no history: their part
  is results.stamps' (counts, highest ids, a sum over the columns pages show, the latest save).
- people's display names are not in it: a renamed person shows under the new name once the cache's
  timeout (settings.PAGE_CACHE_SECONDS) has passed, or at the next change of the figures.

The stamp is read with a raw cursor (no ORM compilation: it runs on every cached request) inside the
request's own transaction state, so a page read after a write committed sees the new stamp.
"""
from __future__ import annotations

from citiesalliance.page_cache import stamp_read, stamp_register
from results.stamps import chains_stamp

from .models import (
    Baseline,
    BaselinePart,
    Computation,
    Contribution,
    Dimension,
    DimensionValue,
    Indicator,
    Measurement,
    MeasurementPart,
    PerformanceStandard,
    Proposal,
    ReportingPeriod,
    Target,
    TargetPart,
)

# Dimensions and parts (issue 14) too: a part, a dimension value, or a dimension's indicators changed
# in the admin (saving a dimension always adds a history row) changes what pages show.
# Computations and their contributions (issue 18) too: a changed formula changes a computed figure.
_HISTORIES = (Indicator, Baseline, Target, Measurement, PerformanceStandard, Proposal,
              Dimension, DimensionValue, MeasurementPart, TargetPart, BaselinePart, Computation, Contribution)


def _parts() -> list[str]:
    parts = [f"(SELECT MAX(history_id) FROM {m.history.model._meta.db_table})" for m in _HISTORIES]
    period = ReportingPeriod._meta.db_table
    parts.append(f"(SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) FROM {period})")
    return parts


stamp_register("figures", _parts)


def figures_stamp() -> str:
    """A short text that changes whenever a figure, a standard, a period or the chains change. One
    query (in a reading request, shared with the other stamps: citiesalliance.page_cache)."""
    return stamp_read("figures") + "-" + chains_stamp()
