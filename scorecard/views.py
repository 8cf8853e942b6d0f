from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citiesalliance.forms_util import add_service_errors
from results import programmes

from . import cached, compare, formatting, selectors, services, xlsx
from .exports import CONTENT_TYPES, export_response
from .formatting import STATUS_LABELS, STATUS_ORDER, TRENDS
from .forms import EditionPublishForm


def _selection(request) -> dict:
    return {
        "framework_code": request.GET.get("framework") or None,
        "period_label": request.GET.get("period") or None,
        "business_line_code": request.GET.get("line") or None,
        "slice_key": request.GET.get("slice") or None,
    }


def _visible(request):
    """The frameworks the reader may see (a programme role: not another programme's editions)."""
    return programmes.frameworks_filter(request.user, field="framework")


def _legend() -> dict:
    return {"legend_statuses": [(s, STATUS_LABELS[s]) for s in STATUS_ORDER], "legend_trends": TRENDS.values()}


def _check_format(fmt: str) -> None:
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Exports come as CSV or XLSX, not %(format)s.") % {"format": repr(fmt)})


@require_GET
def scorecard_view(request):
    page = cached.scorecard_page(**_selection(request))  # the sheet, kept until the figures change
    card = page["card"]
    for notice in card.notices:
        messages.warning(request, notice)
    return render(request, "scorecard/scorecard.html", {
        "card": card, "sheet": page["sheet"], "summary": card.summary, "standard": card.standard,
        "query": request.GET.urlencode(), **_legend(),
    })


@require_GET
def scorecard_export(request, fmt):
    _check_format(fmt)
    card = selectors.scorecard_build(**_selection(request))
    if card.framework is None or card.period is None:
        raise Http404(_("There is no scorecard to export yet."))
    name = f"scorecard-{card.framework.code}-{card.period.label}"
    if card.business_line:
        name += f"-{card.business_line.code}"
    if card.slice:
        name += f"-{card.slice.key}"
    return export_response(rows=card.export_rows(), fmt=fmt, filename=name,
                           title=f"{card.framework.code} {card.period.label}", sheet=xlsx.live_sheet(card))


@require_GET
def edition_list_view(request):
    editions = list(selectors.edition_list(framework_code=request.GET.get("framework"), visible=_visible(request)))
    return render(request, "scorecard/edition_list.html", {"editions": editions})


@require_GET
def edition_detail_view(request, pk):
    edition = selectors.edition_get(pk=pk)
    if request.GET.get("slice"):  # an edition freezes the whole figures; a slice is never invented for it
        messages.warning(request, _("Edition %(number)s is frozen unsliced: it holds the whole figures only, and so do "
                                    "its CSV, XLSX and PDF downloads. Slice the live scorecard to read a dimension "
                                    "value.") % {"number": edition.pk})
    return render(request, "scorecard/edition_detail.html", {
        "edition": edition, "sections": formatting.attach_html(edition.sections), "summary": edition.summary,
        "standard": edition.standard, **_legend(),
    })


@require_GET
def edition_export(request, pk, fmt):
    _check_format(fmt)
    edition = selectors.edition_get(pk=pk)
    return export_response(
        rows=selectors.export_rows(edition.sections), fmt=fmt,
        filename=f"edition-{edition.pk}-{edition.framework.code}-{edition.period_label}",
        title=_("Edition %(number)s %(period)s") % {"number": edition.pk, "period": edition.period_label}, sheet=xlsx.edition_sheet(edition),
    )


@require_GET
def edition_compare_view(request):
    visible = _visible(request)
    editions = list(selectors.edition_list(visible=visible))
    context = {"editions": editions, "a": request.GET.get("a", ""), "b": request.GET.get("b", "")}
    if context["a"] and context["b"]:
        try:
            first = selectors.edition_get(pk=int(context["a"]), visible=visible)
            second = selectors.edition_get(pk=int(context["b"]), visible=visible)
        except ValueError:
            raise Http404(_("Choose two editions by their numbers.")) from None
        # Compare in publication order whatever order they were picked in.
        older, newer = sorted((first, second), key=lambda e: (e.published_at, e.pk))
        context.update(
            older=older, newer=newer,
            comparison=compare.editions_compare(older.sections, newer.sections),
            counts=compare.counts_compare(older.summary, newer.summary),
        )
        if older.framework_id != newer.framework_id:
            messages.warning(request, _("These editions are of different frameworks: most indicators will show as "
                                        "added or removed."))
    return render(request, "scorecard/edition_compare.html", context)


@permission_required("scorecard.publish_edition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def edition_publish_view(request):
    initial = {k: v for k, v in (("framework", request.GET.get("framework")),
                                 ("period", request.GET.get("period")),
                                 ("business_line", request.GET.get("line"))) if v}
    form = EditionPublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_publish(published_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if edition.created:
                messages.success(request, _("Edition %(number)s published: %(edition)s.") % {
                    "number": edition.pk, "edition": edition})
            else:
                messages.info(request, _("This scorecard was already published as edition %(number)s, with the "
                                         "same figures and commentary: no second edition was made.") % {
                                             "number": edition.pk})
            return redirect(edition)
    return render(request, "scorecard/edition_publish.html", {"form": form})

# Editions are immutable: there is deliberately no edit or delete view.
