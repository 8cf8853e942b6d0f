"""Indicator pages, data entry, the worklist and the review queue. Thin: parse, call one service or
selector, render. Every write view checks its model permission on the server (403 otherwise)."""
import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from citiesalliance import object_access
from citiesalliance.forms_util import add_service_errors
from results import programmes
from results.models import Result

from . import cached, part_selectors, review, selectors, services
from .forms import BaselineForm, IndicatorForm, MeasurementForm, ReviewForm, TargetForm
from .models import Indicator, Measurement, Target

_INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain"}


def _plain(value) -> str:
    """A stored Decimal as the user would type it: 1200, 12.5 (no trailing zeros)."""
    return "" if value is None else f"{value.normalize():f}"


def refused_form(form, exc: ValidationError, request, form_factory):
    """Put a service error on the form; after a conflict, re-bind the form to the current version
    so the user sees the current values and may save again on purpose."""
    if isinstance(exc, services.ConflictError):
        data = request.POST.copy()
        data["version"] = str(exc.current_version)
        form = form_factory(data)
        form.is_valid()
        messages.warning(request, _("Someone else saved this record while you were editing: nothing was overwritten."))
    if hasattr(form, "add_part_errors"):  # a dimension's message goes on its rows of the grid
        exc = form.add_part_errors(exc)
    if exc is not None:
        add_service_errors(form, exc)
    return form


def _saved_message(request, saved: str, proposal) -> None:
    """Say what was written, and what now waits for a manager instead (indicators.rules)."""
    if proposal is None:
        messages.success(request, saved)
        return
    changes = "; ".join(f"{label}: {before} → {after}" for label, before, after in proposal.shown)
    messages.info(request, _("Proposed for review (%(changes)s). The scorecard keeps the approved figures until a "
                             "manager approves the change.") % {"changes": changes})


# ---------------------------------------------------------------------------------------------
# reading


def indicator_list(request):
    framework = request.GET.get("framework", "")
    query = request.GET.get("q", "").strip()
    return render(request, "indicators/indicator_list.html", {
        "indicators": selectors.indicator_list(framework_code=framework or None, query=query,
                                               frameworks=programmes.frameworks_filter(request.user,
                                                                                       field="result__framework")),
        "query": query,
    })


def _reads_only(request) -> bool:
    """Readers who enter no data in the page's framework (the Executive Committee; a programme
    officer on a corporate page) see approved figures only."""
    return not object_access.sees_working_figures(request)


def indicator_detail(request, code):
    # Built once per state of the figures and kept (indicators.cached): the next write shows at once.
    page = cached.indicator_content(request=request, code=code, approved_only=_reads_only(request))
    return render(request, "indicators/indicator_detail.html", page)


def measurement_detail(request, code, period):
    measurement = selectors.measurement_get(code=code, period=period)
    form = None
    if (object_access.page_permission(request, "indicators.review_measurement")
            and measurement.status == Measurement.Status.SUBMITTED
            and measurement.submitted_by_id != request.user.pk):
        form = ReviewForm(initial={"version": measurement.version})
        form.helper.form_action = reverse("indicators:measurement_review", args=[measurement.indicator.code,
                                                                                 measurement.period.label])
    return render(request, "indicators/measurement_detail.html", {
        "measurement": measurement, "indicator": measurement.indicator, "review_form": form,
        "approved_only": _reads_only(request),
        "figure": (selectors.figure(measurement.indicator, measurement.approved_value, measurement.approved_rating)
                   if _reads_only(request) else
                   selectors.figure(measurement.indicator, measurement.value, measurement.rating)),
        "approved_figure": selectors.figure(measurement.indicator, measurement.approved_value,
                                            measurement.approved_rating),
        "context": None if _reads_only(request) else review.review_context(measurement=measurement),
        "parts": part_selectors.parts_shown(measurement, measurement.indicator, approved_only=_reads_only(request)),
    })


