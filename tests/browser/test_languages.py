"""The language menu (issue 19): an officer on a phone chooses French; the worklist comes back in
French, fits a 390-pixel window, and passes the accessibility checks; the choice follows her."""
import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import NARROW, assert_accessible_basics, assert_no_axe_violations, login, screenshot  # noqa: E402


def test_an_officer_chooses_french_on_a_phone_and_the_worklist_fits(page, site_data, chromium, live_server):
    login(page, "officer")
    page.set_viewport_size(NARROW)
    page.goto("/indicators/worklist/")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("button", name="Language: English").click()
    page.get_by_role("button", name="Français").click()

    page.wait_for_url("**/indicators/worklist/")
    expect(page.get_by_role("heading", name="Liste de travail", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.get_by_text("Measurements due").count() == 0
    screenshot(page, "officer-worklist-fr-390")
    assert_accessible_basics(page)  # nothing wider than the window, every field labelled
    assert_no_axe_violations(page)

    # Another browser, in English: the account's choice wins once she logs in there.
    other = chromium.new_context(viewport=NARROW, base_url=live_server.url, locale="en-GB")
    try:
        elsewhere = other.new_page()
        elsewhere.goto("/accounts/login/")
        elsewhere.get_by_label("Username").fill("officer")
        elsewhere.get_by_label("Password").fill("officer-demo")
        elsewhere.get_by_role("button", name="Log in").click()
        elsewhere.wait_for_url(lambda url: "/accounts/login/" not in url)
        elsewhere.goto("/indicators/worklist/")
        expect(elsewhere.get_by_role("heading", name="Liste de travail", level=1)).to_be_visible()
    finally:
        other.close()
