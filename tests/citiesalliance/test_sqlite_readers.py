"""On SQLite (the embedded database `make run` uses) a reader never waits for a writer: the settings
put the database in write-ahead-log mode, so a large import's open transaction does not hold the
pages, its own progress page among them, until it commits."""
import threading
import time

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite's locking only: PostgreSQL readers never wait for writers")
    options = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "site.sqlite3"), "OPTIONS": options}

    def connect():
        return DatabaseWrapper(config, alias="file-test")
    with django_db_blocker.unblock():  # a database of the test's own, not the test database
        yield connect


def test_a_reader_answers_while_a_large_write_is_open(file_database):
    writer = file_database()
    with writer.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE job (id INTEGER PRIMARY KEY, progress INTEGER)")
        cursor.execute("CREATE TABLE row (id INTEGER PRIMARY KEY, text TEXT)")
        cursor.execute("INSERT INTO job (progress) VALUES (40)")
    writer.connection.commit()
    answered = {}

    def read():
        reader = file_database()
        started = time.monotonic()
        with reader.cursor() as cursor:
            cursor.execute("SELECT progress FROM job")
            answered["progress"] = cursor.fetchone()[0]
        answered["seconds"] = time.monotonic() - started
        reader.close()

    with writer.cursor() as cursor:  # a write bigger than the page cache, left open (uncommitted)
        cursor.execute("BEGIN IMMEDIATE")
        cursor.executemany("INSERT INTO row (text) VALUES (?)", [("x" * 500,)] * 40_000)
        cursor.execute("UPDATE job SET progress = 90")
        thread = threading.Thread(target=read)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the reader waited for the writer"
        cursor.execute("ROLLBACK")
    writer.close()
    assert answered["progress"] == 40 and answered["seconds"] < 2  # the committed state, at once
