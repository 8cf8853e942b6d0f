"""The site's error pages: a page of the site that says why and offers a way back, never bare text.

Django's own handlers would render templates/403.html and 404.html too; these add a safe "back"
link (the page the reader came from, when it is on this site) and a reason in words, and the CSRF
failure view uses the same 403 page (a form that expired says so, and nothing was saved).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import roles, services
from .languages import SESSION_KEY, offered

_GENERIC_404 = ("No ", "matches the given query")


def _back(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and referer != request.build_absolute_uri() and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    return ""


def _roles(request) -> list[str]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [roles.role_label(name) for name in user.groups.values_list("name", flat=True)]


def permission_denied(request, exception=None):
    return render(request, "403.html", {
        "reason": str(exception or ""), "back": _back(request), "roles": _roles(request), "error_page": True,
    }, status=403)


def page_not_found(request, exception=None):
    message = str(exception or "")
    if message.startswith(_GENERIC_404[0]) and message.endswith(_GENERIC_404[1] + "."):
        message = ""  # get_object_or_404's wording names a model, not what the reader looked for
    if not isinstance(getattr(exception, "args", None), tuple) or not exception.args or not isinstance(
            exception.args[0], str):
        message = ""  # the resolver's own 404 carries a dict of patterns: nothing for a reader
    return render(request, "404.html", {
        "reason": message, "back": _back(request), "path": request.path, "error_page": True,
    }, status=404)


def csrf_failure(request, reason=""):
    return render(request, "403.html", {
        "csrf": True, "back": _back(request), "roles": _roles(request), "login_url": reverse("login"),
        "error_page": True,
    }, status=403)


@login_not_required  # the login page offers the menu too
@require_POST
def language_set(request):
    """The language menu: Django's set_language (the cookie, back to the same page), and for a
    signed-in person their account's preference and this session, so it follows them."""
    language = request.POST.get("language", "")
    if not offered(language):
        messages.error(request, _("The language “%(language)s” is not offered; choose one from the menu.")
                       % {"language": language[:20]})
        return set_language(request)  # back to the page, nothing changed
    if request.user.is_authenticated:
        services.preference_language_set(person=request.user, language=language)
        request.session[SESSION_KEY] = language
    return set_language(request)
