"""Load test (issue 7): 50 signed-in users on the scorecard and indicator pages, under gunicorn on
PostgreSQL, for 60 seconds, on loopback.

    .venv/bin/python bench/load.py                       # defaults below
    .venv/bin/python bench/load.py --think-min 0 --think-max 0   # saturation: no think time

What it does, in order:
1. creates a scratch PostgreSQL database (citiesalliance_load) on the server named by --server
   (default postgres://postgres@127.0.0.1:5432/postgres) and migrates it; it never touches any
   other database, and drops this one at the end unless --keep;
2. generates the synthetic organisation (`generate_organisation`, default 200 indicators x 20
   periods: a target and an approved measurement per indicator and period);
3. creates --users users (default 50), a third each Executive Committee, M&E officer, M&E manager;
4. collects the static files into a temporary STATIC_ROOT and starts gunicorn (citiesalliance.wsgi,
   --workers default 2 x cores + 1) on 127.0.0.1 and a free port, with production settings: DEBUG
   off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, CONN_MAX_AGE=60 as the README deploys it. Only
   what plain HTTP on loopback needs is changed: no HTTPS redirect, no secure-only cookies, no HSTS;
   login throttling is off for the run (AXES_ENABLED=0) so that a failed earlier run cannot lock
   the load users out;
5. signs every user in through the real login form (GET for the CSRF token, POST), one session each;
6. warms each worker up, then runs one thread per user for --seconds (default 60). Each user loops:
   one request in four is the scorecard of the synthetic framework, three in four an indicator
   page of a random indicator; between requests the user "reads" for a random think time of
   --think-min to --think-max seconds (default 0.5 to 1.5 s: people click, read, click; set both to
   0 for a saturation run). A request is an error unless it answers 200 with the page's content
   (a redirect to the login page, a 5xx, a timeout or a broken connection are errors);
7. prints requests per second, p50/p95/p99 latency (overall and per page), the error count, the
   machine's load average, and PASS/FAIL against the budget: no errors and p95 under 1 second.

All traffic goes to 127.0.0.1; every loop is bounded by time and by a request count.
"""
import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
LOAD_DB = "citiesalliance_load"
BUDGET_P95_S = 1.0
MAX_REQUESTS_PER_USER = 100_000  # a bound on each loop besides the clock
FRAMEWORK = "SYN"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server URL; the script creates its own database there")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--scorecard-share", type=float, default=0.25,
                        help="the share of requests that are the scorecard page (the rest: indicator pages)")
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request, seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0 or args.workers < 1 or not 0 <= args.think_min <= args.think_max:
        parser.error("need --users >= 1, --seconds > 0, --workers >= 1 and 0 <= --think-min <= --think-max")
    return args


# ---------------------------------------------------------------------------------------------
# the scratch database


