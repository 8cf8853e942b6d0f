"""Requests the database cannot serve get a clear page, not a server error.

Two cases, each answered before or around the views for every URL:

- **Invalid characters.** A NUL byte (``%00``) in a path or a query parameter cannot be stored or
  even compared in PostgreSQL (psycopg2 refuses the query: a 500). No address anyone means to send
  contains one, so such a request is refused up front with a 400 that says why.
- **A lost database connection.** Every write runs in one transaction (the services use
  transaction.atomic), so when the connection drops mid-request the database has already thrown the
  whole write away. The user should hear exactly that: nothing was saved, try again. A view's
  exception arrives at `DatabaseUnavailableMiddleware.process_exception`; one raised while a
  middleware loads the session or the user (or anywhere outside a view) reaches Django's 500
  handler, `server_error`, which gives the same 503 page.
"""
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (OperationalError, InterfaceError)
INVALID_CHARACTERS = ("\x00",)


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: the page must not touch the database (no user, no session).
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "10"
    return response


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """Django's handler500: a lost connection outside a view is still the 503 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, CONNECTION_ERRORS):
        logger.error("Database unavailable during %s %s", request.method, request.path, exc_info=exception)
        return database_unavailable_response()
    return defaults.server_error(request, template_name=template_name)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CONNECTION_ERRORS):
            return None
        logger.error("Database unavailable during %s %s", request.method, request.path, exc_info=exception)
        return database_unavailable_response()


def _invalid_part(request) -> str | None:
    """Where the address carries a character no field can hold, or None. (Forms are not checked
    here: their fields refuse NUL themselves, with a message on the field.)"""
    if any(c in request.path_info for c in INVALID_CHARACTERS):
        return gettext_noop("the address")
    for key, values in request.GET.lists():
        if any(c in text for text in (key, *values) for c in INVALID_CHARACTERS):
            return gettext_noop("the address's parameters")
    return None


class InvalidCharactersMiddleware:
    """First in the chain: a NUL byte anywhere in the path or the query string is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _invalid_part(request)
        if where is not None:
            logger.warning("Refused %s %r: a NUL character in %s", request.method, request.path, where)
            if request.path_info.startswith("/api/"):  # the API answers in JSON, naming the parameter
                message = f"{where[:1].upper()}{where[1:]} contains a NUL character, which no field can hold."
                named = {key: [message] for key, values in request.GET.lists()
                         if any(c in text for text in (key, *values) for c in INVALID_CHARACTERS)}
                return JsonResponse(named or {"detail": message}, status=400)
            # First in the chain, before LocaleMiddleware: the page in the reader's cookie or browser language.
            translation.activate(translation.get_language_from_request(request))
            return HttpResponseBadRequest(render_to_string("invalid_characters.html", {"where": _(where)},
                                                           request=request))
        return self.get_response(request)
