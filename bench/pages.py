"""Page-cost benchmark (issue 17): the CPU each page costs, as a ratio to the site's cheapest page.

    .venv/bin/python bench/pages.py                                   # SQLite, in a temporary file
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/

In one run on the same data, with DEBUG off and the production settings (static files excepted: no
collectstatic), it builds a scratch database (SQLite: a temporary file; PostgreSQL: a database named
citiesalliance_pages on the server the URL names, dropped at the end), generates two synthetic
organisations (`generate_organisation`: SYM, 200 indicators x 20 periods, as the load test uses, and
SYN, 2,000 indicators x 20 periods), signs in one user per role, and measures each page through
django.test.Client: the median CPU time (time.process_time) of --runs requests after --warm-up
requests. Absolute times depend on the machine and its load; the budgets are ratios:

- the login page (anonymous) is the floor;
- an indicator page (Executive Committee, and M&E officer), a result page, the worklist (M&E officer,
  responsible for 20 indicators) and the review queue (M&E manager): at most 3x the floor;
- the scorecard of 200 indicators: at most 6x the floor;
- the scorecard of 2,000 indicators: at most 3x the SQL that reads its figures, i.e. the queries
  selectors.scorecard_build runs (captured once) replayed on a raw cursor, fetching every row
  (SQLite: CPU of this process, which includes the database's work; PostgreSQL: wall-clock time of
  the page and of the SQL, since the server's CPU is not this process's).

Indicator pages rotate over --indicators-visited indicators, all visited during the warm-up, as the
load test's users visit and revisit them. Pages are measured in rounds (each page once a round, the
login page first) and each ratio is the median of the ratios within a round, so that load from
elsewhere on the machine falls on every page alike (the login page then follows the largest page of
the previous round, as on a server that mixes requests, and costs more than measured alone). "cold"
rows (no budget, printed for the record) are the first request after a figure changed: what an
approval costs the next reader.

Exit status 0 when every budget holds, 1 otherwise. Options: --runs N --warm-up N --keep.
"""
import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_db import run_on_scratch  # noqa: E402  (bench/, beside this script)

SCRATCH_DB = "citiesalliance_pages"
SMALL, LARGE = "SYM", "SYN"
FLOOR_BUDGET, SCORECARD_BUDGET, SQL_BUDGET = 3.0, 6.0, 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL (a scratch database is made there); default SQLite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--indicators-visited", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (prints its URL)")
    args = parser.parse_args()
    return run_on_scratch(run, args, database_url=args.database_url, name=SCRATCH_DB)


