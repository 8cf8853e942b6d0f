"""How the scorecard's figures are written: one set of functions for the page, the exports and
the editions, so the three can never disagree. Pure: no ORM; numbers are written in the active
language's format (citiesalliance.l10n).

Every figure leaves here as a string; a row is a plain dict of strings, booleans and ints so that
an edition can freeze it as JSON and render it again with the same template.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citiesalliance.l10n import grouped, separators
from indicators.arithmetic import Evaluation, Status, Trend

from .headings import target_status_word, trend_word
from .rollup import RollUp

DASH = "—"
_HUNDRED = Decimal(100)
_ONE = Decimal(1)
_ON_TRACK_RANK = Decimal(2)  # a qualitative indicator's path is its rating rank; on track is the aim
_CENT = Decimal("0.01")
_UNIT = Decimal("1")

class _StatusLabels(dict):
    """Status names looked up when a figure is written, so in the reader's language."""

    def __getitem__(self, status):
        return Status(status).label


STATUS_LABELS = _StatusLabels({status.value: status.value for status in Status})


def not_scored(counts_text: str) -> str:
    """A result with nothing to average (only qualitative or not-due indicators): what there is."""
    return _("not scored: %(counts)s") % {"counts": counts_text}


# Shown in the legend, the header and the exports in this order.
STATUS_ORDER = [status.value for status in Status]

RATING_LABELS = {
    "on_track": gettext_lazy("On track"),
    "needs_attention": gettext_lazy("Needs attention"),
    "off_track": gettext_lazy("Off track"),
}

TRENDS = {
    # value: (symbol, words); "up" means progress towards the target improved, whatever the direction.
    Trend.UP.value: ("▲", gettext_lazy("Progress up")),
    Trend.DOWN.value: ("▼", gettext_lazy("Progress down")),
    Trend.FLAT.value: ("▶", gettext_lazy("Progress unchanged")),
}

RATING_TRENDS = {
    Trend.UP.value: ("▲", gettext_lazy("Rating up")),
    Trend.DOWN.value: ("▼", gettext_lazy("Rating down")),
    Trend.FLAT.value: ("▶", gettext_lazy("Rating unchanged")),
}

AGGREGATION_WORDS = {"sum": gettext_lazy("cumulative"), "latest": gettext_lazy("latest value"),
                     "average": gettext_lazy("average")}

SPARK_WIDTH, SPARK_HEIGHT = 60, 16
SPARK_POINTS = 8  # the most recent due periods: legible in 60 pixels, and cheap for 2,000 rows

EXPORT_HEADERS = [
    "Level", "Result", "Indicator code", "Indicator", "Unit", "Baseline", "Baseline period",
    "Actual", "Actual period", "Actual age", "Target", "Target period", "Target status", "Progress", "Status",
    "Trend", "Note",
]


def number(value: Decimal | None, measure: str, unit: str = "", marks: tuple[str, str] | None = None) -> str:
    """A measured value as the reader expects it: 45%, Yes, USD 1,200,000, 1,234.5 cities.
    `marks`: the reader's separators (citiesalliance.l10n.separators), when the caller has them."""
    if value is None:
        return DASH
    if measure == "yes_no":
        return _("Yes") if value >= 1 else _("No")
    text = plain_number(value, marks)
    if measure == "percentage":
        return f"{text}%"
    if measure == "currency":
        return f"{unit} {text}".strip() if unit else text
    return text


def plain_number(value: Decimal, marks: tuple[str, str] | None = None) -> str:
    """At most two decimals, thousands separated, no trailing zeros: 1,234.5 (1 234,5 in French)."""
    return grouped(value.quantize(_CENT, rounding=ROUND_HALF_UP), marks)


def percent(fraction: Decimal | None, marks: tuple[str, str] | None = None) -> str:
    """0.6667 -> '67%'; None -> ''. Rounded half up to a whole percentage."""
    if fraction is None:
        return ""
    whole = (fraction * _HUNDRED).quantize(_UNIT, rounding=ROUND_HALF_UP)
    if -1000 < whole < 1000:  # no grouping to do: the reader's separators are not needed
        return f"{whole:f}%"
    return f"{grouped(whole, marks)}%"


def bar_width(capped: Decimal | None) -> int:
    if capped is None:
        return 0
    return int((capped * _HUNDRED).quantize(_UNIT, rounding=ROUND_HALF_UP))


def raw(value: Decimal | None) -> str | None:
    """A Decimal kept exactly for editions and comparisons (None stays None)."""
    return None if value is None else str(value)


