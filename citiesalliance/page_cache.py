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
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches


def cache_key(namespace: str, *parts) -> str:
    """A key of bounded length for any parts (the stamp, codes, flags)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"page:{namespace}:{digest}"


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


# Within one reading request (GET or HEAD: nothing is written) a stamp is read once, however many
# parts of the page ask for it: the page's content, the navigation bar's badges. RequestMemoMiddleware
# opens the memo for such a request and closes it after; outside one, nothing is kept.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def memoised(name: str, read: Callable[[], str]) -> str:
    """read(), once per reading request."""
    memo = _request_memo.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]


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
