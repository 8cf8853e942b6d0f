"""The indicator page's content and the result page's indicators, built once per state of the
figures (issue 17).

The indicator page spent most of its time compiling and running a dozen queries (targets,
measurements, standard, history tables, people, periods) and rendering its rows, for content that
changes only when someone writes; the result page, likewise, evaluated each of its indicators. Both
are kept in the cache under the figures' stamp (indicators.stamps: any approval, correction,
revision, proposal or standard changes it) and what the content depends on besides: the code asked
for, the reader's permissions (the buttons, approved-only figures), and for the result page the day
(which target is next). A request the cache answers reads the stamp and nothing else of the figures.
"""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from citiesalliance import object_access
from citiesalliance.page_cache import get_or_build
from results import programmes
from results.programme_rules import ENTER, REVIEW_MEASUREMENT

from . import part_selectors, selectors
from .stamps import figures_stamp


def _reader(user) -> tuple:
    """What of the reader the content depends on: their permissions (one query, kept on the user)."""
    return tuple(sorted(user.get_all_permissions()))


def indicator_content(*, request, code: str, approved_only: bool) -> dict:
    """{"code": the indicator's code, "body": the page's content as HTML}; Http404 for an unknown code."""
    def build():
        indicator = selectors.indicator_get(code=code)
        body = render_to_string("indicators/_indicator_body.html", {
            "indicator": indicator, **selectors.indicator_page(indicator=indicator, approved_only=approved_only),
            "breakdowns": part_selectors.indicator_breakdowns(indicator),
            "baseline_parts": part_selectors.baseline_parts_shown(selectors.baseline_of(indicator), indicator),
        }, request=request)
        return {"code": indicator.code, "body": body}

    return get_or_build("indicator", (code.upper(), approved_only, object_access.reader_key(request)), build,
                        stamp=figures_stamp())


def result_indicators_html(*, result, perms, user, approved_only: bool, request=None) -> str:
    """The result page's indicators table (indicators/_result_indicators.html)."""
    today = timezone.localdate()

    def build():
        rows = selectors.result_indicator_rows(result=result, today=today, approved_only=approved_only)
        return render_to_string("indicators/_result_indicators.html",
                                {"result": result, "indicator_rows": rows, "perms": perms})

    reader = object_access.reader_key(request) if request is not None else _reader(user) if user is not None else ()
    return get_or_build("result-indicators", (result.pk, today, approved_only, reader), build, stamp=figures_stamp())


def worklist_content(*, request, everyone: bool) -> dict:
    """{"body": the worklist's content}: the reader's own (or everyone's) items as of today."""
    user, today = request.user, timezone.localdate()

    def build():
        context = {**selectors.worklist(user=user, everyone=everyone, today=today,
                                        framework_ids=programmes.framework_ids(user, ENTER)),
                   "everyone": everyone}
        return {"body": render_to_string("indicators/_worklist_body.html", context, request=request)}

    return get_or_build("worklist", (user.pk, everyone, today, object_access.reader_key(request)), build,
                        stamp=figures_stamp())


def review_queue_content(*, request) -> dict:
    """{"body": the review queue's content} (the reader's own submissions say so, so it is theirs),
    at the pages of measurements and targets the address asks for (?measurements=N, ?targets=N)."""
    user = request.user
    pages = (_page_number(request, "measurements"), _page_number(request, "targets"))

    def build():
        queue = selectors.review_queue_page(measurements_page=pages[0], targets_page=pages[1],
                                            framework_ids=programmes.framework_ids(user, REVIEW_MEASUREMENT))
        return {"body": render_to_string("indicators/_review_queue_body.html", queue, request=request)}

    if pages != (1, 1):  # only the first page is kept: page numbers in an address must not fill the cache
        return build()
    return get_or_build("review-queue", (user.pk, timezone.localdate(), object_access.reader_key(request)), build,
                        stamp=figures_stamp())


def _page_number(request, name: str) -> int:
    """The page asked for, 1 for anything that is not a page number (Paginator.get_page then gives
    the last page for one beyond it)."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 and int(value) > 0 else 1


def waiting_counts(*, user) -> dict:
    """The navigation bar's badges (selectors.waiting_counts), kept under the figures' stamp: every
    page shows them, and counting the reader's worklist on each request cost more than the page."""
    today = timezone.localdate()
    return get_or_build("waiting", (user.pk, today, _reader(user), tuple(sorted(programmes.standing_of(user).programmes))),
                        lambda: selectors.waiting_counts(
                            user=user, today=today, enters_in=programmes.framework_ids(user, ENTER),
                            reviews_in=programmes.framework_ids(user, REVIEW_MEASUREMENT)), stamp=figures_stamp())
