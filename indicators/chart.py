"""Geometry of the "actual against target over time" chart, drawn as inline SVG by the template.

Pure: no ORM, no HTML. The template only places the shapes computed here, so the page needs no
JavaScript library and works on a closed network. What is drawn is what the legend names: the
baseline (a level line), approved targets (filled squares joined by a dashed line), proposed targets
awaiting approval (hollow squares) and approved actuals (dots joined by a line), an actual only at a
period it comes from (a value carried forward from an earlier period is not drawn again).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from citiesalliance.l10n import grouped

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class ChartPoint:
    label: str
    actual: Decimal | None
    target: Decimal | None  # the approved target
    proposed: Decimal | None = None  # a target awaiting approval (new, or a revision)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    x_labels: list[tuple[float, str]] = field(default_factory=list)     # (x, period label)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)      # (y, value)
    actual_line: str = ""                                               # "x,y x,y ..." for <polyline>
    target_line: str = ""
    actual_dots: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, title)
    target_dots: list[tuple[float, float, str]] = field(default_factory=list)
    proposed_dots: list[tuple[float, float, str]] = field(default_factory=list)
    baseline_y: float | None = None
    baseline_title: str = ""
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    empty: bool = True


def _nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    raw = span / ticks
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        step = base * factor
        if step >= raw:
            return step
    return base * 10  # pragma: no cover


def _fmt(value: Decimal) -> str:
    return grouped(value)  # the reader's format: the axis and the points' titles


def build_chart(points: list[ChartPoint], *, unit: str = "", baseline: Decimal | None = None,
                baseline_label: str = "") -> Chart:
    chart = Chart()
    values = [v for p in points for v in (p.actual, p.target, p.proposed) if v is not None]
    if baseline is not None and values:
        values.append(baseline)
    if not points or not values:
        return chart
    chart.empty = False
    low, high = min(values + [Decimal(0)]), max(values)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    plot_w = chart.plot_right - chart.plot_left
    plot_h = chart.plot_bottom - chart.plot_top
    n = len(points)

    def x_at(i: int) -> float:
        return round(chart.plot_left + (plot_w * (i + 0.5) / n), 1)

    def y_at(v: Decimal) -> float:
        return round(chart.plot_bottom - float((v - low) / (high - low)) * plot_h, 1)

    tick = low
    while tick <= high:
        chart.y_ticks.append((y_at(tick), _fmt(tick)))
        tick += step
    actual_coords, target_coords = [], []
    suffix = f" {unit}" if unit else ""
    if baseline is not None:
        chart.baseline_y = y_at(baseline)
        chart.baseline_title = (_("Baseline %(period)s: %(value)s") % {"period": baseline_label, "value": _fmt(baseline) + suffix}
                                if baseline_label else _("Baseline: %(value)s") % {"value": _fmt(baseline) + suffix})
    for i, p in enumerate(points):
        x = x_at(i)
        chart.x_labels.append((x, p.label))
        if p.actual is not None:
            y = y_at(p.actual)
            actual_coords.append(f"{x},{y}")
            chart.actual_dots.append((x, y, _("%(period)s actual: %(value)s") % {
                "period": p.label, "value": _fmt(p.actual) + suffix}))
        if p.target is not None:
            y = y_at(p.target)
            target_coords.append(f"{x},{y}")
            chart.target_dots.append((x, y, _("%(period)s approved target: %(value)s") % {
                "period": p.label, "value": _fmt(p.target) + suffix}))
        if p.proposed is not None:
            chart.proposed_dots.append((x, y_at(p.proposed), _("%(period)s proposed target: %(value)s") % {
                "period": p.label, "value": _fmt(p.proposed) + suffix}))
    chart.actual_line = " ".join(actual_coords)
    chart.target_line = " ".join(target_coords)
    return chart
