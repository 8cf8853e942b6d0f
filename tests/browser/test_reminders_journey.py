"""An officer sees in the menu how much waits, opens their reminders from their name and switches
them off; a manager sees the submissions waiting. What the person sees, in Chromium."""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import check_page, login, logout  # noqa: E402 (after the skip above)


def test_the_menu_counts_what_waits_and_reminders_can_be_switched_off(page, site_data):
    from django.contrib.auth import get_user_model

    from indicators.selectors import waiting_counts
    from reminders.models import ReminderPreference

    officer = get_user_model().objects.get(username="officer")
    due = waiting_counts(user=officer)["worklist"]
    assert due > 0, "the demo gives the officer a worklist"
    login(page, "officer")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name=re.compile(rf"^Worklist\s*,\s*{due} due$"))).to_be_visible()

    menu.get_by_role("link", name=re.compile(r"your reminders$")).click()
    expect(page.get_by_role("heading", name="Your reminders")).to_be_visible()
    expect(page.locator("main p").first).to_contain_text("Reminders are on")
    check_page(page, "officer-reminders")
    page.get_by_label("Send me reminders by email").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Reminders are off")
    expect(page.locator("main p").first).to_contain_text("Reminders are off")
    assert ReminderPreference.objects.get(person=officer).enabled is False
    expect(page.get_by_label("Send me reminders by email")).not_to_be_checked()
    logout(page)

    manager = get_user_model().objects.get(username="manager")
    waiting = waiting_counts(user=manager)["review"]
    login(page, "manager")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(r"^Review queue"))
    if waiting:
        expect(link).to_have_accessible_name(re.compile(rf"^Review queue\s*,\s*{waiting} awaiting review$"))
    else:
        expect(link).to_have_accessible_name("Review queue")