def sparkline(values: list[Decimal]) -> str:
    """SVG polyline points for the values, scaled into a SPARK_WIDTH x SPARK_HEIGHT box."""
    if not values:
        return ""
    numbers = [float(v) for v in values]  # display only: float precision is plenty for 16 pixels
    if len(numbers) == 1:
        numbers.append(numbers[0])
    low, high = min(numbers), max(numbers)
    span = high - low
    xs = _x_positions(len(numbers))
    usable = SPARK_HEIGHT - 2
    if span == 0:
        middle = str(1 + usable // 2)
        return " ".join(f"{x},{middle}" for x in xs)
    scale = usable / span
    top = 1.5 + usable  # + 0.5 so that int() rounds to the nearest pixel
    return " ".join(f"{x},{int(top - (n - low) * scale)}" for x, n in zip(xs, numbers))


def progress_spark(values: list[Decimal], reference: Decimal = Decimal(1)) -> dict:
    """The sparkline of what the trend arrow compares: progress at each due period (1 = the target),
    with the target level drawn for reference. One value is a dot, never a flat line.

    {"spark": polyline points, "spark_dot": "x,y" for a single value, "spark_ref": y of the target}."""
    if not values:
        return {"spark": "", "spark_dot": "", "spark_ref": ""}
    numbers = [float(v) for v in values]  # display only: float precision is plenty for 16 pixels
    ref = float(reference)
    low, high = min(numbers + [0.0]), max(numbers + [ref])
    usable = SPARK_HEIGHT - 3
    scale = usable / (high - low) if high > low else 0.0

    def y(n: float) -> str:
        return f"{1.5 + usable - (n - low) * scale:.1f}"

    ref_y = y(ref)
    if len(numbers) == 1:
        return {"spark": "", "spark_dot": f"{SPARK_WIDTH - 3},{y(numbers[0])}", "spark_ref": ref_y}
    step = (SPARK_WIDTH - 6) / (len(numbers) - 1)
    points = " ".join(f"{3 + i * step:.1f},{y(n)}" for i, n in enumerate(numbers))
    return {"spark": points, "spark_dot": "", "spark_ref": ref_y}


_X_CACHE: dict[int, list[str]] = {}


def _x_positions(count: int) -> list[str]:
    xs = _X_CACHE.get(count)
    if xs is None:
        step = SPARK_WIDTH / (count - 1)
        xs = _X_CACHE[count] = [f"{i * step:.1f}" for i in range(count)]
    return xs


def indicator_row(
    *,
    indicator: dict,
    evaluation: Evaluation,
    trajectory: list[tuple[int, Decimal]],  # what the trend compares: (period, progress or rating rank)
    labels: dict[int, str],
    baseline: Decimal | None,
    baseline_text: str,
    baseline_label: str,
    target_label: str,
    target_rating: str,
    target_pending: str = "",
    freshness=None,
) -> dict:
    """One scorecard row. ``labels`` maps period ordinals to labels such as FY2016.

    ``target_pending``: "" when nothing awaits approval at the period; "new" when a target not yet
    approved exists there (the indicator is not due); "revision" when a revised target awaits
    approval (the row scores against the approved one). The row says so in its note.

    ``freshness`` (indicators.series.Freshness): whether the actual is of the period shown or carried
    forward from an earlier one; a carried-forward actual shows its own period and its age."""
    measure, unit = indicator["measure"], indicator["unit"]
    marks = separators()  # once for the row's figures
    status = evaluation.status.value
    qualitative = indicator["qualitative"]
    due = evaluation.target is not None
    if qualitative:
        baseline_shown = _clip(baseline_text, 40) if baseline_text else DASH
        actual_shown = str(RATING_LABELS.get(evaluation.rating or "", DASH))
        target_shown = str(RATING_LABELS.get(target_rating, DASH)) if due else DASH
    else:
        baseline_shown = number(baseline, measure, unit, marks)
        actual_shown = number(evaluation.actual, measure, unit, marks)
        target_shown = number(evaluation.target, measure, unit, marks) if due else DASH
    trend = evaluation.trend.value if evaluation.trend is not None else ""
    symbol, trend_words = (RATING_TRENDS if qualitative else TRENDS).get(trend, ("", ""))
    notes = [_("computed: %(formula)s") % {"formula": indicator["formula"]}] if indicator.get("formula") else []
    if not qualitative and evaluation.baseline_missing and evaluation.progress is not None \
            and indicator["direction"] != "maintain":
        notes.append(_("no baseline: progress is actual against target"))
    if target_pending == "new" and not due:
        notes.append(_("%(period)s target awaiting approval") % {"period": target_label})
    elif target_pending == "revision" and due:
        notes.append(_("revised %(period)s target awaiting approval: the approved one counts") % {
            "period": target_label})
    return {
        "code": indicator["code"],
        "name": indicator["name"],
        "unit": unit,
        "result_code": indicator["result_code"],
        "level": indicator["level"],
        "kind": str(_("qualitative") if qualitative else AGGREGATION_WORDS[indicator["aggregation"]]),
        "qualitative": qualitative,
        "direction": indicator["direction"],
        "baseline": baseline_shown,
        "baseline_period": baseline_label if (baseline is not None or baseline_text) else "",
        "actual": actual_shown,
        "actual_period": labels.get(evaluation.actual_period, "") if evaluation.actual_period is not None else "",
        # A carried-forward actual (latest value from an earlier period) says how old it is.
        "actual_age": freshness.age if freshness is not None and evaluation.actual_period is not None else "",
        "target": target_shown,
        "target_period": target_label if due else "",
        # Targets count once approved (since migration indicators 0004); editions published before
        # then froze rows whose preliminary target counted and said so: those rows keep this True.
        "target_preliminary": False,
        # The numbers themselves, for exports that keep them numeric (scorecard/xlsx.py).
        "measure": measure,
        "baseline_raw": None if qualitative else raw(baseline),
        "actual_raw": None if qualitative else raw(evaluation.actual),
        "target_raw": raw(evaluation.target) if due and not qualitative else None,
        "progress": percent(evaluation.progress, marks),
        "progress_raw": raw(evaluation.progress),
        "bar": bar_width(evaluation.capped_progress),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "trend": trend,
        "trend_symbol": symbol,
        "trend_label": str(trend_words),
        **progress_spark([value for _, value in trajectory[-SPARK_POINTS:]],
                         reference=_ON_TRACK_RANK if qualitative else _ONE),
        "note": "; ".join(notes),
        "weight": str(indicator["weight"]),
        "formula": indicator.get("formula", ""),
    }


def export_row(level_name: str, row: dict) -> list[str]:
    """The row as the page shows it, cell for cell (see EXPORT_HEADERS)."""
    return [
        level_name, row["result_code"], row["code"], row["name"], row["unit"], row["baseline"],
        row["baseline_period"], row["actual"], row["actual_period"], row.get("actual_age", ""), row["target"],
        row["target_period"],
        target_status_word(row), row["progress"], row["status_label"], trend_word(row["trend"]), row["note"],
    ]


def roll_up_summary(rollup: RollUp) -> dict:
    status = rollup.status.value
    return {
        "score": percent(rollup.score),
        "score_raw": raw(rollup.score),
        "bar": bar_width(rollup.score),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "counts": status_counts(rollup.counts),
        "counts_text": ", ".join(f"{count} {STATUS_LABELS[s].lower()}" for s, count in
                                 ((k.value, v) for k, v in rollup.counts.items()) if count),
        "scored": rollup.contributing,
    }


def status_counts(counts: dict) -> list[dict]:
    """[{status, label, count}] in the standard order, zeros included."""
    by_value = {(k.value if isinstance(k, Status) else k): v for k, v in counts.items()}
    return [{"status": s, "label": STATUS_LABELS[s], "count": by_value.get(s, 0)} for s in STATUS_ORDER]


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- HTML of the indicator rows ---------------------------------------------------------------------
# A 2,000-row scorecard spends most of its time in the template engine resolving some 45,000
# variables; writing each row once here (every text escaped) keeps the page within its budget.
# The markup is the one templates/scorecard/_sheet.html documents beside its loop.

def _cell(value: str, sub: str) -> str:
    return f'<td class="n"><span class="v">{escape(value)}</span><span class="p">{escape(sub)}</span></td>'


def _actual_cell(row: dict) -> str:
    age = row.get("actual_age", "")
    if not age:
        return _cell(row["actual"], row["actual_period"])
    return (f'<td class="n stale"><span class="v">{escape(row["actual"])}</span><span class="p">'
            f'{escape(row["actual_period"])}, <span class="age">{escape(age)}</span></span></td>')


def spark_html(row: dict) -> str:
    """The progress sparkline: a dashed line at the target level, the path, a dot for one period.
    Editions published before it drew progress kept the actual's path (no target line)."""
    ref, points, dot = row.get("spark_ref", ""), row.get("spark", ""), row.get("spark_dot", "")
    if not (points or dot):
        return ""
    parts = [f'<line class="ref" x1="0" x2="60" y1="{ref}" y2="{ref}"/>' if ref else ""]
    if points:
        parts.append(f'<polyline points="{points}"/>')
        last = points.rsplit(" ", 1)[-1].split(",")
        parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="1.8"/>')
    if dot:
        x, y = dot.split(",")
        parts.append(f'<circle cx="{x}" cy="{y}" r="2.2"/>')
    return f'<svg class="spark" viewBox="0 0 60 16" aria-hidden="true">{"".join(parts)}</svg>'


def row_html(row: dict) -> str:
    code = escape(row["code"])
    result_url = row.get("result_url", "")
    detail = f'<a href="{escape(result_url)}">{escape(row["result_code"])}</a> · ' if result_url else ""
    detail += escape(row["kind"])
    if row["unit"]:
        detail += " · " + escape(row["unit"])
    if row["note"]:
        detail += f' · <em class="note">{escape(row["note"])}</em>'
    target_sub = escape(row["target_period"])
    if row.get("target_preliminary"):  # only in editions published before targets needed approval
        target_sub += ' <span class="prelim">preliminary</span>'
    trend = ""
    if row["trend"]:
        words = escape(row["trend_label"])
        trend = f'<span class="tr-{row["trend"]}" title="{words}" aria-label="{words}">{row["trend_symbol"]}</span> '
    trend += spark_html(row)
    bar = f'<span class="bar" aria-hidden="true"><i style="width:{int(row["bar"])}%"></i></span>' \
        if row["progress"] else ""
    url = escape(row.get("url", ""))
    link = f'<a href="{url}">{code}</a>' if url else code
    return (
        f'<tr data-code="{code}"><td>{link}</td>'
        f'<td><span class="v">{escape(row["name"])}</span><span class="p">{detail}</span></td>'
        f'{_cell(row["baseline"], row["baseline_period"])}{_actual_cell(row)}'
        f'<td class="n"><span class="v">{escape(row["target"])}</span><span class="p">{target_sub}</span></td>'
        f'<td class="n"><span class="v">{escape(row["progress"])}</span>{bar}</td>'
        f'<td><span class="st st-{escape(row["status"])}">{escape(row["status_label"])}</span></td>'
        f'<td>{trend}</td></tr>'
    )


def result_html(result: dict) -> str:
    """The header row of a result: code, statement, score, and its alignments to other chains."""
    parts = [f'<tr class="sc-res"><th colspan="8" scope="rowgroup"><a href="{escape(result["url"])}">'
             f'{escape(result["code"])}</a> <span class="fw-normal">{escape(_clip(result["statement"], 160))}</span>']
    rollup = result["rollup"]
    if rollup and rollup["score"]:
        parts.append(f' <span class="float-end">{escape(_("score"))} {rollup["score"]} '
                     f'<span class="st st-{rollup["status"]}">{rollup["status_label"]}</span></span>')
    elif rollup:  # only qualitative or not-due indicators: nothing to average, so say what there is
        parts.append(f' <span class="float-end fw-normal small">{escape(not_scored(rollup["counts_text"]))}</span>')
    else:
        parts.append(f' <span class="float-end text-muted fw-normal small">{escape(_("no indicators"))}</span>')
    if result["contributions"]:
        items = []
        for c in result["contributions"]:
            if c["status"] in ("no_indicators", "unscored"):
                state = f'<span class="text-muted">{escape(c["status_label"])}</span>'
            else:
                state = f'<span class="st st-{c["status"]}">{c["status_label"]}</span>'
                if c["score"]:
                    state += f' {c["score"]}'
            items.append(f'<a href="{escape(c["url"])}" title="{escape(c["framework"])}: {escape(c["statement"])}">'
                         f'{escape(c["code"])}</a> ({escape(c["relation"])}) {state}')
        parts.append(f'<div class="sc-contrib">Contributing: {" · ".join(items)}</div>')
    if result["contributes_to"]:
        items = [f'<a href="{escape(c["url"])}" title="{escape(c["framework"])}">{escape(c["code"])}</a> '
                 f'({escape(c["relation"])})' for c in result["contributes_to"]]
        parts.append(f'<div class="sc-contrib">Contributes to: {" · ".join(items)}</div>')
    parts.append("</th></tr>")
    parts.extend(row_html(row) for row in result["rows"])
    return "".join(parts)


def attach_html(sections: list) -> list:
    """Give each level section its table body (`body_html`), for the page; not stored in editions."""
    for section in sections:
        section["body_html"] = "".join(result_html(result) for result in section["results"])
        section["row_count"] = sum(len(result["rows"]) for result in section["results"])
    return sections


# A sheet with more indicator rows than this opens on its levels' summaries, each level's rows a
# click away (issue 17: 2,000 rows are 2 MB of table no one reads from the top); print opens them.
FOLD_ROWS = 150


def folds(sections: list) -> bool:
    """Whether the page shows this sheet's levels folded (attach_html has counted the rows)."""
    return sum(section.get("row_count", 0) for section in sections) > FOLD_ROWS
