"""Reading needs a role: an account with no group sees no data on any URL of the site.

Walks every URL pattern (the admin's included, through tests/urlwalk.py), so a URL added later
without a read rule fails here. The account pages a signed-in person needs for themselves (log out,
change their own password) and the public login and reset pages are the only exceptions, listed.
"""
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from citiesalliance import access, roles
from tests.urlwalk import site_routes

ROUTES = site_routes()
# Pages that show no data and that anyone signed in (or not) needs: their own account, the login.
ACCOUNT_PAGES = {"login", "logout", "password_change", "password_change_done", "password_reset",
                 "password_reset_done", "password_reset_confirm", "password_reset_complete",
                 "admin:login", "admin:logout", "set_language"}
NO_ROLE_TEXT = "You have no role yet"


@pytest.fixture
def nobody(make_user):
    """Signed in, active, no group: what the review used."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="nobody", first_name="No", last_name="Body"))
    return client


@pytest.fixture
def scenario(make_indicator, officer, manager, make_user):
    """Real data behind the sample URLs, so a missing check would show something."""
    from indicators import services
    indicator = make_indicator(code="X")
    services.baseline_record(indicator=indicator, by=officer, value="1", period="FY2013")
    make_user(roles.ADMINISTRATOR, username="ada", first_name="Ada", last_name="Admin", email="ada@example.org",
              is_staff=True)
    return indicator


def test_the_walk_finds_the_pages_of_the_review(db):
    names = {r.name for r in ROUTES}
    assert {"scorecard:export", "scorecard:edition_export", "home", "indicators:list", "admin:index"} <= names


def test_every_site_url_has_a_read_rule():
    from django.urls import resolve
    missing = []
    for route in ROUTES:
        match = resolve(route.url())
        if getattr(match.func, "login_required", True) and access.required_permissions(match) is None:
            missing.append(route.name)
    assert missing == [], f"Declare what these pages need to be read in citiesalliance/access.py: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_an_account_with_no_role_sees_nothing(nobody, scenario, route):
    url = route.url()
    for method in ("get", "post"):
        response = getattr(nobody, method)(url)
        if route.name in ACCOUNT_PAGES:
            assert response.status_code in (200, 302, 404, 405), f"{method} {url}: {response.status_code}"
            assert "Cities supported" not in response.content.decode()
        elif route.name == "api:not_found":  # any other address under /api/v1/: nothing there to show
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        elif route.name.startswith("admin"):
            assert response.status_code == 302, f"{method} {url}: {response.status_code}"
            assert response.url.startswith(reverse("admin:login")), response.url
        else:
            assert response.status_code == 403, f"{method} {url}: {response.status_code}"
            page = response.content.decode()
            assert NO_ROLE_TEXT in page, f"{method} {url}: not the no-role page"
            assert "Cities supported" not in page and "FY2013" not in page


@pytest.mark.django_db
def test_the_no_role_page_says_whom_to_ask(nobody, scenario):
    response = nobody.get(reverse("scorecard:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert NO_ROLE_TEXT in page and "No Body" in page
    assert "Ada Admin" in page and "mailto:ada@example.org" in page
    assert 'action="/accounts/logout/"' in page  # a way out


@pytest.mark.django_db
def test_the_first_page_after_login_is_the_no_role_page(make_user, db):
    make_user(username="newcomer")
    client = Client()
    response = client.post(reverse("login"), {"username": "newcomer", "password": "pw-for-tests"}, follow=True)
    assert response.status_code == 403 and NO_ROLE_TEXT in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reads_the_scorecard_and_its_exports(client, make_user, scenario, role):
    client.force_login(make_user(role))
    for url in (reverse("home"), reverse("scorecard:scorecard"), reverse("indicators:indicator", args=["X"])):
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.django_db
def test_a_group_without_the_view_permission_gets_a_plain_403(make_user, scenario):
    """A role that lacks a view permission is refused, without being told it has no role."""
    visitors = Group.objects.create(name="Visitors")
    user = make_user(username="visitor")
    user.groups.add(visitors)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get(reverse("indicators:list"))
    assert response.status_code == 403
    assert NO_ROLE_TEXT not in response.content.decode()


def test_the_role_middleware_comes_after_the_login_middleware():
    order = settings.MIDDLEWARE
    assert order.index("citiesalliance.access.RoleRequiredMiddleware") > order.index(
        "django.contrib.auth.middleware.LoginRequiredMiddleware")
