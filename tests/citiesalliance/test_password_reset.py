"""Password reset: off without a mail server (and the pages say whom to ask), real mail with one.

With mail configured the reset is tested end to end against a real SMTP server started by the test
(aiosmtpd, the `smtp_server` fixture): the email arrives, its link works, the new password signs in,
and the change is recorded on the person's admin page.
"""
import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from citiesalliance import roles
from citiesalliance.settings import email_settings

RESET_PAGES = ["password_reset", "password_reset_done", "password_reset_complete"]


@pytest.fixture
def no_mail(settings):
    settings.EMAIL_CONFIGURED = False
    return settings


@pytest.fixture
def ada(make_user):
    return make_user(roles.ADMINISTRATOR, username="ada", first_name="Ada", last_name="Admin",
                     email="ada@example.org", is_staff=True)


def test_the_settings_say_mail_is_off_without_email_url():
    assert email_settings("") == {"EMAIL_CONFIGURED": False}


def test_email_url_gives_the_mail_settings():
    parsed = email_settings("smtp://rbm%40example.org:s%3Acret@mail.example.org:587?tls=1")
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (parsed["EMAIL_HOST"], parsed["EMAIL_PORT"], parsed["EMAIL_USE_TLS"]) == ("mail.example.org", 587, True)
    assert (parsed["EMAIL_HOST_USER"], parsed["EMAIL_HOST_PASSWORD"]) == ("rbm@example.org", "s:cret")
    assert parsed["EMAIL_CONFIGURED"] is True
    assert email_settings("console://")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        email_settings("consolemail://")


@pytest.mark.django_db
@pytest.mark.parametrize("name", RESET_PAGES)
def test_without_mail_the_reset_pages_are_off(client, no_mail, ada, make_user, name):
    make_user(username="forgetful", email="forgetful@example.org")
    url = reverse(name)
    for response in (client.get(url), client.post(url, {"email": "forgetful@example.org"})):
        assert response.status_code == 404
        page = response.content.decode()
        assert "Ask an administrator to reset your" in page
        assert "emailed" not in page
        assert "Ada" not in page and "ada@example.org" not in page  # public: no account names
    assert mail.outbox == []


@pytest.mark.django_db
def test_without_mail_a_reset_link_is_off_too(client, no_mail, make_user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = make_user(username="forgetful")
    url = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                  default_token_generator.make_token(user)])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_without_mail_the_login_page_says_to_ask_an_administrator(client, no_mail, ada):
    page = client.get(reverse("login")).content.decode()
    assert "Forgotten your password? Ask an administrator to reset it." in page
    assert "Ada" not in page and "ada@example.org" not in page  # public: no account names
    assert reverse("password_reset") not in page


@pytest.mark.django_db
def test_with_mail_the_reset_email_arrives_and_its_link_sets_the_password(smtp_server, settings, make_user):
    settings.DEFAULT_FROM_EMAIL = "rbm@example.org"
    user = make_user(roles.OFFICER, username="forgetful", email="forgetful@example.org")
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page

    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"}, follow=True)
    assert response.status_code == 200 and "Check your email" in response.content.decode()

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ("forgetful@example.org",) and received.mail_from == "rbm@example.org"
    assert received.message["To"] == "forgetful@example.org"
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", received.body).group(1)

    response = client.get(link, follow=True)  # the token moves into the session, then the form
    assert response.status_code == 200 and "Set a new password" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "A-brand-new-pass-8642", "new_password2": "A-brand-new-pass-8642"}, follow=True)
    assert "Your new password is set" in response.content.decode()

    user.refresh_from_db()
    assert user.check_password("A-brand-new-pass-8642")
    assert Client().login(username="forgetful", password="A-brand-new-pass-8642")
    change = user.account_changes.get(what="password")
    assert (change.changed_by, change.how) == (None, "reset by an emailed link")
    # The link works once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_with_mail_an_unknown_address_sends_nothing_and_says_the_same(client, smtp_server):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_changing_ones_own_password_is_recorded(client, officer):
    client.force_login(officer)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests", "new_password1": "My-own-new-pass-1357",
        "new_password2": "My-own-new-pass-1357"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("My-own-new-pass-1357")
    change = officer.account_changes.get(what="password")
    assert (change.changed_by, change.how) == (officer, "changed by themselves")
    assert client.get(reverse("home")).status_code == 200  # still signed in
