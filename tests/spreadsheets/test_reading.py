"""Real spreadsheets: what people send is read as they meant it; what is ambiguous is refused whole,
every problem named with its row, column and value. Files are built here, not by the team's tools."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from indicators import services
from indicators.models import Baseline, Measurement
from spreadsheets import importing, reading

from .conftest import csv_bytes, xlsx_bytes


def preview(data, by, name="file.xlsx", kind=None):
    return importing.spreadsheet_preview(data=data, name=name, by=by, kind=kind)


def do_import(data, by, name="file.xlsx", kind=None):
    return importing.spreadsheet_import(data=data, name=name, by=by, kind=kind)


def test_a_messy_workbook_imports_as_meant(chain_with_indicators, administrator):
    """Title rows above the header (one merged), headers in odd case and spacing, extra columns,
    numbers stored as text, a percentage-formatted cell, Excel floats, stray spaces, lower-case codes,
    blank rows, and a notes sheet before the data."""
    rows = [
        ["Country programme Uganda: indicator data FY2014-15", None, None, None, None, None],
        [None] * 6,
        ["  indicator CODE ", "period", "VALUE (number or %)", "Evidence_Link", "Partner's remarks", "so what?"],
        [" fwi-n ", "FY2014", "1,200", " https://example.org/a ", "checked", "Shared with the council"],
        [None] * 6,
        ["FWI-P", "fy15", 0.45, "https://example.org/b", None, "Used in the budget talks"],  # a 45% cell: 0.45
        ["FWI-N", "FY2015 ", 1250.0, "https://example.org/c", "float from a formula", " Shared with the council "],
        ["FWI-P", "FY2016", "12.5 %", "https://example.org/d", None, "Used in the budget talks"],
        ["fwi-r", "FY2016-q1", "on track", "https://example.org/e", None, "Discussed with the partner"],  # a rating
        ["FWI-N", "FY2016", " 7 ", "https://example.org/f", None, "Shared with the council"],
        [None] * 6,
    ]

    def merge_title(sheet):
        sheet.merge_cells("A1:F1")

    data = xlsx_bytes(rows, title="Data", formats={(6, 3): "0%"}, before=merge_title)
    data_with_notes = xlsx_bytes([["Read me first"], ["This workbook holds the FY2015 submission."]])
    assert data_with_notes  # a workbook whose only sheet has no header: refused (below)
    result = do_import(data, administrator, name="uganda.xlsx")
    assert result.written, [str(p) for p in result.preview.problems]
    assert result.preview.header_row == 3 and result.preview.kind == "measurements"
    assert result.counts == {"new": 6, "changed": 0, "unchanged": 0, "invalid": 0}
    assert result.preview.ignored_columns == ["Partner's remarks"]
    stored = {(m.indicator.code, m.period.label): m for m in Measurement.objects.select_related("indicator", "period")}
    assert stored["FWI-N", "FY2014"].value == Decimal("1200")
    assert stored["FWI-N", "FY2014"].evidence_url == "https://example.org/a"
    assert stored["FWI-N", "FY2014"].so_what == "Shared with the council"
    assert stored["FWI-P", "FY2015"].value == Decimal("45")
    assert stored["FWI-N", "FY2015"].value == Decimal("1250")
    assert stored["FWI-P", "FY2016"].value == Decimal("12.5")
    assert stored["FWI-R", "FY2016-Q1"].rating == "on_track"
    assert stored["FWI-N", "FY2016"].value == Decimal("7")
    assert do_import(data, administrator, name="uganda.xlsx").counts["unchanged"] == 6


def test_a_workbook_with_an_instructions_sheet_and_the_data_on_another(chain_with_indicators, administrator):
    import io

    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Indicator code", "Period", "Value"])  # a header-like table in the instructions
    notes = book.create_sheet("Notes")
    notes.append(["Submitted by the country team"])
    data = book.create_sheet("FY2015")
    data.append(["Indicator code", "Period", "Value", "Evidence link", "So what?"])
    data.append(["FWI-N", "FY2015", 3, "https://example.org/x", "Shared with the council"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(buffer.getvalue(), administrator)
    assert result.ok and result.sheet == "FY2015" and result.counts["new"] == 1


def test_excel_dates_text_dates_and_ambiguous_dates(chain_with_indicators, administrator):
    rows = [["Indicator code", "Value", "Period", "As of", "Source", "Status", "Due date"],
            ["FWI-N", "3", "", datetime(2013, 6, 30), "Portfolio review", "validated", "30 Jun 2013"],
            ["FWI-P", "40", "FY2013", "", "", "collected", 41455],  # a date serial that lost its format
            ["FWI-R", "Weak planning capacity", "", "2013-05-31", "", "", ""]]
    result = do_import(xlsx_bytes(rows), administrator, name="baselines.xlsx")
    assert result.written, [str(p) for p in result.preview.problems]
    assert result.preview.kind == "baselines"
    number = Baseline.objects.get(indicator__code="FWI-N")
    assert (number.value, number.as_of, number.due_date, number.status) == (
        Decimal("3"), date(2013, 6, 30), date(2013, 6, 30), "validated")
    assert Baseline.objects.get(indicator__code="FWI-P").due_date == date(2013, 6, 30)  # serial 41455
    rated = Baseline.objects.get(indicator__code="FWI-R")
    assert (rated.text, rated.value, rated.status) == ("Weak planning capacity", None, "collected")
    ambiguous = preview(csv_bytes([["Indicator code", "Value", "As of"], ["FWI-N", "4", "03/04/2013"]]),
                        administrator, name="b.csv", kind="baselines")
    (problem,) = ambiguous.problems
    assert (problem.row, problem.column, problem.value) == (2, "As of", "03/04/2013")
    assert "ambiguous" in problem.message and "3 Apr" in problem.message
    fine = preview(csv_bytes([["Indicator code", "Value", "As of"], ["FWI-N", "4", "30/04/2013"]]),
                   administrator, name="b.csv", kind="baselines")
    assert fine.ok


@pytest.mark.parametrize("variant", ["bom", "semicolon", "cp1252", "tab"])
def test_csv_variants(chain_with_indicators, administrator, variant):
    rows = [["Indicator code", "Period", "Value", "Evidence link", "Comment", "So what?"],
            ["FWI-N", "FY2014", "1,200", "https://example.org/a", "Côte d’Ivoire – first year",
             "Shared with the ministry"]]
    data = {
        "bom": lambda: csv_bytes(rows, bom=True),
        "semicolon": lambda: csv_bytes(rows, delimiter=";"),
        "cp1252": lambda: csv_bytes(rows, encoding="cp1252"),
        "tab": lambda: csv_bytes(rows, delimiter="\t"),
    }[variant]()
    result = do_import(data, administrator, name="partner.csv")
    assert result.written, [str(p) for p in result.preview.problems]
    m = Measurement.objects.get()
    assert m.value == Decimal("1200") and m.comment == "Côte d’Ivoire – first year"


@pytest.mark.parametrize("data,name,expected", [
    (b"", "empty.csv", "has a header row but no data rows"),
    (b"%PDF-1.4 \x00\x01binary", "report.csv", "binary data"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "could not be read as an Excel workbook"),
    (b"Name,Age\nAnn,3\n", "people.csv", "could not be told from the headers"),
    (b"Indicator code,Value,Value\nFWI-N,1,2\n", "twice.csv", "Two columns mean"),
    (b"Indicator code,Period,Value,Status\nFWI-N,FY2014,1,\n", "which.csv", "equally well"),
    (b"Indicator code,Value,Rationale\nFWI-N,1,why\n", "nop.csv",
     "looks like the header row of targets, but has no “Period” column"),
])
def test_files_that_cannot_be_read_are_refused_with_a_message(chain_with_indicators, administrator, data, name,
                                                             expected):
    if data == b"":
        data = b"Indicator code,Period,Value,Evidence link\n\n,,,\n"
    result = preview(data, administrator, name=name)
    assert not result.ok
    assert expected in " ".join(p.message for p in result.problems)
    outcome = do_import(data, administrator, name=name)
    assert not outcome.written and Measurement.objects.count() == 0


def test_the_kind_may_be_chosen_when_headers_fit_two(chain_with_indicators, administrator):
    data = csv_bytes([["Indicator code", "Period", "Value"], ["FWI-N", "FY2014", "5"]])
    assert preview(data, administrator, name="t.csv", kind="targets").ok
    assert preview(data, administrator, name="t.csv", kind="targets").counts["new"] == 1


def test_upload_limits():
    from django.core.exceptions import ValidationError
    for name, size, message in [("data.xls", 10, "Excel 97-2003"), ("data.pdf", 10, ".xlsx or .csv"),
                                ("data.csv", 21 * 1024 * 1024, "the limit is 20 MB"), ("data.csv", 0, "empty")]:
        with pytest.raises(ValidationError, match=message):
            reading.check_upload(name=name, size=size)
    reading.check_upload(name="DATA.XLSX", size=1000)


def test_every_problem_of_a_messy_file_is_listed(chain_with_indicators, officer, administrator):
    services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2013", by=officer, value="1")
    rows = [["Indicator code", "Period", "Value", "Evidence link", "So what?"]]
    rows += [["FWI-N", f"FY{2014 + n % 5}", "x" if n % 2 else str(n), "https://example.org/e", "Shared"]
             for n in range(7)]
    result = preview(csv_bytes(rows), administrator, name="m.csv")
    problems = [(p.row, p.column, p.value) for p in result.problems]
    # rows 3, 5, 7 hold "x"; row 7 (FY2014 again) and row 8 (FY2015 again) repeat rows 2 and 3
    assert problems == [(3, "Value", "x"), (5, "Value", "x"), (7, "Period", "FY2014"), (7, "Value", "x"),
                        (8, "Period", "FY2015")]
    assert result.problems[2].message == "Row 2 already gives FWI-N FY2014: keep one row for it."
    assert result.counts["invalid"] == 4
