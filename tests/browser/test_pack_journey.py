"""An Executive Committee member reads the scorecard over time, opens a period from a cell, downloads
the PDF, and reads the status of each result on the results chain and the alignment map.

Figures are the demo's (fixtures/demo_indicators.json); the test reads the periods from the page
rather than naming them, so that it holds whichever fiscal years the demo uses.
"""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import NARROW, WIDE, check_page, docs_image, login, screenshot  # noqa: E402 (after the skip above)

STATUS_WORDS = {"On track", "Needs attention", "Off track", "No data", "Not due"}


def cell_texts(row):
    return [" ".join(text.split()) for text in row.get_by_role("cell").all_inner_texts()]


def test_committee_reads_over_time_and_the_status_on_the_chains(page, site_data, tmp_path):
    login(page, "committee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Over time").click()
    expect(page.get_by_role("heading", name="Over time: Corporate Results Chain")).to_be_visible()
    table = page.get_by_role("region", name="Scorecard over time")
    columns = [" ".join(t.split()) for t in table.locator("thead th.ot-col a").all_inner_texts()]
    assert len(columns) >= 3 and all(re.fullmatch(r"FY\d{4}", c) for c in columns), columns
    latest = columns[-1]

    # Every indicator cell says its status in words (and the colour stands for the same status).
    row = table.locator('tr[data-code="CORP-OUT-2-I1"]')
    cells = cell_texts(row)
    assert len(cells) == len(columns) + 1
    for text in cells[:-1]:
        assert any(text.endswith(word) for word in STATUS_WORDS), text
    assert re.search(r"\d+% of \d+ by FY\d{4}", cells[-1]), cells[-1]
    expect(row.locator("svg.spark")).to_have_count(1)
    expect(table.locator("tr.ot-fw")).to_contain_text("Whole framework")
    check_page(page, "committee-overtime")
    docs_image(page, "overtime", max_height=1100)

    # At 390 px the table scrolls in its own box and its first column stays in view.
    page.set_viewport_size(NARROW)
    first = row.locator("th.ot-first")
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    box = page.locator("#overtime")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    left = first.bounding_box()["x"]
    assert abs(left - box.bounding_box()["x"]) < 3, left
    screenshot(page, "committee-overtime-390")
    page.set_viewport_size(WIDE)

    # A cell opens that period's scorecard, which says the same.
    shown = cells[len(columns) - 1]
    row.get_by_role("cell").nth(len(columns) - 1).get_by_role("link").click()
    expect(page.get_by_label("Period")).to_have_value(latest)
    scorecard_row = page.locator('tr[data-code="CORP-OUT-2-I1"]')
    progress, status = shown.split(" ", 1)
    expect(scorecard_row.get_by_role("cell").nth(5)).to_contain_text(progress)
    expect(scorecard_row.get_by_role("cell").nth(6)).to_have_text(status)

    # The scorecard's PDF downloads from its page.
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename == f"scorecard-CORP-{latest}.pdf"
    path = tmp_path / "scorecard.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    # The results chain: each result's score and status in the latest period with approved figures
    # (the scorecard's own choice; the year under way has none yet), then in another.
    from scorecard.selectors import scorecard_build

    shown_first = scorecard_build(framework_code="CORP").period.label
    at = columns.index(shown_first)
    progress = cells[at].split(" ", 1)[0]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Results chains").click()
    page.get_by_role("link", name="Corporate Results Chain").first.click()
    expect(page.get_by_label("Status in period")).to_have_value(shown_first)
    node = page.locator(".node").filter(has=page.get_by_role("link", name="CORP-OUT-2", exact=True))
    expect(node.locator(".chain-status")).to_contain_text(progress)
    expect(node.locator(".chain-status .st")).to_have_text(re.compile("|".join(STATUS_WORDS)))
    check_page(page, "committee-chain-status")
    docs_image(page, "chain-status", max_height=900)
    page.set_viewport_size(NARROW)
    screenshot(page, "committee-chain-status-390")
    page.set_viewport_size(WIDE)
    earlier = columns[at - 1]
    page.get_by_label("Status in period").select_option(earlier)
    page.get_by_role("button", name="Show").last.click()
    expect(page.get_by_label("Status in period")).to_have_value(earlier)
    expected_earlier = cells[at - 1].split(" ", 1)[0]
    expect(node.locator(".chain-status")).to_contain_text(expected_earlier)

    # The alignment map: both chains at one period.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alignment map").click()
    expect(page.get_by_label("Status in period")).to_have_value(shown_first)
    box = page.locator("#amap .box").filter(has_text="CORP-OUT-2")
    expect(box.locator(".chain-status")).to_contain_text(progress)
    expect(page.locator("#amap .chain-status .st").first).to_be_visible()
    check_page(page, "committee-alignment-status")
    page.set_viewport_size(NARROW)
    screenshot(page, "committee-alignment-status-390")
