from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citiesalliance.forms_util import add_service_errors

from . import cached, programmes, selectors, services
from .forms import AlignmentForm, ConfirmDeleteForm, ResultForm, ResultMoveForm
from .levels import LADDER, zones
from .models import Alignment


def home(request):
    return render(request, "results/home.html", {
        "groups": selectors.framework_groups(selectors.framework_list(visible=programmes.frameworks_filter(request.user))),
        "ladder": LADDER.values(),
    })


def framework_detail(request, code):
    framework = selectors.framework_get(code=code)
    return render(request, "results/framework_detail.html", {
        "framework": framework,
        "roots": selectors.framework_tree(framework=framework),
        "zones": zones(),
    })


def result_detail(request, code):
    return render(request, "results/result_detail.html", cached.result_page(request=request, code=code))


@permission_required("results.add_result", raise_exception=True)
@require_http_methods(["GET", "POST"])
def result_create_view(request, code):
    framework = selectors.framework_get(code=code)
    initial = {}
    parent_code = request.GET.get("parent")
    if parent_code:
        parent = framework.results.filter(code__iexact=parent_code).first()
        if parent is not None:
            initial = {"parent": parent, "level": min(parent.level + 1, 5)}
    form = ResultForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.result_create(framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result %(code)s added.") % {"code": result.code})
            return redirect(result)
    return render(request, "results/form.html", {
        "form": form, "title": _("Add a result to %(framework)s") % {"framework": framework}, "framework": framework,
    })


@permission_required("results.change_result", raise_exception=True)
@require_http_methods(["GET", "POST"])
def result_edit_view(request, code):
    result = selectors.result_get(code=code)
    initial = {f: getattr(result, services.stored_field(f)) for f in services.UPDATABLE_FIELDS}
    form = ResultForm(request.POST or None, framework=result.framework, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.result_update(result=result, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result %(code)s saved.") % {"code": result.code})
            return redirect(result)
    return render(request, "results/form.html", {
        "form": form, "title": _("Edit %(code)s") % {"code": result.code}, "result": result, "framework": result.framework,
    })


@permission_required("results.change_result", raise_exception=True)
@require_http_methods(["GET", "POST"])
def result_move_view(request, code):
    result = selectors.result_get(code=code)
    form = ResultMoveForm(request.POST or None, result=result,
                          initial={"parent": result.parent, "order": result.order})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.result_move(result=result, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result %(code)s moved under %(parent)s.") % {
                "code": result.code, "parent": result.parent.code})
            return redirect(result)
    return render(request, "results/form.html", {
        "form": form, "title": _("Move %(code)s") % {"code": result.code}, "result": result, "framework": result.framework,
    })


@permission_required("results.delete_result", raise_exception=True)
@require_http_methods(["GET", "POST"])
def result_delete_view(request, code):
    result = selectors.result_get(code=code)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_delete(result=result)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result %(code)s deleted.") % {"code": result.code})
            return redirect(result.framework)
    return render(request, "results/confirm_delete.html", {
        "form": form, "object": result, "framework": result.framework,
        "alignments": list(selectors.alignment_list().filter(source=result))
        + list(selectors.alignment_list().filter(target=result)),
    })


def alignment_map_view(request):
    visible = programmes.frameworks_filter(request.user)
    frameworks = list(selectors.framework_list(visible=visible))
    left_code = request.GET.get("left") or (frameworks[0].code if frameworks else None)
    right_code = request.GET.get("right") or (frameworks[1].code if len(frameworks) > 1 else None)
    amap = None
    if left_code and right_code and left_code != right_code:
        shown = {f.code.upper(): f for f in frameworks}  # a programme the reader may not see: as unknown
        if left_code.upper() not in shown or right_code.upper() not in shown:
            raise Http404(_("No such framework."))
        amap = selectors.alignment_map(left=shown[left_code.upper()], right=shown[right_code.upper()])
    return render(request, "results/alignment_map.html", {
        "map": amap, "frameworks": frameworks, "groups": selectors.framework_groups(frameworks),
        "alignments": selectors.alignment_list(visible_ids=selectors.visible_framework_ids(visible)),
        "left_code": left_code, "right_code": right_code,
    })


@permission_required("results.add_alignment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def alignment_create_view(request):
    form = AlignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alignment = services.alignment_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Alignment added: %(alignment)s.") % {"alignment": alignment})
            return redirect("results:alignment_map")
    return render(request, "results/form.html", {"form": form, "title": _("Add an alignment")})


@permission_required("results.change_alignment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def alignment_edit_view(request, pk):
    alignment = get_object_or_404(Alignment, pk=pk)
    form = AlignmentForm(request.POST or None, initial={
        "source": alignment.source, "target": alignment.target,
        "relation": alignment.relation, "note": alignment.note,
    })
    if request.method == "POST" and form.is_valid():
        try:
            alignment = services.alignment_update(alignment=alignment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Alignment saved: %(alignment)s.") % {"alignment": alignment})
            return redirect("results:alignment_map")
    return render(request, "results/form.html", {"form": form, "title": _("Edit alignment %(alignment)s") % {"alignment": alignment}})


@permission_required("results.delete_alignment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def alignment_delete_view(request, pk):
    alignment = get_object_or_404(Alignment.objects.select_related("source", "target"), pk=pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.alignment_delete(alignment=alignment)
        messages.success(request, _("Alignment deleted: %(alignment)s.") % {"alignment": alignment})
        return redirect("results:alignment_map")
    return render(request, "results/confirm_delete.html", {"form": form, "object": alignment})