def create_database(server_url: str) -> str:
    import psycopg2

    parts = urlparse(server_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--server must be a PostgreSQL URL: the load test runs on PostgreSQL.")
    admin = psycopg2.connect(dbname=parts.path.lstrip("/") or "postgres", user=parts.username,
                             password=parts.password, host=parts.hostname, port=parts.port or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{LOAD_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{LOAD_DB}"')
    admin.close()
    return urlunparse(parts._replace(path=f"/{LOAD_DB}"))


def drop_database(server_url: str) -> None:
    import psycopg2

    parts = urlparse(server_url)
    admin = psycopg2.connect(dbname=parts.path.lstrip("/") or "postgres", user=parts.username,
                             password=parts.password, host=parts.hostname, port=parts.port or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{LOAD_DB}" WITH (FORCE)')
    admin.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, settings_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update({
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        # Plain HTTP on loopback: what a TLS-terminating proxy would otherwise take care of.
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "ERROR",
    })
    return env


def write_settings(settings_dir: Path, static_root: Path) -> None:
    """Production settings, with the collected static files in a temporary folder."""
    (settings_dir / "load_settings.py").write_text(
        "from citiesalliance.settings import *  # noqa: F401,F403\n"
        f"STATIC_ROOT = {str(static_root)!r}\n"
    )


def manage(env, *arguments, capture=False):
    run = subprocess.run([PYTHON, str(ROOT / "manage.py"), *arguments], cwd=ROOT, env=env, text=True,
                         capture_output=capture)
    if run.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{run.stdout or ''}{run.stderr or ''}")
    return run.stdout


SETUP_USERS = r"""
import sys
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from citiesalliance import roles
from indicators.models import Indicator

count, password = int(sys.argv[1]), sys.argv[2]
hashed = make_password(password)  # one hash for all: the load users share a password
groups = [Group.objects.get(name=n) for n in (roles.COMMITTEE, roles.OFFICER, roles.MANAGER)]
User = get_user_model()
users = User.objects.bulk_create([User(username=f"load{n:03d}", password=hashed) for n in range(count)])
for n, user in enumerate(User.objects.filter(username__startswith="load").order_by("username")):
    user.groups.add(groups[n % len(groups)])
for code in Indicator.objects.filter(result__framework__code="SYN").values_list("code", flat=True):
    print("CODE", code)
"""


# ---------------------------------------------------------------------------------------------
# HTTP on loopback


class Session:
    """One signed-in user: their cookies, and a GET that follows nothing."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout, self.cookies = port, timeout, {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            headers = dict(headers or {})
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location"), data
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        status, _, body = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise SystemExit(f"The login page answered {status} without a form.")
        form = urlencode({"username": username, "password": password,
                          "csrfmiddlewaretoken": match.group(1).decode()})
        status, location, _ = self.request("POST", "/accounts/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Logging in {username} failed: {status} {location}")


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            status, _, _ = Session(port, 2).request("GET", "/accounts/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run_users(sessions, codes, args, port):
    """One thread per user until the deadline; returns [(kind, latency s, ok, detail)]."""
    records, lock = [], threading.Lock()
    start_gate = threading.Event()
    deadline_box = {}

    def user(n: int, session: Session):
        rng = random.Random(args.seed * 1000 + n)
        start_gate.wait()
        time.sleep(rng.uniform(0, max(args.think_max, 0.05)))  # users don't all click at once
        mine = []
        for _ in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= deadline_box["t"]:
                break
            if rng.random() < args.scorecard_share:
                kind, path, marker = "scorecard", f"/scorecard/?framework={FRAMEWORK}", b"<tr data-code="
            else:
                code = rng.choice(codes)
                kind, path, marker = "indicator", f"/indicators/{code}/", code.encode()
            began = time.perf_counter()
            try:
                status, location, body = session.request("GET", path)
                ok = status == 200 and marker in body
                detail = "" if ok else f"{status} {location or ''}".strip()
            except (OSError, http.client.HTTPException) as exc:
                ok, detail = False, f"{exc.__class__.__name__}: {exc}"
            mine.append((kind, time.perf_counter() - began, ok, detail))
            think = rng.uniform(args.think_min, args.think_max)
            if think:
                time.sleep(min(think, max(0.0, deadline_box["t"] - time.monotonic())))
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=user, args=(n, s), daemon=True) for n, s in enumerate(sessions)]
    for t in threads:
        t.start()
    began = time.monotonic()
    deadline_box["t"] = began + args.seconds
    start_gate.set()
    for t in threads:
        t.join(args.seconds + args.timeout + 10)
    elapsed = time.monotonic() - began
    return records, elapsed


def report(records, elapsed, args, load_before, load_after, cpu) -> bool:
    errors = [r for r in records if not r[2]]
    latencies = sorted(r[1] for r in records)
    p95 = percentile(latencies, 95)
    print()
    print(f"Load test: {args.users} signed-in users, {args.seconds:.0f} s, gunicorn {args.workers} workers "
          f"on {os.cpu_count()} cores, PostgreSQL, {args.indicators} indicators x {args.periods} periods, "
          f"think time {args.think_min:g}-{args.think_max:g} s, "
          f"{args.scorecard_share:.0%} scorecard / {1 - args.scorecard_share:.0%} indicator pages")
    print(f"  requests:        {len(records)} in {elapsed:.1f} s = {len(records) / elapsed:.1f} requests/s")
    print(f"  latency overall: p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {latencies[-1] * 1000 if latencies else 0:.0f} ms")
    for kind in ("scorecard", "indicator"):
        some = sorted(r[1] for r in records if r[0] == kind)
        if some:
            print(f"  {kind + ':':16} {len(some)} requests, p50 {percentile(some, 50) * 1000:.0f} ms, "
                  f"p95 {percentile(some, 95) * 1000:.0f} ms, p99 {percentile(some, 99) * 1000:.0f} ms, "
                  f"mean {statistics.fmean(some) * 1000:.0f} ms")
    print(f"  errors:          {len(errors)}")
    for kind, _, _, detail in errors[:10]:
        print(f"    {kind}: {detail}")
    print(f"  load average:    before {load_before}, after {load_after} (1, 5, 15 min)")
    if records and cpu["machine_total"]:
        cores = os.cpu_count() or 1
        print(f"  CPU during the run: machine {cpu['machine_busy'] / cpu['machine_total']:.0%} busy of {cores} cores; "
              f"gunicorn workers {cpu['workers']:.1f} s ({cpu['workers'] / len(records) * 1000:.1f} ms a request), "
              f"this load generator {cpu['client']:.1f} s, everything else (PostgreSQL, other processes) "
              f"{max(0.0, cpu['machine_busy'] - cpu['workers'] - cpu['client']):.1f} s")
    passed = bool(records) and not errors and p95 < BUDGET_P95_S
    print(f"{'PASS' if passed else 'FAIL'}: budget is no errors and p95 under {BUDGET_P95_S:g} s "
          f"(errors {len(errors)}, p95 {p95 * 1000:.0f} ms)")
    return passed


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def workers_cpu(master_pid: int) -> float:
    """CPU seconds used so far by gunicorn's worker processes (the children of its master)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def loadavg() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="citiesalliance-load-"))
    static_root = workdir / "static"
    write_settings(workdir, static_root)
    gunicorn = None
    database_url = None
    try:
        database_url = create_database(args.server)
        env = production_env(database_url, workdir)
        env["MEDIA_ROOT"] = str(workdir / "media")
        started = time.monotonic()
        print(f"Database {database_url}: migrating, generating {args.indicators} indicators x {args.periods} periods")
        manage(env, "migrate", "--noinput", capture=True)
        print(manage(env, "generate_organisation", f"--indicators={args.indicators}",
                     f"--periods={args.periods}", f"--code={FRAMEWORK}", capture=True).strip())
        password = secrets.token_urlsafe(16)
        output = manage(env, "shell", "-c", SETUP_USERS.replace("sys.argv[1]", repr(str(args.users)))
                        .replace("sys.argv[2]", repr(password)), capture=True)
        codes = [line.split()[1] for line in output.splitlines() if line.startswith("CODE ")]
        manage(env, "collectstatic", "--noinput", capture=True)
        print(f"Set-up took {time.monotonic() - started:.0f} s; {len(codes)} indicators to visit")

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "citiesalliance.wsgi", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True)
        wait_until_up(port, gunicorn)
        print(f"gunicorn {args.workers} workers on http://127.0.0.1:{port}/ (pid {gunicorn.pid})")

        sessions = []
        for n in range(args.users):
            session = Session(port, args.timeout)
            session.login(f"load{n:03d}", password)
            sessions.append(session)
        # Warm-up, not counted: every worker loads templates and opens its database connection.
        for n in range(3 * args.workers):
            sessions[n % len(sessions)].request("GET", f"/scorecard/?framework={FRAMEWORK}")
            sessions[n % len(sessions)].request("GET", f"/indicators/{codes[n % len(codes)]}/")

        load_before = loadavg()
        busy0, total0 = machine_cpu()
        workers0, client0 = workers_cpu(gunicorn.pid), time.process_time()
        records, elapsed = run_users(sessions, codes, args, port)
        busy1, total1 = machine_cpu()
        cpu = {"machine_busy": busy1 - busy0, "machine_total": total1 - total0,
               "workers": workers_cpu(gunicorn.pid) - workers0, "client": time.process_time() - client0}
        return 0 if report(records, elapsed, args, load_before, loadavg(), cpu) else 1
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                gunicorn.wait(30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if database_url:
            if args.keep:
                print(f"Database kept: {database_url}")
            else:
                drop_database(args.server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
