"""Benchmark: importing disaggregated measurement rows from CSV (issue 14, DESIGN.md section 5).

A 10,000-row file of totals, each followed by its two parts (Sex: female, Sex: male): counts' parts
by value, and (every fifth indicator) percentages' parts by numerator and denominator, their total
left empty to be recomputed from them. Through the set-based importer (parse, full validation with
rules.check_parts, bulk writes with history):
imported new (median of REPEAT runs on an emptied table), then re-imported (must change nothing).
Budget: at least 10,000 rows a second.

    cd /work/main && .venv/bin/python bench/import_disaggregated.py

The database is emptied (flush) first: use a scratch database. Default: a SQLite file in /tmp.
"""
import csv
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_measurements as base  # noqa: E402  (django.setup, the scratch database, the indicators)

ROWS = 10_000
REPEAT = 3


def csv_file(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Indicator code", "Period", "Dimension", "Dimension value", "Value", "Numerator",
                     "Denominator", "Evidence link", "So what?"])
    written, n = 0, 0
    while written < rows:
        for year in base.YEARS:
            if written >= rows:
                break
            code, link, so_what = f"B-I{n:05d}", f"https://example.org/e/{n}/{year}", "Shared with the partner (illustrative)"
            if n % 5:  # the benchmark's counts
                female = 500 + (n + year) % 300
                writer.writerow([code, f"FY{year}", "", "", 1000 + female, "", "", link, so_what])
                writer.writerow([code, f"FY{year}", "Sex", "female", female, "", "", "", ""])
                writer.writerow([code, f"FY{year}", "Sex", "male", 1000, "", "", "", ""])
            else:  # every fifth indicator is a percentage: its total is recomputed from the parts
                writer.writerow([code, f"FY{year}", "", "", "", "", "", link, so_what])
                writer.writerow([code, f"FY{year}", "Sex", "female", "", 20 + (n + year) % 30, 50, "", ""])
                writer.writerow([code, f"FY{year}", "Sex", "male", "", 10, 40, "", ""])
            written += 3
        n += 1
    return buffer.getvalue().encode("utf-8")


def main():
    from django.db import transaction

    from indicators.dimensions import Dimension, DimensionValue, MeasurementPart
    from indicators.models import Indicator, Measurement
    from spreadsheets import importing

    admin = base.setup()
    sex = Dimension.objects.create(name="Sex", slug="sex")
    DimensionValue.objects.create(dimension=sex, name="female", slug="female", order=0)
    DimensionValue.objects.create(dimension=sex, name="male", slug="male", order=1)
    through = Dimension.indicators.through
    through.objects.bulk_create([through(dimension_id=sex.pk, indicator_id=pk) for pk in
                                 Indicator.objects.values_list("pk", flat=True)],
                                batch_size=1000)
    data = csv_file(ROWS)
    rows = data.count(b"\n") - 1
    runs, cpu = [], []
    for _ in range(REPEAT):
        with transaction.atomic():
            MeasurementPart.objects.all()._raw_delete(MeasurementPart.objects.db)  # no "deleted" history
            MeasurementPart.history.all().delete()
        base.clear_measurements()
        start, start_cpu = time.perf_counter(), time.process_time()
        outcome = importing.spreadsheet_import(data=data, name="bench-disaggregated.csv", by=admin)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert outcome.written, [str(p) for p in outcome.preview.problems[:3]]
    totals = Measurement.objects.count()
    assert MeasurementPart.objects.count() == 2 * totals and MeasurementPart.history.count() == 2 * totals
    start = time.perf_counter()
    again = importing.spreadsheet_import(data=data, name="bench-disaggregated.csv", by=admin)
    again_s = time.perf_counter() - start
    assert again.written and again.counts["changed"] == again.counts["new"] == 0, again.counts
    assert MeasurementPart.history.count() == 2 * totals
    median = statistics.median(runs)
    shares = MeasurementPart.objects.filter(numerator__isnull=False).count()
    assert shares and not Measurement.objects.filter(measure="percentage", value__isnull=True).exists()
    print(f"{rows:,} disaggregated measurement rows from CSV ({totals:,} totals, {2 * totals:,} parts of which "
          f"{shares:,} percentages' numerators and denominators, {len(data) / 1024:.0f} KB):")
    print(f"  import (new):   {median:.2f} s = {rows / median:,.0f} rows/s (median of {REPEAT}; "
          f"best {rows / min(runs):,.0f} rows/s)")
    # On a shared machine the wall clock counts the other processes' turns; SQLite runs in this one.
    print(f"  CPU time of this process (new): {statistics.median(cpu):.2f} s = "
          f"{rows / statistics.median(cpu):,.0f} rows per CPU second")
    print(f"  re-import (no-op): {again_s:.2f} s = {rows / again_s:,.0f} rows/s checked")
    print(f"  budget 10,000 rows/s: {'met' if rows / median >= 10_000 else 'MISSED'}")


if __name__ == "__main__":
    main()
