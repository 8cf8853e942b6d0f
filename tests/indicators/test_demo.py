"""The illustrative demo data: loaded through the services, idempotent, labelled, in every state."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from indicators.models import Baseline, Indicator, Measurement, Target


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def load(*names):
    out = io.StringIO()
    for name in names:
        call_command(name, stdout=out)
    return out.getvalue()


def test_load_demo_covers_the_cases_and_is_idempotent(seeded_chains, debug):
    load("create_demo_users")
    first = load("load_demo")
    assert "8 loaded, 0 already present" in first
    snapshot = sorted(Measurement.objects.values_list("indicator__code", "period__label", "status", "version"))
    assert "0 loaded, 8 already present" in load("load_demo")
    assert sorted(Measurement.objects.values_list("indicator__code", "period__label", "status", "version")) == snapshot

    indicators = {i.code: i for i in Indicator.objects.select_related("responsible")}
    assert all("(illustrative)" in i.name for i in indicators.values())
    assert all("illustrative" in i.definition.lower() for i in indicators.values())  # the scorecard's flag
    assert {i.responsible.username for i in indicators.values()} == {"officer"}
    kinds = {(i.aggregation, i.direction, i.measure, i.kind) for i in indicators.values()}
    assert ("sum", "increase", "number", "quantitative") in kinds
    assert any(direction == "decrease" for _, direction, _, _ in kinds)
    assert ("latest", "increase", "percentage", "quantitative") in kinds
    assert any(aggregation == "average" for aggregation, *_ in kinds)
    assert ("latest", "increase", "rating", "qualitative") in kinds

    assert set(Baseline.objects.exclude(status="planned").values_list("period__label", flat=True)) == {"FY2013"}
    missing = Baseline.objects.get(status="planned")
    assert missing.due_date.year == 2014  # due in the past: the worklist shows it
    assert set(Target.objects.values_list("period__label", flat=True)) == {"FY2014", "FY2015", "FY2016"}
    assert Target.objects.filter(status="preliminary").exists()
    statuses = set(Measurement.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "approved"}
    assert Measurement.objects.filter(status="returned").exclude(review_note="").exists()
    approved_years = set(Measurement.objects.filter(status="approved").values_list("period__label", flat=True))
    assert approved_years == {"FY2014", "FY2015", "FY2016"}
    assert not Measurement.objects.filter(submitted_by__isnull=False, reviewed_by=F("submitted_by")).exists()


def test_load_demo_works_before_the_demo_users_exist(seeded_chains, debug):
    output = load("load_demo")
    assert "8 loaded" in output and "placeholder" in output
    assert Indicator.objects.filter(responsible__username="illustrative-officer").count() == 8


def test_load_demo_is_development_only(seeded_chains, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("load_demo")
