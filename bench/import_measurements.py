"""Benchmark: importing measurement rows from CSV (DESIGN.md section 5).

Imports the same 10,000-row CSV file twice on the same database, in one run:
  1. a plain django-import-export ModelResource with ForeignKeyWidgets (spreadsheets.resources
     .MeasurementResource.import_data, one row at a time), and
  2. the set-based importer the browser, the admin and the command use
     (spreadsheets.importing.spreadsheet_import: parse, full validation, bulk writes with audit history),
and prints rows per second for each and the ratio. Then a 100,000-row file through the importer
(preview, as the browser's first request, and import, as its confirm request), and a re-import of
each file (which must change nothing). Then memory: the peak the Python heap reaches (tracemalloc,
in runs of their own, since tracing slows the code) importing the 100,000 rows from CSV and from
XLSX (the XLSX import also timed, untraced), and refusing a crafted 5 KB workbook that declares
A1:XFD1048576; and the process's peak resident size (ru_maxrss) at the end.

Budget: at least 10,000 rows a second with full validation, and at least 15 times the plain
ModelResource.

    cd /work/main && .venv/bin/python bench/import_measurements.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citiesalliance_bench .venv/bin/python bench/import_measurements.py

The database is emptied (flush) first: use a scratch database. Default: a SQLite file in /tmp.
"""
import csv
import io
import os
import re
import resource
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citiesalliance.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citiesalliance_bench_imports.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.db.models.functions import Now  # noqa: E402

YEARS = range(2013, 2021)  # FY2013-FY2020: eight periods an indicator
SMALL, LARGE = 10_000, 100_000
REPEAT = 5  # the importer's runs (median reported); the plain resource runs once (~20-40 s)


