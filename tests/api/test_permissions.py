"""The API's permission matrix: every read operation with every role and no role, every write with
every role. The expected roles are written out from the product's role table (DESIGN.md section 1),
not derived from citiesalliance/roles.py, so a wrong grant there fails here."""
import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Measurement

ALL_ROLES = ["officer", "manager", "committee", "administrator"]

READS = [
    ("api:framework-list", {}), ("api:framework-detail", {"code": "CORP"}), ("api:framework-iati", {"code": "CORP"}),
    ("api:result-list", {}), ("api:result-detail", {"code": "CORP-IMP"}),
    ("api:alignment-list", {}), ("api:period-list", {}), ("api:period-detail", {"label": "FY2014"}),
    ("api:indicator-list", {}), ("api:indicator-detail", {"code": "CORP-OUT-2-I1"}),
    ("api:dimension-list", {}), ("api:dimension-detail", {"slug": "sex"}),
    ("api:baseline-list", {}), ("api:baseline-detail", {"indicator": "CORP-OUT-2-I1"}),
    ("api:target-list", {}), ("api:measurement-list", {}), ("api:scorecard", {}), ("api:edition-list", {}),
]


def test_every_role_reads_and_no_role_sees_nothing(demo, client_as):
    for name, kwargs in READS:
        url = reverse(name, kwargs=kwargs)
        for role in ALL_ROLES:
            assert client_as(role).get(url).status_code == 200, (role, url)
        refused = client_as("no role").get(url)
        assert refused.status_code == 403, url
        assert refused.json()["detail"].startswith("You have no role yet: ask an administrator"), url
        anonymous = client_as(None).get(url)
        assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token", url


def test_the_matrix_lists_every_read_operation():
    """A new list or detail route must be added to READS (the detail routes of id-keyed objects are
    read in the other tests of this folder)."""
    from api.urls import router

    routed = {f"api:{basename}-{suffix}" for _prefix, _viewset, basename in router.registry
              for suffix in ("list", "detail")}
    id_keyed = {"api:alignment-detail", "api:target-detail", "api:measurement-detail", "api:edition-detail"}
    assert routed - id_keyed <= {name for name, _ in READS}


def test_a_deactivated_account_is_refused(demo, client_as):
    client = client_as("committee")
    client.user.is_active = False
    client.user.save()
    assert client.get(reverse("api:framework-list")).status_code == 401


