"""PDF benchmark (DESIGN.md section 5): the time to make the PDF of a 2,000-indicator scorecard.

    .venv/bin/python bench/pdf.py                       # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pdf.py

Like bench/scorecard.py (whose scratch database it reuses: a temporary SQLite file, or a scratch
PostgreSQL database on the server DATABASE_URL names, dropped at the end), it migrates, generates
the synthetic organisation (`generate_organisation --indicators 2000 --periods 20`), and then, pinned
to one CPU core, downloads the scorecard PDF through Django's test Client (the whole request: the
selector, the template, WeasyPrint's layout and the PDF), after a warm-up on the small framework, and prints the median
time of --runs runs (wall clock, and the CPU time of this process: on a busy machine the second is the
steadier figure), the page count and the size; then the same for the over-time PDF (--overtime)
and the demo-sized case (a 16-indicator framework). There is no budget in DESIGN.md: it is printed.

Options: --indicators N --periods N --runs N --overtime --keep.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--overtime", action="store_true", help="also time the over-time PDF")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (prints its URL)")
    args = parser.parse_args()
    return run_on_scratch(run, args, database_url=os.environ.get("DATABASE_URL"))


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
    from pypdf import PdfReader  # the test extra: make install has it

    from citiesalliance.roles import COMMITTEE

    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    print(f"Database: {connection.vendor} ({url})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("generate_organisation", indicators=args.indicators, periods=args.periods, code="SYN",
                 name="Synthetic (benchmark)", stdout=sys.stdout)
    call_command("generate_organisation", indicators=16, periods=3, code="SYNS",
                 name="Synthetic (benchmark, small)", stdout=io.StringIO())
    print(f"Set-up took {time.perf_counter() - started:.1f} s")

    user = get_user_model().objects.create_user("bench-committee", password="unused-password-for-bench")
    user.groups.add(Group.objects.get(name=COMMITTEE))
    client = Client()
    client.force_login(user)

    def measure(path, code, runs):
        def get():
            response = client.get(path, {"framework": code}, secure=True)
            assert response.status_code == 200, (response.status_code, response.content[:200])
            return response.content
        if code == "SYNS":
            get()  # warm-up, on the small framework only: templates, fonts, URL resolver
        times, cpu = [], []
        for _ in range(runs):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            data = get()
            times.append(time.perf_counter() - begin)
            cpu.append(time.process_time() - begin_cpu)
        return statistics.median(times), min(times), max(times), statistics.median(cpu), data

    cases = [("Scorecard PDF", "/scorecard/scorecard.pdf")]
    if args.overtime:
        cases.append(("Over-time PDF", "/scorecard/over-time/overtime.pdf"))
    for title, path in cases:
        for code, size, runs in (("SYNS", "16 indicators x 3 periods", max(args.runs, 5)),
                                 ("SYN", f"{args.indicators} indicators x {args.periods} periods", args.runs)):
            median, low, high, cpu, data = measure(path, code, runs)
            pages = len(PdfReader(io.BytesIO(data)).pages)
            print(f"{title}, {size}: median {median:.2f} s over {runs} runs (min {low:.2f}, max {high:.2f}) "
                  f"on one core, {cpu:.2f} s of CPU; {pages} pages, {len(data) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
