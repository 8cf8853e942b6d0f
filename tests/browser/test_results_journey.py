"""A manager browses and edits the results chains; the Executive Committee can only read them."""
import re

from .conftest import NARROW, WIDE, assert_accessible_basics, check_page, docs_image, login, logout, screenshot


def test_committee_reads_chains_and_alignment_map(page, site_data):
    login(page, "committee")
    page.get_by_role("link", name="Open the chain").first.click()
    assert page.get_by_role("heading", name="Corporate Results Chain").is_visible()
    assert page.get_by_text("Urban poor effectively using services delivered by Cities.").is_visible()
    # Collapsible: collapse all hides the outputs.
    page.get_by_role("button", name="Collapse all").click()
    assert not page.get_by_text("Mechanisms to engage citizens in city/urban governance developed.").is_visible()
    page.get_by_role("button", name="Expand all").click()
    assert page.get_by_text("Mechanisms to engage citizens in city/urban governance developed.").is_visible()
    assert page.get_by_role("link", name="Add a result").count() == 0
    screenshot(page, "framework-tree")
    docs_image(page, "framework-tree")
    check_page(page)

    page.get_by_role("link", name="Alignment map").first.click()
    page.wait_for_selector("svg.edges path", state="attached")
    assert page.locator("svg.edges path").count() == 23
    assert page.get_by_role("link", name="Add an alignment").count() == 0
    screenshot(page, "alignment-map")
    check_page(page)

    for viewport in (NARROW, WIDE):
        page.set_viewport_size(viewport)
        page.goto("/frameworks/SEC/")
        assert_accessible_basics(page)

    # Writes are refused on the server, not only hidden.
    response = page.goto("/frameworks/CORP/results/new/")
    assert response.status == 403


def test_manager_adds_an_activity_after_a_level_mistake(page, site_data):
    login(page, "manager")
    page.goto("/results/CORP-OUT-2/")
    page.get_by_role("link", name="Add a child").click()
    # The form proposes the right level; the manager picks a wrong one first.
    page.get_by_label("Level").select_option(label="Output")
    page.get_by_label("Code").fill("CORP-ACT-2-1")
    page.get_by_label("Statement (English)").fill("City strategy workshops held with municipal staff.")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text(re.compile("must be an Activity, exactly one level below it, not an Output")).is_visible()
    assert_accessible_basics(page)
    page.get_by_label("Level").select_option(label="Activity")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Result CORP-ACT-2-1 added.").is_visible()
    assert page.get_by_role("heading", name="CORP-ACT-2-1").is_visible()
    logout(page)
