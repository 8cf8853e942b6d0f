"""A manager changes which programme indicators add up into a computed corporate indicator, in the
browser: the demo's CORP-IO-C1 adds up BFA-IO-I1 and MOZ-IO-I1 (illustrative figures)."""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import check_page, login  # noqa: E402 (after the skip above)

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
