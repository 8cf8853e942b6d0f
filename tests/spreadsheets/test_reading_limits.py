"""Crafted spreadsheets (issue 11 item 6): the reader streams, bounds the width it reads and counts
the row limit while it reads, so a small file cannot make it pad, hold or parse without end. Files
are built here, and their XML edited, as an attacker would."""
import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Indicator, Measurement
from spreadsheets import importing, reading

from .conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Evidence link", "So what?"]
ROWS = [["FWI-N", f"FY{2014 + n}", n + 1, f"https://example.org/{n}", "Shared with the partner"] for n in range(3)]


def edited_xlsx(rows, *, dimension=None, after_rows="", cell_suffix="") -> bytes:
    """A workbook written by openpyxl, then its sheet's XML edited: the declared `dimension`, XML
    appended after the last row, `cell_suffix` appended inside every row."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                if dimension:
                    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
                if cell_suffix:
                    xml = re.sub(r'<row r="(\d+)"([^>]*)>(.*?)</row>',
                                 lambda m: f'<row r="{m[1]}"{m[2]}>{m[3]}{cell_suffix.format(row=m[1])}</row>', xml)
                xml = xml.replace("</sheetData>", after_rows + "</sheetData>")
                data = xml.encode()
            target.writestr(info, data)
    return out.getvalue()


def measured(function):
    """(result, seconds, peak bytes allocated by Python) of calling `function`."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = function()
        return result, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


CRAFTED = dict(dimension="A1:XFD1048576", after_rows='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def test_a_sheet_declaring_every_row_and_column_is_refused_fast_and_small(chain_with_indicators, administrator):
    data = edited_xlsx([HEADER, *ROWS], **CRAFTED)
    assert len(data) < 30_000
    preview, seconds, peak = measured(lambda: importing.spreadsheet_preview(data=data, name="c.xlsx",
                                                                           by=administrator))
    assert not preview.ok and preview.write is None
    message = preview.problems[0].message
    assert "says it fills 1,048,576 rows (A1:XFD1048576)" in message and "200,000 rows" in message
    assert seconds < 2, seconds  # it took 25 s and 717 MB before
    assert peak < 100 * 1024 * 1024, peak


def test_the_browser_and_the_command_refuse_it_with_the_message(client, administrator, chain_with_indicators,
                                                                tmp_path):
    data = edited_xlsx([HEADER, *ROWS], **CRAFTED)
    client.force_login(administrator)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("crafted.xlsx", data)})
    assert "says it fills 1,048,576 rows" in response.content.decode()
    path = tmp_path / "crafted.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), "--user", administrator.username)
    assert not Measurement.objects.exists()


def test_a_far_away_cell_without_a_declared_size_costs_nothing(chain_with_indicators, administrator):
    """No dimension to refuse: the empty rows up to the far cell are read as wide as the header, and
    5,000 of them end the sheet (formatting down to the last row), as before."""
    data = edited_xlsx([HEADER, *ROWS], dimension="A1:E4", after_rows=CRAFTED["after_rows"])
    preview, seconds, peak = measured(lambda: importing.spreadsheet_preview(data=data, name="c.xlsx",
                                                                           by=administrator))
    assert preview.ok and preview.counts["new"] == 3
    assert seconds < 2 and peak < 100 * 1024 * 1024, (seconds, peak)


def test_a_declared_size_too_small_does_not_hide_rows(chain_with_indicators, administrator):
    rows = [["FWI-N", f"FY{2013 + n % 8}", n, "https://example.org/e", "Shared"] for n in range(8)]
    data = edited_xlsx([HEADER, *rows], dimension="A1:A1")
    assert importing.spreadsheet_preview(data=data, name="small.xlsx", by=administrator).counts["new"] == 8


def test_rows_are_read_only_as_wide_as_the_header(chain_with_indicators, administrator):
    """Every row also holds cells out to column XFD: the reader does not walk them."""
    data = edited_xlsx([HEADER, *ROWS], dimension="A1:XFD4", cell_suffix='<c r="XFD{row}"><v>7</v></c>')
    preview = importing.spreadsheet_preview(data=data, name="wide.xlsx", by=administrator)
    assert preview.ok and preview.counts["new"] == 3
    assert any("16,384 columns wide" in note for note in preview.notes)


def test_the_row_limit_counts_while_reading_csv(chain_with_indicators, administrator, monkeypatch):
    """Past the limit the reader stops: the damaged line further down is never reached."""
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    rows = [["FWI-N", f"FY{2013 + n % 8}", n, "https://example.org/e", "Shared"] for n in range(60)]
    data = csv_bytes([HEADER, *rows]) + b'FWI-N,FY2014,"' + b"x" * 200_000 + b'",,\n'
    preview = importing.spreadsheet_preview(data=data, name="long.csv", by=administrator)
    assert [p.message for p in preview.problems] == ["The file has more than 50 rows; split it into several files."]


def test_blank_lines_count_towards_the_limit(chain_with_indicators, administrator, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    monkeypatch.setattr(reading, "BLANK_RUN_END", 10)
    data = csv_bytes([HEADER, *ROWS]) + b",,,,\n" * 100_000
    preview, seconds, _peak = measured(lambda: importing.spreadsheet_preview(data=data, name="b.csv",
                                                                            by=administrator))
    assert "more than 50 rows" in preview.problems[0].message and seconds < 2


def test_the_row_limit_counts_while_reading_xlsx(chain_with_indicators, administrator, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    rows = [["FWI-N", f"FY{2013 + n % 8}", n, "https://example.org/e", "Shared"] for n in range(60)]
    damaged = '<row r="500"><c r="C500" t="n"><v>not a number</v></c></row>'  # openpyxl raises reading it
    data = edited_xlsx([HEADER, *rows], after_rows=damaged)
    preview = importing.spreadsheet_preview(data=data, name="long.xlsx", by=administrator)
    assert [p.message for p in preview.problems] == ["The file has more than 50 rows; split it into several files."]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(chain_with_indicators, administrator,
                                                                          monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1024 * 1024)
    padding = "<!--" + " " * (2 * 1024 * 1024) + "-->"  # compresses to a few KB
    data = edited_xlsx([HEADER, *ROWS], after_rows=padding)
    assert len(data) < 50_000
    preview = importing.spreadsheet_preview(data=data, name="bomb.xlsx", by=administrator)
    assert "unpacks to 2 MB" in preview.problems[0].message


def test_a_real_workbook_of_many_rows_still_imports(make_chain, administrator):
    """10,000 rows here; bench/import_measurements.py imports a 100,000-row workbook and prints its time
    and peak memory."""
    output = make_chain(code="BIG")["outputs"][0]
    Indicator.objects.bulk_create([
        Indicator(result=output, code=f"BIG-I{n:05d}", name=f"Indicator {n}", unit="cities") for n in range(1250)])
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Measurements")
    sheet.append(HEADER + ["Comment"])
    for i in range(10_000):
        n, year = divmod(i, 8)
        sheet.append([f"BIG-I{n:05d}", f"FY{2013 + year}", 1000 + i, f"https://example.org/{n}/{year}",
                      "Shared with the partner", "Illustrative row"])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = importing.spreadsheet_import(data=buffer.getvalue(), name="big.xlsx", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems[:3]]
    assert outcome.counts["new"] == 10_000 and Measurement.objects.count() == 10_000
