"""A large import in the background, as the administrator sees it: the progress page while the
worker has not started, its bar following the worker's heartbeat, the preview with its rows when the
check is done, the confirm followed the same way to its outcome; and a worker that dies mid-import
shown as a failed import that wrote nothing.

The threshold is lowered so that three rows go the background way, and the task queue is the
database's with no worker running: the test plays the worker's part with the worker's own functions
(spreadsheets.jobs), so that each state can be looked at in the browser."""
import re
import time

from playwright.sync_api import expect

from indicators.models import Indicator, Measurement
from spreadsheets import jobs
from spreadsheets.models import ImportJob

from .conftest import check_page, login


def free_rows(count):
    """(code, period) pairs of annual number indicators with no measurement yet."""
    pairs = []
    for ind in Indicator.objects.filter(frequency="annual", measure="number").select_related("result__framework").order_by("code"):
        for year in range(ind.result.framework.last_fiscal_year, ind.result.framework.first_fiscal_year, -1):
            if not ind.measurements.filter(period__label=f"FY{year}").exists():
                pairs.append((ind.code, f"FY{year}"))
                if len(pairs) == count:
                    return pairs
    raise AssertionError("the demo data leaves no free periods")


def test_a_large_import_runs_in_the_background_with_a_progress_bar(page, site_data, tmp_path, monkeypatch, settings):
    monkeypatch.setattr(jobs, "LARGE_ROWS", 2)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    rows = free_rows(3)
    path = tmp_path / "partners.csv"
    path.write_text("Indicator code,Period,Value,Evidence link,So what?\n" + "".join(
        f"{code},{period},{n + 5},https://example.org/illustrative/{n},Shared with the city teams (illustrative)\n"
        for n, (code, period) in enumerate(rows)))

    login(page, "admin")
    page.goto("/imports/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/imports/jobs/[0-9a-f-]+/$"))
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(page.locator("#import-job-message")).to_have_text("Waiting for the task worker to start it (manage.py db_worker).")
    check_page(page, "import-job-queued")

    # The worker starts and beats: the bar follows without a reload.
    job = ImportJob.objects.get(stage="preview")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    jobs._beat_write(job.pk, 60)
    expect(bar).to_have_attribute("aria-valuenow", "60")
    expect(page.locator("#import-job-message")).to_have_text("Checking the file: 3 rows.")

    # The check finishes: the page shows the preview, its rows listed as for a small file.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    assert jobs.import_job_run(job_id=str(job.pk)) == ImportJob.Status.DONE
    expect(page.get_by_role("button", name="Import 3 rows")).to_be_visible()
    new_rows = page.locator("#rows-new")
    for code, period in rows:
        expect(new_rows.get_by_role("row").filter(has_text=f"{code} {period}")).to_be_visible()
    check_page(page, "import-job-preview")

    # Confirmed: the import is a job too, followed to its outcome.
    before = Measurement.objects.count()
    page.get_by_role("button", name="Import 3 rows").click()
    page.wait_for_url(re.compile(r"/imports/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert Measurement.objects.count() == before  # nothing written until the worker runs it
    written = ImportJob.objects.get(stage="import")
    assert jobs.import_job_run(job_id=str(written.pk)) == ImportJob.Status.DONE
    expect(page.get_by_text("Imported measurements from partners.csv: 3 new, 0 changed, 0 unchanged.")).to_be_visible()
    assert Measurement.objects.count() == before + 3
    assert not page.js_errors


def test_a_worker_that_dies_mid_import_shows_a_failed_import_that_wrote_nothing(page, site_data, tmp_path, monkeypatch,
                                                                                 settings):
    monkeypatch.setattr(jobs, "LARGE_ROWS", 2)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_JOB_STALE_SECONDS = 5
    rows = free_rows(3)
    path = tmp_path / "partners.csv"
    path.write_text("Indicator code,Period,Value,Evidence link,So what?\n" + "".join(
        f"{code},{period},{n + 5},https://example.org/illustrative/{n},Shared (illustrative)\n"
        for n, (code, period) in enumerate(rows)))
    login(page, "admin")
    page.goto("/imports/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/imports/jobs/[0-9a-f-]+/$"))
    job = ImportJob.objects.get(stage="preview")
    assert jobs.import_job_run(job_id=str(job.pk)) == ImportJob.Status.DONE
    page.reload()
    before = Measurement.objects.count()
    page.get_by_role("button", name="Import 3 rows").click()
    page.wait_for_url(re.compile(r"/imports/jobs/[0-9a-f-]+/$"))
    # The worker took the import, beat once, and was killed: its transaction never committed.
    written = ImportJob.objects.get(stage="import")
    ImportJob.objects.filter(pk=written.pk).update(status=ImportJob.Status.RUNNING)
    jobs._beat_write(written.pk, 95)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "95")
    time.sleep(settings.IMPORT_JOB_STALE_SECONDS + 1)  # its heartbeat stops
    failed = page.locator("#import-job-failed")
    expect(failed).to_contain_text("Nothing was imported.", timeout=15_000)
    expect(failed).to_contain_text("The worker stopped (it was killed or crashed) while importing the file")
    assert Measurement.objects.count() == before
    check_page(page, "import-job-failed")
