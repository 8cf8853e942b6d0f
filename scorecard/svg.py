"""Small charts drawn on the server as SVG markup: the same on the page and in the PDF (WeasyPrint
draws inline SVG), with no JavaScript. Pure: no ORM, no Django."""
from __future__ import annotations

from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 60, 16


def points_svg(points: str, *, label: str = "", css_class: str = "spark") -> str:
    """An SVG line through `points` ("x,y x,y", in a 60 x 16 box: formatting.sparkline's output)."""
    if not points:
        return ""
    return (f'<svg class="{css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
            f'{_label(label)}><polyline points="{escape(points)}" fill="none" stroke="#00507d" '
            f'stroke-width="1.3"/></svg>')


def progress_svg(values: list[Decimal | None], *, label: str = "") -> str:
    """Capped progress (0 to 1) at each period as a line with a dot per period that has one; a period
    without progress breaks the line. A dashed rule marks 100%."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    count = len(values)
    step = (WIDTH - 4) / (count - 1) if count > 1 else 0
    usable = HEIGHT - 4
    segments, current, dots = [], [], []
    for n, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        x = 2 + n * step if count > 1 else WIDTH / 2
        y = 2 + (1 - float(value)) * usable  # display only: float precision is plenty for 16 pixels
        current.append(f"{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.2"/>')
    if current:
        segments.append(current)
    lines = "".join(f'<polyline points="{" ".join(s)}"/>' for s in segments if len(s) > 1)
    return (f'<svg class="spark" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"{_label(label)}>'
            f'<line x1="0" y1="2" x2="{WIDTH}" y2="2" stroke="#adb5bd" stroke-width=".6" stroke-dasharray="2 2"/>'
            f'<g fill="none" stroke="#00507d" stroke-width="1.3">{lines}</g><g fill="#00507d">{"".join(dots)}</g></svg>')


def _label(label: str) -> str:
    if not label:
        return ' aria-hidden="true"'
    return f' role="img" aria-label="{escape(label)}"'
