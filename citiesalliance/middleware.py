"""A lost database connection gets a clear page, not a server error.

Every write runs in one transaction (the services use transaction.atomic), so when the connection
drops mid-request the database has already thrown the whole write away. The user should hear
exactly that: nothing was saved, try again. This is the one place that says it, for every view.
"""
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable during %s %s", request.method, request.path, exc_info=exception)
        # Rendered without the request: the page must not touch the database (no user, no session).
        body = render_to_string("503.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "10"
        return response
