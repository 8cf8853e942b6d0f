"""The scorecard's query count does not grow with results, indicators or periods.

Timings are measured by bench/scorecard.py, not here.
"""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from results.models import Result
from scorecard.selectors import scorecard_build

URL = reverse("scorecard:scorecard")
SELECTOR_QUERIES = 14  # frameworks, business lines, periods, alignments, results, indicators, baselines,
#                        approved targets, approved measurements, standards, the latest approval of the
#                        actuals and of the period's targets ("as approved on"), targets of the period
#                        awaiting approval, the computations of computed indicators (issue 18)


def generate(code, indicators, periods):
    call_command("generate_organisation", indicators=indicators, periods=periods, code=code,
                 name=f"Synthetic {code}", stdout=io.StringIO())


@pytest.fixture
def two_sizes(db):
    generate("SMALL", 16, 3)
    generate("LARGE", 120, 8)
    small = Indicator.objects.filter(result__framework__code="SMALL")
    large = Indicator.objects.filter(result__framework__code="LARGE")
    # The two sizes really differ in results, indicators and periods.
    assert Result.objects.filter(framework__code="LARGE").count() > 2 * Result.objects.filter(
        framework__code="SMALL").count()
    assert (small.count(), large.count()) == (16, 120)
    assert Target.objects.filter(indicator__in=large).values("period").distinct().count() == 8
    assert Measurement.objects.filter(indicator__in=small).values("period").distinct().count() == 3


def test_selector_query_count_is_constant(two_sizes, django_assert_num_queries):
    for code in ("SMALL", "LARGE"):
        with django_assert_num_queries(SELECTOR_QUERIES):
            card = scorecard_build(framework_code=code)
        assert card.period is not None and len(list(card.rows)) in (16, 120)


def test_selector_with_alignments_has_the_same_count(scorecard_data, django_assert_num_queries):
    with django_assert_num_queries(SELECTOR_QUERIES):
        card = scorecard_build(framework_code="SC")
    assert any(r["contributions"] for s in card.sections for r in s["results"])


def test_page_query_count_is_constant(two_sizes, client, committee, django_assert_num_queries):
    """Built (cache miss) or served from the cache (hit), a page's query count does not depend on its size."""
    client.force_login(committee)
    client.get(URL, {"framework": "SMALL", "period": "FY2019"})  # first request of the session
    with CaptureQueriesContext(connection) as built:
        response = client.get(URL, {"framework": "SMALL"})
    assert response.content.count(b"<tr data-code=") == 16
    with django_assert_num_queries(len(built)):
        response = client.get(URL, {"framework": "LARGE"})
    assert response.content.count(b"<tr data-code=") == 120
    with django_assert_num_queries(len(built)):
        client.get(URL, {"framework": "LARGE", "period": "FY2020", "line": "CP"})
    # Again, unchanged: served from the cache, with the stamp as its one query beyond the session's.
    with CaptureQueriesContext(connection) as kept:
        response = client.get(URL, {"framework": "SMALL"})
    assert response.content.count(b"<tr data-code=") == 16
    # the stamp is read either way; building also reads the menu of slices (dimension values, issue 14)
    assert len(kept) == len(built) - SELECTOR_QUERIES - 1
    with django_assert_num_queries(len(kept)):
        response = client.get(URL, {"framework": "LARGE"})
    assert response.content.count(b"<tr data-code=") == 120


def test_generated_organisation_is_labelled_and_its_tree_is_sound(two_sizes, client, committee):
    out = io.StringIO()
    call_command("check_trees", stdout=out)
    assert "consistent" in out.getvalue()
    client.force_login(committee)
    html = client.get(URL, {"framework": "LARGE"}).content.decode()
    assert "Illustrative figures" in html and "synthetic" in html.lower()


def test_generate_refuses_to_overwrite_without_replace(two_sizes):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="--replace"):
        generate("SMALL", 5, 2)
    call_command("generate_organisation", indicators=5, periods=2, code="SMALL", name="Synthetic SMALL",
                 replace=True, stdout=io.StringIO())
    assert Indicator.objects.filter(result__framework__code="SMALL").count() == 5


def test_replace_never_deletes_a_framework_people_report_in(make_indicator, officer):
    """--replace deletes without history or review: only what the command generated."""
    from django.core.management.base import CommandError
    indicator = make_indicator(code="REAL-1")
    framework = indicator.result.framework
    with pytest.raises(CommandError, match="was not generated by this command"):
        call_command("generate_organisation", indicators=5, periods=2, code=framework.code, replace=True,
                     stdout=io.StringIO())
    assert Indicator.objects.filter(code="REAL-1").exists()
