"""Invalid characters never reach the database: 400 (or 404), never a 500, on every URL pattern.

PostgreSQL refuses a query holding a NUL byte (psycopg2 raises before sending it), so before this
`/indicators/%00/` or `?framework=%00` was a server error there. Every URL pattern of the site and of
the admin is walked with NUL in each path argument, in each query-string key the views read, and in
a form (where the fields refuse it with a message: no 500), signed in as a superuser so each view really runs. Other awkward text (control characters,
broken UTF-8, SQL, very long values) in each path argument must not give a 500 either.
"""
import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.urlwalk import site_routes

NUL = "\x00"
APPS = ("citiesalliance", "results", "indicators", "scorecard")
ADMIN_KEYS = ("q", "o", "p", "all", "_popup", "_to_field", "_changelist_filters")


def query_keys_read_by_views() -> list[str]:
    """Every `request.GET.get("key")` / `request.GET["key"]` in the apps' code, found by reading it."""
    keys = set(ADMIN_KEYS)
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                target, key = None, None
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                        and node.args and isinstance(node.args[0], ast.Constant):
                    target, key = node.func.value, node.args[0].value
                elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                    target, key = node.value, node.slice.value
                if isinstance(target, ast.Attribute) and target.attr == "GET" and isinstance(key, str):
                    keys.add(key)
    return sorted(keys)


ROUTES = site_routes()
KEYS = query_keys_read_by_views()


@pytest.fixture
def superuser_client(make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    return client


def assert_refused(response, url):
    assert response.status_code in (400, 404), f"{url}: {response.status_code}"
    if response.status_code == 400:
        assert "contains a NUL character" in response.content.decode(), url


def test_the_walk_sees_the_query_keys_of_the_review():
    assert {"framework", "period", "line", "q"} <= set(KEYS)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_nul_in_the_path_is_refused(superuser_client, route):
    urls = [route.url(**{p.name: NUL}) for p in route.placeholders] or [route.url() + "%00"]
    urls += [route.url(**{p.name: f"A{NUL}B"}) for p in route.placeholders]
    for url in urls:
        assert_refused(superuser_client.get(url), url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_nul_in_the_query_string_is_refused(superuser_client, route):
    for key in KEYS:
        url = f"{route.url()}?{key}=%00"
        assert_refused(superuser_client.get(url), url)
    url = f"{route.url()}?%00=1"
    assert_refused(superuser_client.get(url), url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_nul_in_a_form_never_gives_a_server_error(superuser_client, route):
    """Form fields refuse NUL with a message on the field (tests/test_fuzz_forms.py checks the
    messages); here every URL gets such a POST, so a view reading request.POST itself is covered."""
    data = {"name": f"x{NUL}", "code": NUL, "token": NUL, "cut_item": NUL, "pasted_on": NUL, "username": NUL,
            "version": NUL, "period": NUL, "email": NUL}
    response = superuser_client.post(route.url(), data)
    assert response.status_code < 500, f"POST {route.url()}: {response.status_code}"


AWKWARD = ["\x01\x1f", "%ff%fe", "é€😀", "' OR 1=1 --", "..", "A" * 300, "9" * 30, "-1"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.placeholders], ids=lambda r: r.name)
def test_awkward_path_arguments_never_give_a_server_error(superuser_client, route):
    for placeholder in route.placeholders:
        for value in AWKWARD:
            url = route.url(**{placeholder.name: value})
            if value == "%ff%fe":  # raw broken UTF-8, not the text "%ff"
                url = url.replace("%25ff%25fe", "%ff%fe")
            response = superuser_client.get(url)
            assert response.status_code < 500, f"{url}: {response.status_code}"
