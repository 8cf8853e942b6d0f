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

from citiesalliance.page_cache import get_or_build

from . import selectors
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
        }, request=request)
        return {"code": indicator.code, "body": body}

    return get_or_build("indicator", (code.upper(), approved_only, _reader(request.user)), build, stamp=figures_stamp())


def result_indicators_html(*, result, perms, user, approved_only: bool) -> str:
    """The result page's indicators table (indicators/_result_indicators.html)."""
    today = timezone.localdate()

    def build():
        rows = selectors.result_indicator_rows(result=result, today=today, approved_only=approved_only)
        return render_to_string("indicators/_result_indicators.html",
                                {"result": result, "indicator_rows": rows, "perms": perms})

    reader = _reader(user) if user is not None else ()
    return get_or_build("result-indicators", (result.pk, today, approved_only, reader), build, stamp=figures_stamp())


def worklist_content(*, request, everyone: bool) -> dict:
    """{"body": the worklist's content}: the reader's own (or everyone's) items as of today."""
    user, today = request.user, timezone.localdate()

    def build():
        context = {**selectors.worklist(user=user, everyone=everyone, today=today), "everyone": everyone}
        return {"body": render_to_string("indicators/_worklist_body.html", context, request=request)}

    return get_or_build("worklist", (user.pk, everyone, today, _reader(user)), build, stamp=figures_stamp())


def review_queue_content(*, request) -> dict:
    """{"body": the review queue's content} (the reader's own submissions say so, so it is theirs)."""
    user = request.user

    def build():
        return {"body": render_to_string("indicators/_review_queue_body.html", selectors.review_queue(),
                                         request=request)}

    return get_or_build("review-queue", (user.pk, timezone.localdate(), _reader(user)), build, stamp=figures_stamp())
