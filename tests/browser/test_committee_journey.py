"""An Executive Committee member reads the scorecard, drills down, exports it, and can change nothing.

Figures are the demo's (fixtures/demo_indicators.json), whose four fiscal years BASE, Y1, Y2 and Y0
are the last four that have ended; the demo gives outputs and activities their business lines.
"""
import re

import openpyxl
import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from indicators.demo import demo_calendar  # noqa: E402

from .conftest import check_page, docs_image, login, period_row, scorecard_cells, scorecard_row  # noqa: E402 (after the skip above)

# The demo's years are the last four fiscal years that have ended (indicators/demo.py).
BASE, Y1, Y2, Y0 = demo_calendar().years


# Links a read-only reader must not be offered: forms that create, edit, review, publish or import.
WRITE_HREF = re.compile(r"/(new|edit|baseline|review|move|delete|publish|worklist|imports?)/|/admin/")
READING_BUTTONS = {"Log out", "Show", "Print", "Toggle navigation", "Close", "Search", "Expand all", "Collapse all"}

WRITE_AFFORDANCES_JS = """
() => ({
  postForms: Array.from(document.forms).filter(f => f.method.toLowerCase() === 'post')
                  .map(f => new URL(f.action, location.href).pathname),
  hrefs: Array.from(document.querySelectorAll('a[href]')).map(a => new URL(a.href, location.href).pathname),
  // the language menu changes only the reader's own language (tested in test_languages)
  buttons: Array.from(document.querySelectorAll('button, input[type=submit], input[type=button]'))
                .filter(b => !b.closest('.language-menu'))
                .map(b => (b.getAttribute('aria-label') || b.innerText || b.value || '').trim()),
})
"""


def assert_nothing_to_change(page):
    """No link to a form that writes, no form posting anywhere but the log-out (and the reader's own language),
    no button but reading ones."""
    found = page.evaluate(WRITE_AFFORDANCES_JS)
    assert [path for path in found["postForms"] if path != "/language/"] == ["/accounts/logout/"], found["postForms"]
    assert [href for href in found["hrefs"] if WRITE_HREF.search(href)] == []
    assert set(found["buttons"]) <= READING_BUTTONS, found["buttons"]