def setup():
    from citiesalliance import roles
    from indicators import services
    from indicators.models import Indicator
    from results import services as result_services
    from results.levels import Level

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    roles.roles_ensure()
    admin = get_user_model().objects.create_user("bench-admin", password="unused", is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    admin = get_user_model().objects.get(pk=admin.pk)
    fw = result_services.framework_create(code="BENCH", name="Benchmark framework (illustrative)",
                                          kind="corporate")
    impact = result_services.result_create(framework=fw, level=Level.IMPACT, code="B-IMP", statement="Impact")
    outcome = result_services.result_create(framework=fw, parent=impact, level=Level.OUTCOME, code="B-OC",
                                            statement="Outcome")
    io_ = result_services.result_create(framework=fw, parent=outcome, level=Level.INTERMEDIATE_OUTCOME,
                                        code="B-IO", statement="Intermediate outcome")
    output = result_services.result_create(framework=fw, parent=io_, level=Level.OUTPUT, code="B-OUT",
                                           statement="Output")
    count = LARGE // len(YEARS)
    Indicator.objects.bulk_create([
        Indicator(result=output, code=f"B-I{n:05d}", name=f"Benchmark indicator {n} (illustrative)",
                  measure="percentage" if n % 5 == 0 else "number", unit="%" if n % 5 == 0 else "cities")
        for n in range(count)], batch_size=1000)
    for year in YEARS:  # the plain resource's ForeignKeyWidget needs the periods to exist
        services.period_get_or_create(label=f"FY{year}")
    return admin


def csv_file(rows: int, bump: int = 0) -> bytes:
    """Measurement rows the plain resource can read too (upper-case codes, plain numbers): the
    importer still parses and checks every value as it would "1,200" or "45%"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Indicator code", "Period", "Value", "Rating", "Qualitative finding", "Evidence link",
                     "Comment", "So what?"])
    per_indicator = len(YEARS)
    for i in range(rows):
        n, year = divmod(i, per_indicator)
        value = (n * 7 + year + bump) % 100 if n % 5 == 0 else 1000 + i + bump  # percentages 0-100, counts
        writer.writerow([f"B-I{n:05d}", f"FY{YEARS[0] + year}", value, "", "",
                         f"https://example.org/evidence/{n}/{year}", "Illustrative benchmark row",
                         "Shared with the partner (illustrative)"])
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows: int) -> bytes:
    """The same measurement rows as an Excel workbook (openpyxl's streaming writer)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Measurements")
    for row in csv.reader(io.StringIO(csv_file(rows).decode("utf-8"))):
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def crafted_xlsx() -> bytes:
    """A small workbook whose sheet declares every row and column (A1:XFD1048576), with a cell at the
    far corner: it made the old reader pad each row to 16,384 cells."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Indicator code", "Period", "Value", "Evidence link"])
    book.active.append(["B-I00000", "FY2013", 1, "https://example.org/e"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', data.decode())
                data = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                   "</sheetData>").encode()
            target.writestr(info, data)
    return out.getvalue()


def traced(function):
    """(result, seconds, peak MB of the Python heap) of one traced call."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = function()
        return result, time.perf_counter() - start, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def clear_measurements():
    from indicators.models import Measurement
    with transaction.atomic():
        Measurement.objects.all()._raw_delete(Measurement.objects.db)  # no per-row "deleted" history
        Measurement.history.all().delete()


CPU: dict[str, list[float]] = {}  # label -> this process's CPU seconds of each run


def timed(label, function):
    """(result, wall seconds); the process's CPU seconds go to CPU[label]. On a shared machine the
    wall time includes waiting for a core; with SQLite the CPU time is the whole work (the database
    runs in this process), with PostgreSQL the database server's share is not in it."""
    cpu = time.process_time()
    start = time.perf_counter()
    result = function()
    CPU.setdefault(label, []).append(time.process_time() - cpu)
    return result, time.perf_counter() - start


def main():
    import tablib

    from indicators.models import Measurement
    from spreadsheets import importing as imports
    from spreadsheets.report import confirmed_counts
    from spreadsheets.resources import MeasurementResource

    vendor = connection.vendor
    print(f"Database: {vendor} ({connection.settings_dict['NAME']})")
    admin = setup()
    small = csv_file(SMALL)
    large = csv_file(LARGE)

    # 1. the plain ModelResource, row by row
    clear_measurements()
    dataset = tablib.Dataset().load(small.decode("utf-8"), format="csv")
    plain = MeasurementResource()
    _, plain_s = timed("plain", lambda: plain.import_data(dataset, dry_run=False, use_transactions=True,
                                                             raise_errors=True))
    plain_rows = Measurement.objects.count()
    assert plain_rows == SMALL, plain_rows

    # 2. the set-based importer on the same file and database: five runs from the same empty table
    runs = []
    for _ in range(REPEAT):
        clear_measurements()
        outcome, seconds = timed("ours", lambda: imports.spreadsheet_import(data=small, name="bench-10k.csv",
                                                                             by=admin))
        assert outcome.written and outcome.counts["new"] == SMALL, (outcome.counts, outcome.preview.problems[:3])
        runs.append(seconds)
    ours_s = statistics.median(runs)
    assert Measurement.objects.count() == SMALL
    assert Measurement.history.filter(history_user=admin,
                                      history_change_reason="Imported from bench-10k.csv").count() == SMALL
    again, again_s = timed("again", lambda: imports.spreadsheet_import(data=small, name="bench-10k.csv", by=admin))
    assert again.counts == {"new": 0, "changed": 0, "unchanged": SMALL, "invalid": 0}, again.counts
    assert Measurement.history.count() == SMALL  # the re-import wrote nothing

    # 3. 100,000 rows: the browser's two requests (preview, then confirm)
    clear_measurements()
    preview, preview_s = timed("preview", lambda: imports.spreadsheet_preview(data=large, name="bench-100k.csv",
                                                                               by=admin))
    assert preview.ok and preview.counts["new"] == LARGE
    big, big_s = timed("big", lambda: imports.spreadsheet_import(data=large, name="bench-100k.csv", by=admin,
                                                                 expected=confirmed_counts(preview)))
    assert big.written and Measurement.objects.count() == LARGE
    big_again, big_again_s = timed("big again", lambda: imports.spreadsheet_import(
        data=large, name="bench-100k.csv", by=admin))
    assert big_again.counts["unchanged"] == LARGE

    # statements for 10,000 rows (a few reads, then one INSERT per batch of rows)
    clear_measurements()
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        imports.spreadsheet_import(data=small, name="bench-10k.csv", by=admin)
    statements = len(queries)
    reset_queries()

    # 4. revisions: the 10,000 measurements approved by a manager, then a file changing every value
    manager = get_user_model().objects.create_user("bench-manager", password="unused")
    Measurement.objects.update(status="approved", approved_value=F("value"), approved_at=Now(),
                               reviewed_by=manager, reviewed_at=Now())
    changed = csv_file(SMALL, bump=1)
    revised, revised_s = timed("revise", lambda: imports.spreadsheet_import(data=changed, name="bench-10k-v2.csv",
                                                                            by=admin))
    assert revised.written and revised.counts["changed"] == SMALL, (revised.counts, revised.preview.problems[:3])
    assert Measurement.objects.filter(status="submitted", revision=2).count() == SMALL

    # 5. memory: 100,000 rows from CSV and from XLSX, and a crafted workbook
    clear_measurements()
    _, _, csv_peak = traced(lambda: imports.spreadsheet_import(data=large, name="bench-100k.csv", by=admin))
    workbook = xlsx_file(LARGE)
    clear_measurements()
    xlsx_outcome, xlsx_s = timed("xlsx", lambda: imports.spreadsheet_import(data=workbook, name="bench-100k.xlsx",
                                                                             by=admin))
    assert xlsx_outcome.written and Measurement.objects.count() == LARGE, xlsx_outcome.preview.problems[:3]
    clear_measurements()
    _, _, xlsx_peak = traced(lambda: imports.spreadsheet_import(data=workbook, name="bench-100k.xlsx", by=admin))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux; before tracing
    crafted = crafted_xlsx()
    refused, crafted_s, crafted_peak = traced(lambda: imports.spreadsheet_preview(data=crafted, name="crafted.xlsx",
                                                                                   by=admin))
    assert not refused.ok, "the crafted workbook must be refused"

    ours_rate, plain_rate = SMALL / ours_s, SMALL / plain_s
    print(f"{SMALL:,} measurement rows from CSV ({len(small) / 1024:.0f} KB), same file and database:")
    print(f"  plain import-export ModelResource + ForeignKeyWidget: {plain_s:7.2f} s  {plain_rate:9,.0f} rows/s")
    print(f"  set-based importer (validate + write + history):      {ours_s:7.2f} s  {ours_rate:9,.0f} rows/s"
          f"   (median of {REPEAT}; best {min(runs):.2f} s = {SMALL / min(runs):,.0f} rows/s, "
          f"worst {max(runs):.2f} s)")
    print(f"  ratio: {ours_rate / plain_rate:.1f}x   (budget: >= 10,000 rows/s and >= 15x)   "
          f"{'MEETS' if ours_rate >= 10_000 and ours_rate / plain_rate >= 15 else 'MISSES'} the budget")
    print(f"  re-import of the same file: {again_s:.2f} s, 0 rows written "
          f"({SMALL / again_s:,.0f} rows/s checked)")
    print(f"  SQL statements for the 10,000-row import: {statements}")
    print(f"  revising the 10,000 approved measurements (every value changed): {revised_s:.2f} s "
          f"({SMALL / revised_s:,.0f} rows/s)")
    print(f"{LARGE:,} rows ({len(large) / 1024 / 1024:.1f} MB): preview {preview_s:.2f} s, import {big_s:.2f} s "
          f"({LARGE / big_s:,.0f} rows/s), re-import {big_again_s:.2f} s (0 rows written)")
    print(f"{LARGE:,} rows as XLSX ({len(workbook) / 1024 / 1024:.1f} MB): import {xlsx_s:.2f} s "
          f"({LARGE / xlsx_s:,.0f} rows/s)")
    print(f"Peak memory (Python heap, tracemalloc): import of {LARGE:,} rows from CSV {csv_peak:,.0f} MB, "
          f"from XLSX {xlsx_peak:,.0f} MB; crafted {len(crafted) / 1024:.0f} KB workbook declaring "
          f"A1:XFD1048576 refused in {crafted_s:.2f} s with a peak of {crafted_peak:.1f} MB")
    print(f"Peak resident size of this process before the traced runs (ru_maxrss, the plain resource's run "
          f"included): {max_rss:,.0f} MB")
    ours_cpu = statistics.median(CPU["ours"])
    print(f"CPU seconds of this process ({vendor}{': the database server is not counted' if vendor != 'sqlite' else ''}"
          f"): plain {CPU['plain'][0]:.2f} s; set-based 10,000 rows {ours_cpu:.2f} s ({SMALL / ours_cpu:,.0f} rows/s, "
          f"{CPU['plain'][0] / ours_cpu:.0f}x); re-import {CPU['again'][0]:.2f} s; revise {CPU['revise'][0]:.2f} s; "
          f"100,000 rows preview {CPU['preview'][0]:.2f} s, import {CPU['big'][0]:.2f} s, "
          f"re-import {CPU['big again'][0]:.2f} s, XLSX import {CPU['xlsx'][0]:.2f} s")


if __name__ == "__main__":
    main()
