"""The page on which a manager defines, changes or removes the computation of a corporate indicator
(issue 18). Thin: the form, then indicators.services.computations, whose rules and permission check
apply as they do to `manage.py define_computation`."""
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import computation_selectors, selectors, services
from .computation_forms import ComputationForm
from .computations import Computation
from .views import refused_form


@permission_required("indicators.define_computation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def computation_edit(request, code):
    indicator = selectors.indicator_get(code=code)
    computation = Computation.objects.filter(indicator=indicator).first()
    candidates = computation_selectors.computation_candidates(indicator=indicator)
    initial = {"version": computation.version if computation else 0}
    if computation is not None:
        initial.update(kind=computation.kind, note=computation.note,
                       contributions=list(computation.contributions.values_list("indicator__code", flat=True)))

    def make(data=None):
        return ComputationForm(data, initial=initial, candidates=candidates, removable=computation is not None)

    form = make(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if "action_remove" in request.POST:
                services.computation_remove(indicator=indicator, by=request.user, version=form.cleaned_data["version"])
                messages.success(request, _("%(code)s is no longer computed: its figures are entered by hand "
                                            "again.") % {"code": indicator.code})
                return redirect(indicator)
            saved = services.computation_define(
                indicator=indicator, kind=form.cleaned_data["kind"], contributing=form.cleaned_data["contributions"],
                note=form.cleaned_data["note"], by=request.user, version=form.cleaned_data["version"])
        except ValidationError as exc:  # a conflict re-arms the form with the current version
            form = refused_form(form, exc, request, make)
        else:
            if computation is not None and saved.version == computation.version:
                messages.info(request, _("Nothing changed: the computation of %(code)s was left as it was.") % {
                    "code": indicator.code})
            else:
                messages.success(request, _("%(code)s is computed: %(formula)s.") % {
                    "code": indicator.code, "formula": computation_selectors.formula_of(saved)})
            return redirect(indicator)
    return render(request, "indicators/computation_form.html", {
        "form": form, "indicator": indicator, "computation": computation, "candidates": candidates,
        "title": _("Computation of %(code)s") % {"code": indicator.code},
    })
