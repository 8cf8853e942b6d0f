"""The chains' stamp: a cheap fingerprint of the results chains, for pages kept in the cache (issue 17).

Results, alignments, frameworks and business lines keep no audit history, so their part of the stamp
is, per table, the number of rows (a deletion), the highest id (an addition; ids are never reused)
and the latest `changed_at` (every save sets it: a rewording, a new parent, a changed note), and for
results a sum over their tree columns, which django-mptt and the re-ordering of siblings change with
queryset updates, not saves. indicators.stamps adds the figures to it.
"""
from __future__ import annotations

from citiesalliance.page_cache import stamp_read, stamp_register

from .models import Alignment, BusinessLine, Result, ResultsFramework

_ORDER = '"order"'  # a reserved word in SQL: quoted as both SQLite and PostgreSQL accept


def chains_stamp_parts() -> list[str]:
    """The scalar subqueries of the chains' stamp, for a SELECT of one row."""
    result, alignment = Result._meta.db_table, Alignment._meta.db_table
    framework, line = ResultsFramework._meta.db_table, BusinessLine._meta.db_table
    head = "SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) || '.' || COALESCE(CAST(MAX(changed_at) AS TEXT), '')"
    return [
        f"({head} || '.' || COALESCE(SUM(lft + 3 * rght + 7 * tree_id + 11 * level + 13 * {_ORDER} "
        f"+ 17 * COALESCE(parent_id, 0) + 19 * framework_id + 23 * COALESCE(business_line_id, 0)), 0) FROM {result})",
        f"({head} FROM {alignment})",
        f"({head} FROM {framework})",
        f"({head} FROM {line})",
    ]


stamp_register("chains", chains_stamp_parts)


def chains_stamp() -> str:
    """A short text that changes whenever the chains change. One query (in a reading request, shared
    with the other stamps: citiesalliance.page_cache)."""
    return stamp_read("chains")
