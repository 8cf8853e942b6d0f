"""An edition keeps the PDF made when it was published (by a background task, scorecard.tasks):
shown with its SHA-256, downloaded byte for byte, unchanged by later corrections, made again
identically from the edition; if making or storing it fails, no file is left and the edition says
so (its download renders it from the frozen figures)."""
import hashlib
from pathlib import Path

from django.urls import reverse

from indicators.models import Measurement
from scorecard import pack, services
from scorecard.models import Edition
from scorecard.pdf import PdfRenderingError

from .builders import D
from .pdfs import page_texts

COMMENTARY = "Outputs on track; the slum share falls faster than planned."


def publish(scorecard_data, manager, **extra):
    from indicators.models import ReportingPeriod
    return services.edition_publish(framework=scorecard_data["framework"],
                                    period=ReportingPeriod.objects.get(label="FY2016"),
                                    commentary=COMMENTARY, published_by=manager, **extra)


def download(client, edition):
    response = client.get(reverse("scorecard:edition_pdf", args=[edition.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


def test_publishing_stores_the_pdf_and_its_hash(scorecard_data, manager, client, committee, settings):
    edition = publish(scorecard_data, manager)
    stored = Path(settings.MEDIA_ROOT, edition.pdf.name).read_bytes()
    assert edition.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    client.force_login(committee)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert f'id="pdf-sha256">{edition.pdf_sha256}</code>' in html
    assert reverse("scorecard:edition_pdf", args=[edition.pk]) in html
    response = download(client, edition)
    assert response.content == stored and response["X-Content-SHA256"] == edition.pdf_sha256
    text = " ".join(page_texts(stored))
    assert "Scorecard edition: Test corporate chain, FY2016" in text
    assert f"as approved on {pack.day(edition.published_at)}" in text  # an edition: its publication date
    assert "Reflect: the manager's commentary" in text and COMMENTARY in text
    assert "INC" in text and "67% Needs attention" in text


def test_a_later_correction_does_not_change_the_pdf(scorecard_data, manager, client, committee):
    edition = publish(scorecard_data, manager)
    client.force_login(committee)
    before = download(client, edition).content
    # The FY2016 revision of INC (working value 24) is corrected to 25 and approved.
    Measurement.objects.filter(indicator=scorecard_data["inc"], period__label="FY2016").update(
        value=D(25), approved_value=D(25), status="approved")
    live = " ".join(page_texts(client.get(reverse("scorecard:scorecard_pdf"), {"framework": "SC"}).content))
    assert "100% On track" in live  # the live scorecard moved...
    after = download(client, edition)
    assert after.content == before  # ...the edition's PDF did not
    assert hashlib.sha256(after.content).hexdigest() == Edition.objects.get(pk=edition.pk).pdf_sha256


def test_the_same_edition_renders_to_the_same_bytes(scorecard_data, manager, settings):
    edition = Edition.objects.get(pk=publish(scorecard_data, manager).pk)  # as read back from the database
    stored = Path(settings.MEDIA_ROOT, edition.pdf.name).read_bytes()
    assert pack.edition_document(edition).data == stored
    assert pack.edition_document(edition).data == stored


def _media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_pdf_that_cannot_be_made_leaves_no_file_and_the_edition_says_why(scorecard_data, manager, settings,
                                                                            monkeypatch, client, committee):
    def broken(edition):
        raise PdfRenderingError("The PDF could not be made: no fonts")
    monkeypatch.setattr(pack, "edition_document", broken)
    edition = publish(scorecard_data, manager)
    assert edition.created and not edition.pdf and not edition.pdf_pending
    assert edition.pdf_error == "The PDF could not be made: no fonts" and _media_files(settings) == []
    monkeypatch.undo()
    client.force_login(committee)
    assert "could not be stored (The PDF could not be made: no fonts)" in client.get(
        edition.get_absolute_url()).content.decode()
    assert COMMENTARY in " ".join(page_texts(download(client, edition).content))  # rendered on request
    # The task run again (a retry, once the fonts are back) stores it.
    assert services.edition_pdf_make(edition_id=edition.pk) == Edition.objects.get(pk=edition.pk).pdf_sha256 != ""


def test_a_failure_after_the_file_is_written_leaves_no_file(scorecard_data, manager, settings, monkeypatch):
    from django.db.models import QuerySet

    original = QuerySet.update

    def failing_update(self, **kwargs):
        if "pdf_sha256" in kwargs:
            raise RuntimeError("the database went away")
        return original(self, **kwargs)
    monkeypatch.setattr(QuerySet, "update", failing_update)
    edition = publish(scorecard_data, manager)  # the task fails (the immediate backend records it)
    monkeypatch.undo()
    assert [e.pdf for e in Edition.objects.all()] == [""] and _media_files(settings) == []
    assert Edition.objects.get().pdf_pending  # still to be made: a retry of the task makes it
    services.edition_pdf_make(edition_id=edition.pk)
    assert Edition.objects.get().pdf and len(_media_files(settings)) == 1


def test_the_pdf_is_made_by_the_worker_of_the_database_queue(transactional_db, scorecard_data, manager, settings,
                                                              client, committee):
    # transactional_db: the worker closes the database connection between tasks, as it does in
    # production, which a test inside one transaction does not survive on PostgreSQL.
    import io

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    edition = publish(scorecard_data, manager)
    assert edition.pdf_pending and not edition.pdf and DBTaskResult.objects.filter(status="READY").count() == 1
    client.force_login(committee)
    assert "being made in the background" in client.get(edition.get_absolute_url()).content.decode()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=io.StringIO())
    edition = Edition.objects.get(pk=edition.pk)
    assert edition.pdf and not edition.pdf_pending
    # The PDF's task, then the Committee's notice it queued (settings.EDITION_PUBLISHED_TASKS).
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("reminders.tasks.edition_notice_task", "SUCCESSFUL"), ("scorecard.tasks.edition_pdf_task", "SUCCESSFUL")]
    stored = Path(settings.MEDIA_ROOT, edition.pdf.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == edition.pdf_sha256
    assert pack.edition_document(edition).data == stored  # byte for byte, made again
    # Idempotent: the task again changes nothing.
    assert services.edition_pdf_make(edition_id=edition.pk) == edition.pdf_sha256
    assert len(_media_files(settings)) == 1


def test_an_edition_from_before_pdfs_were_kept_is_rendered_from_its_frozen_figures(scorecard_data, manager,
                                                                                    client, committee):
    edition = publish(scorecard_data, manager)
    Edition.objects.filter(pk=edition.pk).update(pdf="", pdf_sha256="")
    client.force_login(committee)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert "published before PDFs were kept" in html
    response = download(client, edition)
    assert "X-Content-SHA256" not in response and COMMENTARY in " ".join(page_texts(response.content))


def test_edition_pdf_answers_every_user_as_the_edition_page_does(scorecard_data, manager, make_user, committee,
                                                                 client):
    edition = publish(scorecard_data, manager)
    for user in (None, make_user(), committee):
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(edition.get_absolute_url())
        pdf = client.get(reverse("scorecard:edition_pdf", args=[edition.pk]))
        assert page.status_code == pdf.status_code


def test_the_edition_page_says_why_its_pdf_could_not_be_made(scorecard_data, manager, client, monkeypatch):
    def broken(edition):
        raise PdfRenderingError("The PDF could not be made: WeasyPrint cannot load Pango")
    monkeypatch.setattr(pack, "edition_document", broken)
    client.force_login(manager)
    response = client.post(reverse("scorecard:edition_publish"), {
        "framework": "SC", "period": "FY2016", "business_line": "", "commentary": COMMENTARY}, follow=True)
    assert response.status_code == 200
    assert "WeasyPrint cannot load Pango" in response.content.decode()
    assert Edition.objects.get().pdf == ""
