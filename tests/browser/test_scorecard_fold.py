"""A large scorecard opens on its levels' summaries (issue 17): each level's rows a click away, every
row on the printout, and the sheet unchanged in editions, exports and the PDF."""
from playwright.sync_api import expect

from scorecard import formatting

from .conftest import login


def test_a_large_scorecard_folds_its_levels_and_prints_every_row(page, site_data, monkeypatch):
    monkeypatch.setattr(formatting, "FOLD_ROWS", 3)  # the demo's corporate sheet then counts as large
    login(page, "committee")
    page.goto("/scorecard/")
    note = page.locator("#fold-note")
    expect(note).to_contain_text("summarised below, each with its indicators a click away")
    first_row = page.locator("tr[data-code]").first
    expect(first_row).to_be_hidden()
    folds = page.locator("details.sc-fold:has(tr[data-code])")
    assert folds.count() >= 2
    # One level opened by its summary: its rows show, the other levels stay folded.
    folds.first.locator("summary").click()
    expect(folds.first.locator("tr[data-code]").first).to_be_visible()
    expect(folds.nth(1).locator("tr[data-code]").first).to_be_hidden()
    # Printing: every row is on the page (the stylesheet and the beforeprint handler both open them).
    page.emulate_media(media="print")
    expect(folds.nth(1).locator("tr[data-code]").first).to_be_visible()
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    every = page.locator("details.sc-fold")
    assert all(every.nth(i).evaluate("d => d.open") for i in range(every.count()))
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not folds.nth(1).evaluate("d => d.open")  # back as the reader had it
    assert folds.first.evaluate("d => d.open")
    # "Show every indicator" opens them all.
    note.get_by_role("button", name="Show every indicator").click()
    assert all(every.nth(i).evaluate("d => d.open") for i in range(every.count()))
    expect(note).to_be_hidden()
    assert not page.js_errors


def test_a_small_scorecard_shows_its_rows_at_once(page, site_data):
    login(page, "committee")
    page.goto("/scorecard/")
    expect(page.locator("tr[data-code]").first).to_be_visible()
    assert page.locator("details.sc-fold").count() == 0 and page.locator("#fold-note").count() == 0
