"""The result page's own parts (breadcrumbs, heading, results below, alignments), built once per state
of the chains and kept in the cache under the chains' stamp (results.stamps) and the reader's
permissions (issue 17). The indicators between them come from the indicators app's tag, kept under
the figures' stamp."""
from __future__ import annotations

from django.template.loader import render_to_string

from citiesalliance import object_access
from citiesalliance.page_cache import get_or_build

from . import programmes, selectors
from .stamps import chains_stamp


def result_page(*, request, code: str) -> dict:
    """{"result", "head", "tail"}: the result and its page's parts as HTML; Http404 for an unknown code."""
    def build():
        result = selectors.result_get(code=code)
        visible = selectors.visible_framework_ids(programmes.frameworks_filter(request.user))
        context = {"result": result, **selectors.result_detail(result=result, visible_ids=visible)}
        return {"result": result,
                "head": render_to_string("results/_result_head.html", context, request=request),
                "tail": render_to_string("results/_result_tail.html", context, request=request)}

    reader = object_access.reader_key(request)
    return get_or_build("result", (code.upper(), reader), build, stamp=chains_stamp())
