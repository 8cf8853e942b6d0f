"""Large imports in the background: a file of more than LARGE_ROWS rows is checked (the preview) and
then written (the confirm) by a task, while the page polls the job's status.

The work is the same as in a request (spreadsheets.importing): the preview writes nothing, the
import is one transaction, so all or nothing still holds. A worker killed in the middle of an
import leaves its transaction uncommitted: nothing is written. The job then stops beating: while it
runs, a thread rewrites a small file beside the upload every HEARTBEAT_SECONDS with the time and the
progress (a file, not a row: on SQLite the import's transaction holds the database's write lock, so
a second connection could not write a heartbeat). A job whose heartbeat is older than
IMPORT_JOB_STALE_SECONDS is marked failed with a message, by the status page that finds it.

Progress is by stage (queued, started, reading and checking, writing, done); inside a stage it
advances with the time the stage is expected to take for that many rows (measured rates below), and
never reaches the next stage's mark until that stage begins.
"""
import json
import os
import threading
import time
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from citiesalliance.background import enqueue_after_commit

from . import reading, uploads
from .importing import spreadsheet_import, spreadsheet_preview
from .models import ImportJob
from .report import SAMPLE_ROWS, confirmed_counts

LARGE_ROWS = 10_000  # files with more rows than this are checked and written in the background
HEARTBEAT_SECONDS = 2
SHOW_PROBLEMS = 1000
# Rows a second on this project's machine (README, Performance): about 45,000 checked, 20,000 written.
CHECK_RATE, WRITE_RATE = 45_000, 20_000
STAGES = {ImportJob.Stage.PREVIEW: (10, 95, CHECK_RATE), ImportJob.Stage.IMPORT: (10, 95, CHECK_RATE * WRITE_RATE
                                                                                    // (CHECK_RATE + WRITE_RATE))}


def stale_seconds() -> int:
    return int(getattr(settings, "IMPORT_JOB_STALE_SECONDS", 30))


def count_rows(path) -> int:
    """Rows in a stored upload, counted cheaply to decide whether it goes to the background: lines of
    a CSV; `<row` elements in a workbook's sheets (streamed out of the zip, never parsed, so a sheet
    that merely declares a million rows counts the rows it has; at most MAX_ROWS + 1 are counted)."""
    cap = reading.MAX_ROWS + 1
    try:
        if path.suffix.lower() == ".csv":
            with path.open("rb") as f:
                return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1)
        rows = 0
        with zipfile.ZipFile(path) as book:
            for info in book.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                with book.open(info) as sheet:
                    tail = b""
                    for chunk in iter(lambda: sheet.read(1 << 20), b""):
                        text = tail + chunk
                        rows += text.count(b"<row ") + text.count(b"<row>") + text.count(b":row ")
                        tail = text[-5:]
                        rows -= tail.count(b"<row ") + tail.count(b"<row>") + tail.count(b":row ")
                        if rows > cap:
                            return cap
                    rows += tail.count(b"<row ") + tail.count(b"<row>") + tail.count(b":row ")
        return rows
    except (OSError, zipfile.BadZipFile):  # unreadable: the preview in the request says what is wrong
        return 0


def _beat_path(job_id):
    return uploads.store_dir() / "jobs" / f"{job_id}.json"


def _beat_write(job_id, progress: int) -> None:
    path = _beat_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"at": time.time(), "progress": progress}))
    os.replace(tmp, path)


def beat_read(job_id) -> dict | None:
    try:
        return json.loads(_beat_path(job_id).read_text())
    except (OSError, ValueError):
        return None


class _Heartbeat(threading.Thread):
    """Beats every HEARTBEAT_SECONDS while the job runs, with the stage's estimated progress."""

    def __init__(self, job: ImportJob):
        super().__init__(daemon=True)
        self.job_id, self.rows = job.pk, max(job.rows, 1)
        self.start_mark, self.end_mark, self.rate = STAGES[job.stage]
        self.started = time.monotonic()
        self.done = threading.Event()

    def progress(self) -> int:
        expected = self.rows / self.rate
        share = min(1.0, (time.monotonic() - self.started) / expected) if expected else 1.0
        return int(self.start_mark + (self.end_mark - self.start_mark) * share)

    def run(self):
        while not self.done.is_set():
            _beat_write(self.job_id, self.progress())
            self.done.wait(HEARTBEAT_SECONDS)


def import_job_create(*, by, token: str, file_name: str, ext: str, kind: str, rows: int, stage: str,
                      expected: dict | None = None, take_over: bool = False) -> ImportJob:
    """Record the job and queue it for the worker (citiesalliance.background: it finds the job)."""
    from .tasks import import_job_task

    job = ImportJob(created_by=by, token=token, file_name=file_name, ext=ext, kind=kind or "", rows=rows,
                    stage=stage, expected=expected, take_over=take_over)
    job.full_clean()
    job.save()
    enqueue_after_commit(import_job_task, job_id=str(job.pk))
    return job


def _row(r) -> dict:
    """A row of the preview as the page lists it (spreadsheets/_row_samples.html), kept in the job."""
    return {"row": r.row, "key": r.key, "note": r.note, "work_in_progress": r.work_in_progress,
            "changes": [{"column": c.column, "before": c.before, "after": c.after} for c in r.changes],
            "values": [{"column": v.column, "value": v.value} for v in r.values]}


