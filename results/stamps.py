"""The chains' stamp: a cheap fingerprint of the results chains, for pages kept in the cache (issue 17).

Results, alignments, frameworks and business lines keep no audit history, so their part of the stamp
is, per table, the number of rows, the highest id (ids are never reused), a sum over the columns
pages show (tree position, level, parent, business line, and the lengths of codes, statements,
descriptions, assumptions, names, notes) and the latest `changed_at` (set on every save). Adding,
deleting, moving or re-describing anything changes it, a rewording of the same length included
(the save moves `changed_at`; the sums catch the tree moves mptt makes with queryset updates).
indicators.stamps adds the figures to it.
"""
from __future__ import annotations

from django.db import connection

from .models import Alignment, BusinessLine, Result, ResultsFramework

_ORDER = '"order"'  # a reserved word in SQL: quoted as both SQLite and PostgreSQL accept


def chains_stamp_parts() -> list[str]:
    """The scalar subqueries of the chains' stamp, for a SELECT of one row."""
    result, alignment = Result._meta.db_table, Alignment._meta.db_table
    framework, line = ResultsFramework._meta.db_table, BusinessLine._meta.db_table
    head = "SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) || '.' || COALESCE(SUM("
    changed = " || '.' || COALESCE(CAST(MAX(changed_at) AS TEXT), '')"
    return [
        f"({head}lft + 3 * rght + 7 * tree_id + 11 * level + 13 * COALESCE(business_line_id, 0) "
        f"+ 17 * COALESCE(parent_id, 0) + 19 * framework_id + 23 * LENGTH(code) + 29 * LENGTH(statement) "
        f"+ 31 * LENGTH(description) + 37 * LENGTH(assumptions) + 41 * LENGTH(beneficiary)), 0){changed} FROM {result})",
        f"({head}source_id + 3 * target_id + 5 * LENGTH(relation) + 7 * LENGTH(note)), 0){changed} FROM {alignment})",
        f"({head}LENGTH(code) + 3 * LENGTH(name) + 5 * LENGTH(description) + 7 * {_ORDER} "
        f"+ 11 * first_fiscal_year + 13 * last_fiscal_year + 17 * LENGTH(kind)), 0){changed} FROM {framework})",
        f"({head}LENGTH(code) + 3 * LENGTH(name) + 5 * LENGTH(description) + 7 * {_ORDER}), 0){changed} FROM {line})",
    ]


_QUERY: str | None = None


def chains_stamp() -> str:
    """A short text that changes whenever the chains change. One query."""
    global _QUERY
    if _QUERY is None:
        _QUERY = "SELECT " + ", ".join(chains_stamp_parts())
    with connection.cursor() as cursor:
        cursor.execute(_QUERY)
        return "-".join(str(v) for v in cursor.fetchone())
