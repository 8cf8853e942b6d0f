"""The Executive Committee's pack as PDF: the scorecard, the over-time view and an edition.

Each document is rendered from the same figures as its page (scorecard_build, overtime_build, or an
edition's frozen JSON) through the templates in templates/scorecard/pdf/ and scorecard.pdf. The
cover line names the framework, the period and when its figures were approved ("as approved on":
the latest approval of the figures shown; for an edition, its publication date).

An edition's PDF is a function of the edition alone (its frozen figures, commentary, publisher and
publication time), so rendering it again gives the same bytes; it is made once, when the edition is
published (services.edition_publish), and stored with its SHA-256.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .overtime import OverTime, overtime_build
from .overtime_html import table_html
from .pdf import PdfFile, html_to_pdf
from .selectors import Scorecard, approval_time, scorecard_build


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def day(moment: datetime | None) -> str:
    return date_format(moment, "j F Y") if moment else ""  # in the reader's language


def _approved_line(moment: datetime | None) -> str:
    return _("as approved on %(date)s") % {"date": day(moment)} if moment else _("no approved figures yet")


def _period_words(period) -> str:
    return _("Reporting period %(period)s (%(start)s – %(end)s)") % {
        "period": period.label, "start": day(period.start), "end": day(period.end)}


def _slice_context(chosen) -> dict:
    """The title's suffix and the note of a sliced document (scorecard.slices); nothing unsliced."""
    if chosen is None:
        return {"slice_title": "", "slice_note": ""}
    return {"slice_title": chosen.title, "slice_note": chosen.note}


def scorecard_document(*, framework_code: str | None = None, period_label: str | None = None,
                       business_line_code: str | None = None,
                       slice_key: str | None = None) -> tuple[Scorecard, PdfFile | None]:
    """The live scorecard and its PDF (None when there is no scorecard to print yet), sliced as the
    page is when `slice_key` names a dimension value."""
    card = scorecard_build(framework_code=framework_code, period_label=period_label,
                           business_line_code=business_line_code, slice_key=slice_key)
    if card.framework is None or card.period is None:
        return card, None
    approved = approval_time(framework=card.framework, period=card.period, business_line=card.business_line)
    cover = _period_words(card.period)
    if card.business_line:
        cover += _(" · business line %(line)s") % {"line": card.business_line.name}
    sliced = _slice_context(card.slice)
    title = _("Scorecard: %(framework)s, %(period)s") % {"framework": card.framework.name,
                                                        "period": card.period.label}
    html = render_to_string("scorecard/pdf/scorecard.html", {
        "title": f"{title} · {sliced['slice_title']}" if card.slice else title, "cover": cover, **sliced,
        "approved_line": _approved_line(approved), "illustrative": card.illustrative,
        "summary": card.summary, "standard": card.standard, "sections": card.sections,
    })
    return card, html_to_pdf(html)


def overtime_document(*, framework_code: str | None = None, business_line_code: str | None = None,
                      kinds: str | None = None, slice_key: str | None = None) -> tuple[OverTime, PdfFile | None]:
    view = overtime_build(framework_code=framework_code, business_line_code=business_line_code, kinds=kinds,
                          slice_key=slice_key)
    if view.framework is None or not view.columns:
        return view, None
    approved = approval_time(framework=view.framework, business_line=view.business_line)
    cover = _("Periods %(first)s to %(last)s") % {"first": view.columns[0].label, "last": view.columns[-1].label}
    if view.business_line:
        cover += _(" · business line %(line)s") % {"line": view.business_line.name}
    sliced = _slice_context(view.slice)
    title = _("Over time: %(framework)s") % {"framework": view.framework.name}
    html = render_to_string("scorecard/pdf/overtime.html", {
        "title": f"{title} · {sliced['slice_title']}" if view.slice else title, "cover": cover, **sliced, "approved_line": _approved_line(approved),
        "illustrative": view.illustrative, "standard": view.standard, "table_html": table_html(view, links=False),
    })
    return view, html_to_pdf(html)


def edition_document(edition) -> PdfFile:
    """The PDF of an edition (saved or not yet), from what it froze and nothing else."""
    publisher = edition.published_by
    name = publisher.get_full_name() or publisher.get_username()
    cover = _period_words(edition.period)
    if edition.business_line_name:
        cover += _(" · business line %(line)s") % {"line": edition.business_line_name}
    cover += _(" · published by %(user)s on %(date)s, %(time)s UTC") % {
        "user": name, "date": day(edition.published_at), "time": f"{edition.published_at:%H:%M}"}
    html = render_to_string("scorecard/pdf/scorecard.html", {
        "title": _("Scorecard edition: %(framework)s, %(period)s") % {
            "framework": edition.framework_name, "period": edition.period_label}, "cover": cover,
        "approved_line": _approved_line(edition.published_at),
        "created": edition.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "illustrative": edition.summary.get("illustrative", []) if edition.illustrative else [],
        "summary": edition.summary, "standard": edition.standard, "sections": edition.sections,
        "commentary": edition.commentary,
    })
    return html_to_pdf(html)


def pdf_filename(*parts: str) -> str:
    return "-".join(p for p in parts if p) + ".pdf"
