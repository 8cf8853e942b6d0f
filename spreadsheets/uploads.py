"""Uploaded files kept between the preview and the confirm: under MEDIA_ROOT/imports/<random>.<ext>,
named in the session (at most five a session), removed on confirm or cancel, and pruned after a
day. The confirm reads the file again and checks it afresh (the data may have changed meanwhile).
"""
import time
import uuid
from pathlib import Path, PurePath

from django.conf import settings

SESSION_KEY = "spreadsheet_imports"
STORE = "imports"
KEEP_SECONDS = 24 * 3600  # uploads nobody confirmed are removed after a day
KEEP_PER_SESSION = 5


def store_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / STORE


def prune() -> None:
    directory = store_dir()
    if not directory.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def path_of(token: str, entry: dict) -> Path:
    return store_dir() / f"{token}{entry['ext']}"


def save(uploaded) -> tuple[str, Path]:
    """Store an uploaded file under a fresh random token: (token, path)."""
    prune()
    token = uuid.uuid4().hex
    directory = store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{token}{PurePath(uploaded.name).suffix.lower()}"
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return token, path


def entry(request, token: str) -> dict | None:
    """What the session remembers of upload `token` (name, ext, kind, counts), if its file is still there."""
    found = request.session.get(SESSION_KEY, {}).get(token)
    if found is None or not path_of(token, found).is_file():
        return None
    return found


def remember(request, token: str, found: dict) -> None:
    stored = request.session.get(SESSION_KEY, {})
    stored[token] = found
    while len(stored) > KEEP_PER_SESSION:  # the oldest uploads drop out of the session
        stored.pop(next(iter(stored)))
    request.session[SESSION_KEY] = stored


def forget(request, token: str) -> None:
    stored = request.session.get(SESSION_KEY, {})
    found = stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    if found:
        path_of(token, found).unlink(missing_ok=True)
