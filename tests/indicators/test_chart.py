from decimal import Decimal

from indicators.chart import ChartPoint, build_chart


def test_chart_places_actual_and_target_on_a_shared_scale():
    chart = build_chart([ChartPoint("FY2014", Decimal("14"), Decimal("15")),
                         ChartPoint("FY2015", None, Decimal("20")),
                         ChartPoint("FY2016", Decimal("30"), None)], unit="cities")
    assert not chart.empty
    assert [label for _, label in chart.x_labels] == ["FY2014", "FY2015", "FY2016"]
    assert [label for _, label in chart.y_ticks] == ["0", "10", "20", "30"]
    assert len(chart.actual_dots) == 2 and len(chart.target_dots) == 2
    (x1, y1, t1), (x2, y2, t2) = chart.actual_dots
    assert t1 == "FY2014 actual: 14 cities" and x1 < x2 and y2 < y1  # higher value, higher on the page
    assert y2 == chart.plot_top and chart.y_ticks[0][0] == chart.plot_bottom
    assert chart.actual_line == f"{x1},{y1} {x2},{y2}"


def test_chart_with_no_values_is_empty():
    assert build_chart([ChartPoint("FY2014", None, None)]).empty
    flat = build_chart([ChartPoint("FY2014", Decimal("0.5"), Decimal("0.5"))])
    assert not flat.empty and flat.y_ticks
