"""HTML to PDF with WeasyPrint, reading nothing but the project's own static files.

The PDF templates (templates/scorecard/pdf/) link their stylesheet and fonts relative to
STATIC_BASE, a made-up address: the fetcher below answers it from the static files (the source
folders through the staticfiles finders, so no collectstatic is needed) and refuses everything else,
so a PDF never depends on the network, and never on a font the machine may lack: the stylesheet
loads DejaVu Sans Condensed, shipped in static/vendor/dejavu, with @font-face.

The same HTML gives the same bytes: WeasyPrint writes no creation date unless the document names
one (an edition names its publication time), and no random document identifier.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

STATIC_BASE = "https://static.pdf.invalid/"
CONTENT_TYPE = "application/pdf"


class PdfRenderingError(Exception):
    """The PDF could not be made (the message says why)."""


def static_file(url: str) -> tuple[bytes, str]:
    """(content, content type) of STATIC_BASE/<path> from the project's static files; ValueError for
    any other address."""
    if not url.startswith(STATIC_BASE):
        raise ValueError(f"A PDF may only use the project's static files, not {url!r}.")
    path = url[len(STATIC_BASE):].split("?", 1)[0].split("#", 1)[0]
    if not path or ".." in path.split("/"):
        raise ValueError(f"Not a static file: {url!r}.")
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            body = handle.read()
    elif staticfiles_storage.exists(path):  # collected only (an app's static folder removed)
        with staticfiles_storage.open(path) as handle:
            body = handle.read()
    else:
        raise ValueError(f"There is no static file {path!r}.")
    content_type = "font/ttf" if path.endswith(".ttf") else (mimetypes.guess_type(path)[0] or "application/octet-stream")
    return body, content_type


@cache
def _weasyprint():
    """WeasyPrint, imported on first use: it loads Pango, and the site runs (without PDFs) where
    Pango is missing; a PDF then fails with a message that says so."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, content_type = static_file(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return HTML, FontConfiguration, StaticFilesFetcher, FatalURLFetchingError


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    pages: int


def html_to_pdf(html: str) -> PdfFile:
    """The PDF of a complete HTML document (A4 landscape and the rest come from its stylesheet)."""
    try:
        html_class, font_configuration, fetcher, fatal = _weasyprint()
    except OSError as exc:  # Pango missing or too old
        raise PdfRenderingError(f"The PDF could not be made: WeasyPrint cannot load Pango ({exc}).") from exc
    try:
        document = html_class(string=html, base_url=STATIC_BASE, url_fetcher=fetcher(fail_on_errors=True))
        rendered = document.render(font_config=font_configuration())
        return PdfFile(data=rendered.write_pdf(), pages=len(rendered.pages))
    except (Exception, fatal) as exc:  # WeasyPrint raises many kinds; the caller needs one
        raise PdfRenderingError(f"The PDF could not be made: {exc}") from exc
