"""Country programmes and programme roles (issue 18, items 1 and 2): the rulebook, the pages, the
services, the demo. The permission matrices (tests/test_permissions.py, tests/api/test_permissions.py)
walk every URL for programme officers of A and B."""
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from citiesalliance.models import AccountChange
from indicators import services as indicator_services
from indicators.models import Measurement
from results import programme_rules as rulebook
from results import programmes
from results.models import Alignment, ProgrammeRole, ResultsFramework

A, B, CORP = 1, 2, 3
HERE_A = rulebook.Place(framework_id=A, is_programme=True)
HERE_B = rulebook.Place(framework_id=B, is_programme=True)
CORPORATE = rulebook.Place(framework_id=CORP, is_programme=False)
OFFICER_A = rulebook.Standing(officer_of=frozenset({A}))
MANAGER_A = rulebook.Standing(manager_of=frozenset({A}))
COMMITTEE = rulebook.Standing(permissions=frozenset({"indicators.view_indicator"}))
ORG_OFFICER = rulebook.Standing(permissions=frozenset({"indicators.view_indicator", "indicators.change_measurement"}))


@pytest.mark.parametrize("standing, action, place, allowed", [
    (OFFICER_A, rulebook.SEE, HERE_A, True),
    (OFFICER_A, rulebook.SEE_WORKING, HERE_A, True),
    (OFFICER_A, rulebook.ENTER, HERE_A, True),
    (OFFICER_A, rulebook.REVIEW_MEASUREMENT, HERE_A, False),
    (OFFICER_A, rulebook.SEE, CORPORATE, True),            # as the Committee sees it
    (OFFICER_A, rulebook.SEE_WORKING, CORPORATE, False),
    (OFFICER_A, rulebook.ENTER, CORPORATE, False),
    (OFFICER_A, rulebook.SEE, HERE_B, False),              # nothing of another programme
    (OFFICER_A, rulebook.SEE_WORKING, HERE_B, False),
    (MANAGER_A, rulebook.REVIEW_MEASUREMENT, HERE_A, True),
    (MANAGER_A, rulebook.APPROVE_TARGET, HERE_A, True),
    (MANAGER_A, rulebook.REVIEW_MEASUREMENT, HERE_B, False),
    (MANAGER_A, rulebook.REVIEW_MEASUREMENT, CORPORATE, False),
    (COMMITTEE, rulebook.SEE, HERE_B, True),               # organisation-wide roles as before
    (COMMITTEE, rulebook.SEE_WORKING, HERE_B, False),
    (ORG_OFFICER, rulebook.ENTER, HERE_B, True),
    (ORG_OFFICER, rulebook.REVIEW_MEASUREMENT, HERE_B, False),
    (rulebook.Standing(), rulebook.SEE, CORPORATE, False),  # no role at all
])
def test_the_rulebook(standing, action, place, allowed):
    assert rulebook.may(standing, action, place) is allowed


def test_the_rulebook_refuses_an_unknown_action():
    with pytest.raises(ValueError, match="not an action"):
        rulebook.may(OFFICER_A, "publish", HERE_A)


def test_programme_roles_add_model_permissions_only_with_a_role():
    assert rulebook.programme_permissions(rulebook.Standing()) == frozenset()
    assert "indicators.add_measurement" in rulebook.programme_permissions(OFFICER_A)
    assert "indicators.review_measurement" not in rulebook.programme_permissions(OFFICER_A)
    assert "indicators.review_measurement" in rulebook.programme_permissions(MANAGER_A)
    assert not any(p.startswith("results.add") for p in rulebook.programme_permissions(MANAGER_A))