def test_a_wrong_token_is_refused(demo):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(reverse("api:framework-list"))
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_the_session_works_too_and_needs_csrf_to_write(demo, make_user):
    from rest_framework.test import APIClient

    from citiesalliance import roles

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user(roles.OFFICER))
    assert client.get(reverse("api:measurement-list")).status_code == 200
    response = client.post(reverse("api:measurement-list"), {"indicator": "CORP-OUT-3-I1", "period": "FY2016",
                                                             "value": "1"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@pytest.fixture
def submitted(demo):
    """CORP-OUT-1-I1's FY2016 measurement, submitted by the demo officer."""
    return Measurement.objects.get(indicator__code="CORP-OUT-1-I1", period__label="FY2016")


def test_the_committee_cannot_write_anything(demo, client_as, submitted):
    client = client_as("committee")
    before = list(Measurement.objects.order_by("pk").values_list("pk", "value", "status", "version"))
    attempts = [
        client.post(reverse("api:measurement-list"), {"indicator": "CORP-OUT-3-I1", "period": "FY2016",
                                                      "value": "9"}, format="json"),
        client.patch(reverse("api:measurement-detail", args=[submitted.pk]), {"version": submitted.version,
                                                                             "value": "9"}, format="json"),
        client.post(reverse("api:measurement-submit", args=[submitted.pk]), {"version": submitted.version}),
        client.post(reverse("api:measurement-approve", args=[submitted.pk]), {"version": submitted.version}),
        client.post(reverse("api:measurement-return-for-revision", args=[submitted.pk]),
                    {"version": submitted.version, "note": "no"}),
        client.put(reverse("api:measurement-detail", args=[submitted.pk]), {"version": 1}, format="json"),
        client.delete(reverse("api:measurement-detail", args=[submitted.pk])),
        client.post(reverse("api:framework-list"), {"code": "HACK"}),
        client.delete(reverse("api:framework-detail", args=["CORP"])),
        client.post(reverse("api:edition-list"), {"commentary": "x"}),
    ]
    assert [a.status_code for a in attempts] == [403] * len(attempts)
    assert list(Measurement.objects.order_by("pk").values_list("pk", "value", "status", "version")) == before


@pytest.mark.parametrize("role, allowed", [("officer", False), ("committee", False), ("no role", False),
                                           ("manager", True), ("administrator", True)])
def test_only_managers_approve(demo, client_as, submitted, role, allowed):
    response = client_as(role).post(reverse("api:measurement-approve", args=[submitted.pk]),
                                    {"version": submitted.version}, format="json")
    assert response.status_code == (200 if allowed else 403), response.content
    submitted.refresh_from_db()
    assert submitted.status == ("approved" if allowed else "submitted")


@pytest.mark.parametrize("role, allowed", [("officer", True), ("manager", True), ("administrator", True),
                                           ("committee", False), ("no role", False)])
def test_who_records_measurements(demo, client_as, role, allowed):
    response = client_as(role).post(reverse("api:measurement-list"), {
        "indicator": "CORP-OUT-3-I1", "period": "FY2016", "value": "4"}, format="json")
    assert response.status_code == (201 if allowed else 403), response.content
    assert Measurement.objects.filter(indicator__code="CORP-OUT-3-I1", period__label="FY2016").exists() == allowed


def test_nobody_approves_their_own(demo, client_as):
    manager = client_as("manager")
    created = manager.post(reverse("api:measurement-list"), {
        "indicator": "CORP-OUT-3-I1", "period": "FY2016", "value": "4",
        "evidence_url": "https://example.org/r", "so_what": "Used to plan the next round.", "submit": True}, format="json").json()
    response = manager.post(reverse("api:measurement-approve", args=[created["id"]]),
                            {"version": created["version"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [
        "You submitted the FY2016 measurement of CORP-OUT-3-I1: another manager must review it."]}
    assert services.ConflictError  # the same service answered


def test_working_figures_are_for_those_who_may_edit(demo, client_as):
    url = reverse("api:measurement-list") + "?figures=working"
    for role in ("officer", "manager", "administrator"):
        assert client_as(role).get(url).status_code == 200
    for noun in ("measurement", "target", "baseline"):
        response = client_as("committee").get(reverse(f"api:{noun}-list") + "?figures=working")
        assert response.status_code == 403, noun
        assert "Working figures" in response.json()["detail"]


def test_administrators_issue_and_revoke_tokens_in_the_admin(client, administrator, officer):
    from rest_framework.authtoken.models import Token

    client.force_login(administrator)
    assert client.get(reverse("admin:authtoken_tokenproxy_changelist")).status_code == 200
    response = client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": officer.pk})
    assert response.status_code == 302, response.content[:500]
    token = Token.objects.get(user=officer)
    assert len(token.key) == 40
    client.post(reverse("admin:authtoken_tokenproxy_delete", args=[officer.pk]), {"post": "yes"})
    assert not Token.objects.filter(user=officer).exists()


# ---------------------------------------------------------------------------------------------
# Programme roles (results/programme_rules.py): a programme's officer and manager read their
# programme and the organisation's chains, never another programme; working figures and writes only
# in their own programme. Another programme's objects answer 404, as codes that do not exist.


@pytest.fixture
def programmes_demo(demo):
    """The demo with its two illustrative country programmes (BFA-OUA, MOZ-MPM), pinned as above."""
    import json
    from datetime import date

    from indicators.demo import demo_calendar
    from indicators.management.commands.load_demo import PROGRAMMES, load_programmes

    load_programmes(demo_calendar(date(2016, 8, 1)).resolve(json.loads(PROGRAMMES.read_text(encoding="utf-8"))))
    return demo


@pytest.fixture
def programme_client():
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(username):
        user = get_user_model().objects.get(username=username)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        client.user = user
        return client
    return make


def test_a_programme_role_reads_its_programme_and_the_corporate_chain_only(programmes_demo, programme_client):
    client = programme_client("illustrative-bfa-officer")
    for name, kwargs in READS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert "MOZ" not in response.content.decode(), name
    assert "BFA-OUA" in client.get(reverse("api:framework-list")).content.decode()
    assert "BFA-OUT-1-I1" in client.get(reverse("api:indicator-list") + "?page_size=100").content.decode()
    for name, kwargs in [("api:framework-detail", {"code": "MOZ-MPM"}), ("api:framework-iati", {"code": "MOZ-MPM"}),
                         ("api:result-detail", {"code": "MOZ-IMP"}),
                         ("api:indicator-detail", {"code": "MOZ-OUT-1-I1"}),
                         ("api:baseline-detail", {"indicator": "MOZ-OUT-1-I1"})]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    assert client.get(reverse("api:scorecard") + "?framework=MOZ-MPM").status_code == 404


def test_a_programme_role_sees_working_figures_of_its_programme_only(programmes_demo, programme_client):
    working = programme_client("illustrative-bfa-officer").get(
        reverse("api:measurement-list") + "?figures=working&page_size=500").json()
    codes = {row["indicator"] for row in working["results"]}
    assert codes and all(code.startswith("BFA-") for code in codes), codes


def test_a_programme_officer_records_in_its_programme_only(programmes_demo, programme_client):
    client = programme_client("illustrative-bfa-officer")
    url = reverse("api:measurement-list")
    created = client.post(url, {"indicator": "BFA-OUT-2-I1", "period": "FY2016", "value": "41",
                                "evidence_url": "https://example.org/e", "so_what": "Useful."}, format="json")
    assert created.status_code == 201, created.content
    corporate = client.post(url, {"indicator": "CORP-OUT-3-I1", "period": "FY2016", "value": "1"}, format="json")
    assert corporate.status_code == 403 and "not in your programme" in corporate.json()["detail"]
    other = client.post(url, {"indicator": "MOZ-OUT-1-I1", "period": "FY2016", "value": "1"}, format="json")
    assert other.status_code == 400 and "There is no indicator" in str(other.json())
    assert not Measurement.objects.filter(indicator__code__in=["CORP-OUT-3-I1", "MOZ-OUT-1-I1"],
                                          period__label="FY2016", value=1).exists()


def test_a_programme_manager_approves_in_its_programme_only(programmes_demo, programme_client):
    mine = Measurement.objects.get(indicator__code="BFA-OUT-1-I1", period__label="FY2016")
    assert mine.status == "submitted"
    client = programme_client("illustrative-bfa-manager")
    # Submitted by the programme's officer; approved by its manager.
    approved = client.post(reverse("api:measurement-approve", kwargs={"pk": mine.pk}), {"version": mine.version},
                           format="json")
    assert approved.status_code == 200, approved.content
    corporate = Measurement.objects.get(indicator__code="CORP-OUT-1-I1", period__label="FY2016")
    refused = client.post(reverse("api:measurement-approve", kwargs={"pk": corporate.pk}),
                          {"version": corporate.version}, format="json")
    assert refused.status_code == 404
    corporate.refresh_from_db()
    assert corporate.status == "submitted"
