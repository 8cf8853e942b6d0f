"""Reading needs a role: every page and export asks for the view permission of what it shows.

One table, checked by one middleware for every URL, so a new page cannot be forgotten: a URL whose
namespace (or name) is not in READ_PERMISSIONS is refused to everyone until it is added here
(tests/citiesalliance/test_reading_needs_a_role.py walks every URL pattern). Write views keep their
own permission checks on top of this. Not covered here, deliberately: the login and password-reset
pages (marked login_not_required), a signed-in person's own account pages, and Django's admin, which
checks staff status and model permissions itself.

A signed-in account with no group gets a page saying it has no role yet and naming the
administrators to ask; an account with a role that lacks the permission gets a plain 403.
"""
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citiesalliance import object_access, roles
from results import programmes

logger = logging.getLogger(__name__)

RESULTS = ("results.view_resultsframework", "results.view_result", "results.view_alignment")
INDICATORS = ("indicators.view_indicator", "indicators.view_baseline", "indicators.view_target",
              "indicators.view_measurement", "indicators.view_reportingperiod")
SCORECARD = ("scorecard.view_edition",)

# Namespace, or "namespace:name" / a URL's name for one page, -> the permissions it needs.
READ_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "home": RESULTS,
    "results": RESULTS + ("indicators.view_indicator",),  # a result's page lists its indicators
    "indicators": RESULTS + INDICATORS,
    "scorecard": RESULTS + INDICATORS + SCORECARD,
    "imports": RESULTS + INDICATORS,
    # A person's own reminder settings: any role (an account with no role gets no reminders).
    "reminders": RESULTS,  # and spreadsheets.permissions.can_import in the views: administrators only
    # The API's JSON views authenticate themselves (a token or the session) and check each view's
    # permissions (api/permissions.py); this rule covers its documentation pages.
    "api": RESULTS,
    "django.views.static.serve": ("indicators.view_measurement",),  # DEBUG only: uploaded evidence
}
# A signed-in person's own account, whatever their role.
OWN_ACCOUNT = {"logout", "password_change", "password_change_done"}
SELF_CHECKING_NAMESPACES = {"admin"}


NO_ROLE_MESSAGE = gettext_lazy("You have no role yet: ask an administrator to give you one.")


def administrators() -> list:
    """Whom to ask for a role or a password: active administrators and superusers, by name."""
    return list(get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR)).distinct().order_by(
        "first_name", "last_name", "username"))


def required_permissions(match) -> tuple[str, ...] | None:
    """The permissions a resolved URL needs; () for none beyond a login; None if it has no rule."""
    namespace = match.namespaces[0] if match.namespaces else ""
    if namespace in SELF_CHECKING_NAMESPACES or (not namespace and match.url_name in OWN_ACCOUNT):
        return ()
    for key in (f"{namespace}:{match.url_name}", namespace, match.url_name, match.view_name):
        if key and key in READ_PERMISSIONS:
            return READ_PERMISSIONS[key]
    return None


class RoleRequiredMiddleware:
    """After LoginRequiredMiddleware: signed-in people see only what their role may read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or not request.user.is_authenticated:
            return None  # public pages (login, password reset); LoginRequiredMiddleware did the rest
        needed = required_permissions(request.resolver_match)
        if needed is None:
            logger.error("No read permission is declared for %s: refused", request.resolver_match.view_name)
            raise PermissionDenied(_("This page has no access rule yet."))
        if request.user.has_perms(needed):
            # The object the page names must be in a framework the person may act in (programme roles).
            object_access.check_object(request, request.resolver_match)
            return None
        if not request.user.groups.exists() and not programmes.standing_of(request.user).has_programme_role:
            return render(request, "registration/no_role.html", {"administrators": administrators()},
                          status=403)
        raise PermissionDenied(_("Your role does not include reading this page."))
