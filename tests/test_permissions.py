"""The permission matrix of the whole site: every URL, every role.

Each named URL of the site must appear in MATRIX (a new view that is not listed fails
`test_every_url_is_in_the_matrix`). Write views are walked with GET and POST for every role: the
roles that may get a page or a redirect, the others get 403 and nothing changes. Read pages answer
200 to every role. The expected roles are written out here, from the product's role table, not
derived from citiesalliance/roles.py, so a wrong grant there makes this test fail.
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from citiesalliance import roles
from indicators import services as indicator_services
from results import services as result_services
from results.models import ResultsFramework

OFFICER, MANAGER, COMMITTEE, ADMINISTRATOR = roles.OFFICER, roles.MANAGER, roles.COMMITTEE, roles.ADMINISTRATOR
EVERYONE = frozenset(roles.ROLES)
DATA_ENTRY = frozenset({OFFICER, MANAGER, ADMINISTRATOR})
MANAGERS = frozenset({MANAGER, ADMINISTRATOR})
ADMINS = frozenset({ADMINISTRATOR})

# name -> (kind, roles allowed, kwargs builder). kind: "read" (GET only), "page" (GET, restricted),
# "write" (GET form and POST, or POST only).
MATRIX = {
    # Spreadsheet import and export: administrators only.
    "imports:upload": ("write", ADMINS, lambda s: {}),
    "imports:confirm": ("write", ADMINS, lambda s: {}),
    "imports:cancel": ("write", ADMINS, lambda s: {}),
    "imports:problems": ("write", ADMINS, lambda s: {}),
    "imports:job": ("page", ADMINS, lambda s: {"pk": s["job"].pk}),
    "imports:job_status": ("page", ADMINS, lambda s: {"pk": s["job"].pk}),
    "imports:template": ("page", ADMINS, lambda s: {"kind": "measurements"}),
    "imports:export": ("page", ADMINS, lambda s: {"kind": "measurements", "fmt": "csv"}),
    # a person's own reminder settings
    "reminders:preferences": ("write", EVERYONE, lambda s: {}),
    # results
    "home": ("read", EVERYONE, lambda s: {}),
    "results:framework": ("read", EVERYONE, lambda s: {"code": s["framework"].code}),
    "results:result": ("read", EVERYONE, lambda s: {"code": s["indicator"].result.code}),
    "results:alignment_map": ("read", EVERYONE, lambda s: {}),
    "results:result_create": ("write", MANAGERS, lambda s: {"code": s["framework"].code}),
    "results:result_edit": ("write", MANAGERS, lambda s: {"code": s["leaf"].code}),
    "results:result_move": ("write", MANAGERS, lambda s: {"code": s["leaf"].code}),
    "results:result_delete": ("write", MANAGERS, lambda s: {"code": s["leaf"].code}),
    "results:alignment_create": ("write", MANAGERS, lambda s: {}),
    "results:alignment_edit": ("write", MANAGERS, lambda s: {"pk": s["alignment"].pk}),
    "results:alignment_delete": ("write", MANAGERS, lambda s: {"pk": s["alignment"].pk}),
    # indicators
    "indicators:list": ("read", EVERYONE, lambda s: {}),
    "indicators:indicator": ("read", EVERYONE, lambda s: {"code": s["indicator"].code}),
    "indicators:measurement": ("read", EVERYONE, lambda s: {"code": s["indicator"].code, "period": "FY2014"}),
    "indicators:evidence": ("read", EVERYONE, lambda s: {"pk": s["approved"].pk}),
    "indicators:proposal": ("read", EVERYONE, lambda s: {"code": s["indicator"].code, "pk": s["proposal"].pk}),
    "indicators:worklist": ("page", DATA_ENTRY, lambda s: {}),
    "indicators:review_queue": ("page", MANAGERS, lambda s: {}),
    "indicators:indicator_create": ("write", DATA_ENTRY, lambda s: {}),
    "indicators:indicator_edit": ("write", DATA_ENTRY, lambda s: {"code": s["indicator"].code}),
    "indicators:computation_edit": ("write", MANAGERS, lambda s: {"code": s["indicator"].code}),
    "indicators:baseline_edit": ("write", DATA_ENTRY, lambda s: {"code": s["indicator"].code}),
    "indicators:target_create": ("write", DATA_ENTRY, lambda s: {"code": s["indicator"].code}),
    "indicators:target_edit": ("write", DATA_ENTRY, lambda s: {"code": s["indicator"].code, "period": "FY2014"}),
    "indicators:target_review": ("write", MANAGERS, lambda s: {"code": s["indicator"].code, "period": "FY2015"}),
    "indicators:measurement_create": ("write", DATA_ENTRY, lambda s: {"code": s["indicator"].code}),
    "indicators:measurement_edit": ("write", DATA_ENTRY,
                                    lambda s: {"code": s["indicator"].code, "period": "FY2014"}),
    "indicators:measurement_review": ("write", MANAGERS,
                                      lambda s: {"code": s["indicator"].code, "period": "FY2015"}),
    # scorecard
    "scorecard:scorecard": ("read", EVERYONE, lambda s: {}),
    "scorecard:export": ("read", EVERYONE, lambda s: {"fmt": "csv"}),
    "scorecard:editions": ("read", EVERYONE, lambda s: {}),
    "scorecard:edition_compare": ("read", EVERYONE, lambda s: {}),
    "scorecard:edition": ("read", EVERYONE, lambda s: {"pk": s["edition"].pk}),
    "scorecard:edition_export": ("read", EVERYONE, lambda s: {"pk": s["edition"].pk, "fmt": "csv"}),
    "scorecard:edition_publish": ("write", MANAGERS, lambda s: {}),
    # the Committee's pack: each PDF is read by whoever reads its page
    "scorecard:overtime": ("read", EVERYONE, lambda s: {}),
    "scorecard:overtime_pdf": ("read", EVERYONE, lambda s: {}),
    "scorecard:scorecard_pdf": ("read", EVERYONE, lambda s: {}),
    "scorecard:edition_pdf": ("read", EVERYONE, lambda s: {"pk": s["edition"].pk}),
}

# Not domain pages: Django's admin (staff and its own permissions), login/logout/password views,
# and the development-only media route.
# The API (namespace "api") answers JSON with its own status codes: tests/api/test_permissions.py walks
# every one of its operations with every role.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"login", "logout", "password_change", "password_change_done", "password_reset",
                 "password_reset_done", "password_reset_confirm", "password_reset_complete",
                 "set_language"}  # the language menu: anyone's, tests/citiesalliance/test_i18n.py


def site_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in SKIPPED_NAMESPACES:
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIPPED_NAMES:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_matrix(db):
    missing = site_url_names() - set(MATRIX)
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - site_url_names()
    assert not stale, f"The matrix lists URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def scenario(make_chain, make_indicator, make_user):
    """Two chains with an alignment, an indicator with a baseline, an approved and a preliminary target,
    an approved measurement with evidence and a submitted one, and a published edition."""
    return build_scenario(make_chain, make_indicator, make_user)


def build_scenario(make_chain, make_indicator, make_user, kind=ResultsFramework.Kind.CORPORATE):
    author = make_user(OFFICER, username="author")  # submits, so every reviewer role may review
    approver = make_user(MANAGER, username="approver")
    chain = make_chain(outputs=2, kind=kind)
    other = make_chain(kind=ResultsFramework.Kind.SECRETARIAT)
    alignment = result_services.alignment_create(source=other["io"], target=chain["io"])
    leaf = chain["outputs"][1]
    indicator = make_indicator(chain["outputs"][0], code="MATRIX-1", by=author, responsible=author)
    indicator_services.baseline_record(indicator=indicator, by=author, value="1", period="FY2013")
    t = indicator_services.target_set(indicator=indicator, period="FY2014", by=author, value="5")
    indicator_services.target_approve(target=t, by=approver, version=t.version)
    indicator_services.target_set(indicator=indicator, period="FY2015", by=author, value="9")
    approved = indicator_services.measurement_record(
        indicator=indicator, period="FY2014", by=author, value="3", so_what="Used to plan the next round.", submit=True,
        evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    approved = indicator_services.measurement_approve(measurement=approved, by=approver, version=approved.version)
    indicator_services.measurement_record(indicator=indicator, period="FY2015", by=author, value="4",
                                          evidence_url="https://example.org/m", so_what="Used to plan the next round.", submit=True)
    from scorecard import services as scorecard_services
    edition = scorecard_services.edition_publish(
        framework=chain["framework"], period=approved.period, commentary="Reflect note", published_by=approver)
    proposal = indicator_services.indicator_update(indicator=indicator, by=author, version=indicator.version,
                                                   weight=2, reason="Weighted up").proposal
    from spreadsheets.models import ImportJob
    job = ImportJob.objects.create(created_by=approver, token="0" * 32, file_name="big.csv", ext=".csv",
                                   rows=20_000, stage=ImportJob.Stage.PREVIEW)
    return {"framework": chain["framework"], "leaf": leaf, "alignment": alignment, "indicator": indicator,
            "approved": approved, "edition": edition, "proposal": proposal, "job": job}


def _cases(kinds):
    return [(name, role) for name, (kind, _, _) in sorted(MATRIX.items()) if kind in kinds for role in roles.ROLES]


@pytest.mark.parametrize("name, role", _cases({"write"}))
def test_write_views(client, make_user, scenario, name, role):
    kind, allowed, kwargs = MATRIX[name]
    url = reverse(name, kwargs=kwargs(scenario))
    client.force_login(make_user(role))
    get = client.get(url)
    post = client.post(url, {})
    if role in allowed:
        assert get.status_code in (200, 302, 405), f"{role} GET {url}: {get.status_code}"
        assert post.status_code in (200, 302), f"{role} POST {url}: {post.status_code}"
    else:
        assert get.status_code == 403, f"{role} should get 403 on GET {url}, got {get.status_code}"
        assert post.status_code == 403, f"{role} should get 403 on POST {url}, got {post.status_code}"


@pytest.mark.parametrize("name, role", _cases({"read", "page"}))
def test_read_pages(client, make_user, scenario, name, role):
    kind, allowed, kwargs = MATRIX[name]
    url = reverse(name, kwargs=kwargs(scenario))
    client.force_login(make_user(role))
    response = client.get(url)
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, f"{role} GET {url}: {response.status_code}, expected {expected}"


def test_committee_posts_change_nothing(client, committee, scenario):
    """The Executive Committee's POSTs to every write URL are refused and leave the data as it was."""
    from indicators.models import Baseline, Indicator, Measurement, Target
    from results.models import Alignment, Result

    def snapshot():
        return (list(Result.objects.order_by("pk").values_list("pk", "code", "parent_id", "statement")),
                list(Alignment.objects.values_list("pk", "source_id", "target_id", "note")),
                list(Indicator.objects.values_list("pk", "name", "version")),
                list(Baseline.objects.values_list("pk", "value", "version")),
                list(Target.objects.values_list("pk", "value", "status", "version")),
                list(Measurement.objects.values_list("pk", "value", "status", "version")))

    before = snapshot()
    client.force_login(committee)
    payload = {"value": "99", "period": "FY2016", "version": "1", "code": "HACK", "name": "x", "note": "x",
               "statement": "x", "action_approve": "1", "commentary": "x"}
    for name, (kind, allowed, kwargs) in MATRIX.items():
        if kind == "write" and COMMITTEE not in allowed:  # (their own reminder settings they may change)
            assert client.post(reverse(name, kwargs=kwargs(scenario)), payload).status_code == 403, name
    assert snapshot() == before


