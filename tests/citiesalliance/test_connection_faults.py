"""A lost database connection outside the views: the 503 page, and kept connections that heal.

On PostgreSQL the request's backend really is terminated with pg_terminate_backend from a second
connection, as a database restart or an idle-connection timeout would do; SQLite has no server to
kill, so there the session lookup raises the OperationalError a lost connection raises.
These tests commit for real (transactional): a killed connection takes the test's transaction too.
"""
import io
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from citiesalliance import roles

pytestmark = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="needs a PostgreSQL server whose backend can be terminated")


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.get_backend_pid()


def terminate(pid: int) -> None:
    """What a restart or an idle timeout does to a connection: ended by the server, from outside."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.fixture
def lose_the_connection(monkeypatch):
    """Arm: the next database query (the session lookup of the next request) finds it gone."""
    def arm():
        if connection.vendor == "postgresql":
            terminate(backend_pid())
            return

        def load(self):
            raise OperationalError("server closed the connection unexpectedly (simulated on SQLite)")
        monkeypatch.setattr(SessionStore, "load", load)

    yield arm
    connection.close()  # the next test starts on a fresh connection


def test_connection_lost_while_the_middleware_loads_the_session_gives_the_503_page(make_user,
                                                                                    lose_the_connection):
    client = Client(raise_request_exception=False)  # what a browser sees, not the test's traceback
    client.force_login(make_user(roles.COMMITTEE))
    lose_the_connection()

    response = client.get(reverse("scorecard:scorecard"))

    assert response.status_code == 503
    page = response.content.decode()
    assert "The database connection was lost" in page and "Nothing was saved." in page
    assert response["Retry-After"] == "10"
    assert "script-src 'self'" in response["Content-Security-Policy"]  # still a page of this site


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@on_postgresql
def test_first_request_after_the_idle_connection_was_dropped_succeeds(make_user, monkeypatch):
    """CONN_MAX_AGE > 0 keeps the connection between requests; the server drops it while idle."""
    client = Client()
    client.force_login(make_user(roles.COMMITTEE))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()  # reconnect as a deployment with CONN_MAX_AGE=60 does
    handler = WSGIHandler()  # the real request cycle (the test client skips the connection checks)

    def get(path):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "HTTP_HOST": "testserver", "HTTP_COOKIE": cookie,
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
                   "wsgi.errors": sys.stderr}
        status = []
        response = handler(environ, lambda s, headers, exc_info=None: status.append(s))
        body = b"".join(response)
        response.close()  # request_finished: the connection is kept, not closed
        return int(status[0].split()[0]), body.decode()

    assert get(reverse("scorecard:scorecard"))[0] == 200
    idle = backend_pid()
    assert get(reverse("home"))[0] == 200 and backend_pid() == idle  # kept between requests
    terminate(idle)

    status, page = get(reverse("scorecard:scorecard"))

    assert status == 200, page[:500]
    assert backend_pid() != idle  # the dead connection was noticed and replaced
