"""User text in exported spreadsheets stays text: never a formula on the reader's machine, and the
guard comes off again on import (citiesalliance/formula_guard.py)."""
import csv
import io

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st
from import_export.admin import ExportMixin

from citiesalliance.formula_guard import FORMULA_START, GuardedCSV, csv_bytes, csv_safe, unguard, xlsx_text
from results.models import ResultsFramework
from scorecard.exports import export_response
from scorecard.formatting import EXPORT_HEADERS

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1",
           "\r=1", "+1+1", "-1e5", "--5", "-,", "-.5", "+%"]  # the last three: no digit before the point


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


@pytest.mark.parametrize("text", HOSTILE)
def test_the_guard_comes_off_on_import(text):
    assert unguard(csv_safe(text)) == text


@pytest.mark.parametrize("text", ["'=1+1", "''@SUM(A1)", "'''-2+3"])
def test_text_that_already_looks_guarded_gets_one_apostrophe_more(text):
    assert csv_safe(text) == "'" + text and unguard(csv_safe(text)) == text
    assert xlsx_text(text) == "'" + text and unguard(xlsx_text(text)) == text


@pytest.mark.parametrize("text", ["'Twas", "'", "''", "'-5", "O'Brien", "'45%", "=1+1"])
def test_apostrophes_before_harmless_text_stay_as_they_are(text):
    assert unguard(text) == text == xlsx_text(text)


@settings(max_examples=3000)  # a pure function: many cases are cheap
@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r0123456789.,%aZ (\"")), max_size=12) | st.text(max_size=30))
def test_every_text_survives_the_round_trip_and_no_guarded_cell_starts_a_formula(text):
    guarded = csv_safe(text)
    assert unguard(guarded) == text
    assert unguard(xlsx_text(text)) == text
    if guarded.startswith(FORMULA_START):  # only a plain figure is left as it is
        assert guarded == text
        assert text.lstrip("+-").rstrip("%").replace(",", "").replace(".", "", 1).isdigit()


def test_csv_bytes_guards_every_cell_and_header():
    data = csv_bytes(headers=["=Header", "Plain"], rows=[["=1+1", -5], ["-5", "@x"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["'=Header", "Plain"], ["'=1+1", "-5"], ["-5", "'@x"]]


class _FrameworkExport(ExportMixin, admin.ModelAdmin):
    pass


def test_an_admin_export_through_django_import_export_is_guarded(administrator, make_framework):
    """IMPORT_EXPORT_FORMATS gives every ExportMixin admin the guarded CSV."""
    make_framework(code="HOSTILE", name='=HYPERLINK("http://evil.example","click")')
    model_admin = _FrameworkExport(ResultsFramework, admin.AdminSite(name="guard_test_admin"))
    request = RequestFactory().get("/admin/")
    request.user = administrator
    csv_format = next(f for f in model_admin.get_export_formats() if f().get_title() == "csv")
    assert csv_format is GuardedCSV
    resource = model_admin.get_export_resource_classes(request)[0]()
    rows = list(csv.DictReader(io.StringIO(csv_format().export_data(resource.export()))))
    assert rows[0]["name"] == "'" + '=HYPERLINK("http://evil.example","click")'


def test_the_guarded_csv_format_keeps_figures():
    dataset = tablib.Dataset(["-5", "+1+1"], headers=["value", "=h"])
    assert GuardedCSV().export_data(dataset).splitlines() == ["value,'=h", "-5,'+1+1"]
