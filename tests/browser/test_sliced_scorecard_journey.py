"""An M&E manager slices the scorecard by a dimension value (the demo splits CORP-OUT-3-I1 by sex),
reads the slice's note, and downloads the sliced PDF, which opens and names the slice (issue 14)."""
import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from ..scorecard.pdfs import page_texts  # noqa: E402 (after the skip above)
from .conftest import check_page, login  # noqa: E402


def test_manager_downloads_the_sliced_scorecard_pdf(page, site_data, tmp_path):
    login(page, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecard").first.click()
    page.get_by_label("Slice").select_option(label="Sex: female")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**slice=female**")
    note = page.locator("#slice-note")
    expect(note).to_contain_text("Sliced by Sex: female.")
    expect(page.locator('tr[data-code="CORP-OUT-3-I1"]')).to_have_count(1)
    expect(page.locator('tr[data-code="CORP-OUT-2-I1"]')).to_have_count(0)  # not disaggregated by sex
    expect(page.locator("#slice-unpublished")).to_contain_text("never a slice")
    check_page(page, "manager-sliced-scorecard")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename.endswith("-female.pdf"), download.value.suggested_filename
    path = tmp_path / "sliced.pdf"
    download.value.save_as(path)
    text = " ".join(page_texts(path.read_bytes()))
    assert "Slice: Sex = female" in text and "CORP-OUT-3-I1" in text
    assert "Left out, not disaggregated by sex:" in text
