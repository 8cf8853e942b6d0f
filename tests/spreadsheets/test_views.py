"""The browser flow: upload, preview, confirm; administrators only; what the user sees."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import services
from indicators.models import Measurement
from spreadsheets import importing, reading
from spreadsheets.columns import COLUMNS, KIND_LABELS, KINDS

from .conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Evidence link", "So what?"]
SO_WHAT = "Shared with the partner"


def upload(client, rows, name="partner.csv", kind=""):
    data = csv_bytes([HEADER, *rows])
    return client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile(name, data, content_type="text/csv"), "kind": kind})


def token_of(response):
    return response.context["token"]


@pytest.mark.parametrize("role", ["officer", "manager", "committee"])
def test_only_administrators_reach_the_import_pages(client, request, role, chain_with_indicators):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for url in [reverse("imports:upload"), reverse("imports:template", args=["measurements"]),
                reverse("imports:export", args=["measurements", "csv"])]:
        assert client.get(url).status_code == 403
    assert upload(client, [["FWI-N", "FY2014", "1", "https://example.org/a", SO_WHAT]]).status_code == 403
    assert client.post(reverse("imports:confirm"), {"token": "x"}).status_code == 403
    assert Measurement.objects.count() == 0
    assert "Imports" not in client.get(reverse("home")).content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_preview_confirm(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    assert reverse("imports:upload") in client.get(reverse("home")).content.decode()  # the nav link
    response = upload(client, [["FWI-N", "FY2014", "1,200", "https://example.org/a", SO_WHAT],
                               ["fwi-p", "FY2014", "45%", "https://example.org/b", SO_WHAT]])
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 new" in html and "0 changed" in html and "Import 2 rows" in html
    assert Measurement.objects.count() == 0  # a preview writes nothing
    token = token_of(response)
    response = client.post(reverse("imports:confirm"), {"token": token}, follow=True)
    assert "Imported measurements from partner.csv: 2 new, 0 changed, 0 unchanged." in response.content.decode()
    assert Measurement.objects.filter(status="submitted", submitted_by=administrator).count() == 2
    m = Measurement.objects.get(indicator__code="FWI-N")
    assert m.history.get().history_change_reason == "Imported from partner.csv"
    # the stored upload is gone: confirming again does nothing
    again = client.post(reverse("imports:confirm"), {"token": token}, follow=True)
    assert "no longer available" in again.content.decode()
    # the same file again: nothing to import
    second = upload(client, [["FWI-N", "FY2014", "1,200", "https://example.org/a", SO_WHAT],
                             ["fwi-p", "FY2014", "45%", "https://example.org/b", SO_WHAT]])
    assert "Nothing to import: every row matches what is stored." in second.content.decode()
    assert "Import 0" not in second.content.decode()


def test_a_file_with_problems_lists_them_and_offers_no_confirm(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    response = upload(client, [["FWI-N", "FY2014", "abc", "https://example.org/a", SO_WHAT],
                               ["FWI-Z", "FY2014", "1", "https://example.org/b", SO_WHAT]])
    html = response.content.decode()
    assert "Nothing will be imported" in html and "2 problems" in html
    assert "abc" in html and "No indicator has the code FWI-Z" in html
    assert reverse("imports:confirm") not in html
    # a forged confirm is checked again and refused whole
    response = client.post(reverse("imports:confirm"), {"token": token_of(response)})
    assert "Nothing will be imported" in response.content.decode() and Measurement.objects.count() == 0
    problems = client.post(reverse("imports:problems"), {"token": token_of(response)})
    text = problems.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Row,Column,Value,Problem"
    assert text.splitlines()[1].startswith("2,Value,abc,")


def test_confirm_after_the_data_changed_shows_the_new_preview(client, administrator, officer,
                                                               chain_with_indicators):
    client.force_login(administrator)
    response = upload(client, [["FWI-N", "FY2014", "5", "https://example.org/a", SO_WHAT]])
    services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2014", by=officer,
                                    value="4")
    response = client.post(reverse("imports:confirm"), {"token": token_of(response)})
    page = response.content.decode()
    assert "changed since your preview" in page and "Draft of officer1" in page  # now someone's work in progress
    assert Measurement.objects.get().value == 4
    response = client.post(reverse("imports:confirm"), {"token": token_of(response),
                                                        "take_over_work_in_progress": "yes"}, follow=True)
    assert "0 new, 1 changed" in response.content.decode()
    assert Measurement.objects.get().value == 5


def test_cancel_discards_the_upload(client, administrator, chain_with_indicators, settings):
    client.force_login(administrator)
    response = upload(client, [["FWI-N", "FY2014", "5", "https://example.org/a", SO_WHAT]])
    token = token_of(response)
    stored = list((settings.MEDIA_ROOT / "imports").iterdir())
    assert [p.name for p in stored] == [f"{token}.csv"]
    client.post(reverse("imports:cancel"), {"token": token})
    assert list((settings.MEDIA_ROOT / "imports").iterdir()) == []
    assert client.post(reverse("imports:confirm"), {"token": token}).status_code == 302
    gone = client.post(reverse("imports:problems"), {"token": token}, follow=True)
    assert "no longer available" in gone.content.decode()


@pytest.mark.parametrize("name,content,message", [
    ("data.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
    ("notes.txt", b"hello", "upload a .xlsx or .csv file"),
])
def test_wrong_file_types_get_a_message(client, administrator, settings, name, content, message):
    client.force_login(administrator)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)})
    assert message in response.content.decode() and not (settings.MEDIA_ROOT / "imports").exists()


def test_large_files_are_refused_with_a_message(client, administrator, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UPLOAD_BYTES", 100)
    client.force_login(administrator)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("big.csv", b"x" * 200)})
    assert "the limit is 0 MB" in response.content.decode()


def test_template_has_headers_instructions_and_drop_downs(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    response = client.get(reverse("imports:template", args=["measurements"]))
    assert response["Content-Disposition"] == 'attachment; filename="measurements-template.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Measurements", "Lists", "Instructions", "Dimensions"]
    sheet = book["Measurements"]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS["measurements"]]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    lists = book["Lists"]
    codes_column = validations["A2"].split("!")[1].split(":")[0].replace("$", "")[0]
    codes = [c.value for c in lists[codes_column][1:] if c.value]
    assert codes == ["FWI-N", "FWI-P", "FWI-R"]
    periods_column = validations["B2"].split("!")[1].replace("$", "")[0]
    periods = [c.value for c in lists[periods_column][1:] if c.value]
    assert periods[:3] == ["FY2013", "FY2013-H1", "FY2013-H2"] and "FY2020-Q4" in periods
    assert "H2" in validations  # ratings (after Dimension, Dimension value, Numerator and Denominator)
    assert "Imported measurements arrive submitted for review" in " ".join(
        str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    # an empty template imports as nothing to do (a header with no rows)
    empty = importing.spreadsheet_preview(data=response.content, name="t.xlsx", by=administrator)
    assert empty.kind == "measurements" and "no data rows" in empty.problems[0].message


def test_a_filled_in_template_imports(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["targets"])).content))
    book["Targets"].append(["FWI-N", "FY2017", None, None, 20, None, None, None, None, "Growth in the pipeline"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("targets.xlsx", buffer.getvalue())})
    assert "1 new" in response.content.decode()
    client.post(reverse("imports:confirm"), {"token": token_of(response)})
    assert chain_with_indicators["number"].targets.get().value == 20


@pytest.mark.parametrize("kind", KINDS)
def test_every_template_has_its_headers_and_drop_downs(client, administrator, chain_with_indicators, kind):
    client.force_login(administrator)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:template", args=[kind])).content))
    sheet = book[KIND_LABELS[kind]]
    columns = COLUMNS[kind]
    assert [c.value for c in sheet[1]] == [c.header for c in columns]
    assert all(sheet.cell(row=1, column=i + 1).comment for i, c in enumerate(columns) if c.help)
    with_lists = {str(v.sqref).split(":")[0][0] for v in sheet.data_validations.dataValidation}
    expected = {"ABCDEFGHIJKLMNOP"[i] for i, c in enumerate(columns)
                if c.choices and c.choices not in ("business_lines", "users", "dimensions", "dimension_values")
                }  # no lines, users or dimensions here
    assert expected <= with_lists
    assert book["Lists"].sheet_state == "hidden"
