"""The illustrative demo data: loaded through the services, idempotent, labelled, in every state."""
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from indicators.demo import DemoCalendar, demo_calendar
from indicators.models import Baseline, Indicator, Measurement, Target
from indicators.periods import fiscal_year_of
from indicators.selectors import worklist
from results.models import Result, ResultsFramework


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def load(*names, **options):
    out = io.StringIO()
    for name in names:
        call_command(name, stdout=out, **options)
    return out.getvalue()


def test_load_demo_covers_the_cases_and_is_idempotent(seeded_chains, debug):
    load("create_demo_users")
    # The organisation's demo alone (the country programmes: tests/results/test_programmes.py).
    first = load("load_demo", programmes=False)
    assert "11 loaded, 0 already present" in first
    snapshot = sorted(Measurement.objects.values_list("indicator__code", "period__label", "status", "version"))
    assert "0 loaded, 11 already present" in load("load_demo", programmes=False)
    assert sorted(Measurement.objects.values_list("indicator__code", "period__label", "status", "version")) == snapshot

    indicators = {i.code: i for i in Indicator.objects.select_related("responsible")}
    assert all("(illustrative)" in i.name for i in indicators.values())
    assert all("illustrative" in i.definition.lower() for i in indicators.values())  # the scorecard's flag
    assert {i.responsible.username for i in indicators.values()} == {"officer"}
    kinds = {(i.aggregation, i.direction, i.measure, i.kind) for i in indicators.values()}
    assert ("sum", "increase", "number", "quantitative") in kinds
    assert {direction for _, direction, _, _ in kinds} == {"increase", "decrease", "maintain"}
    assert {aggregation for aggregation, *_ in kinds} == {"sum", "latest", "average"}
    assert ("latest", "increase", "percentage", "quantitative") in kinds
    assert ("latest", "increase", "rating", "qualitative") in kinds
    assert {i.frequency for i in indicators.values()} == {"annual", "quarterly"}

    years = demo_calendar().years
    assert set(Baseline.objects.exclude(status="planned").filter(period__kind="year")
               .values_list("period__label", flat=True)) == {years[0]}
    assert Baseline.objects.filter(status="planned").count() == 2
    assert {t for t in Target.objects.filter(period__kind="year").values_list("period__label", flat=True)} == {
        *years[1:], demo_calendar().current_year}
    assert Target.objects.filter(status="preliminary").exists()
    statuses = set(Measurement.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "approved"}
    assert Measurement.objects.filter(status="returned").exclude(review_note="").exists()
    approved_years = set(Measurement.objects.filter(status="approved", period__kind="year")
                         .values_list("period__label", flat=True))
    assert approved_years == set(years[1:])
    assert Measurement.objects.filter(status="approved", period__kind="quarter").count() == 4
    assert not Measurement.objects.filter(submitted_by__isnull=False, reviewed_by=F("submitted_by")).exists()


def test_demo_data_looks_current(seeded_chains, debug):
    """Its years are the last four that have ended; the worklist mixes due, overdue and returned items."""
    load("create_demo_users", "load_demo")
    today = timezone.localdate()
    years = demo_calendar().years
    assert years[-1] == f"FY{fiscal_year_of(today) - 1}"  # the last fiscal year that has ended
    for framework in ResultsFramework.objects.all():
        assert framework.first_fiscal_year <= int(years[0][2:]) and framework.last_fiscal_year > int(years[-1][2:])
    work = worklist(user=None, everyone=True)
    overdue = [w for w in work["due"] if w.overdue]
    due = [w for w in work["due"] if not w.overdue]
    assert overdue and due and work["returned"]
    assert all(w.period.end >= today - timedelta(days=550) for w in overdue)  # none more than 18 months late
    assert any(w.period.kind == "quarter" for w in due)
    baselines = work["baselines"]
    assert [w.overdue for w in baselines] == [True, False]
    # Outputs and activities carry business lines, and the demo's activities are labelled illustrative.
    assert Result.objects.filter(level__gte=4, business_line__isnull=False).count() >= 8
    activities = Result.objects.filter(level=5)
    assert activities.count() == 2 and all("(illustrative)" in a.statement for a in activities)


def test_load_chains_after_the_demo_keeps_its_business_lines(seeded_chains, debug):
    load("load_demo", "load_chains")
    assert Result.objects.get(code="CORP-OUT-2").business_line.code == "CP"