def test_a_role_removed_or_given_takes_effect_on_the_next_request(client, make_user):
    """Permissions are kept between requests (citiesalliance.auth_backend): a change of role is not."""
    from django.contrib.auth.models import Group

    from citiesalliance import roles

    person = make_user(roles.OFFICER)
    client.force_login(person)
    worklist = "/indicators/worklist/"
    assert client.get(worklist).status_code == 200
    assert client.get(worklist).status_code == 200  # kept
    person.groups.remove(Group.objects.get(name=roles.OFFICER))
    assert client.get(worklist).status_code == 403
    person.groups.add(Group.objects.get(name=roles.MANAGER))
    assert client.get("/indicators/review/").status_code == 200  # given: granted at once
    person.groups.set([Group.objects.get(name=roles.COMMITTEE)])
    assert client.get("/indicators/review/").status_code == 403  # one role for another: refused at once
    assert client.get(worklist).status_code == 403


def test_the_menu_names_the_roles_as_they_are_now(client, make_user):
    """The roles beside the person's name are kept with the permissions; a change shows at once."""
    import html
    import re

    from django.contrib.auth.models import Group

    from citiesalliance import roles

    def named():
        page = client.get("/").content.decode()
        return html.unescape(re.search(r'class="navbar-text nav-user[^>]*>\s*([^<]*)<', page).group(1).strip())

    person = make_user(roles.OFFICER, username="rosa")
    client.force_login(person)
    assert named() == f"rosa · {roles.OFFICER}" == named()
    person.groups.add(Group.objects.get(name=roles.MANAGER))
    assert named() == f"rosa · {roles.MANAGER} · {roles.OFFICER}"