@permission_required("indicators.view_measurement", raise_exception=True)
def evidence_download(request, pk):
    """Evidence files go only to signed-in users with read access (never via public media URLs)."""
    measurement = get_object_or_404(Measurement, pk=pk)
    if not measurement.evidence:
        raise Http404(_("This measurement has no evidence file."))
    try:
        handle = measurement.evidence.open("rb")
    except FileNotFoundError:
        raise Http404(_("The evidence file is missing from storage.")) from None
    name = PurePath(measurement.evidence.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=content_type not in _INLINE_TYPES, filename=name,
                        content_type=content_type)


@permission_required("indicators.change_measurement", raise_exception=True)
def worklist(request):
    everyone = request.GET.get("all") == "1"
    return render(request, "indicators/worklist.html", cached.worklist_content(request=request, everyone=everyone))


def _may_review(user):
    return (user.has_perm("indicators.review_measurement") or user.has_perm("indicators.approve_target")
            or user.has_perm("indicators.review_proposal"))


def review_queue(request):
    if not _may_review(request.user):
        raise PermissionDenied(_("Only M&E managers review submissions."))
    return render(request, "indicators/review_queue.html", cached.review_queue_content(request=request))


# ---------------------------------------------------------------------------------------------
# indicators


def _chooses_dimensions(request) -> bool:
    return request.user.has_perm("indicators.change_dimension")


