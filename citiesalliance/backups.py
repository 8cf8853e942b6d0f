"""Backup and restore of the whole record: the database and the uploaded evidence.

PostgreSQL: pg_dump's custom format and pg_restore (consistent snapshot, restorable into an empty
or existing database). SQLite: the sqlite3 online-backup API, a consistent file copy even while the
site runs. A backup is a folder: database.dump or database.sqlite3, media.tar.gz, manifest.json.
"""
import json
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection, connections


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    import os

    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup_create(*, destination: Path) -> Path:
    """Write a backup folder under `destination` and return it."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination) / f"backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file",
              str(folder / "database.dump"), *args], env=env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(f"Backups are not supported for {vendor}.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname="media")
    (folder / "manifest.json").write_text(json.dumps({
        "created": stamp, "vendor": vendor, "database": connection.settings_dict["NAME"],
    }, indent=2))
    return folder


def backup_restore(*, source: Path) -> None:
    """Replace the database (and uploaded evidence) with the backup in `source`."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{source} is not a backup folder (manifest.json: {exc}).") from exc
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(f"This backup is of a {manifest.get('vendor')} database; the site uses {vendor}.")
    if vendor == "postgresql":
        connections.close_all()  # pg_restore drops and recreates objects: no open transaction may hold them
        env, args = _pg_env_and_args()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", *args, str(source / "database.dump")], env=env)
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(source / "database.sqlite3")
        with backup:
            backup.backup(connection.connection)
        backup.close()
    media_archive = source / "media.tar.gz"
    if media_archive.exists():
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(media_archive, "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
            if media.exists():
                shutil.rmtree(media)
            media.parent.mkdir(parents=True, exist_ok=True)
            archive.extractall(media.parent / ".restore-tmp", members=members, filter="data")
            extracted = media.parent / ".restore-tmp" / "media"
            if extracted.exists():
                shutil.move(str(extracted), str(media))
            shutil.rmtree(media.parent / ".restore-tmp", ignore_errors=True)