def run(args, url) -> int:
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from citiesalliance import roles
    from indicators.models import Indicator

    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    wall = connection.vendor != "sqlite"
    clock = time.perf_counter if wall else time.process_time
    print(f"Database: {connection.vendor} ({url}); DEBUG {settings.DEBUG}; cache "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; clock: "
          f"{'wall (perf_counter)' if wall else 'CPU of this process (process_time)'}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("generate_organisation", indicators=200, periods=20, code=SMALL, name="Synthetic (200)",
                 stdout=sys.stdout)
    call_command("generate_organisation", indicators=2000, periods=20, code=LARGE, name="Synthetic (2,000)",
                 stdout=sys.stdout)
    users = {}
    for role in (roles.COMMITTEE, roles.OFFICER, roles.MANAGER):
        user = get_user_model().objects.create_user(f"pages-{role.split()[-1].lower()}", password="unused-bench")
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    codes = list(Indicator.objects.filter(result__framework__code=SMALL).order_by("code")
                 .values_list("code", flat=True))
    Indicator.objects.filter(code__in=codes[:20]).update(responsible=users[roles.OFFICER])
    visited = codes[:: max(1, len(codes) // args.indicators_visited)][: args.indicators_visited]
    result_code = Indicator.objects.get(code=codes[0]).result.code
    print(f"Set-up took {time.perf_counter() - started:.1f} s")

    clients = {None: Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    def get(role, path, params=None):
        response = clients[role].get(path, params or {}, secure=True)
        assert response.status_code == 200, (path, response.status_code, response.headers.get("Location"))
        return response

    indicator_paths = [f"/indicators/{code}/" for code in visited]
    probes = [  # (name, role, paths, params, budget as a multiple of the floor)
        ("login page (the floor)", None, ["/accounts/login/"], None, None),
        ("indicator page (committee)", roles.COMMITTEE, indicator_paths, None, FLOOR_BUDGET),
        ("indicator page (officer)", roles.OFFICER, indicator_paths, None, FLOOR_BUDGET),
        ("result page (committee)", roles.COMMITTEE, [f"/results/{result_code}/"], None, FLOOR_BUDGET),
        ("worklist (officer, 20 indicators)", roles.OFFICER, ["/indicators/worklist/"], None, FLOOR_BUDGET),
        ("review queue (manager)", roles.MANAGER, ["/indicators/review/"], None, FLOOR_BUDGET),
        ("scorecard, 200 indicators", roles.COMMITTEE, ["/scorecard/"], {"framework": SMALL}, SCORECARD_BUDGET),
        ("scorecard, 2,000 indicators", roles.COMMITTEE, ["/scorecard/"], {"framework": LARGE}, None),
    ]
    for _ in range(args.warm_up):
        for _name, role, paths, params, _budget in probes:
            for path in paths:
                get(role, path, params)
    # Rounds: each page once per round, so that a burst of load from elsewhere on the machine falls
    # on every page alike; the ratio is the median of the ratios within each round.
    times = {name: [] for name, *_ in probes}
    for n in range(args.runs):
        for name, role, paths, params, _budget in probes:
            begin = clock()
            get(role, paths[n % len(paths)], params)
            times[name].append((clock() - begin) * 1000)
    floor_times = times["login page (the floor)"]
    rows = []  # (name, ms, ratio, budget text, ok)
    for name, _role, _paths, _params, budget in probes:
        ms = statistics.median(times[name])
        ratio = statistics.median(t / f for t, f in zip(times[name], floor_times))
        if budget is None:
            rows.append((name, ms, ratio, "", None))
        else:
            rows.append((name, ms, ratio, f"<= {budget:g}x floor", ratio <= budget))
    from scorecard.selectors import scorecard_build
    sql = sql_time(connection, clock, lambda: scorecard_build(framework_code=LARGE), max(5, args.runs // 2))
    large, floor = statistics.median(times["scorecard, 2,000 indicators"]), statistics.median(floor_times)
    rows.append(("  its SQL (scorecard_build's, replayed)", sql["ms"], sql["ms"] / floor,
                 f"{sql['queries']} queries, {sql['rows']:,} rows", None))
    rows.append(("  scorecard 2,000 / its SQL", large, large / sql["ms"], f"<= {SQL_BUDGET:g}x its SQL",
                 large / sql["ms"] <= SQL_BUDGET))

    # For the record (no budget): the first request after the figures changed.
    cold = cold_times(get, roles, visited, clock)
    unit = "ms wall" if wall else "ms CPU"
    print(f"\n{'page':40} {unit:>10} {'ratio':>8}  budget")
    for name, ms, ratio, budget, ok in rows:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:40} {ms:10.1f} {ratio:7.1f}x  {budget} {verdict}")
    for name, ms in cold:
        print(f"{name:40} {ms:10.1f} {ms / floor:7.1f}x  (no budget: first request after a change)")
    failed = [name for name, _, _, _, ok in rows if ok is False]
    print(f"\n{'ALL BUDGETS MET' if not failed else 'OVER BUDGET: ' + ', '.join(failed)}")
    return 1 if failed else 0


def sql_time(connection, clock, read, runs) -> dict:
    """The SQL that reads the scorecard's figures: the queries scorecard_build runs (captured once,
    cache or no cache), replayed on a raw cursor, fetching every row."""
    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        read()
    statements = [(sql, params) for sql, params, many in captured if not many]
    times, fetched = [], 0
    for _ in range(runs):
        begin = clock()
        fetched = 0
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                fetched += len(cursor.fetchall())
        times.append((clock() - begin) * 1000)
    return {"ms": statistics.median(times), "queries": len(statements), "rows": fetched}


def cold_times(get, roles, visited, clock) -> list[tuple[str, float]]:
    """One request each right after a figure of the page changed (an approval's next reader)."""
    from django.utils import timezone

    from indicators.models import Measurement

    def touch(code):
        # What an approval writes, without the workflow around it: a figure approved again.
        measurement = Measurement.objects.filter(indicator__code=code).order_by("-period__end").first()
        measurement.approved_at = timezone.now()
        measurement.save()  # a row in its history, as every write of a figure makes

    out = []
    code = visited[0]
    touch(code)
    begin = clock()
    get(roles.COMMITTEE, f"/indicators/{code}/")
    out.append(("indicator page, cold (committee)", (clock() - begin) * 1000))
    touch(code)
    begin = clock()
    get(roles.COMMITTEE, "/scorecard/", {"framework": SMALL})
    out.append(("scorecard 200, cold (committee)", (clock() - begin) * 1000))
    return out


if __name__ == "__main__":
    sys.exit(main())
