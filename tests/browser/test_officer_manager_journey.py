"""An M&E officer brings an indicator up to date; a manager reviews it; the scorecard shows the result.

The indicator is the demo's SEC-OUT-3-I1, "Knowledge products downloaded" (Secretariat, Output 3):
a cumulative count ("sum" aggregation) in downloads, whose baseline is still only planned, with an
approved Y1 measurement of 18,500 and approved targets of 20,000 by Y1 and 45,000 by Y2, where
BASE, Y1, Y2 and Y0 are the demo's four fiscal years (the last four that have ended).
"""
import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from indicators.demo import demo_calendar  # noqa: E402

from .conftest import check_page, login, logout, period_row, scorecard_cells, scorecard_row, select_in_table  # noqa: E402 (after the skip above)

# The demo's years are the last four fiscal years that have ended (indicators/demo.py).
BASE, Y1, Y2, Y0 = demo_calendar().years


CODE = "SEC-OUT-3-I1"
EVIDENCE = f"analytics-export-{Y2}.csv"
EVIDENCE_TEXT = f"period,downloads\n{Y2},27000\n"


def open_sec_scorecard(page, period=Y2):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecard").click()
    page.get_by_label("Framework").select_option(label="Results Chain for the Secretariat")
    page.get_by_label("Period").select_option(period)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Scorecard: Results Chain for the Secretariat")).to_be_visible()
    expect(page.get_by_text(f"Reporting period {period}")).to_be_visible()


