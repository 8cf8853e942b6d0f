"""Proposed changes to approved figures: the page a manager reviews them on. Thin, like views.py."""
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citiesalliance import object_access
from citiesalliance.forms_util import add_service_errors

from . import rules, services
from .forms import ReviewForm
from .models import Proposal


@permission_required("indicators.view_proposal", raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, code, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("indicator__result__framework", "proposed_by",
                                                                 "reviewed_by"),
                                 pk=pk, indicator__code__iexact=code)
    reviewable = proposal.status == Proposal.Status.PROPOSED and rules.may_review(
        reviewer_id=request.user.pk, author_id=proposal.proposed_by_id,
        has_permission=object_access.page_permission(request, "indicators.review_proposal"))
    form = None
    if reviewable:
        form = ReviewForm(request.POST or None, initial={"version": proposal.version})
        form.fields["note"].label = _("Note to the proposer")
    elif request.method == "POST":
        if not object_access.page_permission(request, "indicators.review_proposal"):
            raise PermissionDenied(_("Only M&E managers review proposed changes."))
        messages.error(request, _("You may not review this change.") if proposal.status == Proposal.Status.PROPOSED
                       else _("This change has already been reviewed."))
        return redirect("indicators:proposal", proposal.indicator.code, proposal.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        kwargs = {"proposal": proposal, "by": request.user, "version": form.cleaned_data["version"]}
        try:
            if "action_return" in request.POST:
                services.proposal_return(note=form.cleaned_data["note"], **kwargs)
                messages.success(request, _("The change to %(code)s was returned with your note.") % {
                    "code": proposal.indicator.code})
            else:
                services.proposal_approve(**kwargs)
                messages.success(request, _("The change to %(code)s was approved: the scorecard now scores with it.") % {
                    "code": proposal.indicator.code})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("indicators:review_queue")
    return render(request, "indicators/proposal_detail.html", {
        "proposal": proposal, "indicator": proposal.indicator, "form": form,
    })