@permission_required("indicators.add_indicator", raise_exception=True)
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    initial = {"responsible": request.user.pk}
    result_code = request.GET.get("result")
    if result_code:
        initial["result"] = Result.objects.filter(code__iexact=result_code).first()
    form = IndicatorForm(request.POST or None, initial=initial, may_choose_dimensions=_chooses_dimensions(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the indicator and its dimensions, or neither
                indicator = services.indicator_create(by=request.user, **form.service_kwargs())
                if "dimensions" in form.cleaned_data:
                    services.indicator_dimensions_set(indicator=indicator, dimensions=form.cleaned_data["dimensions"],
                                                      by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indicator %(code)s added.") % {"code": indicator.code})
            return redirect(indicator)
    return render(request, "indicators/form.html", {"form": form, "title": _("Add an indicator")})


@permission_required("indicators.change_indicator", raise_exception=True)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code):
    indicator = selectors.indicator_get(code=code)

    under_review = selectors.has_approved_measurements(indicator)

    def make(data=None):
        return IndicatorForm(data, instance=Indicator.objects.get(pk=indicator.pk),
                             initial={"version": indicator.version}, under_review=under_review,
                             may_choose_dimensions=_chooses_dimensions(request))

    form = make(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.unchanged():
        messages.info(request, _("Nothing changed: indicator %(code)s was left as it was.") % {"code": indicator.code})
        return redirect(indicator)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the indicator and its dimensions, or neither
                if "dimensions" in form.changed_data:
                    services.indicator_dimensions_set(indicator=indicator, dimensions=form.cleaned_data["dimensions"],
                                                      by=request.user)
                indicator = services.indicator_update(indicator=indicator, by=request.user,
                                                      version=form.cleaned_data.get("version"),
                                                      reason=form.cleaned_data.get("reason", ""),
                                                      **form.service_kwargs())
        except ValidationError as exc:
            form = refused_form(form, exc, request, make)
        else:
            _saved_message(request, _("Indicator %(code)s saved.") % {"code": indicator.code}, indicator.proposal)
            return redirect(indicator)
    return render(request, "indicators/form.html", {
        "form": form, "title": _("Edit %(code)s") % {"code": indicator.code}, "indicator": indicator,
    })


# ---------------------------------------------------------------------------------------------
# baselines and targets


@permission_required(["indicators.add_baseline", "indicators.change_baseline"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def baseline_edit(request, code):
    indicator = selectors.indicator_get(code=code)
    baseline = selectors.baseline_of(indicator)
    initial = {"version": 0, "status": "collected"}
    if baseline is not None:
        initial = {"value": _plain(baseline.value), "text": baseline.text,
                   "period": baseline.period.label if baseline.period_id else "", "as_of": baseline.as_of,
                   "source": baseline.source, "due_date": baseline.due_date, "status": baseline.status,
                   "version": baseline.version}
        if baseline.status == "planned" and request.GET.get("record") == "1":
            initial["status"] = "collected"  # the worklist's "Record baseline": the officer has measured it

    under_review = selectors.has_approved_measurements(indicator)

    def make(data=None):
        return BaselineForm(data, indicator=indicator, initial=initial, under_review=under_review, baseline=baseline)

    form = make(request.POST or None)
    if request.method == "POST" and form.is_valid() and baseline is not None and form.unchanged():
        messages.info(request, _("Nothing changed: the baseline of %(code)s was left as it was.") % {
            "code": indicator.code})
        return redirect(indicator)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.baseline_record(indicator=indicator, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form = refused_form(form, exc, request, make)
        else:
            _saved_message(request, _("Baseline of %(code)s saved.") % {"code": indicator.code}, saved.proposal)
            return redirect(indicator)
    return render(request, "indicators/form.html", {
        "form": form, "indicator": indicator,
        "title": (_("Edit the baseline of %(code)s") if baseline else _("Record the baseline of %(code)s")) % {
            "code": indicator.code},
    })


def _target_view(request, indicator, target):
    initial = {"version": 0, "period": request.GET.get("period", "")}
    if target is not None:
        initial = {"value": _plain(target.value),
                   "rating": target.rating, "rationale": target.rationale, "version": target.version}

    def make(data=None):
        return TargetForm(data, indicator=indicator, target=target, initial=initial)

    form = make(request.POST or None)
    if request.method == "POST" and form.is_valid() and target is not None and form.unchanged():
        messages.info(request, _("Nothing changed: the %(period)s target of %(code)s was left as it was.") % {
            "period": target.period.label, "code": indicator.code})
        return redirect(indicator)
    if request.method == "POST" and form.is_valid():
        period = target.period if target else form.cleaned_data["period"]
        try:
            saved = services.target_set(indicator=indicator, period=period, by=request.user,
                                        **form.service_kwargs())
        except ValidationError as exc:
            form = refused_form(form, exc, request, make)
        else:
            messages.success(request, _("%(period)s target of %(code)s saved as %(status)s: a manager approves it.") % {
                "period": saved.period.label, "code": indicator.code, "status": saved.get_status_display().lower()})
            return redirect(indicator)
    title = _("New target for %(code)s") % {"code": indicator.code}
    if target is not None:
        words = {"period": target.period.label, "code": indicator.code}
        title = (_("Revise the approved %(period)s target of %(code)s") % words
                 if target.status == Target.Status.APPROVED else _("Edit the %(period)s target of %(code)s") % words)
    return render(request, "indicators/form.html", {"form": form, "indicator": indicator, "title": title,
                                                    "target": target})


@permission_required("indicators.add_target", raise_exception=True)
@require_http_methods(["GET", "POST"])
def target_create(request, code):
    return _target_view(request, selectors.indicator_get(code=code), None)


@permission_required("indicators.change_target", raise_exception=True)
@require_http_methods(["GET", "POST"])
def target_edit(request, code, period):
    target = selectors.target_get(code=code, period=period)
    return _target_view(request, target.indicator, target)


@permission_required("indicators.approve_target", raise_exception=True)
@require_http_methods(["GET", "POST"])
def target_review(request, code, period):
    target = selectors.target_get(code=code, period=period)
    form = ReviewForm(request.POST or None, initial={"version": target.version})
    if request.method == "POST" and form.is_valid():
        kwargs = {"target": target, "by": request.user, "version": form.cleaned_data["version"]}
        try:
            if "action_return" in request.POST:
                services.target_return(note=form.cleaned_data["note"], **kwargs)
                messages.success(request, _("%(period)s target of %(code)s returned.") % {
                    "period": target.period.label, "code": target.indicator.code})
            else:
                services.target_approve(**kwargs)
                messages.success(request, _("%(period)s target of %(code)s approved.") % {
                    "period": target.period.label, "code": target.indicator.code})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("indicators:review_queue")
    return render(request, "indicators/target_review.html", {
        "form": form, "target": target, "indicator": target.indicator,
        "context": review.target_context(target=target),
        "figure": selectors.figure(target.indicator, target.value, target.rating),
        "parts": part_selectors.parts_shown(target, target.indicator),
    })


# ---------------------------------------------------------------------------------------------
# measurements


def _measurement_view(request, indicator, measurement):
    initial = {"version": 0, "period": request.GET.get("period", "")}
    if measurement is not None:
        initial = {"value": _plain(measurement.value),
                   "rating": measurement.rating, "text": measurement.text,
                   "evidence_url": measurement.evidence_url, "comment": measurement.comment,
                   "so_what": measurement.so_what, "version": measurement.version}

    def make(data=None):
        return MeasurementForm(data, request.FILES or None, indicator=indicator, measurement=measurement,
                               initial=initial)

    form = make(request.POST or None)
    if (request.method == "POST" and form.is_valid() and measurement is not None
            and "action_submit" not in request.POST and form.unchanged()):
        messages.info(request, _("Nothing changed: the %(period)s measurement of %(code)s was left as it was.") % {
            "period": measurement.period.label, "code": indicator.code})
        return redirect("indicators:measurement", indicator.code, measurement.period.label)
    if request.method == "POST" and form.is_valid():
        period = measurement.period if measurement else form.cleaned_data["period"]
        submit = "action_submit" in request.POST
        try:
            saved = services.measurement_record(indicator=indicator, period=period, by=request.user,
                                                submit=submit, **form.service_kwargs())
        except ValidationError as exc:
            form = refused_form(form, exc, request, make)
        else:
            words = {"period": saved.period.label, "code": indicator.code}
            messages.success(request, (_("%(period)s measurement of %(code)s submitted for review.") if submit
                                       else _("%(period)s measurement of %(code)s saved as a draft.")) % words)
            return redirect("indicators:measurement", indicator.code, saved.period.label)
    title = _("Record a measurement for %(code)s") % {"code": indicator.code}
    if measurement is not None:
        words = {"code": indicator.code, "period": measurement.period.label, "revision": measurement.revision + 1}
        title = (_("%(code)s, %(period)s: start revision %(revision)s") % words
                 if measurement.status == Measurement.Status.APPROVED
                 else _("%(code)s, %(period)s: edit the measurement") % words)
    return render(request, "indicators/form.html", {
        "form": form, "indicator": indicator, "measurement": measurement, "title": title,
        "context": review.entry_context(indicator=indicator, measurement=measurement,
                                        period_label=request.POST.get("period") or request.GET.get("period", "")),
    })


@permission_required("indicators.add_measurement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def measurement_create(request, code):
    return _measurement_view(request, selectors.indicator_get(code=code), None)


@permission_required("indicators.change_measurement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def measurement_edit(request, code, period):
    measurement = selectors.measurement_get(code=code, period=period)
    if measurement.status == Measurement.Status.SUBMITTED:
        messages.info(request, _("This measurement is awaiting review; it can be changed once it is approved or returned."))
        return redirect("indicators:measurement", measurement.indicator.code, measurement.period.label)
    return _measurement_view(request, measurement.indicator, measurement)


@permission_required("indicators.review_measurement", raise_exception=True)
@require_POST
def measurement_review(request, code, period):
    measurement = selectors.measurement_get(code=code, period=period)
    form = ReviewForm(request.POST)
    back = redirect("indicators:measurement", measurement.indicator.code, measurement.period.label)
    if not form.is_valid():
        messages.error(request, _("The review form was incomplete; reload the page and try again."))
        return back
    kwargs = {"measurement": measurement, "by": request.user, "version": form.cleaned_data["version"]}
    try:
        if "action_return" in request.POST:
            services.measurement_return(note=form.cleaned_data["note"], **kwargs)
            messages.success(request, _("%(period)s measurement of %(code)s returned to the officer with your note.") % {
                "period": measurement.period.label, "code": measurement.indicator.code})
        else:
            services.measurement_approve(**kwargs)
            messages.success(request, _("%(period)s measurement of %(code)s approved.") % {
                "period": measurement.period.label, "code": measurement.indicator.code})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    return redirect("indicators:review_queue")
