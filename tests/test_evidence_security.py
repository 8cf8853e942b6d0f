"""Uploaded evidence: refused by type and size with a clear message, stored under a safe name, and
served only to signed-in users with read access, never as a page the browser would run.

(tests/indicators covers the basics: a .exe refused, a PDF served as application/pdf, an anonymous
download sent to the login page. These are the hostile cases.)
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import services
from indicators.models import Measurement
from indicators.validation import EVIDENCE_MAX_BYTES

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def indicator(make_indicator):
    return make_indicator(code="EVID-1")


def upload(client, indicator, file, period="FY2015"):
    return client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                       {"period": period, "value": "5", "version": "0", "evidence": file, "so_what": "Shared with the city teams.",
                        "action_submit": "1"})


@pytest.mark.parametrize("name, content_type", [
    ("report.html", "text/html"),
    ("report.htm", "text/html"),
    ("logo.svg", "image/svg+xml"),  # SVG runs scripts when opened
    ("page.xhtml", "application/xhtml+xml"),
    ("script.js", "text/javascript"),
    ("report.pdf.html", "text/html"),  # the last extension is the one that counts
    ("archive.zip", "application/zip"),
    ("noextension", "application/octet-stream"),
    ("macro.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"),
])
def test_dangerous_types_are_refused_with_a_message(client, officer, indicator, name, content_type):
    client.force_login(officer)
    response = upload(client, indicator, SimpleUploadedFile(name, HTML, content_type=content_type))
    assert response.status_code == 200
    page = response.content.decode()
    assert "evidence must be one of these file types: " in page
    assert "pdf" in page.split("evidence must be one of these file types: ", 1)[1][:200]
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_a_file_over_the_size_limit_is_refused_with_a_message(client, officer, indicator):
    client.force_login(officer)
    big = SimpleUploadedFile("survey.pdf", b"%PDF-1.4 " + b"x" * EVIDENCE_MAX_BYTES, content_type="application/pdf")
    response = upload(client, indicator, big)
    assert response.status_code == 200
    assert "&#x27;survey.pdf&#x27; is 10.0 MB; evidence files may be at most 10 MB" in response.content.decode()
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_an_empty_file_is_refused(client, officer, indicator):
    client.force_login(officer)
    response = upload(client, indicator, SimpleUploadedFile("blank.pdf", b"", content_type="application/pdf"))
    assert response.status_code == 200
    # Django's own FileField check speaks first for an empty upload.
    assert "The submitted file is empty." in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_stored_name_cannot_escape_the_evidence_folder(client, officer, indicator):
    client.force_login(officer)
    response = upload(client, indicator, SimpleUploadedFile("../../settings.txt", b"notes", content_type="text/plain"))
    assert response.status_code == 302
    stored = Measurement.objects.get(indicator=indicator).evidence.name
    assert stored.startswith("evidence/") and ".." not in stored and stored.endswith("settings.txt")


def _stored(indicator, officer, name, content):
    return services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3", so_what="Used to plan the next round.", submit=True,
                                       evidence=SimpleUploadedFile(name, content))


def test_text_that_looks_like_html_is_served_as_plain_text(client, officer, committee, indicator):
    m = _stored(indicator, officer, "notes.txt", HTML)
    client.force_login(committee)
    response = client.get(reverse("indicators:evidence", args=[m.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")  # never text/html
    assert response["X-Content-Type-Options"] == "nosniff"  # and the browser may not guess otherwise
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == HTML  # the file itself, unchanged


@pytest.mark.parametrize("name, content_type", [
    ("figures.csv", "text/csv"),
    ("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_office_files_download_as_attachments(client, officer, committee, indicator, name, content_type):
    m = _stored(indicator, officer, name, b"a,b\n1,2\n")
    client.force_login(committee)
    response = client.get(reverse("indicators:evidence", args=[m.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"


def test_evidence_needs_a_login_and_read_access(client, officer, make_user, indicator):
    m = _stored(indicator, officer, "notes.txt", b"field notes")
    url = reverse("indicators:evidence", args=[m.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(make_user())  # signed in, but in no role: no read access
    assert client.get(url).status_code == 403


def test_evidence_is_never_a_public_media_url(client, officer, committee, indicator, settings):
    """Uploaded files are only reachable through the checked view: no /media/ route in production."""
    m = _stored(indicator, officer, "notes.txt", b"field notes")
    client.force_login(committee)
    assert client.get(f"/{settings.MEDIA_URL}{m.evidence.name}").status_code == 404
    client.force_login(officer)  # the draft's page (the Committee sees approved figures only)
    page = client.get(reverse("indicators:measurement", args=[indicator.code, "FY2014"])).content.decode()
    assert reverse("indicators:evidence", args=[m.pk]) in page and settings.MEDIA_URL + "evidence" not in page