def test_committee_reads_drills_down_exports_and_cannot_change_anything(page, site_data, tmp_path):
    login(page, "committee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecard").click()

    # --- The scorecard opens on the latest period of the corporate chain, all business lines.
    expect(page.get_by_role("heading", name="Scorecard: Corporate Results Chain")).to_be_visible()
    expect(page.get_by_label("Period")).to_have_value(Y0)
    expect(page.get_by_label("Business line")).to_have_value("")
    expect(page.get_by_role("note").filter(has_text="Illustrative figures.")).to_be_visible()
    # CORP-OUT-2-I1 (cumulative, baseline 10 in BASE; approved 5, 7, 4 in Y1 to Y0; target 32 by Y0):
    # actual = 10 + 5 + 7 + 4 = 26; progress = (26 - 10) / (32 - 10) = 16 / 22 = 73%: needs attention.
    fy2016 = scorecard_cells(scorecard_row(page, "CORP-OUT-2-I1"))
    assert (fy2016["baseline"], fy2016["actual"], fy2016["target"]) == (f"10 {BASE}", f"26 {Y0}", f"32 {Y0}")
    assert (fy2016["progress"], fy2016["status"]) == ("73%", "Needs attention")
    expect(page.get_by_role("link", name=re.compile("Publish"))).to_have_count(0)
    assert_nothing_to_change(page)
    check_page(page, "committee-scorecard")
    docs_image(page, "scorecard")

    # --- Another period.
    page.get_by_label("Period").select_option(Y2)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(f"Reporting period {Y2}")).to_be_visible()
    # actual = 10 + 5 + 7 = 22; progress = (22 - 10) / (24 - 10) = 12 / 14 = 86%: needs attention (< 90%).
    fy2015 = scorecard_cells(scorecard_row(page, "CORP-OUT-2-I1"))
    assert (fy2015["actual"], fy2015["target"], fy2015["progress"]) == (f"22 {Y2}", f"24 {Y2}", "86%")
    assert fy2015["status"] == "Needs attention"
    expect(scorecard_row(page, "CORP-IO-I1")).to_have_count(1)
    check_page(page, "committee-scorecard-fy2015")

    # --- One business line: only its outputs remain, for the same period.
    page.get_by_label("Business line").select_option(label="Country Programmes")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("business line Country Programmes")).to_be_visible()
    expect(page.get_by_label("Period")).to_have_value(Y2)
    codes = page.locator("tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes == ["CORP-OUT-2-I1", "CORP-OUT-3-I1", "CORP-OUT-3-A1-I1"]  # two outputs and an activity
    assert scorecard_cells(scorecard_row(page, "CORP-OUT-2-I1")) == fy2015
    # CORP-OUT-3-I1 (cumulative from 0; approved 420 and 380; target 900 by Y2):
    # actual = 0 + 420 + 380 = 800; progress = 800 / 900 = 88.9% -> 89%: needs attention, just short of 90%.
    out3 = scorecard_cells(scorecard_row(page, "CORP-OUT-3-I1"))
    assert (out3["baseline"], out3["actual"], out3["target"]) == (f"0 {BASE}", f"800 {Y2}", f"900 {Y2}")
    assert (out3["progress"], out3["status"]) == ("89%", "Needs attention")
    expect(page.locator("#summary-title + div [data-status=needs_attention] .count")).to_have_text("2")
    assert_nothing_to_change(page)
    check_page(page, "committee-scorecard-country-programmes")

    # --- The XLSX export holds the rows the page shows, cell for cell.
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == f"scorecard-CORP-{Y2}-CP.xlsx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Scorecard: Corporate Results Chain" and Y2 in values[1][0]
    assert any(str(row[0]).startswith("Illustrative figures.") for row in values if row[0])
    start = next(i for i, row in enumerate(values) if row[0] == "Level")
    header = values[start]
    exported = {row[header.index("Indicator code")]: dict(zip(header, row)) for row in values[start + 1:]
                if row[header.index("Indicator code")]}
    assert list(exported) == codes
    row = exported["CORP-OUT-2-I1"]  # numbers as numbers: 10, 22 and 24 cities; progress 12 / 14
    shown = scorecard_cells(scorecard_row(page, "CORP-OUT-2-I1"))
    assert (row["Baseline"], row["Actual"], row["Target"]) == (10, 22, 24)
    assert f"{row['Baseline']} {row['Baseline period']}" == shown["baseline"]
    assert f"{row['Actual']} {row['Actual period']}" == shown["actual"]
    assert f"{row['Target']} {row['Target period']}" == shown["target"]
    assert (f"{round(row['Progress'] * 100)}%", row["Status"]) == (shown["progress"], shown["status"])
    assert row["Level"] == "Output" and row["Result"] == "CORP-OUT-2" and row["Target status"] == "Approved"

    # --- Drill down: the result, then its indicator.
    page.get_by_role("row").filter(has_text="Local inclusive strategies").get_by_role(
        "link", name="CORP-OUT-2", exact=True).click()
    expect(page.get_by_role("heading", name="CORP-OUT-2", exact=True)).to_be_visible()
    expect(page.get_by_text("Local inclusive strategies and plans developed and implemented.")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Country Programmes")).to_be_visible()
    indicators = page.get_by_role("region", name="Indicators")
    expect(indicators.get_by_role("row").filter(has_text="CORP-OUT-2-I1")).to_contain_text("26 cities")
    expect(page.get_by_role("link", name=re.compile(r"^(Edit|Move|Delete|Add)\b"))).to_have_count(0)
    assert_nothing_to_change(page)
    check_page(page, "committee-result")

    indicators.get_by_role("link", name="CORP-OUT-2-I1").click()
    expect(page.get_by_role("heading", name=re.compile("^CORP-OUT-2-I1: Cities with inclusive"))).to_be_visible()
    fy2015_row = period_row(page, Y2)
    expect(fy2015_row).to_contain_text("22 cities")  # the approved actual the scorecard showed
    expect(fy2015_row).to_contain_text("86%")
    expect(fy2015_row.get_by_role("cell").last).to_have_text("Needs attention")
    expect(page.get_by_role("link", name=re.compile(r"^(Record|Edit|Add)\b"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^(revise|edit|record)$"))).to_have_count(0)
    assert_nothing_to_change(page)
    check_page(page, "committee-indicator")

    # --- Going round the pages is refused on the server, not only hidden.
    for url in ("/indicators/CORP-OUT-2-I1/measurements/new/", "/indicators/CORP-OUT-2-I1/baseline/",
                "/indicators/CORP-OUT-2-I1/edit/", f"/indicators/CORP-OUT-2-I1/targets/{Y0}/edit/",
                "/indicators/worklist/", "/indicators/review/", "/scorecard/editions/publish/",
                "/results/CORP-OUT-2/edit/", "/frameworks/CORP/results/new/"):
        assert page.request.get(url).status == 403, url

    # A forged approval of a submitted measurement, with a valid CSRF token: refused for lack of permission.
    page.goto(f"/indicators/CORP-OUT-1-I1/measurements/{Y0}/")
    # The Committee reads approved figures only: the submitted figure (3 countries) is not shown.
    expect(page.locator("#not-approved")).to_contain_text("not been approved yet")
    expect(page.get_by_role("main")).not_to_contain_text("3 countries")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    for url, form in (
        (f"/indicators/CORP-OUT-1-I1/measurements/{Y0}/review/", {"version": "2", "action_approve": "Approve"}),
        (f"/indicators/CORP-OUT-2-I1/targets/{Y0}/edit/", {"value": "10", "rationale": "lower", "version": "2"}),
        ("/scorecard/editions/publish/", {"framework": "CORP", "period": Y0, "commentary": "x"}),
    ):
        response = page.request.post(url, form={"csrfmiddlewaretoken": token, **form},
                                     headers={"Referer": page.url})
        assert response.status == 403, url
        assert "CSRF" not in response.text(), url  # refused for the permission, not for the token
    page.reload()
    expect(page.locator("#not-approved")).to_be_visible()
    page.goto("/indicators/CORP-OUT-2-I1/")
    expect(period_row(page, Y0)).to_contain_text("32 cities")
    page.goto("/scorecard/editions/")
    expect(page.get_by_text("No edition has been published yet.")).to_be_visible()

    # The same token is good for what a committee member may post: logging out (so the 403s above
    # were the permission speaking, not a broken token).
    response = page.request.post("/accounts/logout/", form={"csrfmiddlewaretoken": token},
                                 headers={"Referer": page.url})
    assert response.ok and response.url.endswith("/accounts/login/")