def test_officer_records_manager_returns_then_approves_and_the_scorecard_shows_it(page, site_data, tmp_path):
    evidence = tmp_path / EVIDENCE
    evidence.write_text(EVIDENCE_TEXT, encoding="utf-8")

    # --- The officer first looks at the scorecard: Y2 has no measurement yet and no baseline.
    # actual(Y2) for a "sum" indicator = baseline (none: 0) + 18,500 (Y1) = 18,500, as of Y1;
    # without a baseline progress falls back to actual / target = 18,500 / 45,000 = 41%: off track.
    login(page, "officer")
    open_sec_scorecard(page)
    before = scorecard_cells(scorecard_row(page, CODE))
    assert before["baseline"] == "—"
    assert before["actual"] == f"18,500 {Y1}, 1 year old"  # carried forward: nothing approved for Y2 yet
    assert before["target"] == f"45,000 {Y2}"
    assert before["progress"] == "41%"
    assert before["status"] == "Off track"
    assert "no baseline: progress is actual against target" in before["indicator"]
    check_page(page)

    # --- The worklist shows the missing baseline; the officer records it.
    page.get_by_role("link", name="Worklist").click()
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()
    missing = select_in_table(page, re.compile("^Baselines missing"), CODE)
    expect(missing).to_contain_text("overdue")
    expect(missing).to_contain_text("Planned")
    check_page(page, "officer-worklist")
    missing.get_by_role("link", name="Record baseline").click()

    expect(page.get_by_role("heading", name=f"Edit the baseline of {CODE}")).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("collected")  # opening a planned baseline proposes it
    page.get_by_label("Value (downloads)").fill("2,000")
    page.get_by_label("Period").select_option(BASE)
    page.get_by_label("Source").fill(f"Old website's server logs for {BASE}, before the analytics were set up.")
    # The indicator already has an approved figure: a baseline re-scores it, so a manager reviews it.
    page.get_by_label("Reason for the change").fill("The old website's logs were found.")
    check_page(page, "officer-baseline-form")
    page.get_by_role("button", name="Save baseline").click()

    expect(page.get_by_text("Proposed for review")).to_be_visible()
    expect(page.get_by_role("note").filter(has_text="awaits review")).to_contain_text("2,000")
    check_page(page, "officer-indicator-after-baseline")

    # --- Back on the worklist, the Y2 measurement is due.
    page.get_by_role("link", name="Worklist").click()
    due = select_in_table(page, re.compile("^Measurements due"), CODE, Y2)
    expect(due).to_contain_text("not started")
    due.get_by_role("link", name="Record").click()

    # --- The measurement, with its evidence file; a slip of the keyboard: 72,000 for 27,000.
    expect(page.get_by_role("heading", name=f"Record a measurement for {CODE}")).to_be_visible()
    expect(page.get_by_label("Period")).to_have_value(Y2)
    page.get_by_label("Value (downloads)").fill("72,000")
    page.get_by_label("Evidence", exact=True).set_input_files(str(evidence))
    page.get_by_label("Comment").fill("Downloads from the new website, July 2014 to June 2015.")
    page.get_by_label('"So what?"').fill("The urban finance guide drew most downloads; the team will "
                                        "translate it into French and Portuguese.")
    check_page(page, "officer-measurement-form")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text(f"{Y2} measurement of {CODE} submitted for review.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{CODE}, {Y2} measurement")).to_be_visible()
    expect(page.locator("main .badge", has_text="Submitted")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(EVIDENCE)))).to_be_visible()
    expect(page.get_by_text("72,000 downloads", exact=True)).to_be_visible()
    check_page(page, "officer-measurement-submitted")
    logout(page)

    # --- The manager approves the proposed baseline, then finds the measurement in the review queue,
    # reads the evidence and returns it with a note.
    login(page, "manager")
    page.get_by_role("link", name="Review queue").click()
    proposal = page.get_by_role("region", name=re.compile("^Proposed changes")).get_by_role("row").filter(
        has_text=CODE)
    expect(proposal).to_contain_text("2,000")
    proposal.get_by_role("link", name="Review").click()
    check_page(page, "manager-proposal")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"The change to {CODE} was approved")).to_be_visible()
    queued = select_in_table(page, re.compile("^Measurements submitted"), CODE, Y2)
    expect(queued).to_contain_text("72,000")
    check_page(page, "manager-review-queue")
    queued.get_by_role("link", name="Review").click()

    expect(page.get_by_role("heading", name="Review")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(re.escape(EVIDENCE))).click()
    assert open(download.value.path(), encoding="utf-8").read() == EVIDENCE_TEXT
    page.get_by_label("Note to the officer").fill(
        f"72,000 looks like a typing slip: the attached analytics export says 27,000 for {Y2}.")
    check_page(page, "manager-review-form")
    page.get_by_role("button", name="Return for revision").click()

    expect(page.get_by_text(f"{Y2} measurement of {CODE} returned to the officer with your note.")).to_be_visible()
    expect(select_in_table(page, re.compile("^Measurements submitted"), CODE, Y2)).to_have_count(0)
    logout(page)

    # --- The officer sees the note on the worklist, corrects the value and resubmits.
    login(page, "officer")
    page.get_by_role("link", name="Worklist").click()
    returned = page.get_by_role("region", name=re.compile("^Returned for revision")).get_by_role("listitem").filter(
        has_text=f"{CODE} · {Y2} measurement")
    expect(returned).to_contain_text("72,000 looks like a typing slip")
    check_page(page, "officer-worklist-returned")
    returned.get_by_role("link", name=f"{CODE} · {Y2} measurement").click()

    expect(page.get_by_role("alert").filter(has_text="Returned by")).to_contain_text(f"says 27,000 for {Y2}")
    expect(page.locator("main .badge", has_text="Returned for revision")).to_be_visible()
    expect(page.get_by_label("Value (downloads)")).to_have_value("72000")
    expect(page.get_by_text("Attached evidence:")).to_contain_text(EVIDENCE)  # the file stays attached
    page.get_by_label("Value (downloads)").fill("27,000")
    check_page(page, "officer-measurement-correction")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text(f"{Y2} measurement of {CODE} submitted for review.")).to_be_visible()
    expect(page.get_by_text("27,000 downloads", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(EVIDENCE)))).to_be_visible()

    # Only approved figures count: the scorecard does not show 27,000 yet, but it uses the new baseline.
    # actual(Y2) = 2,000 + 18,500 (Y1) = 20,500, as of Y1;
    # progress = (20,500 - 2,000) / (45,000 - 2,000) = 18,500 / 43,000 = 43%: off track.
    open_sec_scorecard(page)
    pending = scorecard_cells(scorecard_row(page, CODE))
    assert pending["baseline"] == f"2,000 {BASE}"
    assert pending["actual"] == f"20,500 {Y1}, 1 year old"
    assert pending["progress"] == "43%"
    assert pending["status"] == "Off track"
    assert "no baseline" not in pending["indicator"]
    logout(page)

    # --- The manager approves the corrected figure.
    login(page, "manager")
    page.get_by_role("link", name="Review queue").click()
    queued = select_in_table(page, re.compile("^Measurements submitted"), CODE, Y2)
    expect(queued).to_contain_text("27,000")
    queued.get_by_role("link", name="Review").click()
    expect(page.get_by_text("27,000 downloads", exact=True)).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"{Y2} measurement of {CODE} approved.")).to_be_visible()
    check_page(page)

    # --- The scorecard shows the new figure.
    # actual(Y2) = baseline 2,000 + 18,500 (Y1) + 27,000 (Y2) = 47,500, as of Y2;
    # progress = (47,500 - 2,000) / (45,000 - 2,000) = 45,500 / 43,000 = 1.058 -> 106%: on track
    # (>= 90%); Y1's progress was (20,500 - 2,000) / (20,000 - 2,000) = 103%, so the trend is up.
    open_sec_scorecard(page)
    after = scorecard_cells(scorecard_row(page, CODE))
    assert after["baseline"] == f"2,000 {BASE}"
    assert after["actual"] == f"47,500 {Y2}"
    assert after["target"] == f"45,000 {Y2}"
    assert after["progress"] == "106%"
    assert after["status"] == "On track"
    expect(scorecard_row(page, CODE).get_by_label("Progress up")).to_be_visible()
    check_page(page, "manager-scorecard-after-approval")

    # The indicator page agrees, and its history keeps the returned figure.
    scorecard_row(page, CODE).get_by_role("link", name=CODE, exact=True).click()
    fy2015 = period_row(page, Y2)
    expect(fy2015).to_contain_text("47,500")
    expect(fy2015).to_contain_text("106%")
    expect(fy2015.get_by_role("cell").last).to_have_text("On track")
    expect(page.get_by_role("region", name="History")).to_contain_text("Value: 72,000 → 27,000")
    check_page(page, "manager-indicator-after-approval")
