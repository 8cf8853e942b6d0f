"""Formula injection (issue 11 item 5): text that a spreadsheet would run (=HYPERLINK(...), +1+1,
@SUM(...), -2+3) leaves every CSV of the import pages guarded, and comes back unchanged: export it,
import it again, and every value is identical and nothing is written."""
import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citiesalliance.formula_guard import FORMULA_START
from indicators import services
from results import services as result_services
from spreadsheets import importing
from spreadsheets.columns import KINDS

from .conftest import csv_bytes
from .test_faults import changed_tables, tables

LINK = '=HYPERLINK("http://evil.example","click")'
HOSTILE = {
    "statement": LINK, "description": "+1+1", "assumptions": "@SUM(1+1)",
    "name": "=cmd|' /C calc'!A0", "definition": "-2+3", "unit": "@x", "data_source": "'=already guarded",
    "means_of_verification": "+HYPERLINK(1)",
    "source": "=1+1", "rationale": "@SUM(A1:A9)", "comment": LINK, "so_what": "-1+1", "finding": "=2+2",
}


@pytest.fixture
def hostile(chain_with_indicators, officer):
    world = chain_with_indicators
    result_services.result_update(result=world["outputs"][0], statement=HOSTILE["statement"],
                                  description=HOSTILE["description"], assumptions=HOSTILE["assumptions"])
    number = world["number"]
    number = services.indicator_update(
        indicator=number, by=officer, version=number.version, name=HOSTILE["name"], direction="decrease",
        definition=HOSTILE["definition"], unit=HOSTILE["unit"], data_source=HOSTILE["data_source"],
        means_of_verification=HOSTILE["means_of_verification"])
    services.baseline_record(indicator=number, by=officer, value="-5", period="FY2013", source=HOSTILE["source"])
    services.target_set(indicator=number, period="FY2016", by=officer, value="-12.5",
                        rationale=HOSTILE["rationale"])
    services.measurement_save_draft(indicator=number, period="FY2014", by=officer, value="-0.25",
                                    comment=HOSTILE["comment"], so_what=HOSTILE["so_what"],
                                    evidence_url="https://example.org/e")
    services.measurement_save_draft(indicator=world["rated"], period="FY2014-Q1", by=officer, rating="on_track",
                                    text=HOSTILE["finding"], evidence_url="https://example.org/r")
    return world


def exported(client, kind, fmt="csv") -> bytes:
    response = client.get(reverse("imports:export", args=[kind, fmt]))
    assert response.status_code == 200
    return response.content


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_export_csv_guards_would_be_formulas_and_keeps_figures(client, administrator, hostile):
    client.force_login(administrator)
    files = {kind: cells(exported(client, kind)) for kind in KINDS}
    every_cell = [cell for rows in files.values() for row in rows for cell in row]
    for text in HOSTILE.values():
        guarded = "'" + text
        assert guarded in every_cell, text
        assert text not in every_cell, text
    starting = [c for c in every_cell if c.startswith(FORMULA_START)]
    assert sorted(starting) == ["-0.25", "-12.5", "-5"]  # plain figures only: a spreadsheet runs nothing there
    assert files["baselines"][1][3] == "-5"  # after Dimension and Dimension value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_hostile_text_imports_back_identical_and_changes_nothing(client, administrator, hostile, fmt):
    client.force_login(administrator)
    before = tables()
    for kind in KINDS:
        outcome = importing.spreadsheet_import(data=exported(client, kind, fmt), name=f"{kind}.{fmt}",
                                               by=administrator)
        assert outcome.written, (kind, [str(p) for p in outcome.preview.problems])
        counts = outcome.counts
        assert (counts["new"], counts["changed"], counts["invalid"]) == (0, 0, 0), (kind, counts)
    assert changed_tables(before, tables()) == []


def test_a_csv_opened_and_saved_as_xlsx_imports_back_identical(client, administrator, hostile):
    """A spreadsheet programme shows the guard's apostrophe as text; saved as XLSX, the cell holds it."""
    client.force_login(administrator)
    before = tables()
    for kind in KINDS:
        book = openpyxl.Workbook()
        for row in cells(exported(client, kind)):
            book.active.append(row)
        for line in book.active.iter_rows():
            for cell in line:
                cell.data_type = "s"  # text as it was in the CSV, apostrophe included
        buffer = io.BytesIO()
        book.save(buffer)
        outcome = importing.spreadsheet_import(data=buffer.getvalue(), name=f"{kind}.xlsx", by=administrator)
        assert outcome.written and outcome.counts["changed"] == 0, (kind, [str(p) for p in outcome.preview.problems])
    assert changed_tables(before, tables()) == []


def test_the_problems_csv_guards_the_values_it_quotes(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    data = csv_bytes([["Indicator code", "Period", "Value", "Evidence link"],
                      [LINK, "FY2014", "+1+1", "https://example.org/a"], ["FWI-N", "@SUM(1)", "-5", "x"]])
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("hostile.csv", data)})
    problems = client.post(reverse("imports:problems"), {"token": response.context["token"]})
    rows = cells(problems.content)
    assert rows[0] == ["Row", "Column", "Value", "Problem"]
    values = [row[2] for row in rows[1:]]
    assert "'" + LINK in values and "'@SUM(1)" in values
    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
