"""The reminders page (each person's own switch) and the navigation bar's counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citiesalliance import roles
from indicators import selectors as indicator_selectors
from indicators import services as indicator_services
from reminders.models import ReminderPreference

URL = "/reminders/"


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_switches_its_own_reminders_off_and_on(client, make_user, role):
    person = make_user(role, email="p@example.org")
    client.force_login(person)
    page = client.get(URL)
    assert page.status_code == 200 and "Reminders are <strong>on</strong>" in page.content.decode()
    assert 'href="/reminders/"' in page.content.decode()  # the navbar's link (the person's name)
    response = client.post(URL, {}, follow=True)  # the box unticked
    assert "Reminders are off" in response.content.decode()
    assert ReminderPreference.objects.get(person=person).enabled is False
    client.post(URL, {"enabled": "on"})
    assert ReminderPreference.objects.get(person=person).enabled is True


def test_the_switch_is_confirmed_in_the_readers_language(client, officer):
    client.force_login(officer)
    response = client.post(URL, {}, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Les rappels sont désactivés : le site ne vous enverra pas de rappels par courriel." in \
        response.content.decode()
    response = client.post(URL, {"enabled": "on"}, follow=True, HTTP_ACCEPT_LANGUAGE="es")
    assert "Los recordatorios están activados: los recibirá por correo electrónico." in response.content.decode()


def test_an_account_with_no_role_gets_the_no_role_page(client, make_user):
    client.force_login(make_user(None))
    response = client.get(URL)
    assert response.status_code == 403 and "no role yet" in response.content.decode()
    assert client.post(URL, {}).status_code == 403 and not ReminderPreference.objects.exists()


def test_a_stray_value_is_read_as_a_tick_never_an_error(client, officer):
    client.force_login(officer)
    assert client.post(URL, {"enabled": "\u00e9\u00e9"}).status_code == 302
    assert client.get(URL).status_code == 200


def overdue_targets(indicator, officer, years):
    for year in years:
        indicator_services.target_set(indicator=indicator, period=f"FY{year}", by=officer, value="5")


def test_the_officer_sees_the_worklist_count_and_the_manager_the_queue(client, officer, manager, make_indicator):
    indicator = make_indicator(code="NAV-1")
    overdue_targets(indicator, officer, (2014, 2015))
    m = indicator_services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                              evidence_url="https://example.org/e", so_what="Used.", submit=True)
    assert m.status == "submitted"
    work = indicator_selectors.worklist(user=officer)
    expected = len(work["baselines"]) + len(work["due"]) + len(work["returned"])
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert f'aria-hidden="true">{expected}</span><span class="visually-hidden">, {expected} due</span>' in html
    queue = indicator_selectors.review_queue()
    waiting = len(queue["measurements"]) + len(queue["targets"]) + len(queue["proposals"])
    assert waiting == 3  # the submitted actual and the two preliminary targets
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert f'<span class="visually-hidden">, {waiting} awaiting review</span>' in html


def test_the_committee_has_no_counts(client, committee, make_indicator, officer):
    overdue_targets(make_indicator(code="NAV-2"), officer, (2014,))
    client.force_login(committee)
    assert "nav-count" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [roles.OFFICER, roles.MANAGER])
def test_the_counts_cost_the_same_queries_at_any_size(client, make_user, make_indicator, make_chain, role):
    officer = make_user(roles.OFFICER)
    person = make_user(role) if role == roles.MANAGER else officer
    chain = make_chain(outputs=1)
    client.force_login(person)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    overdue_targets(make_indicator(chain["outputs"][0], code="Q-0", responsible=officer, by=officer), officer, (2014,))
    client.get(reverse("home"))
    small = queries()
    for n in range(1, 6):
        ind = make_indicator(chain["outputs"][0], code=f"Q-{n}", responsible=officer, by=officer)
        overdue_targets(ind, officer, (2014, 2015, 2016))
        indicator_services.measurement_record(indicator=ind, period="FY2014", by=officer, value="1",
                                              evidence_url="https://example.org/e", so_what="Used.", submit=True)
    html = client.get(reverse("home")).content.decode()
    assert "nav-count" in html
    assert queries() == small