def _summary(preview) -> dict:
    """What the job's page shows of a preview: the counts, every problem (up to SHOW_PROBLEMS), and
    the same rows the small-file preview lists (the first SAMPLE_ROWS of each action and of the
    work in progress it would take over)."""
    counts = preview.counts
    return {
        "samples": [[action, [_row(r) for r in preview.sample(action)]] for action in ("new", "changed", "unchanged")],
        "work_in_progress_rows": [_row(r) for r in preview.work_in_progress[:SAMPLE_ROWS]],
        "kind": preview.kind, "label": preview.label if preview.kind else "", "counts": counts,
        "confirmed": confirmed_counts(preview) if preview.kind else None, "ok": preview.ok,
        "problem_count": len(preview.problems),
        "problems": [{"row": p.row, "column": p.column, "value": str(p.value), "message": p.message}
                     for p in preview.problems[:SHOW_PROBLEMS]],
        "work_in_progress": len(preview.work_in_progress), "notes": list(preview.notes),
        "can_confirm": bool(preview.ok and (counts["new"] or counts["changed"])),
    }


def _finish(job: ImportJob, *, status: str, message: str = "", result: dict | None = None) -> None:
    job.status, job.message, job.result = status, message, result
    job.progress, job.finished_at = 100, timezone.now()
    job.save(update_fields=["status", "message", "result", "progress", "finished_at"])
    _beat_path(job.pk).unlink(missing_ok=True)


def import_job_run(*, job_id: str) -> str:
    """Do the job's stage. Idempotent: a job already finished, or running with a live heartbeat, is
    left alone; one whose worker died is marked failed, never run twice."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        import_job_fail_if_dead(job=job)
        return job.status
    job.status, job.progress = ImportJob.Status.RUNNING, 5
    job.save(update_fields=["status", "progress"])
    beat = _Heartbeat(job)
    _beat_write(job.pk, 5)
    beat.start()
    entry = {"ext": job.ext}
    try:
        data = uploads.path_of(job.token, entry).read_bytes()
        if job.stage == ImportJob.Stage.PREVIEW:
            preview = spreadsheet_preview(data=data, name=job.file_name, by=job.created_by, kind=job.kind or None)
            result = _summary(preview)
        else:
            # The job is marked done in the import's own transaction: a worker killed before the
            # commit leaves neither the rows nor "done"; killed after it, both are there.
            with transaction.atomic():
                outcome = spreadsheet_import(data=data, name=job.file_name, by=job.created_by,
                                             kind=job.kind or None, expected=job.expected,
                                             take_over_work_in_progress=job.take_over)
                _finish(job, status=ImportJob.Status.DONE, result={
                    **_summary(outcome.preview), "written": outcome.written, "stale": outcome.stale,
                    "work_in_progress_kept": outcome.work_in_progress_kept})
            return job.status
    except OSError:
        beat.done.set()
        _finish(job, status=ImportJob.Status.FAILED,
                message="The uploaded file is no longer there (it was cancelled or is more than a day old); "
                        "nothing was imported. Upload the file again.")
        return job.status
    except Exception as exc:
        beat.done.set()
        _finish(job, status=ImportJob.Status.FAILED,
                message=f"The {job.get_stage_display().lower()} stopped with an error ({exc.__class__.__name__}); "
                        "nothing was imported. Upload the file again, or ask an administrator to read the log.")
        raise
    finally:
        beat.done.set()
        beat.join()
        if job.status != ImportJob.Status.RUNNING:  # (the thread may have beaten once more)
            _beat_path(job.pk).unlink(missing_ok=True)
    _finish(job, status=ImportJob.Status.DONE, result=result)
    return job.status


def import_job_fail_if_dead(*, job: ImportJob) -> ImportJob:
    """A running job whose heartbeat stopped more than IMPORT_JOB_STALE_SECONDS ago: its worker was
    killed or crashed, its transaction never committed. Mark it failed, saying so (idempotent)."""
    if job.status != ImportJob.Status.RUNNING:
        return job
    beat = beat_read(job.pk)
    if beat is not None and time.time() - beat["at"] <= stale_seconds():
        return job
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(),
        message=("The worker stopped (it was killed or crashed) while "
                 f"{'importing' if job.stage == ImportJob.Stage.IMPORT else 'checking'} the file: nothing was "
                 "imported. Upload the file again."))
    if updated:
        _beat_path(job.pk).unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def import_job_state(*, job: ImportJob) -> dict:
    """What the page polls: status, stage, progress (the heartbeat's while it runs) and message."""
    job = import_job_fail_if_dead(job=job)
    progress = job.progress
    if job.status == ImportJob.Status.RUNNING:
        progress = max(progress, (beat_read(job.pk) or {}).get("progress", 0))
    message = job.message
    if job.status == ImportJob.Status.QUEUED:
        message = "Waiting for the task worker to start it (manage.py db_worker)."
    elif job.status == ImportJob.Status.RUNNING:
        message = f"{job.get_stage_display()}: {job.rows:,} rows."
    return {"status": job.status, "stage": job.stage, "progress": progress, "message": message,
            "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)}
