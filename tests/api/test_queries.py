"""An API page costs the same number of queries whatever the data's size: every list endpoint (with
approved and working figures) and the scorecard, measured at two sizes. Every indicator is split by
a dimension, its targets and measurements have approved and working parts (issue 14)."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.dimensions import Dimension, DimensionValue
from indicators.services.parts import PartInput
from results import services as result_services

PAGES = [("api:framework-list", {}), ("api:result-list", {}), ("api:alignment-list", {}),
         ("api:period-list", {}), ("api:indicator-list", {}), ("api:dimension-list", {}),
         ("api:baseline-list", {}),
         ("api:baseline-list", {"figures": "working"}), ("api:target-list", {}),
         ("api:target-list", {"figures": "working"}), ("api:measurement-list", {}),
         ("api:measurement-list", {"figures": "working"}), ("api:edition-list", {}),
         ("api:scorecard", {"framework": "QA", "period": "FY2014"}),
         ("api:scorecard", {"framework": "QA", "period": "FY2014", "slice": "sex:sex-1"})]  # issue 14


def _split(indicator, dimension: str = "Sex") -> tuple[int, int]:
    """Split `indicator` by `dimension` (made with two values when missing): the values' ids."""
    dim = Dimension.objects.filter(name=dimension).first()
    if dim is None:
        dim = Dimension.objects.create(name=dimension, slug=dimension.lower())
        for n in (1, 2):
            DimensionValue.objects.create(dimension=dim, name=f"{dimension} {n}", slug=f"{dimension.lower()}-{n}")
    dim.indicators.add(indicator)
    first, second = dim.values.order_by("pk").values_list("pk", flat=True)
    return first, second


def _parts(ids, *figures):
    return {pk: PartInput(Decimal(f)) for pk, f in zip(ids, figures, strict=True)}


def _grow(make_chain, make_indicator, officer, manager, *, chains: int, indicators: int):
    """Chains with alignments, indicators with baselines, approved and revised targets and measurements,
    and an edition per chain: every kind of row each page reads, with revisions under way."""
    from scorecard import services as scorecard_services

    made = []
    for c in range(chains):
        chain = make_chain(code="QA" if not made else f"QA{c}", outputs=3)
        if made:
            result_services.alignment_create(source=chain["io"], target=made[0]["io"])
        for i in range(indicators):
            indicator = make_indicator(chain["outputs"][i % 3], code=f"{chain['framework'].code}-{i}")
            ids = _split(indicator)
            services.baseline_record(indicator=indicator, by=officer, value="1", period="FY2013",
                                     parts=_parts(ids, 1, 0))
            t = services.target_set(indicator=indicator, period="FY2014", by=officer, value="5", parts=_parts(ids, 3, 2))
            t = services.target_approve(target=t, by=manager, version=t.version)
            services.target_revise(target=t, by=officer, value="6", rationale="More", version=t.version,
                                   parts=_parts(ids, 4, 2))
            m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                            evidence_url="https://example.org/e", so_what="Used to plan the next round.",
                                            submit=True, parts=_parts(ids, 2, 1))
            m = services.measurement_approve(measurement=m, by=manager, version=m.version)
            services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="4",
                                            version=m.version, parts=_parts(ids, 2, 2))
        scorecard_services.edition_publish(framework=chain["framework"], period=m.period, commentary="Reflect",
                                           published_by=manager)
        made.append(chain)


def _count(client, name, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), query)
    assert response.status_code == 200, (name, response.content[:200])
    return len(captured), response


@pytest.mark.parametrize("name, query", PAGES)
def test_queries_do_not_grow_with_the_data(name, query, make_chain, make_indicator, officer, manager,
                                           client_as, django_assert_num_queries, settings):
    settings.API_PAGE_SIZE = 500  # the whole of both sizes on one page
    client = client_as("manager")
    _grow(make_chain, make_indicator, officer, manager, chains=2, indicators=2)
    _count(client, name, query)  # the first request reads the reader's permissions, kept after (auth_backend)
    small, small_response = _count(client, name, query)
    _grow_more(make_chain, make_indicator, officer, manager)
    with django_assert_num_queries(small):
        response = client.get(reverse(name), query)
    assert response.status_code == 200
    def size(r):
        return (len(r.json()["results"]) if "results" in r.json() else len(r.json()["rows"]))
    assert size(response) > size(small_response) or name in ("api:period-list",)


def _grow_more(make_chain, make_indicator, officer, manager):
    """Four times the indicators, on the same QA chain and new chains."""
    from results.models import Result

    qa_outputs = list(Result.objects.filter(framework__code="QA", level=4))
    for i in range(6):
        indicator = make_indicator(qa_outputs[i % 3], code=f"QA-MORE-{i}")
        ids = _split(indicator, "Sex") + _split(indicator, f"Age {i}")  # more dimensions, more values
        services.baseline_record(indicator=indicator, by=officer, value="1", period="FY2013")
        t = services.target_set(indicator=indicator, period="FY2014", by=officer, value="5",
                                parts=_parts(ids, 3, 2, 1, 4))
        services.target_approve(target=t, by=manager, version=t.version)
        m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence_url="https://example.org/e", so_what="Used to plan the next round.",
                                        submit=True, parts=_parts(ids, 1, 2, 3, 0))
        services.measurement_approve(measurement=m, by=manager, version=m.version)
    for c in range(2):
        chain = make_chain(code=f"QB{c}", outputs=3)
        result_services.alignment_create(source=chain["io"], target=Result.objects.get(code="QA-IO"))
        for i in range(3):
            indicator = make_indicator(chain["outputs"][i], code=f"QB{c}-{i}")
            services.baseline_record(indicator=indicator, by=officer, value="2", period="FY2013")
            t = services.target_set(indicator=indicator, period="FY2015", by=officer, value="5")
            t = services.target_approve(target=t, by=manager, version=t.version)
            services.target_revise(target=t, by=officer, value="7", rationale="More", version=t.version)
            m = services.measurement_record(indicator=indicator, period="FY2015", by=officer, value="3",
                                            evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=True)
            m = services.measurement_approve(measurement=m, by=manager, version=m.version)
            services.measurement_save_draft(indicator=indicator, period="FY2015", by=officer, value="4",
                                            version=m.version)
        from scorecard import services as scorecard_services
        scorecard_services.edition_publish(framework=chain["framework"], period=m.period, commentary="Reflect",
                                           published_by=manager)
