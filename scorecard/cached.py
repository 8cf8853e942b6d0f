"""The scorecard page's sheet, built once per state of the figures (issue 17).

Building a 2,000-indicator scorecard costs more than ten times the SQL that reads it (profile in the
README: reading and converting 80,000 figures, evaluating each indicator, formatting rows, writing
2 MB of HTML); readers ask for the same sheet again and again between two approvals. So the sheet's
HTML and the card's heading (without its rows) are kept in the cache under the figures' stamp and
the choice asked for: an approval, a correction, a new standard or a change to the chains changes
the stamp, and the next request builds the sheet anew. Exports, the PDF, the API and editions still
call selectors.scorecard_build directly.
"""
from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.template.loader import render_to_string

from citiesalliance.page_cache import get_or_build
from indicators.stamps import figures_stamp

from . import formatting, selectors, slices


def scorecard_page(*, framework_code: str | None = None, period_label: str | None = None,
                   business_line_code: str | None = None, slice_key: str | None = None) -> dict:
    """{"card": the Scorecard without its rows, "sheet": the sheet's HTML}. One query on a cache hit
    (the stamp), the selector's on a miss."""
    def build():
        card = selectors.scorecard_build(framework_code=framework_code, period_label=period_label,
                                         business_line_code=business_line_code, slice_key=slice_key)
        card.slices = slices.slice_choices()  # the menu of dimension values (issue 14)
        sheet = ""
        if card.framework is not None and card.period is not None:
            sections = formatting.attach_html(card.sections)
            sheet = render_to_string("scorecard/_sheet.html", {
                "card": card, "sections": sections, "summary": card.summary, "fold": formatting.folds(sections)})
        return {"card": replace(card, sections=[]), "sheet": sheet}

    return get_or_build("scorecard", (framework_code, period_label, business_line_code, slice_key,
                                      settings.DEBUG, formatting.FOLD_ROWS), build, stamp=figures_stamp())
