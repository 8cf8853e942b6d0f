"""Fixtures of the API and IATI tests: the seeded chains with the illustrative demo data, entered
through the services as `manage.py load_demo` does, a client per role with its own token, and
where the official IATI schema lives (../shared/iati/ beside the project, absent on users' machines)."""
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from citiesalliance import roles

ROLES = {"officer": roles.OFFICER, "manager": roles.MANAGER, "committee": roles.COMMITTEE,
         "administrator": roles.ADMINISTRATOR, "no role": None}


def _schema_dir() -> Path | None:
    """../shared/iati/ beside the project (a worktree may sit a level deeper: look upwards)."""
    root = Path(settings.BASE_DIR).resolve()
    for folder in [root.parent, *root.parents[1:]]:
        candidate = folder / "shared" / "iati"
        if (candidate / "iati-activities-schema.xsd").is_file():
            return candidate
    return None


@pytest.fixture
def iati_schema_dir():
    found = _schema_dir()
    if found is None:
        pytest.skip("The official IATI 2.03 schema (iati-activities-schema.xsd) is not in ../shared/iati/ beside "
                    "the project: it is provided there in CI and development sessions, never in the repository.")
    return found


@pytest.fixture
def demo(seeded_chains, make_user):
    """The Corporate and Secretariat chains with the illustrative demo indicators and figures, entered
    by a demo officer and manager through the services (fixtures/demo_indicators.json)."""
    import json
    from datetime import date

    from indicators.demo import demo_calendar
    from indicators.management.commands.load_demo import DEFAULT, load

    officer = make_user(roles.OFFICER, username="demo-officer")
    manager = make_user(roles.MANAGER, username="demo-manager")
    # The demo's periods are relative to the day it is loaded; these tests pin a day early in FY2017,
    # so that the demo's years are FY2013 to FY2016 and the tests can name them.
    data = demo_calendar(date(2016, 8, 1)).resolve(json.loads(Path(DEFAULT).read_text(encoding="utf-8")))
    load(data, officer=officer, manager=manager)
    return {"officer": officer, "manager": manager}


@pytest.fixture
def client_as(make_user):
    """client_as("officer") -> an APIClient with that role's personal token (None: no credentials)."""
    made = {}

    def make(role: str | None, *, username: str | None = None):
        client = APIClient()
        if role is None:
            return client
        key = username or role
        if key not in made:
            user = make_user(ROLES[role], username=username or f"api-{role.replace(' ', '-')}")
            made[key] = (user, Token.objects.create(user=user))
        user, token = made[key]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client
    return make


@pytest.fixture
def scorecard_data(db):
    """The scorecard tests' hand-calculated chains (SC and the Secretariat's SSC), see tests/scorecard."""
    from tests.scorecard.builders import build_scorecard_data
    return build_scorecard_data()


@pytest.fixture
def sex(db):
    """A dimension Sex (female, male), as a manager defines it; split indicators with sex[0].indicators.add."""
    from indicators.dimensions import Dimension, DimensionValue

    dimension = Dimension.objects.create(name="Sex", slug="sex", order=1)
    female = DimensionValue.objects.create(dimension=dimension, name="female", slug="female", order=1)
    male = DimensionValue.objects.create(dimension=dimension, name="male", slug="male", order=2)
    return dimension, female, male
