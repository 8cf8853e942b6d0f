"""Login throttling behind the README's nginx: the lockout follows the real client's address.

Requests arrive as nginx passes them: REMOTE_ADDR is always 127.0.0.1 and X-Forwarded-For carries the
client's address. The settings are those `citiesalliance.settings` derives for PROXY_COUNT=1.
"""
import pytest
from axes.utils import reset
from django.urls import reverse

from citiesalliance.settings import client_address_settings

PROXY = "127.0.0.1"
ATTACKER, VICTIM_HOME = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def behind_nginx(settings):
    settings.AXES_ENABLED = True
    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)
    yield settings
    reset()


def login(client, password, forwarded_for):
    return client.post(reverse("login"), {"username": "victim", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def lock_out(client, settings, forwarded_for):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "wrong", forwarded_for)
    assert response.status_code == 429, "the attacker's address should be locked out by now"


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_the_user_out_from_another(client, make_user, behind_nginx):
    make_user(username="victim")
    lock_out(client, behind_nginx, ATTACKER)
    assert login(client, "pw-for-tests", ATTACKER).status_code == 429  # still locked there

    client.cookies.clear()
    response = login(client, "pw-for-tests", VICTIM_HOME)
    assert response.status_code == 302, "the real user, from their own address, must still get in"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("forged", [
    "198.51.100.99, {real}",      # $proxy_add_x_forwarded_for after a client-supplied header
    "10.0.0.1, 8.8.8.8, {real}",  # a longer forged chain, with a public address in it
    "{real}",                     # nginx's $remote_addr: the header as the README sets it
])
def test_a_forged_forwarded_for_does_not_bypass_the_lockout(client, make_user, behind_nginx, forged):
    make_user(username="victim")
    lock_out(client, behind_nginx, ATTACKER)
    # The attacker now writes a fresh address of their choice on the left of the header.
    response = login(client, "pw-for-tests", forged.format(real=ATTACKER))
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_ignored(client, make_user, settings):
    """Served directly (PROXY_COUNT=0), X-Forwarded-For is the client's own text: never trusted."""
    settings.AXES_ENABLED = True
    for name, value in client_address_settings(0).items():
        setattr(settings, name, value)
    make_user(username="victim")
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "victim", "password": "wrong"},
                               REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "victim", "password": "pw-for-tests"},
                           REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429
    reset()


def test_the_deployed_settings_read_the_forwarded_address():
    """PROXY_COUNT=1 (the README's deployment) makes axes read X-Forwarded-For through ipware."""
    import ipware  # noqa: F401  (axes falls back to REMOTE_ADDR silently when ipware is missing)

    one = client_address_settings(1)
    assert one["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"
    assert one["IPWARE_STRICT"] is False