@pytest.mark.parametrize("today, latest, quarter", [
    (date(2026, 12, 1), "FY2026", "FY2027-Q2"),
    (date(2026, 7, 1), "FY2026", "FY2027-Q1"),
    (date(2026, 6, 30), "FY2025", "FY2026-Q4"),
    (date(2027, 3, 15), "FY2026", "FY2027-Q3"),
])
def test_demo_calendar(today, latest, quarter):
    calendar = DemoCalendar(today)
    assert calendar.label("Y0") == latest and calendar.label("Q0") == quarter
    assert calendar.years[-1] == latest and len(calendar.years) == 4
    assert calendar.label("Q-4") == f"FY{int(quarter[2:6]) - 1}{quarter[6:]}"
    assert calendar.day("Y0:end") == date(int(latest[2:]), 6, 30)
    assert calendar.text("From the {Y-1} plan.") == f"From the FY{int(latest[2:]) - 1} plan."


def test_load_demo_pinned_to_a_day(seeded_chains, debug):
    call_command("load_demo", "--today", "2016-08-01", stdout=io.StringIO())
    assert Measurement.objects.filter(indicator__code="CORP-OUT-2-I1").order_by("period__end").values_list(
        "period__label", flat=True).first() == "FY2014"


def test_load_demo_works_before_the_demo_users_exist(seeded_chains, debug):
    output = load("load_demo", programmes=False)
    assert "11 loaded" in output and "placeholder" in output
    assert Indicator.objects.filter(responsible__username="illustrative-officer").count() == 11


def test_load_demo_is_development_only(seeded_chains, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("load_demo")


def test_demo_carries_disaggregated_figures(seeded_chains, debug):
    """Sex on the people trained, Country on the courses held: illustrative parts that add up."""
    from indicators.dimensions import MeasurementPart, TargetPart

    load("create_demo_users", "load_demo")
    trained = Indicator.objects.get(code="CORP-OUT-3-I1")
    assert [d.name for d in trained.dimensions.all()] == ["Sex"]
    assert [d.name for d in Indicator.objects.get(code="CORP-OUT-3-A1-I1").dimensions.all()] == ["Country"]
    parts = {(p.measurement.period.label, p.dimension_value.name): p.approved_value
             for p in MeasurementPart.objects.filter(measurement__indicator=trained)}
    first = demo_calendar().label("Y-2")
    assert parts[(first, "female")] == 180 and parts[(first, "male")] == 240
    assert TargetPart.objects.filter(target__indicator__code="CORP-OUT-3-A1-I1").count() == 6
    # still idempotent (11, the programmes' 6 and the corporate indicator computed from them)
    assert "0 loaded, 18 already present" in load("load_demo")


def test_demo_has_a_corporate_indicator_computed_from_the_programmes(seeded_chains, debug, client):
    """CORP-IO-C1 adds up the two illustrative programmes' residents reached: its page names the formula
    and lists each programme's contribution with a link; its figure is their approved running totals."""
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.urls import reverse

    load("create_demo_users", "load_demo")
    computed = Indicator.objects.get(code="CORP-IO-C1")
    assert computed.computation.kind == "sum"
    assert sorted(c.indicator.code for c in computed.computation.contributions.all()) == ["BFA-IO-I1", "MOZ-IO-I1"]
    assert not Measurement.objects.filter(indicator=computed).exists()  # never entered by hand
    approved = Measurement.objects.filter(indicator__code__in=["BFA-IO-I1", "MOZ-IO-I1"],
                                          status=Measurement.Status.APPROVED)
    total = approved.aggregate(total=Sum("approved_value"))["total"]
    assert total > 0
    client.force_login(get_user_model().objects.get(username="committee"))
    html = client.get(reverse("indicators:indicator", args=["CORP-IO-C1"])).content.decode()
    assert "Sum of: BFA-IO-I1, MOZ-IO-I1" in html and "illustrative" in html
    for code in ("BFA-IO-I1", "MOZ-IO-I1"):
        assert reverse("indicators:indicator", args=[code]) in html
    scorecard = client.get(reverse("scorecard:scorecard")).content.decode()
    row = scorecard[scorecard.index("CORP-IO-C1"):][:2000]
    assert f"{total:,.0f}" in row
