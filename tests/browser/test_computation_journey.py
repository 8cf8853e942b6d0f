"""A manager changes which programme indicators add up into a computed corporate indicator, in the
browser: the demo's CORP-IO-C1 adds up BFA-IO-I1 and MOZ-IO-I1 (illustrative figures)."""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import check_page, login, logout  # noqa: E402 (after the skip above)

CODE = "CORP-IO-C1"


def test_manager_changes_the_computation_and_saves_it_unchanged(page, site_data):
    login(page, "manager")
    page.goto(f"/indicators/{CODE}/")
    expect(page.locator("#formula")).to_contain_text("Sum of: BFA-IO-I1, MOZ-IO-I1.")
    page.get_by_role("link", name="Change the computation").click()

    expect(page.get_by_role("heading", name=f"Computation of {CODE}")).to_be_visible()
    check_page(page, "computation-form")
    both = page.get_by_role("checkbox", name=re.compile("^(BFA|MOZ)-IO-I1 "))
    expect(both).to_have_count(2)
    for box in both.all():
        expect(box).to_be_checked()

    # Saved unchanged: nothing is written.
    page.get_by_role("button", name="Save the computation").click()
    expect(page.get_by_text(f"Nothing changed: the computation of {CODE} was left as it was.")).to_be_visible()

    # Mozambique's indicator taken out: the page says the new formula and lists one contribution.
    page.get_by_role("link", name="Change the computation").click()
    page.get_by_role("checkbox", name=re.compile("^MOZ-IO-I1 ")).uncheck()
    page.get_by_label("Note").fill("Illustrative: Burkina Faso only, while Maputo's figures are checked.")
    page.get_by_role("button", name="Save the computation").click()
    expect(page.get_by_text(f"{CODE} is computed: Sum of: BFA-IO-I1.")).to_be_visible()
    expect(page.locator("#formula")).to_contain_text("Burkina Faso only")
    expect(page.get_by_role("link", name="MOZ-IO-I1")).to_have_count(0)
    expect(page.get_by_role("link", name="BFA-IO-I1").first).to_be_visible()


def test_an_approved_programme_figure_moves_the_corporate_figure_by_exactly_that_amount(page, site_data):
    """The judged journey of issue 18: the demo's Maputo officer submits their draft (1,800 people in
    Y0), Maputo's manager approves it, and the Committee reads CORP-IO-C1 move from 7,000 (Burkina
    Faso's 2,000 + 2,500 and Maputo's 1,000 + 1,500) to 8,800, with Maputo's running total listed."""
    from indicators.demo import demo_calendar

    y0 = demo_calendar().years[-1]
    login(page, "committee")
    page.goto(f"/indicators/{CODE}/")
    expect(page.get_by_text("7,000 people").first).to_be_visible()
    expect(page.get_by_text("8,800 people")).to_have_count(0)
    logout(page)

    login(page, "moz-officer")
    page.goto(f"/indicators/MOZ-IO-I1/measurements/{y0}/edit/")
    page.get_by_label("Evidence link").fill("https://example.org/illustrative-evidence/maputo-count")
    page.get_by_label('"So what?"').fill("Services planned with residents reach more of them.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text(f"{y0} measurement of MOZ-IO-I1 submitted for review.")).to_be_visible()
    logout(page)

    login(page, "moz-manager")
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("row").filter(has_text="MOZ-IO-I1").filter(has_text=y0).get_by_role("link", name="Review").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"{y0} measurement of MOZ-IO-I1 approved.")).to_be_visible()
    logout(page)

    login(page, "committee")
    page.goto(f"/indicators/{CODE}/")
    row = page.get_by_role("row").filter(has_text=y0).filter(has_text="8,800 people")
    expect(row.first).to_be_visible()
    expect(page.get_by_role("listitem").filter(has=page.get_by_role("link", name="MOZ-IO-I1"))
           .filter(has_text="4,300 people").first).to_be_visible()
    check_page(page)