# ---------------------------------------------------------------------------------------------
# Programme roles (results/programme_rules.py): the same scenario inside country programme A; people
# with a role within A or within B only. An object of another programme answers 404 (as a code that
# does not exist); a page their role does not include, 403.

PROGRAMME_PEOPLE = ("officer of A", "manager of A", "officer of B", "manager of B")
OWN_PROGRAMME = frozenset({"officer of A", "manager of A"})
OWN_MANAGER = frozenset({"manager of A"})
NO_PROGRAMME_ROLE = frozenset()
MANAGERS_OF_ANY = frozenset({"manager of A", "manager of B"})
ALL_PROGRAMME_PEOPLE = frozenset(PROGRAMME_PEOPLE)
# name -> (who gets the page, what the others get). Pages about no one object answer by role only.
PROGRAMME_MATRIX = {
    "imports:upload": (NO_PROGRAMME_ROLE, 403), "imports:confirm": (NO_PROGRAMME_ROLE, 403),
    "imports:cancel": (NO_PROGRAMME_ROLE, 403), "imports:problems": (NO_PROGRAMME_ROLE, 403),
    "imports:job": (NO_PROGRAMME_ROLE, 403), "imports:job_status": (NO_PROGRAMME_ROLE, 403),
    "imports:template": (NO_PROGRAMME_ROLE, 403), "imports:export": (NO_PROGRAMME_ROLE, 403),
    "reminders:preferences": (ALL_PROGRAMME_PEOPLE, 403),
    "home": (ALL_PROGRAMME_PEOPLE, 403),
    "results:framework": (OWN_PROGRAMME, 404),
    "results:result": (OWN_PROGRAMME, 404),
    "results:alignment_map": (ALL_PROGRAMME_PEOPLE, 403),
    # Editing the chains stays with the organisation's managers: 403 in A, 404 in another programme.
    "results:result_create": (NO_PROGRAMME_ROLE, "403 in A, else 404"),
    "results:result_edit": (NO_PROGRAMME_ROLE, "403 in A, else 404"),
    "results:result_move": (NO_PROGRAMME_ROLE, "403 in A, else 404"),
    "results:result_delete": (NO_PROGRAMME_ROLE, "403 in A, else 404"),
    "results:alignment_create": (NO_PROGRAMME_ROLE, 403),
    "results:alignment_edit": (NO_PROGRAMME_ROLE, 403),
    "results:alignment_delete": (NO_PROGRAMME_ROLE, 403),
    "indicators:list": (ALL_PROGRAMME_PEOPLE, 403),
    "indicators:indicator": (OWN_PROGRAMME, 404),
    "indicators:measurement": (OWN_PROGRAMME, 404),
    "indicators:evidence": (OWN_PROGRAMME, 404),
    "indicators:proposal": (OWN_PROGRAMME, 404),
    "indicators:worklist": (ALL_PROGRAMME_PEOPLE, 403),
    "indicators:review_queue": (MANAGERS_OF_ANY, 403),
    "indicators:indicator_create": (NO_PROGRAMME_ROLE, 403),
    "indicators:indicator_edit": (OWN_PROGRAMME, 404),
    "indicators:computation_edit": (NO_PROGRAMME_ROLE, "403 in A, else 404"),
    "indicators:baseline_edit": (OWN_PROGRAMME, 404),
    "indicators:target_create": (OWN_PROGRAMME, 404),
    "indicators:target_edit": (OWN_PROGRAMME, 404),
    "indicators:target_review": (OWN_MANAGER, "403 in A, else 404"),
    "indicators:measurement_create": (OWN_PROGRAMME, 404),
    "indicators:measurement_edit": (OWN_PROGRAMME, 404),
    "indicators:measurement_review": (OWN_MANAGER, "403 in A, else 404"),
    "scorecard:scorecard": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:export": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:editions": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:edition_compare": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:edition": (OWN_PROGRAMME, 404),
    "scorecard:edition_export": (OWN_PROGRAMME, 404),
    "scorecard:edition_publish": (NO_PROGRAMME_ROLE, 403),
    "scorecard:overtime": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:overtime_pdf": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:scorecard_pdf": (ALL_PROGRAMME_PEOPLE, 403),
    "scorecard:edition_pdf": (OWN_PROGRAMME, 404),
}


