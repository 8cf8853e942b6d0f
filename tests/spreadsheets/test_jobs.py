"""Large imports in the background (spreadsheets/jobs.py): checked and written by a task, followed
by a progress page; all or nothing; a worker killed mid-import writes nothing and the job says so.

LARGE_ROWS is lowered so that a few rows go the background way; the work is the same at any size.
"""
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Measurement
from spreadsheets import bulk, jobs
from spreadsheets.models import ImportJob

from .conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Evidence link", "So what?"]
SO_WHAT = "Shared with the partner"
ROWS = [["FWI-N", "FY2014", "1,200", "https://example.org/a", SO_WHAT],
        ["fwi-p", "FY2014", "45%", "https://example.org/b", SO_WHAT],
        ["FWI-N", "FY2015", "300", "https://example.org/c", SO_WHAT]]


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(jobs, "LARGE_ROWS", 2)


def upload(client, rows, name="big.csv"):
    return client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile(name, csv_bytes([HEADER, *rows]), content_type="text/csv"), "kind": ""})


def test_a_large_file_is_checked_then_imported_in_the_background(client, administrator, chain_with_indicators, large,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, ROWS)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.stage == "preview" and job.status == "done" and job.rows == 3  # the immediate backend ran it
    assert Measurement.objects.count() == 0  # the preview writes nothing
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status == {"status": "done", "stage": "preview", "progress": 100, "message": "", "finished": True}
    page = client.get(response["Location"]).content.decode()
    assert "3 new" in page and "Import 3 rows" in page and "import_job.js" not in page
    # The rows themselves, as the small-file preview lists them.
    assert 'id="rows-new"' in page and "FWI-N FY2014" in page and "FWI-P FY2014" in page
    token = job.token
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(reverse("imports:confirm"), {"token": token})
    written = ImportJob.objects.get(stage="import")
    assert confirm["Location"] == reverse("imports:job", args=[written.pk])
    assert written.status == "done" and written.result["written"] is True
    page = client.get(confirm["Location"]).content.decode()
    assert "Imported measurements from big.csv: 3 new, 0 changed, 0 unchanged." in page
    # The same rows as the request path writes: submitted by the importer, with the history reason.
    assert Measurement.objects.filter(status="submitted", submitted_by=administrator).count() == 3
    assert Measurement.objects.get(indicator__code="FWI-N", period__label="FY2014").value == 1200


def test_a_job_still_running_shows_a_progress_bar_polled_by_a_script(client, administrator, chain_with_indicators,
                                                                     large, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(administrator)
    upload(client, ROWS)  # queued in the database; no worker runs in this test, so the job waits
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in page and "js/import_job.js" in page and "<script>" not in page
    assert reverse("imports:job_status", args=[job.pk]) in page
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["status"] == "queued" and "db_worker" in status["message"] and not status["finished"]


def test_a_file_with_problems_is_reported_and_cannot_be_confirmed(client, administrator, chain_with_indicators, large,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, ROWS + [["FWI-N", "FY2016", "12O", "https://example.org/d", SO_WHAT]])
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Nothing will be imported" in page and "12O" in page and "Import 4" not in page
    response = client.post(reverse("imports:confirm"), {"token": job.token}, follow=True)
    assert "has problems: nothing was imported" in response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_worker_killed_mid_import_writes_nothing_and_the_job_is_failed(client, administrator, chain_with_indicators,
                                                                         large, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(administrator)
    upload(client, ROWS)  # queued; this test plays the worker
    preview = ImportJob.objects.get()
    jobs.import_job_run(job_id=str(preview.pk))
    preview.refresh_from_db()
    job = jobs.import_job_create(by=administrator, token=preview.token, file_name=preview.file_name, ext=preview.ext,
                                 kind="measurements", rows=3, stage="import", expected=preview.result["confirmed"])
    real = bulk.insert_returning

    def killed(*args, **kwargs):  # rows are inserted, then the process dies (SIGKILL: no handler runs)
        real(*args, **kwargs)
        raise SystemExit("killed")

    monkeypatch.setattr(bulk, "insert_returning", killed)
    with pytest.raises(SystemExit):
        jobs.import_job_run(job_id=str(job.pk))
    assert Measurement.objects.count() == 0  # the import's transaction never committed
    job.refresh_from_db()
    assert job.status == "running"  # nothing marked it: the worker is gone
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["status"] == "running"  # its last heartbeat is recent: still believed alive
    beat = jobs.beat_read(job.pk)
    jobs._beat_path(job.pk).write_text(json.dumps({**beat, "at": time.time() - settings.IMPORT_JOB_STALE_SECONDS - 1}))
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["finished"]
    assert "worker stopped" in status["message"] and "nothing was imported" in status["message"]
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Nothing was imported." in page and "worker stopped" in page
    # The task run again (a retry) does not redo a failed job.
    assert jobs.import_job_run(job_id=str(job.pk)) == "failed" and Measurement.objects.count() == 0


def test_small_files_stay_in_the_request(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    response = upload(client, ROWS)
    assert response.status_code == 200 and "Import 3 rows" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_rows_are_counted_for_csv_and_xlsx(tmp_path):
    from .conftest import xlsx_bytes

    csv_path, xlsx_path = tmp_path / "a.csv", tmp_path / "a.xlsx"
    csv_path.write_bytes(csv_bytes([HEADER, *ROWS]))
    xlsx_path.write_bytes(xlsx_bytes([HEADER, *ROWS]))
    assert jobs.count_rows(csv_path) == 3 and jobs.count_rows(xlsx_path) == 4  # the header row counts there
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"not a zip")
    assert jobs.count_rows(broken) == 0


def test_the_job_page_escapes_the_file_name_and_the_cells(client, administrator, chain_with_indicators, large,
                                                          django_capture_on_commit_callbacks):
    client.force_login(administrator)
    script = "<script>alert(1)</script>"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, ROWS + [[script, "FY2014", script, "https://example.org/x", SO_WHAT]], name=f"{script}.csv")
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
