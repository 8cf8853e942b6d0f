"""Pages and downloads of the Committee's pack: the scorecard over time, and the PDFs.

Each PDF view asks for exactly what its page asks for (a signed-in user, through the project's
LoginRequiredMiddleware, and whatever the page's decorators require); tests/scorecard/test_pack.py
checks that a PDF answers every user as its page does.
"""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import pack, selectors, slices
from .formatting import STATUS_LABELS, STATUS_ORDER
from .overtime import KIND_CHOICES, overtime_build
from .overtime_html import table_html
from .pdf import CONTENT_TYPE


def _pdf_response(data: bytes, filename: str, sha256: str | None = None) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


def _overtime_selection(request) -> dict:
    return {"framework_code": request.GET.get("framework") or None,
            "business_line_code": request.GET.get("line") or None,
            "kinds": request.GET.get("periods") or None,
            "slice_key": request.GET.get("slice") or None}


@require_GET
def overtime_view(request):
    view = overtime_build(**_overtime_selection(request))
    view.slices = slices.slice_choices()
    for notice in view.choice.notices:
        messages.warning(request, notice)
    scorecard_query = "&".join(f"{k}={v}" for k, v in (
        ("framework", view.framework.code if view.framework else ""),
        ("line", view.business_line.code if view.business_line else ""),
        ("slice", view.slice.key if view.slice else "")) if v)
    return render(request, "scorecard/overtime.html", {
        "view": view, "table_html": table_html(view) if view.columns else "",
        "query": request.GET.urlencode(), "scorecard_query": scorecard_query,
        "kind_choices": KIND_CHOICES.items(),
        "legend_statuses": [(s, STATUS_LABELS[s]) for s in STATUS_ORDER],
    })


@require_GET
def overtime_pdf(request):
    view, pdf = pack.overtime_document(**_overtime_selection(request))
    if pdf is None:
        raise Http404(_("There is nothing over time to print yet."))
    line = view.business_line.code if view.business_line else ""
    return _pdf_response(pdf.data, pack.pdf_filename("overtime", view.framework.code, line,
                                                     view.slice.key if view.slice else ""))


@require_GET
def scorecard_pdf(request):
    card, pdf = pack.scorecard_document(
        framework_code=request.GET.get("framework") or None, period_label=request.GET.get("period") or None,
        business_line_code=request.GET.get("line") or None, slice_key=request.GET.get("slice") or None)
    if pdf is None:
        raise Http404(_("There is no scorecard to print yet."))
    line = card.business_line.code if card.business_line else ""
    return _pdf_response(pdf.data, pack.pdf_filename("scorecard", card.framework.code, card.period.label, line,
                                                     card.slice.key if card.slice else ""))


@require_GET
def edition_pdf(request, pk):
    """The PDF stored at publication, byte for byte; an edition published before PDFs were kept gets
    one rendered from its frozen figures (said in the edition page)."""
    edition = selectors.edition_get(pk=pk)
    name = pack.pdf_filename("edition", str(edition.pk), edition.framework.code, edition.period_label)
    if edition.pdf:
        try:
            with edition.pdf.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise Http404(_("The stored PDF of this edition is missing from storage.")) from None
        return _pdf_response(data, name, edition.pdf_sha256)
    return _pdf_response(pack.edition_document(edition).data, name)