def test_every_url_is_in_the_programme_matrix(db):
    assert set(PROGRAMME_MATRIX) == set(MATRIX)


@pytest.fixture
def programme_scenario(make_chain, make_indicator, make_user):
    from results import programmes

    built = build_scenario(make_chain, make_indicator, make_user, kind=ResultsFramework.Kind.COUNTRY)
    other = make_chain(code="OTHERPRG", kind=ResultsFramework.Kind.COUNTRY)
    people = {}
    for who in PROGRAMME_PEOPLE:
        person = make_user(username=who.replace(" ", "-"))
        framework = built["framework"] if who.endswith("A") else other["framework"]
        programmes.programme_role_set(by=None, person=person, framework=framework,
                                      role="manager" if who.startswith("manager") else "officer")
        people[who] = person
    return {**built, "people": people}


def _expected(name, who, method):
    allowed, otherwise = PROGRAMME_MATRIX[name]
    if who in allowed:
        return "ok"
    if otherwise == "403 in A, else 404":
        return 403 if who.endswith("A") else 404
    return otherwise


@pytest.mark.parametrize("name, who", [(name, who) for name in sorted(PROGRAMME_MATRIX) for who in PROGRAMME_PEOPLE])
def test_programme_roles_on_every_url(client, programme_scenario, name, who):
    from indicators.models import Measurement

    kind, _allowed, kwargs = MATRIX[name]
    url = reverse(name, kwargs=kwargs(programme_scenario))
    client.force_login(programme_scenario["people"][who])
    statuses_before = sorted(Measurement.objects.values_list("pk", "status", "version"))
    responses = [("GET", client.get(url))]
    if kind == "write":
        responses.append(("POST", client.post(url, {})))
    for method, response in responses:
        expected = _expected(name, who, method)
        if expected == "ok":
            assert response.status_code in (200, 302, 405), f"{who} {method} {url}: {response.status_code}"
        else:
            assert response.status_code == expected, f"{who} {method} {url}: {response.status_code}, expected {expected}"
            if expected == 404:
                assert "MATRIX-1" not in response.content.decode()
    if _expected(name, who, "POST") != "ok":
        assert sorted(Measurement.objects.values_list("pk", "status", "version")) == statuses_before


@pytest.mark.parametrize("name", ["indicators:list", "scorecard:editions", "home", "results:alignment_map",
                                  "indicators:worklist"])
def test_lists_show_nothing_of_another_programme(client, programme_scenario, name):
    client.force_login(programme_scenario["people"]["officer of B"])
    html = client.get(reverse(name) + ("?all=1" if name == "indicators:worklist" else "")).content.decode()
    assert "MATRIX-1" not in html and f"Framework {programme_scenario['framework'].code}" not in html
    assert programme_scenario["framework"].code not in html