# ---------------------------------------------------------------------------------------------
# pages


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_programme_officer_sees_their_programme_with_working_figures(client, two_programmes):
    officer_a = two_programmes["people"]["officer A"]
    response = _page(client, officer_a, reverse("indicators:indicator", args=["PRGA-I1"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "777" in html  # the submitted FY2015 figure, a working figure of their own programme
    assert reverse("indicators:measurement_create", args=["PRGA-I1"]) in html


def test_programme_officer_sees_corporate_pages_as_the_committee(client, two_programmes):
    officer_a = two_programmes["people"]["officer A"]
    response = _page(client, officer_a, reverse("indicators:indicator", args=["CORPX-I1"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "777" not in html  # approved figures only
    assert reverse("indicators:measurement_create", args=["CORPX-I1"]) not in html
    assert client.get(reverse("indicators:measurement_create", args=["CORPX-I1"])).status_code == 403
    assert client.get(reverse("indicators:measurement", args=["CORPX-I1", "FY2015"])).status_code == 200
    assert "777" not in client.get(reverse("indicators:measurement", args=["CORPX-I1", "FY2015"])).content.decode()


@pytest.mark.parametrize("name, args", [
    ("indicators:indicator", ["PRGB-I1"]),
    ("indicators:measurement", ["PRGB-I1", "FY2015"]),
    ("indicators:measurement_create", ["PRGB-I1"]),
    ("indicators:measurement_edit", ["PRGB-I1", "FY2014"]),
    ("indicators:baseline_edit", ["PRGB-I1"]),
    ("indicators:target_create", ["PRGB-I1"]),
    ("results:framework", ["PRGB"]),
    ("results:result", ["PRGB-OUT-1"]),
])
def test_another_programme_is_not_found(client, two_programmes, name, args):
    response = _page(client, two_programmes["people"]["officer A"], reverse(name, args=args))
    assert response.status_code == 404
    assert "PRGB-I1" not in response.content.decode() and "Cities supported B" not in response.content.decode()


def test_scorecard_and_lists_of_another_programme(client, two_programmes):
    officer_a = two_programmes["people"]["officer A"]
    assert _page(client, officer_a, reverse("scorecard:scorecard") + "?framework=PRGB").status_code == 404
    listed = client.get(reverse("indicators:list")).content.decode()
    assert "PRGA-I1" in listed and "CORPX-I1" in listed and "PRGB-I1" not in listed
    home = client.get(reverse("home")).content.decode()
    assert "Country programmes" in home and "Framework PRGA" in home and "Framework PRGB" not in home
    amap = client.get(reverse("results:alignment_map")).content.decode()
    assert "PRGA-IO" in amap and "PRGB-IO" not in amap
    assert client.get(reverse("results:alignment_map") + "?left=PRGB&right=CORPX").status_code == 404


def test_worklist_and_review_queue_hold_their_programme_only(client, two_programmes, manager):
    manager_a = two_programmes["people"]["manager A"]
    queue = _page(client, manager_a, reverse("indicators:review_queue")).content.decode()
    assert "PRGA-I1" in queue and "PRGB-I1" not in queue and "CORPX-I1" not in queue
    work = client.get(reverse("indicators:worklist") + "?all=1").content.decode()
    assert "PRGB-I1" not in work and "CORPX-I1" not in work
    # The organisation-wide manager still reviews everyone's.
    everything = _page(client, manager, reverse("indicators:review_queue")).content.decode()
    assert "PRGA-I1" in everything and "PRGB-I1" in everything and "CORPX-I1" in everything


def test_programme_officer_records_and_submits_and_their_manager_approves(client, two_programmes):
    officer_a, manager_a = two_programmes["people"]["officer A"], two_programmes["people"]["manager A"]
    client.force_login(officer_a)
    response = client.post(reverse("indicators:measurement_create", args=["PRGA-I1"]), {
        "period": "FY2016", "value": "12", "evidence_url": "https://example.org/evidence", "so_what": "Useful.",
        "version": "0", "action_submit": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    measurement = Measurement.objects.get(indicator__code="PRGA-I1", period__label="FY2016")
    assert measurement.status == Measurement.Status.SUBMITTED and measurement.submitted_by == officer_a
    # Not the corporate one, nor B's, even forged.
    forged = client.post(reverse("indicators:measurement_create", args=["CORPX-I1"]), {
        "period": "FY2016", "value": "12", "version": "0"})
    assert forged.status_code == 403
    assert client.post(reverse("indicators:measurement_create", args=["PRGB-I1"]), {
        "period": "FY2016", "value": "12", "version": "0"}).status_code == 404
    client.force_login(manager_a)
    approved = client.post(reverse("indicators:measurement_review", args=["PRGA-I1", "FY2016"]),
                           {"version": measurement.version})
    assert approved.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.APPROVED and measurement.reviewed_by == manager_a
    corporate = Measurement.objects.get(indicator__code="CORPX-I1", period__label="FY2015")
    assert client.post(reverse("indicators:measurement_review", args=["CORPX-I1", "FY2015"]),
                       {"version": corporate.version}).status_code == 403
    corporate.refresh_from_db()
    assert corporate.status == Measurement.Status.SUBMITTED


# ---------------------------------------------------------------------------------------------
# services: every write path (forms, import, API) asks the same rulebook


def test_services_refuse_a_programme_officer_outside_their_programme(two_programmes):
    officer_a, manager_a = two_programmes["people"]["officer A"], two_programmes["people"]["manager A"]
    with pytest.raises(PermissionDenied, match="CORPX-I1: it is not in your programme"):
        indicator_services.measurement_save_draft(indicator=two_programmes["indicators"]["corporate"],
                                                  period="FY2016", by=officer_a, value="3")
    with pytest.raises(PermissionDenied, match="PRGB-I1"):
        indicator_services.baseline_record(indicator=two_programmes["indicators"]["B"], by=officer_a, value="1",
                                           period="FY2013")
    submitted = Measurement.objects.get(indicator__code="PRGB-I1", period__label="FY2015")
    with pytest.raises(PermissionDenied, match="PRGB-I1"):
        indicator_services.measurement_approve(measurement=submitted, by=manager_a, version=submitted.version)
    with pytest.raises(PermissionDenied, match="move indicators"):
        indicator_services.indicator_update(indicator=two_programmes["indicators"]["A"], by=officer_a,
                                            version=two_programmes["indicators"]["A"].version,
                                            result=two_programmes["chains"]["corporate"]["outputs"][0],
                                            reason="Moving it")
    assert not Measurement.objects.filter(period__label="FY2016").exists()


# ---------------------------------------------------------------------------------------------
# giving roles


def test_programme_roles_are_recorded_and_only_in_country_programmes(two_programmes, administrator, make_chain):
    person = two_programmes["people"]["officer B"]
    programme_a = two_programmes["chains"]["A"]["framework"]
    programmes.programme_role_set(by=administrator, person=person, framework=programme_a,
                                  role=ProgrammeRole.Role.MANAGER)
    change = AccountChange.objects.filter(person=person, what=AccountChange.What.PROGRAMME_ROLES).first()
    assert change.changed_by == administrator
    assert change.before == "Programme officer of PRGB"
    assert change.after == "Programme manager of PRGA, Programme officer of PRGB"
    role = ProgrammeRole.objects.get(person=person, framework=programme_a)
    programmes.programme_role_remove(by=administrator, programme_role=role)
    assert AccountChange.objects.filter(person=person, what=AccountChange.What.PROGRAMME_ROLES).first().after == (
        "Programme officer of PRGB")
    with pytest.raises(ValidationError, match="not a country programme"):
        programmes.programme_role_set(by=administrator, person=person,
                                      framework=two_programmes["chains"]["corporate"]["framework"],
                                      role=ProgrammeRole.Role.OFFICER)


def test_a_role_taken_is_refused_on_the_next_request(client, two_programmes):
    officer_a = two_programmes["people"]["officer A"]
    url = reverse("indicators:indicator", args=["PRGA-I1"])
    assert _page(client, officer_a, url).status_code == 200
    ProgrammeRole.objects.filter(person=officer_a).delete()
    assert client.get(url).status_code == 403  # no role left: the no-role page


def test_admin_gives_a_programme_role(client, two_programmes, administrator):
    client.force_login(administrator)
    person = two_programmes["people"]["officer B"]
    programme_a = two_programmes["chains"]["A"]["framework"]
    response = client.post(reverse("admin:results_programmerole_add"), {
        "person": person.pk, "framework": programme_a.pk, "role": "officer"})
    assert response.status_code == 302
    assert ProgrammeRole.objects.filter(person=person, framework=programme_a, role="officer").exists()
    assert AccountChange.objects.filter(person=person, what=AccountChange.What.PROGRAMME_ROLES,
                                        changed_by=administrator).exists()


# ---------------------------------------------------------------------------------------------
# the demo


def test_demo_has_two_illustrative_programmes_aligned_to_the_corporate_chain(seeded_chains, settings, client):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    country = ResultsFramework.objects.filter(kind=ResultsFramework.Kind.COUNTRY).order_by("code")
    assert [f.code for f in country] == ["BFA-OUA", "MOZ-MPM"]
    assert all("(illustrative)" in f.name for f in country)
    for framework in country:
        assert Alignment.objects.filter(source__framework=framework, target__framework__code="CORP").exists()
        assert Measurement.objects.filter(indicator__result__framework=framework, status="approved").exists()
    bfa_officer = ProgrammeRole.objects.get(person__username="bfa-officer")
    assert bfa_officer.framework.code == "BFA-OUA" and bfa_officer.role == "officer"
    assert not bfa_officer.person.groups.exists()
    client.force_login(bfa_officer.person)
    home = client.get(reverse("home")).content.decode()
    assert "Country programmes" in home and "Burkina Faso" in home and "Mozambique" not in home
    assert client.get(reverse("indicators:indicator", args=["MOZ-OUT-1-I1"])).status_code == 404
    queue = client.get(reverse("indicators:worklist") + "?all=1").content.decode()
    assert "BFA-OUT-2-I1" in queue and "MOZ" not in queue and "CORP-" not in queue


# ---------------------------------------------------------------------------------------------
# query counts: a programme role's worklist and review queue do not grow with the programme


def _programme_with(make_chain, make_user, officer, manager, size):
    chain = make_chain(code=f"QP{size}", outputs=1, kind=ResultsFramework.Kind.COUNTRY)
    person = make_user(username=f"prog-manager-{size}")
    programmes.programme_role_set(by=None, person=person, framework=chain["framework"], role="manager")
    for n in range(size):
        indicator = indicator_services.indicator_create(by=officer, result=chain["outputs"][0], code=f"QP{size}-I{n}",
                                                        name=f"Indicator {n}", unit="cities", responsible=person)
        target = indicator_services.target_set(indicator=indicator, period="FY2015", by=officer, value="30")
        indicator_services.target_approve(target=target, by=manager, version=target.version)
        indicator_services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                              evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    from django.contrib.auth import get_user_model
    return get_user_model().objects.get(pk=person.pk)


@pytest.mark.parametrize("name", ["indicators:review_queue", "indicators:worklist"])
def test_programme_worklist_and_review_queue_queries_do_not_grow(client, make_chain, make_user, officer, manager,
                                                                 name, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0  # count the page's own reading, not the cache
    counts = {}
    for size in (2, 12):
        person = _programme_with(make_chain, make_user, officer, manager, size)
        client.force_login(person)
        client.get(reverse(name))  # the session and the person's roles, read once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count(f"QP{size}-I") >= size  # every item of their programme is listed
        assert "QP2-I" not in html if size == 12 else True  # nothing of the other programme
        counts[size] = len(queries)
    assert counts[2] == counts[12], counts


def test_an_import_by_a_programme_role_refuses_other_programmes_rows_naming_them(two_programmes):
    """The import pages stay with administrators; should a programme role's file be read, each row
    for an indicator outside their programme is refused with its row, and nothing is written."""
    from spreadsheets import importing
    from tests.spreadsheets.conftest import csv_bytes

    header = ["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment", "So what?"]
    rows = [["PRGA-I1", "FY2016", "4", "", "https://example.org/a", "", "Shared."],
            ["PRGB-I1", "FY2016", "4", "", "https://example.org/b", "", "Shared."],
            ["CORPX-I1", "FY2016", "4", "", "https://example.org/c", "", "Shared."]]
    preview = importing.spreadsheet_preview(data=csv_bytes([header, *rows]), name="programme.csv",
                                            by=two_programmes["people"]["officer A"])
    refused = {(p.row, p.value) for p in preview.problems}
    assert refused == {(3, "PRGB-I1"), (4, "CORPX-I1")}, preview.problems
    assert all("in your programme" in p.message for p in preview.problems)
    assert not preview.ok and not Measurement.objects.filter(period__label="FY2016").exists()


@pytest.mark.django_db
def test_every_url_of_the_site_shows_nothing_of_another_programme(client, make_chain, make_user, officer):
    """tests/urlwalk.py: every URL pattern (the admin's too) with its sample values, the indicator "X"
    behind them in programme A; B's officer never sees its name, and nothing fails."""
    from django.test import Client

    from tests.urlwalk import site_routes

    programme_a = make_chain(code="WALKA", kind=ResultsFramework.Kind.COUNTRY)
    programme_b = make_chain(code="WALKB", kind=ResultsFramework.Kind.COUNTRY)
    indicator_services.indicator_create(by=officer, result=programme_a["outputs"][0], code="X",
                                        name="Secret programme indicator", unit="cities", responsible=officer)
    person = make_user(username="walker")
    programmes.programme_role_set(by=None, person=person, framework=programme_b["framework"], role="manager")
    walker = Client(raise_request_exception=False)
    walker.force_login(person)
    for route in site_routes():
        response = walker.get(route.url())
        assert response.status_code < 500, (route.name, response.status_code)
        assert b"Secret programme indicator" not in response.content, route.name
    assert walker.get(reverse("indicators:indicator", args=["X"])).status_code == 404


def test_a_programme_role_is_a_role(client, two_programmes):
    """A page beyond a programme role is a plain 403, not the page for accounts with no role yet."""
    refused = _page(client, two_programmes["people"]["officer A"], reverse("imports:upload"))
    assert refused.status_code == 403 and "You have no role yet" not in refused.content.decode()


def test_a_country_programme_has_its_own_chain_on_the_same_ladder_and_rules(make_chain):
    from results import services as result_services
    from results.levels import Level

    programme = make_chain(code="PRGL", kind=ResultsFramework.Kind.COUNTRY)
    corporate = make_chain(code="CORPL")
    with pytest.raises(ValidationError, match="exactly one level below"):
        result_services.result_create(framework=programme["framework"], parent=programme["io"], level=Level.ACTIVITY,
                                      code="PRGL-ACT", statement="Too deep")
    with pytest.raises(ValidationError, match="already has its Impact"):
        result_services.result_create(framework=programme["framework"], level=Level.IMPACT, code="PRGL-IMP2",
                                      statement="A second root")
    result_services.alignment_create(source=programme["io"], target=corporate["io"])
    with pytest.raises(ValidationError, match="cycle"):
        result_services.alignment_create(source=corporate["outcome"], target=programme["outcome"])
