"""A refused or missing page is a page of the site: it says why, and offers a way back."""
import re

from django.test import Client
from django.urls import reverse


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_forbidden_page_says_why_and_offers_a_way_back(client, committee):
    client.force_login(committee)
    response = client.get(reverse("indicators:review_queue"), HTTP_REFERER="http://testserver/scorecard/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="navbar' in html  # the site's layout (base.html)
    page = text(response)
    assert "You may not open this page" in page
    assert "Only M&amp;E managers review submissions." in page  # the view's own reason (escaped)
    assert "Executive Committee" in page  # the reader's role
    assert 'href="http://testserver/scorecard/"' in html and "Back to the previous page" in page
    assert f'href="{reverse("home")}"' in html


def test_a_forbidden_page_never_links_back_to_another_site(client, committee):
    client.force_login(committee)
    response = client.get(reverse("indicators:worklist"), HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
    assert "Your role does not include this page" in text(response)


def test_a_missing_page_says_so_in_the_sites_layout(client, committee):
    client.force_login(committee)
    response = client.get("/indicators/NO-SUCH-CODE/")
    assert response.status_code == 404
    page = text(response)
    assert "This page does not exist" in page and "/indicators/NO-SUCH-CODE/" in page
    assert "matches the given query" not in page  # not Django's model wording
    assert 'class="navbar' in response.content.decode() and "All indicators" in page
    response = client.get("/no/such/address/")
    assert response.status_code == 404 and "This page does not exist" in text(response)


def test_a_form_refused_by_the_csrf_check_says_nothing_was_saved(committee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(committee)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = text(response)
    assert "This form could not be sent" in page and "Nothing was saved." in page
    assert 'class="navbar' in response.content.decode()
