"""Whole-page fragments and evaluations kept in Django's cache framework (issue 17).

A page's expensive part (its figures evaluated, rows formatted, HTML written) is built once and kept
under a key made of the figures' stamp (`indicators.stamps.figures_stamp`) and everything else the
part depends on (the indicator or framework asked for, the reader's permissions, today's date where
it matters); the entry carries the stamp it was built at. A write changes the stamp, so the next
request builds the part again and replaces the entry: nothing cached is ever served after the
figures it shows have changed. Entries expire after settings.PAGE_CACHE_SECONDS, also the bound on
what the stamp does not see (a person's display name).

Which cache: settings.CACHES (from CACHE_URL; local memory by default, per process, which is
correct because the stamp lives in the database; Redis or the database cache share the entries
between servers and workers).
"""
from __future__ import annotations

import contextvars
import hashlib
import weakref
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db.utils import DatabaseError
from django.utils import translation


def cache_key(namespace: str, *parts) -> str:
    """A key of bounded length for any parts (the stamp, codes, flags), in the active language:
    a part built for a French reader holds French words (and formats), never served to another."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"page:{namespace}:{translation.get_language() or '-'}:{digest}"


def get_or_build(namespace: str, parts: tuple, build: Callable[[], object], *, stamp: str):
    """The value kept for (namespace, parts) if it was built at `stamp`, else build() kept in its place.

    One entry per page part, whatever the number of writes: an entry built at an older stamp is
    replaced, not left beside the new one until it expires (a 2,000-indicator sheet is 2 MB)."""
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = cache_key(namespace, *parts)
    kept = cache.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = build()
    cache.set(key, (stamp, value), settings.PAGE_CACHE_SECONDS)
    return value


# Stamps: each a row of scalar subqueries over data the database already has (indicators.stamps:
# the figures; results.stamps: the chains; citiesalliance.auth_backend: the grants of permissions).
# Within one reading request (GET or HEAD: nothing is written) the first stamp asked for reads every
# registered stamp in one query, and each is read once however many parts of the page ask for it
# (the page's content, the navigation bar's badges, the permission check); RequestMemoMiddleware
# opens that memo for such a request and closes it after. Outside one, each ask reads anew.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)
_STAMPS: dict[str, Callable[[], list[str]]] = {}
# names -> (the SQL, each stamp's column count, the prepared statement's name)
_SQL: dict[tuple, tuple[str, list[int], str]] = {}


def stamp_register(name: str, parts: Callable[[], list[str]]) -> None:
    """Make `name` a stamp: parts() gives its scalar subqueries, e.g. "(SELECT MAX(id) FROM t)"."""
    _STAMPS[name] = parts


def stamp_read(name: str) -> str:
    """The stamp `name` as a short text: in a reading request, read once with every other stamp."""
    memo = _request_memo.get()
    if memo is None:
        return _read((name,))[name]
    if name not in memo:
        memo.update(_read((name, *(other for other in _STAMPS if other != name and other not in memo))))
    return memo[name]


def in_reading_request() -> bool:
    return _request_memo.get() is not None


def all_stamps() -> str:
    """Every registered stamp, for a part that depends on several (the menu)."""
    return "|".join(stamp_read(name) for name in sorted(_STAMPS))


# PostgreSQL plans the stamps' dozen subqueries anew on each request, and planning cost three times
# their execution (2.0 ms against 0.7 ms prepared, 548 results): each connection prepares them once.
# (A pooler that shares server sessions between clients, such as PgBouncer in transaction mode,
# does not keep prepared statements: set DATABASE_PREPARED_STAMPS=0 behind one.)
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # driver connection -> names


def _execute(connection, cursor, statement: str, sql: str, *, retry: bool = True) -> None:
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STAMPS:
        cursor.execute(sql)
        return
    prepared = _PREPARED.setdefault(connection.connection, set())
    if statement not in prepared:  # on the driver's cursor: setting up the connection, not a query of the page
        with connection.connection.cursor() as setup:
            setup.execute(f"PREPARE {statement} AS {sql}")
        prepared.add(statement)
    try:
        cursor.execute(f"EXECUTE {statement}")
    except DatabaseError as exc:
        if getattr(exc.__cause__, "pgcode", None) != "26000":  # invalid_sql_statement_name
            raise
        # The server session lost it (a pooler's DISCARD ALL, a proxy's reconnect): prepared again
        # on the next read; at once when no transaction was aborted by the failure.
        prepared.discard(statement)
        if connection.in_atomic_block or not retry:
            raise
        _execute(connection, cursor, statement, sql, retry=False)


def _read(names: tuple) -> dict[str, str]:
    from django.db import connection

    if names not in _SQL:
        parts = [_STAMPS[name]() for name in names]
        _SQL[names] = ("SELECT " + ", ".join(p for group in parts for p in group), [len(g) for g in parts],
                       f"page_stamps_{len(_SQL)}")
    sql, widths, statement = _SQL[names]
    with connection.cursor() as cursor:  # a raw cursor: no ORM compilation on every cached request
        _execute(connection, cursor, statement, sql)
        row = cursor.fetchone()
    read, at = {}, 0
    for name, width in zip(names, widths):
        read[name] = "-".join("" if value is None else str(value) for value in row[at:at + width])
        at += width
    return read


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)
