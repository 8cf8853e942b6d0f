"""The over-time table written as HTML once, for the page and for its PDF.

A framework of 2,000 indicators over 20 periods has 40,000 cells: the template engine would spend
seconds on them, so each row is written here (every text escaped), as formatting.row_html does for
the scorecard. In the PDF the cells carry no links (`links=False`).

Markup: <tr class="ot-fw"> the framework, <tr class="ot-level"> a level, <tr class="ot-res"> a
result, <tr data-code> an indicator; the first cell is a <th scope="row">, then one <td> per period
with the progress (class "v") and the status word in its colour (<span class="st st-...">), and a
last <td class="ot-final"> with the progress towards the final target.
"""
from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from .overtime import Cell, IndicatorLine, OverTime
from .svg import progress_svg


def table_html(view: OverTime, *, links: bool = True) -> str:
    columns = view.columns
    urls = [escape(c.url) if links else "" for c in columns]
    head = "".join(
        f'<th scope="col" class="ot-col">{_link(urls[n], escape(c.label))}'
        f'{"" if c.approved else "<span class=p>" + escape(_("no approved figures")) + "</span>"}</th>'
        for n, c in enumerate(columns))
    parts = [
        f'<table class="ot-table"><thead><tr><th scope="col" class="ot-first">{escape(_("Result / indicator"))}</th>',
        head, f'<th scope="col" class="ot-final">{escape(_("Towards the final target"))}</th></tr></thead>',
        f'<tbody><tr class="ot-fw"><th scope="row" class="ot-first">{escape(_("Whole framework"))}</th>',
        "".join(_rollup_cell(summary, urls[n], completeness=True) for n, summary in enumerate(view.framework_cells)),
        _rollup_final(view.framework_final), "</tr></tbody>",
    ]
    for section in view.sections:
        parts.append(f'<tbody><tr class="ot-level"><th scope="rowgroup" class="ot-first">'
                     f'<span class="badge level-badge level-{section.level}">{escape(section.level_name)}</span></th>')
        parts.extend(_rollup_cell(summary, urls[n]) for n, summary in enumerate(section.cells))
        parts.append(_rollup_final(section.final) + "</tr>")
        for result in section.results:
            code = escape(result.code)
            parts.append(f'<tr class="ot-res" data-result="{code}"><th scope="row" class="ot-first">'
                         f'{_link(escape(result.url) if links else "", code)} '
                         f'<span class="ot-statement">{escape(_clip(result.statement))}</span></th>')
            parts.extend(_rollup_cell(summary, urls[n]) for n, summary in enumerate(result.cells))
            parts.append(_rollup_final(result.final) + "</tr>")
            parts.extend(_indicator_row(line, urls, links) for line in result.indicators)
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _link(url: str, inner: str) -> str:
    return f'<a href="{url}">{inner}</a>' if url else inner


def _pill(status: str, label: str) -> str:
    return f'<span class="st st-{status}">{escape(label)}</span>'


def _indicator_row(line: IndicatorLine, urls: list[str], links: bool) -> str:
    code = escape(line.code)
    cells = "".join(_indicator_cell(cell, urls[n]) for n, cell in enumerate(line.cells))
    final = line.final
    spark = progress_svg(line.spark, label=_("Progress of %(code)s by period") % {"code": line.code})
    if final.target:
        towards = _("of %(target)s") if final.progress else _("target %(target)s")
        bar = f'<span class="bar" aria-hidden="true"><i style="width:{final.bar}%"></i></span>' if final.progress else ""
        final_html = (f'<span class="v">{escape(final.progress or final.actual)}</span>{bar}'
                      f'<span class="p">{escape(towards % {"target": final.target})}</span>')
    else:
        final_html = f'<span class="p">{escape(_("no approved target"))}</span>'
    return (f'<tr data-code="{code}"><th scope="row" class="ot-first">{_link(escape(line.url) if links else "", code)}'
            f'<span class="p">{escape(_clip(line.name, 90))}</span></th>{cells}'
            f'<td class="ot-final">{final_html}{spark}</td></tr>')


def _indicator_cell(cell: Cell, url: str) -> str:
    title = (_("Actual %(actual)s · progress %(progress)s") if cell.progress else _("Actual %(actual)s")) % {
        "actual": cell.actual, "progress": cell.progress}
    value = f'<span class="v">{escape(cell.progress)}</span>' if cell.progress else ""
    return f'<td class="oc" title="{escape(title)}">{_link(url, value + _pill(cell.status, cell.status_label))}</td>'


def _rollup_cell(summary: dict | None, url: str, completeness: bool = False) -> str:
    if summary is None:
        return f'<td class="oc"><span class="p">{escape(_("no indicators"))}</span></td>'
    if summary["score"]:
        inner = f'<span class="v">{summary["score"]}</span>{_pill(summary["status"], summary["status_label"])}'
    else:  # only qualitative, not-due or no-data indicators: nothing to average
        inner = f'<span class="p">{escape(_("not scored"))}</span>'
    extra = ""
    if completeness:
        counts = {c["status"]: c["count"] for c in summary["counts"]}
        due = sum(counts.values()) - counts.get("not_due", 0)
        with_data = due - counts.get("no_data", 0)
        words = _("%(with_data)s of %(due)s due with data") % {"with_data": with_data, "due": due} if due \
            else _("none due")
        extra = f'<span class="p">{escape(words)}</span>'
    title = escape(summary["counts_text"])
    return f'<td class="oc" title="{title}">{_link(url, inner)}{extra}</td>'


def _rollup_final(summary: dict | None) -> str:
    if not summary or not summary["score"]:
        return '<td class="ot-final"><span class="p">—</span></td>'
    return (f'<td class="ot-final"><span class="v">{summary["score"]}</span>'
            f'<span class="bar" aria-hidden="true"><i style="width:{summary["bar"]}%"></i></span></td>')


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
