"""IATI export benchmark (DESIGN.md section 5): the time of an IATI 2.03 export of every framework.

    .venv/bin/python bench/iati.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/iati.py

Like bench/scorecard.py (whose scratch-database helper it uses) it never touches the database
DATABASE_URL names: it migrates a scratch database, loads the two Cities Alliance chains with the
illustrative demo data and generates the synthetic organisation (`generate_organisation`, default
2,000 indicators x 20 periods), then times `export_iati` of each framework and of all of them in
one document (the median of several runs after a warm-up, one CPU core), counts the SQL queries,
and, when ../shared/iati/ is there, validates the whole document against the official schema and
the IATI rules (outside the timing).

Options: --indicators N --periods N --runs N --keep.
"""
import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_db import run_on_scratch  # noqa: E402  (bench/, beside this script)


def _schema_dir() -> Path | None:
    for folder in [ROOT.parent, *ROOT.parents[1:]]:
        if (folder / "shared" / "iati" / "iati-activities-schema.xsd").is_file():
            return folder / "shared" / "iati"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    return run_on_scratch(run, args, database_url=os.environ.get("DATABASE_URL"), debug="1")


def run(args, url) -> int:
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from api import iati, iati_checks, iati_export
    from api.iati_selectors import framework_codes

    print(f"Database: {connection.vendor} ({url})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_chains", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("generate_organisation", indicators=args.indicators, periods=args.periods, code="SYN",
                 name="Synthetic (benchmark)", stdout=sys.stdout)
    print(f"Set-up took {time.perf_counter() - started:.1f} s")

    def timed(codes):
        iati_export.export_bytes(codes)  # warm-up
        times = []
        for _ in range(args.runs):
            begin = time.perf_counter()
            content = iati_export.export_bytes(codes)
            times.append((time.perf_counter() - begin) * 1000)
        with CaptureQueriesContext(connection) as captured:
            iati_export.export_bytes(codes)
        return statistics.median(times), min(times), max(times), len(captured), content

    codes = framework_codes()
    print(f"IATI 2.03 export, median of {args.runs} runs on one core (XML written to bytes):")
    for code in codes:
        median, low, high, queries, content = timed([code])
        print(f"  {code:6} {median:8.0f} ms (min {low:.0f}, max {high:.0f}), {queries} queries, "
              f"{len(content) / 1e6:.2f} MB")
    median, low, high, queries, content = timed(codes)
    print(f"  all {len(codes)} {median:6.0f} ms (min {low:.0f}, max {high:.0f}), {queries} queries, "
          f"{len(content) / 1e6:.2f} MB in one document")
    schema_dir = _schema_dir()
    if schema_dir is None:
        print("  (../shared/iati/ is not here: the document was not validated)")
        return 0
    document = iati_export.document(codes)
    begin = time.perf_counter()
    problems = iati_checks.schema_errors(document, schema_dir)
    problems += iati_checks.rule_errors(document, today=timezone.localdate())
    print(f"  validation against the official schema and the IATI rules: "
          f"{'valid' if not problems else f'{len(problems)} problems, e.g. {problems[0]}'} "
          f"({(time.perf_counter() - begin):.1f} s, {sum(1 for _ in document.iter('indicator'))} indicators, "
          f"{sum(1 for _ in document.iter('period'))} periods)")
    assert iati.VERSION == "2.03"
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
