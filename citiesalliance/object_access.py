"""Which framework a page's object lives in, and whether the person may do the page's action there.

The model-level check (citiesalliance/access.py) lets a programme officer into the indicator pages;
this table then asks the programme rulebook (results/programme_rules.py) about the object the URL
names, for every page, so a new page of an existing kind cannot be forgotten. An object in a
country programme the person has no role in answers 404, as a code that does not exist (nothing of
another programme shows, not even that it exists); an object they may see but not change (a
corporate indicator, for a programme officer) answers 403, as a page their role does not include.

The outcome is kept on the request (`request.programme_place`) for the views that show working
figures only to those who may see them.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from indicators.models import Indicator, Measurement
from results import programme_rules as rulebook
from results import programmes
from results.models import Result, ResultsFramework
from scorecard.models import Edition

# "namespace:name" -> the action the page performs on its object.
PAGE_ACTIONS: dict[str, str] = {
    "indicators:indicator": rulebook.SEE,
    "indicators:measurement": rulebook.SEE,
    "indicators:evidence": rulebook.SEE,
    "indicators:proposal": rulebook.SEE,  # the Committee reads proposals too (indicators.view_proposal)
    "indicators:indicator_edit": rulebook.ENTER,
    # and indicators.define_computation, which no programme role gives: 403 in one's programme
    "indicators:computation_edit": rulebook.SEE,
    "indicators:baseline_edit": rulebook.ENTER,
    "indicators:target_create": rulebook.ENTER,
    "indicators:target_edit": rulebook.ENTER,
    "indicators:measurement_create": rulebook.ENTER,
    "indicators:measurement_edit": rulebook.ENTER,
    "indicators:target_review": rulebook.APPROVE_TARGET,
    "indicators:measurement_review": rulebook.REVIEW_MEASUREMENT,
    "results:framework": rulebook.SEE,
    "results:result_create": rulebook.SEE,  # and results.add_result, which no programme role gives
    "results:result": rulebook.SEE,
    "results:result_edit": rulebook.SEE,
    "results:result_move": rulebook.SEE,
    "results:result_delete": rulebook.SEE,
    "scorecard:edition": rulebook.SEE,
    "scorecard:edition_export": rulebook.SEE,
    "scorecard:edition_pdf": rulebook.SEE,
}
# Pages that choose a framework by ?framework=CODE (the scorecard, lists).
FRAMEWORK_PARAMETER = {"scorecard", "indicators:list", "scorecard:editions"}

_RESULT_CODE_PAGES = {"results:result", "results:result_edit", "results:result_move", "results:result_delete"}


def _framework_of(view_name: str, kwargs: dict) -> tuple[int, str] | None:
    """(framework id, kind) of the object the URL names; None when there is none (the view 404s)."""
    if view_name == "indicators:evidence":
        row = Measurement.objects.filter(pk=kwargs["pk"]).values_list(
            "indicator__result__framework_id", "indicator__result__framework__kind")
    elif view_name.startswith("indicators:"):
        row = Indicator.objects.filter(code__iexact=kwargs["code"]).values_list(
            "result__framework_id", "result__framework__kind")
    elif view_name in _RESULT_CODE_PAGES:
        row = Result.objects.filter(code__iexact=kwargs["code"]).values_list("framework_id", "framework__kind")
    elif view_name.startswith("results:"):
        row = ResultsFramework.objects.filter(code__iexact=kwargs["code"]).values_list("pk", "kind")
    else:
        row = Edition.objects.filter(pk=kwargs["pk"]).values_list("framework_id", "framework__kind")
    return row.first()


def _check(user, action: str, found) -> rulebook.Place | None:
    if found is None:
        return None
    place = rulebook.Place(framework_id=found[0], is_programme=found[1] == ResultsFramework.Kind.COUNTRY)
    if not programmes.may(user, rulebook.SEE, place):
        raise Http404(_("No such page."))
    if not programmes.may(user, action, place):
        raise PermissionDenied(_("Your role does not include this in this framework."))
    return place


def needs_looking_up(user, action: str) -> bool:
    """Organisation-wide roles may do the action everywhere: no object is looked up for them (their
    pages cost what they did), unless a programme role could show them more of one framework."""
    standing = programmes.standing_of(user)
    if not programmes.everywhere(user, action):
        return True
    return standing.has_programme_role and not programmes.everywhere(user, rulebook.SEE_WORKING)


def check_object(request, match) -> None:
    """Raise Http404/PermissionDenied for an object the person may not see or act on; keep the place."""
    request.programme_place = None
    namespace = match.namespaces[0] if match.namespaces else ""
    view_name = f"{namespace}:{match.url_name}"
    action = PAGE_ACTIONS.get(view_name)
    if action is not None and needs_looking_up(request.user, action):
        request.programme_place = _check(request.user, action, _framework_of(view_name, match.kwargs))
        return
    code = request.GET.get("framework", "")
    if code and (namespace in FRAMEWORK_PARAMETER or view_name in FRAMEWORK_PARAMETER) and needs_looking_up(
            request.user, rulebook.SEE):
        found = ResultsFramework.objects.filter(code__iexact=code[:20]).values_list("pk", "kind").first()
        request.programme_place = _check(request.user, rulebook.SEE, found)


def sees_working_figures(request) -> bool:
    """Whether the page may show working figures (drafts, submissions) of its object's framework."""
    if programmes.everywhere(request.user, rulebook.SEE_WORKING):
        return True
    place = getattr(request, "programme_place", None)
    return place is not None and programmes.may(request.user, rulebook.SEE_WORKING, place)


# The model permissions whose answer, on a page about one object, depends on its framework.
PERMISSION_ACTIONS = {
    **{perm: rulebook.ENTER for perm in rulebook.PROGRAMME_OFFICER_WRITES},
    "indicators.review_measurement": rulebook.REVIEW_MEASUREMENT,
    "indicators.approve_target": rulebook.APPROVE_TARGET,
    "indicators.review_proposal": rulebook.REVIEW_PROPOSAL,
    "indicators.view_proposal": rulebook.SEE_WORKING,
}


def may_here(request, action: str) -> bool:
    """Whether the person may do `action` in the framework of the page's object."""
    if programmes.everywhere(request.user, action):
        return True
    place = getattr(request, "programme_place", None)
    return place is not None and programmes.may(request.user, action, place)


def page_permission(request, perm: str) -> bool:
    """`perm` as a page about one object answers it: the model permission, and for a programme role
    the rulebook's answer for that object's framework (a page about no object: the worklist, the
    review queue, which list only the person's programmes)."""
    if not request.user.has_perm(perm):
        return False
    action = PERMISSION_ACTIONS.get(perm)
    place = getattr(request, "programme_place", None)
    if action is None or place is None or programmes.everywhere(request.user, action):
        return True
    return programmes.may(request.user, action, place)


def reader_key(request) -> tuple:
    """What a cached page part depends on of its reader: permissions, programme roles, the place."""
    user = request.user
    standing = programmes.standing_of(user)
    place = getattr(request, "programme_place", None)
    return (tuple(sorted(user.get_all_permissions())), tuple(sorted(standing.officer_of)),
            tuple(sorted(standing.manager_of)), place.framework_id if place else None)
