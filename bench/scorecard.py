"""Scorecard benchmark (DESIGN.md section 5): server time and query count for a large organisation.

    .venv/bin/python bench/scorecard.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scorecard.py

With a PostgreSQL URL the script creates a scratch database named citiesalliance_bench on that server
and drops it at the end; with SQLite (or no DATABASE_URL) it uses a temporary file. It never touches
the database DATABASE_URL names. It migrates the scratch database, generates a synthetic organisation
(`generate_organisation`, default 2,000 indicators x 20 periods) and a small one, renders the
scorecard page through Django's test Client (the whole request: middleware, session, view, template)
pinned to one CPU core, and prints the median of several runs after a warm-up, and the number of SQL
queries at both sizes. Budget: under 250 ms, and the same query count at both sizes.

Options: --indicators N --periods N --runs N --keep (keep the scratch database).
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

BUDGET_MS = 250
BENCH_DB = "citiesalliance_bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (prints its URL)")
    args = parser.parse_args()

    return run_on_scratch(run, args, database_url=os.environ.get("DATABASE_URL"), name=BENCH_DB)


def run(args, url) -> int:
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic in a benchmark
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from citiesalliance.roles import COMMITTEE

    # Production settings, except static files: the manifest storage needs collectstatic first.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()

    print(f"Database: {connection.vendor} ({url})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    small_indicators, small_periods = max(20, args.indicators // 10), max(3, args.periods // 4)
    call_command("generate_organisation", indicators=args.indicators, periods=args.periods, code="SYN",
                 name="Synthetic (benchmark)", stdout=sys.stdout)
    call_command("generate_organisation", indicators=small_indicators, periods=small_periods, code="SYNS",
                 name="Synthetic (benchmark, small)", stdout=sys.stdout)
    print(f"Set-up took {time.perf_counter() - started:.1f} s")

    user = get_user_model().objects.create_user("bench-committee", password="unused-password-for-bench")
    user.groups.add(Group.objects.get(name=COMMITTEE))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    def get(code):
        response = client.get("/scorecard/", {"framework": code}, secure=True)  # production redirects http
        assert response.status_code == 200, (response.status_code, response.headers.get("Location"))
        return response

    def queries(code):
        with CaptureQueriesContext(connection) as captured:
            get(code)
        return len(captured)

    for _ in range(2):  # warm-up: template loading, URL resolver, connection
        get("SYN")
    times = []
    for _ in range(args.runs):
        begin = time.perf_counter()
        response = get("SYN")
        times.append((time.perf_counter() - begin) * 1000)
    rows = response.content.count(b"<tr data-code=")
    large_queries, small_queries = queries("SYN"), queries("SYNS")
    median = statistics.median(times)

    print(f"Scorecard page, {args.indicators} indicators x {args.periods} periods ({rows} rows rendered, "
          f"{len(response.content) / 1e6:.1f} MB of HTML):")
    print(f"  server time: median {median:.0f} ms over {args.runs} runs (min {min(times):.0f}, "
          f"max {max(times):.0f}) on one core; budget {BUDGET_MS} ms: {'MET' if median < BUDGET_MS else 'MISSED'}")
    print(f"  SQL queries: {large_queries} at {args.indicators} x {args.periods}, {small_queries} at "
          f"{small_indicators} x {small_periods}: "
          f"{'constant (MET)' if large_queries == small_queries else 'GROWS (MISSED)'}")
    return 0 if median < BUDGET_MS and large_queries == small_queries else 1


if __name__ == "__main__":
    sys.exit(main())
