"""User text in exported spreadsheets stays text: never a formula on the reader's machine."""
import csv
import io

import openpyxl
import pytest

from citiesalliance.spreadsheets import csv_safe
from scorecard.exports import export_response
from scorecard.formatting import EXPORT_HEADERS

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_would_be_formulas_get_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["-12", "-1,200.5", "-20%", "+5", "Cities supported", "", "45%"])
def test_figures_and_plain_text_are_unchanged(text):
    assert csv_safe(text) == text


def _row(name):
    return [name if i == 1 else f"cell {i}" for i in range(len(EXPORT_HEADERS))]


def test_scorecard_csv_export_neutralises_formulas():
    response = export_response(rows=[_row(HOSTILE[0]), _row("-20%")], fmt="csv", filename="s", title="t")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS
    assert rows[1][1] == "'" + HOSTILE[0]
    assert rows[2][1] == "-20%"


def test_scorecard_xlsx_export_stores_text_not_formulas():
    response = export_response(rows=[_row(HOSTILE[0]), _row("Plain")], fmt="xlsx", filename="s", title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == HOSTILE[0]  # the text exactly, as text
    assert [c.value for c in sheet[1]] == EXPORT_HEADERS
    assert sheet.cell(row=3, column=2).value == "Plain"
