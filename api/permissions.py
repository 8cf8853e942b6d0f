"""Who may do what through the API: the same model permissions as the site (citiesalliance/roles.py).

Every request needs a signed-in person (token or session) and, to read, the view permission of
everything the answer shows: an account with no role sees nothing. A view names them in
`read_permissions`; a write names its own in `write_permissions[action]`, and an action that is
not listed is refused. The services check again (who may review, nobody approves their own)."""
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from citiesalliance.access import NO_ROLE_MESSAGE, administrators
from results import programmes

# What each kind of figure shows, for the views that read several (scorecard, IATI).
FIGURES = ("results.view_resultsframework", "results.view_result", "indicators.view_indicator",
           "indicators.view_baseline", "indicators.view_target", "indicators.view_measurement",
           "indicators.view_reportingperiod")
# Who may see working (unapproved) figures: those who may edit them.
WORKING_FIGURES = {
    "measurement": "indicators.change_measurement",
    "target": "indicators.change_target",
    "baseline": "indicators.change_baseline",
}


def required_permissions(request, view) -> tuple[str, ...] | None:
    """The permissions the request needs, or None when the action is not allowed at all."""
    if request.method in SAFE_METHODS:
        return tuple(getattr(view, "read_permissions", ()))
    writes = getattr(view, "write_permissions", {})
    action = getattr(view, "action", None) or request.method.lower()
    return tuple(writes[action]) if action in writes else None


class RolePermission(BasePermission):
    message = _("Your role does not allow this.")

    def needed(self, request, view) -> tuple[str, ...] | None:
        return required_permissions(request, view)

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        needed = self.needed(request, view)
        # A view that declares nothing is refused rather than opened by mistake.
        allowed = bool(needed) and user.has_perms(needed)
        if not allowed and not user.groups.exists() and not programmes.standing_of(user).has_programme_role:
            names = ", ".join(f"{a.get_full_name() or a.username} <{a.email}>" if a.email else
                              (a.get_full_name() or a.username) for a in administrators())
            self.message = f"{NO_ROLE_MESSAGE}{f' Administrators: {names}.' if names else ''}"
        return allowed


class HasARole(RolePermission):
    """The OpenAPI schema: what the API offers is for people with a role, like the data itself."""

    def needed(self, request, view) -> tuple[str, ...]:
        return ("results.view_resultsframework",)
