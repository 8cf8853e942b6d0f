"""An administrator downloads a template, uploads a file with an error, reads the error, fixes it,
previews and confirms, and sees the imported figures."""
import re

import openpyxl

from indicators.demo import demo_calendar  # noqa: E402
from indicators.models import Measurement

from .conftest import check_page, login, logout

# The demo's years are the last four fiscal years that have ended (indicators/demo.py).
BASE, Y1, Y2, Y0 = demo_calendar().years



def fill_template(path, rows):
    """Write rows under the template's own headers (what a person does in Excel)."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for header, value in values.items():
            sheet.cell(row=number, column=headers.index(header) + 1, value=value)
    book.save(path)
    return headers


def test_administrator_imports_measurements(page, site_data, tmp_path):
    login(page, "admin")
    page.get_by_role("link", name="Imports").first.click()
    assert page.get_by_role("heading", name="Spreadsheet imports").is_visible()
    check_page(page, "import-upload")

    # 1. The measurements template: the right headers, an instructions sheet, drop-down lists.
    with page.expect_download() as download:
        page.get_by_role("link", name="measurements-template.xlsx").click()
    template = tmp_path / "measurements.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    assert "Instructions" in book.sheetnames
    assert book.worksheets[0].data_validations.dataValidation, "coded columns have drop-down lists"
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert {"Indicator code", "Period", "Value", "Evidence link"} <= set(headers)

    # 2. A file with a mistake, typed as people type: lower-case code, a word in the value column.
    rows = [
        {"Indicator code": "corp-out-3-i1 ", "Period": Y0, "Value": "about 1,100",
         "Evidence link": "https://example.org/illustrative/training-register-fy2016",
         "Comment": "Training register, all regions (illustrative).",
         "So what?": "Regional teams used the register to plan the next courses (illustrative)."},
    ]
    fill_template(template, rows)
    page.get_by_label("Spreadsheet").set_input_files(str(template))
    page.get_by_role("button", name="Check the file").click()

    # 3. The preview names the row, the column, the value and what is wrong; nothing can be imported.
    problems = page.locator("#problems")
    problems.wait_for()
    row = problems.get_by_role("row").filter(has_text="about 1,100")
    assert "2" in row.get_by_role("cell").first.inner_text()  # spreadsheet row 2
    assert "Value" in row.inner_text()
    assert re.search(r"not a number", row.inner_text())
    assert page.get_by_text("Nothing will be imported").is_visible()
    assert page.get_by_role("button", name=re.compile(r"^Import \d")).count() == 0
    check_page(page, "import-preview-error")
    assert not Measurement.objects.filter(indicator__code="CORP-OUT-3-I1", period__label=Y0).exists()

    # 4. Fixed ("1,100" is how the partner wrote it), previewed again, then confirmed.
    rows[0]["Value"] = "1,100"
    fill_template(template, rows)
    page.goto("/imports/")
    page.get_by_label("Spreadsheet").set_input_files(str(template))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 1 row").wait_for()
    assert page.locator("#problems").count() == 0
    check_page(page, "import-preview-ok")
    page.get_by_role("button", name="Import 1 row").click()
    assert page.get_by_text(re.compile(r"Imported measurements from measurements\.xlsx: 1 new, 0 changed")).is_visible()

    # 5. The imported figure, where the administrator (and the manager's review queue) sees it.
    page.goto("/indicators/CORP-OUT-3-I1/")
    fy2016 = page.get_by_role("row").filter(has=page.get_by_text(Y0, exact=True))
    assert "1,100" in fy2016.inner_text()
    assert "Submitted" in fy2016.inner_text()
    check_page(page, "import-indicator")
    measurement = Measurement.objects.get(indicator__code="CORP-OUT-3-I1", period__label=Y0)
    assert measurement.value == 1100 and measurement.status == "submitted"
    assert measurement.submitted_by.username == "admin"
    assert measurement.history.filter(history_change_reason__icontains="measurements.xlsx").exists()


def test_an_import_asks_before_taking_over_an_officers_returned_measurement(page, site_data, tmp_path):
    """The manager returned an officer's figure; a partner's file changes it. The preview says whose
    it is and where it stands, the confirm without "Take over" writes nothing (the officer still
    sees it on the worklist), and with it the import goes ahead. A new row shows its values."""
    from indicators.models import Indicator

    returned = (Measurement.objects.filter(status="returned", submitted_by__username="officer")
                .select_related("indicator__result__framework", "period", "reviewed_by").first())
    assert returned is not None, "the demo data has a measurement returned to the officer"
    code, period = returned.indicator.code, returned.period.label
    other = next(
        (ind, f"FY{year}") for ind in Indicator.objects.filter(frequency="annual", measure="number")
        .select_related("result__framework").order_by("code")
        for year in range(ind.result.framework.last_fiscal_year, ind.result.framework.first_fiscal_year, -1)
        if not ind.measurements.filter(period__label=f"FY{year}").exists())
    new_code, new_period = other[0].code, other[1]
    path = tmp_path / "partner.csv"
    path.write_text("Indicator code,Period,Value,Evidence link,Comment,So what?\n"
                    f"{code},{period},{returned.value + 1:f},https://example.org/illustrative/full-year,"
                    "Full-year extract (illustrative),Shared with the city teams (illustrative)\n"
                    f"{new_code},{new_period},7,https://example.org/illustrative/new,From the partner,"
                    "Used to plan the next round (illustrative)\n")

    def upload():
        page.goto("/imports/")
        page.get_by_label("Spreadsheet").set_input_files(str(path))
        page.get_by_role("button", name="Check the file").click()
        page.get_by_role("button", name="Import 2 rows").wait_for()

    login(page, "admin")
    upload()
    flagged = page.get_by_role("region", name="Someone else's work in progress")
    row = flagged.get_by_role("row").filter(has_text=f"{code} {period}")
    assert f"Returned for revision to officer by {returned.reviewed_by.username}" in row.inner_text()
    new_row = page.locator("#rows-new").get_by_role("row").filter(has_text=f"{new_code} {new_period}")
    assert "Value: 7" in new_row.inner_text() and "Comment: From the partner" in new_row.inner_text()
    take_over = page.get_by_label(re.compile(r"^Take over the 1 measurement"))
    assert take_over.is_visible() and not take_over.is_checked()
    check_page(page, "import-preview-work-in-progress")

    page.get_by_role("button", name="Import 2 rows").click()  # without ticking the box
    assert page.get_by_text(re.compile(r"^Nothing was imported:")).is_visible()
    returned.refresh_from_db()
    assert returned.status == "returned"
    assert not Measurement.objects.filter(indicator__code=new_code, period__label=new_period).exists()
    check_page(page, "import-work-in-progress-kept")
    logout(page)

    login(page, "officer")
    page.goto("/indicators/worklist/")
    assert code in page.get_by_role("region", name=re.compile(r"^Returned for revision")).inner_text()
    logout(page)

    login(page, "admin")
    upload()
    page.get_by_label(re.compile(r"^Take over the 1 measurement")).check()
    page.get_by_role("button", name="Import 2 rows").click()
    assert page.get_by_text(re.compile(r"Imported measurements from partner\.csv: 1 new, 1 changed")).is_visible()
    returned.refresh_from_db()
    assert (returned.status, returned.submitted_by.username) == ("submitted", "admin")
