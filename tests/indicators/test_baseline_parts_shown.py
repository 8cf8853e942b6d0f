"""A disaggregated baseline's parts are shown beside the baseline (issue 14): on the indicator page
and in the context of the measurement and target review pages."""
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.dimensions import Dimension, DimensionValue
from indicators.services.parts import PartInput


@pytest.fixture
def sessions(make_indicator, officer):
    """Sessions (cumulative), baseline 5 in FY2013 = female 3 + male 2."""
    sex = Dimension.objects.create(name="Sex", slug="sex", order=1)
    female = DimensionValue.objects.create(dimension=sex, name="female", slug="female", order=1)
    male = DimensionValue.objects.create(dimension=sex, name="male", slug="male", order=2)
    indicator = make_indicator(name="Sessions", unit="sessions", aggregation="sum")
    sex.indicators.add(indicator)
    services.baseline_record(indicator=indicator, by=officer, value="5", period="FY2013", status="validated")
    services.baseline_parts_set(indicator=indicator, by=officer,
                                parts={female.pk: PartInput(Decimal(3)), male.pk: PartInput(Decimal(2))})
    return indicator


def _baseline_section(page: str) -> str:
    start = page.index('id="baseline-title"')
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("role", ["officer", "committee"])
def test_the_indicator_page_shows_the_baseline_parts_beside_the_baseline(client, request, role, sessions):
    client.force_login(request.getfixturevalue(role))
    section = _baseline_section(client.get(sessions.get_absolute_url()).content.decode())
    assert "By sex" in section
    assert '<th scope="row">female</th><td class="text-end">3 sessions</td>' in section
    assert '<th scope="row">male</th><td class="text-end">2 sessions</td>' in section


def test_an_undivided_baseline_shows_no_parts(client, officer, make_indicator):
    indicator = make_indicator(name="Cities")
    services.baseline_record(indicator=indicator, by=officer, value="4", period="FY2013", status="collected")
    client.force_login(officer)
    assert "baseline-parts" not in client.get(indicator.get_absolute_url()).content.decode()


def test_the_review_pages_show_the_baseline_parts(client, officer, manager, sessions):
    target = services.target_set(indicator=sessions, period="FY2015", by=officer, value="9")
    measurement = services.measurement_record(indicator=sessions, period="FY2014", by=officer, value="2",
                                              evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    client.force_login(manager)
    for url in (reverse("indicators:target_review", args=[sessions.code, "FY2015"]),
                reverse("indicators:measurement", args=[sessions.code, "FY2014"])):
        page = client.get(url).content.decode()
        assert "5 sessions (FY2013)" in page, url
        assert '<div class="baseline-parts text-muted">By sex: female 3 sessions, male 2 sessions</div>' in page, url
    assert target.pk and measurement.pk
