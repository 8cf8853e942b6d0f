"""A programme officer (a role within one country programme only) records and submits a figure for
their programme, and cannot open another programme's indicator.

bfa-officer is the demo's officer of the illustrative Burkina Faso programme (BFA-OUA); the demo's
Mozambique programme (MOZ-MPM) is another's. Y0 is the last fiscal year that has ended.
"""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from indicators.demo import demo_calendar  # noqa: E402

from .conftest import check_page, login, select_in_table  # noqa: E402 (after the skip above)

Y0 = demo_calendar().years[-1]
CODE = "BFA-OUT-2-I1"


def test_programme_officer_submits_for_their_programme_and_cannot_open_another(page, site_data):
    login(page, "bfa-officer")
    # The chains page: the organisation's chains and their own programme, not the other one.
    page.goto("/")
    expect(page.get_by_role("heading", name="Country programmes")).to_be_visible()
    expect(page.get_by_role("link", name="Burkina Faso: Ouagadougou city programme (illustrative)")).to_be_visible()
    expect(page.get_by_text("Mozambique")).to_have_count(0)

    page.get_by_role("link", name="Worklist").click()
    due = select_in_table(page, re.compile("^Measurements due"), CODE, Y0)
    check_page(page)
    due.get_by_role("link", name="Record").click()

    expect(page.get_by_role("heading", name=f"Record a measurement for {CODE}")).to_be_visible()
    page.get_by_label("Value (staff)").fill("38")
    page.get_by_label("Evidence link").fill("https://example.org/illustrative-evidence/attendance")
    page.get_by_label('"So what?"').fill("Fewer staff than planned: the course moves to the dry season.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text(f"{Y0} measurement of {CODE} submitted for review.")).to_be_visible()
    expect(page.locator("main .badge", has_text="Submitted")).to_be_visible()

    # Another programme's indicator: not found, and nothing of it shows.
    response = page.goto("/indicators/MOZ-OUT-1-I1/")
    assert response.status == 404
    expect(page.get_by_text("Participatory budgeting")).to_have_count(0)
    # A corporate indicator: read as the Committee reads it, without the data-entry buttons.
    page.goto("/indicators/CORP-OUT-1-I1/")
    expect(page.get_by_role("link", name="Record a measurement")).to_have_count(0)
