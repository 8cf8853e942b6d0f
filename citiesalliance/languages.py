"""The reader's language (issue 19): the language menu, remembered per person.

Anonymous readers (the login and password-reset pages) get Django's LocaleMiddleware: the menu's
cookie, else the browser's Accept-Language. A signed-in person's choice is kept on their account
(citiesalliance.models.Preference) so it follows them to any browser: at login it is copied into the
session, and PersonLanguageMiddleware activates it on each request from there, without a query.
(A choice made in one browser reaches a session already open elsewhere at that session's next login.)
"""
from django.conf import settings
from django.utils import translation

SESSION_KEY = "citiesalliance_language"


def offered(language: str | None) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def remember_at_login(sender, request, user, **kwargs):
    """user_logged_in: the person's chosen language into the new session (one query, at login only).

    A receiver rather than a line in the login view: the admin's login, the test client's and a
    login after a password reset all pass here."""
    from .models import Preference

    if request is None or not hasattr(request, "session"):
        return
    language = Preference.objects.filter(person=user).values_list("language", flat=True).first()
    if offered(language):
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)


class PersonLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person's own language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)  # LocaleMiddleware's response step says Content-Language

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, as the login check reads the session: a database lost while loading it
        # gives the site's 503 page through the other middlewares' response steps (its headers).
        if not request.user.is_authenticated:
            return None
        language = request.session.get(SESSION_KEY)
        if offered(language) and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return None


def language_of(person) -> str:
    """The language to write to `person` in outside a request (their reminders by email): their
    choice on the menu, else the site's default. One query; callers sending many emails may prefetch
    `preference`."""
    from .models import Preference

    try:
        language = person.preference.language
    except Preference.DoesNotExist:
        language = ""
    return language if offered(language) else settings.LANGUAGE_CODE
