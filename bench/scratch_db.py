"""The scratch database every benchmark runs on, and the set-up they share.

A benchmark never touches the database DATABASE_URL names: with a PostgreSQL URL it creates a
database of its own on that server (dropped at the end), with SQLite (or none) a temporary file.
It runs pinned to one CPU core (the budgets are for one core; the request is single-threaded).
"""
import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse


def scratch_database(url: str | None, *, name: str = "citiesalliance_bench"):
    """(scratch URL, cleanup function) on the server `url` names; SQLite in a temporary file otherwise."""
    if url and url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        parts = urlparse(url)
        admin = psycopg2.connect(dbname=(parts.path.lstrip("/") or "postgres"), user=parts.username,
                                 password=parts.password, host=parts.hostname, port=parts.port or 5432)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections
            connections.close_all()
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()

        return urlunparse(parts._replace(path=f"/{name}")), drop
    handle, path = tempfile.mkstemp(prefix=f"{name.replace('_', '-')}-", suffix=".sqlite3")
    os.close(handle)

    def remove():
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(path + suffix).unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def run_on_scratch(run, args, *, database_url: str | None, name: str = "citiesalliance_bench",
                   debug: str = "0", reuse: str | None = None) -> int:
    """Pin to one core, make the scratch database, point Django at it, call run(args, url), clean up.

    `reuse` is the URL of a database an earlier `--keep` run left (no set-up, kept again);
    `args.keep` keeps the scratch database and prints its URL.
    """
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if reuse:
        url, cleanup, keep = reuse, (lambda: None), True
    else:
        url, cleanup = scratch_database(database_url, name=name)
        keep = getattr(args, "keep", False)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="citiesalliance.settings", DEBUG=debug,
                      SECRET_KEY="benchmark-only-not-secret", ALLOWED_HOSTS="testserver")
    try:
        return run(args, url)
    finally:
        if keep:
            print(f"Scratch database kept: {url}")
        else:
            cleanup()
