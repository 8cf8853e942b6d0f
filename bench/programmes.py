"""Scale benchmark of computed corporate indicators (issue 18): N country programmes of M indicators
aligned to the corporate chain, and the corporate scorecard that adds them up.

    .venv/bin/python bench/programmes.py                         # 100 x 500, SQLite in a temporary file
    .venv/bin/python bench/programmes.py --programmes 10 --indicators 100 --periods 5   # a quick look

Generates a synthetic corporate organisation (`generate_organisation`, 200 indicators) and N
programmes of M indicators with an approved target and measurement per period
(`generate_programmes`, bulk inserts: at 100 x 500 x 20, 50,000 indicators and 1,000,000
measurements), with corporate indicators computed over them. Then, pinned to one core, it times
- the corporate scorecard's build (scorecard.selectors.scorecard_build: reading, the computed
  figures, the arithmetic of every indicator and contribution, the rows);
- the SQL that reads its figures: the very queries the build ran, captured and re-run on a raw
  cursor with every row fetched;
alternating the two --runs times (so that the shared machine's load weighs on both alike),
and prints their medians, their ratio (budget: the build within 3x of its SQL), and the query counts of the
build at N and at a tenth of N programmes (budget: the same). With a PostgreSQL DATABASE_URL it
works in a scratch database like bench/scorecard.py; it never touches the database DATABASE_URL names.

Options: --programmes N --indicators M --periods P --runs R --keep, --reuse URL (a kept database).
"""
import argparse
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_db import run_on_scratch  # noqa: E402  (bench/, beside this script)

RATIO_BUDGET = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (prints its URL)")
    parser.add_argument("--reuse", metavar="URL", help="time again on a database kept by --keep (no set-up)")
    args = parser.parse_args()
    return run_on_scratch(run, args, database_url=os.environ.get("DATABASE_URL"), reuse=args.reuse)


def run(args, url) -> int:
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scorecard.selectors import scorecard_build

    print(f"Database: {connection.vendor} ({url})")
    started = time.perf_counter()
    few = max(1, args.programmes // 10)
    for code, prefix, count in () if args.reuse else (("SYNF", "PF", few), ("SYNC", "PC", args.programmes)):
        if code == "SYNF":
            call_command("migrate", verbosity=0)
        call_command("generate_organisation", indicators=200, periods=args.periods, code=code,
                     name=f"Synthetic corporate {code} (benchmark)", stdout=io.StringIO())
        call_command("generate_programmes", corporate=code, programmes=count, indicators=args.indicators,
                     periods=args.periods, prefix=prefix, stdout=sys.stdout)
    print(f"Set-up took {time.perf_counter() - started:.1f} s")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def build(code):
        with CaptureQueriesContext(connection) as captured:
            card = scorecard_build(framework_code=code)
        return card, captured.captured_queries

    card, queries = build("SYNC")  # warm-up (and the queries to replay)

    def replay():
        rows = 0
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                rows += len(cursor.fetchall())
        return rows

    # Build and SQL alternate, so that a change in the machine's load weighs on both alike.
    build_times, sql_times, fetched = [], [], 0
    for _ in range(args.runs):
        begin = time.perf_counter()
        fetched = replay()
        sql_times.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        card = scorecard_build(framework_code="SYNC")
        build_times.append(time.perf_counter() - begin)
    _, few_queries = build("SYNF")

    computed_rows = [r for r in card.rows if r.get("formula")]
    build_s, sql_s = statistics.median(build_times), statistics.median(sql_times)
    ratio = build_s / sql_s if sql_s else float("inf")
    total = args.programmes * args.indicators
    print(f"Corporate scorecard over {args.programmes} programmes x {args.indicators} indicators ({total:,} "
          f"programme indicators, {args.periods} periods; {len(computed_rows)} computed corporate indicators, "
          f"{len(list(card.rows))} rows):")
    print(f"  build: median {build_s * 1000:.0f} ms over {args.runs} runs (min {min(build_times) * 1000:.0f}) on one core")
    print(f"  SQL that reads its figures: median {sql_s * 1000:.0f} ms ({len(queries)} queries, {fetched:,} rows fetched)")
    print(f"  ratio build / SQL: {ratio:.2f}x; budget {RATIO_BUDGET:.0f}x: {'MET' if ratio <= RATIO_BUDGET else 'MISSED'}")
    print(f"  SQL queries: {len(queries)} at {args.programmes} programmes, {len(few_queries)} at {few}: "
          f"{'constant (MET)' if len(queries) == len(few_queries) else 'GROWS (MISSED)'}")
    return 0 if ratio <= RATIO_BUDGET and len(queries) == len(few_queries) else 1


if __name__ == "__main__":
    sys.exit(main())
