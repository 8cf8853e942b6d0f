"""Completeness counts the figures of the period shown; an actual carried forward says how old it is.

STALE (latest value, increasing): baseline 10 in FY2014, approved 18 in FY2015, target 20 for FY2016
and nothing approved for FY2016: at FY2016 its actual is FY2015's 18, carried forward, one year old;
progress (18 - 10) / (20 - 10) = 80%. It counts as due but not as complete for FY2016: with the
hand-calculated chain's 7 of 8, completeness becomes 7 of 9 (78%), and 1 shows an earlier figure.
"""
import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from indicators.series import freshness
from results.models import Result
from scorecard.formatting import EXPORT_HEADERS
from scorecard.selectors import scorecard_build

from .builders import D, baseline, indicator, measurement, target
from .pages import page_rows


@pytest.fixture
def stale(scorecard_data):
    ind = indicator(Result.objects.get(code="SC-OUT-1"), "STALE", direction="increase", aggregation="latest")
    baseline(ind, D(10))
    target(ind, "FY2015", D(15))
    target(ind, "FY2016", D(20))
    measurement(ind, "FY2015", D(18))
    return ind


def test_a_carried_forward_actual_shows_its_period_and_age(client, committee, stale):
    client.force_login(committee)
    html = client.get(reverse("scorecard:scorecard"), {"period": "FY2016"}).content.decode()
    row = page_rows(html)["STALE"]
    assert (row["actual"], row["actual_period"]) == ("18", "FY2015, 1 year old")
    assert (row["progress"], row["status"]) == ("80%", "Needs attention")
    assert "7 of 9 indicators due have approved figures for FY2016 (78%)" in html
    assert "1 shows an earlier period's figure" in html
    # A figure of the period itself says nothing more than its period.
    assert page_rows(html)["INC"]["actual_period"] == "FY2016"
    # At FY2015 the same figure is current.
    html = client.get(reverse("scorecard:scorecard"), {"period": "FY2015"}).content.decode()
    assert page_rows(html)["STALE"]["actual_period"] == "FY2015"


def test_the_exports_carry_the_age(client, committee, stale):
    client.force_login(committee)
    response = client.get(reverse("scorecard:export", args=["csv"]), {"period": "FY2016"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header == EXPORT_HEADERS
    by_code = {r[header.index("Indicator code")]: dict(zip(header, r)) for r in rows[1:]}
    assert (by_code["STALE"]["Actual period"], by_code["STALE"]["Actual age"]) == ("FY2015", "1 year old")
    assert by_code["INC"]["Actual age"] == ""


def test_a_period_without_approved_figures_is_not_complete(stale):
    """A period whose due indicators only show earlier figures is 0% complete, never 100%."""
    target(stale, "FY2017", D(25))
    summary = scorecard_build(period_label="FY2017").summary
    assert summary["due"] >= 2 and summary["with_data"] == 0 and summary["completeness"] == "0%"
    assert summary["carried"] >= 1


@pytest.mark.parametrize("actual_end, kind_rank, expected", [
    (date(2016, 6, 30), 2, (True, "")),
    (date(2015, 6, 30), 2, (False, "1 year old")),
    (date(2014, 6, 30), 2, (False, "2 years old")),
    (date(2016, 3, 31), 0, (True, "")),          # a quarter inside the year
    (date(2015, 12, 31), 0, (True, "")),
    (date(2015, 3, 31), 0, (False, "15 months old")),
])
def test_freshness(actual_end, kind_rank, expected):
    found = freshness(actual_end.toordinal() * 10 + kind_rank, start=date(2015, 7, 1), end=date(2016, 6, 30))
    assert (found.current, found.age) == expected
    assert freshness(None, start=date(2015, 7, 1), end=date(2016, 6, 30)).current is False
