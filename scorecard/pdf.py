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

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

STATIC_BASE = "https://static.pdf.invalid/"
CONTENT_TYPE = "application/pdf"


class PdfRenderingError(Exception):
    """The PDF could not be made (the message says why)."""


class StaticFilesFetcher(URLFetcher):
    """Serve STATIC_BASE/<path> from the project's static files; refuse every other address."""

    def fetch(self, url, headers=None):
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
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if path.endswith(".ttf"):
            content_type = "font/ttf"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    pages: int


def html_to_pdf(html: str) -> PdfFile:
    """The PDF of a complete HTML document (A4 landscape and the rest come from its stylesheet)."""
    fonts = FontConfiguration()
    try:
        document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesFetcher(fail_on_errors=True))
        rendered = document.render(font_config=fonts)
        return PdfFile(data=rendered.write_pdf(), pages=len(rendered.pages))
    except (Exception, FatalURLFetchingError) as exc:  # WeasyPrint raises many kinds; the caller needs one
        raise PdfRenderingError(f"The PDF could not be made: {exc}") from exc
