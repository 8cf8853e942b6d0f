"""The indicator page, the worklist, the review queue and the result page use a fixed number of
queries whatever the number of indicators, periods and history rows."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citiesalliance import roles
from indicators import services


def build(make_indicator, result, officer, manager, *, indicators: int, years: int, prefix: str):
    """`indicators` indicators on `result`, each with a baseline, targets and measurements in every
    state over `years` fiscal years."""
    created = []
    for i in range(indicators):
        ind = make_indicator(result, code=f"{prefix}-{i}", aggregation="sum")
        services.baseline_record(indicator=ind, by=officer, value="1", period="FY2013")
        for n in range(years):
            label = f"FY{2014 + n}"
            t = services.target_set(indicator=ind, period=label, by=officer, value=str(10 * (n + 1)))
            if n % 2 == 0:
                services.target_approve(target=t, by=manager, version=t.version)
            m = services.measurement_record(indicator=ind, period=label, by=officer, value=str(n + 3),
                                            evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=n % 3 != 2)
            if n % 3 == 0:
                services.measurement_approve(measurement=m, by=manager, version=m.version)
            elif n % 3 == 1:
                services.measurement_return(measurement=m, by=manager, note="Check", version=m.version)
        created.append(ind)
    return created


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def forget_pages(client):
    """Empty the cache, then let the reader's permissions be kept again (citiesalliance.auth_backend)
    through a page that is not cached, so that counts compare the pages alone."""
    cache.clear()
    assert client.get(reverse("indicators:list")).status_code == 200


def count_built_and_kept(client, url) -> tuple[int, int]:
    """Queries of the page built (nothing cached), then served again from the cache."""
    forget_pages(client)
    return count_queries(client, url), count_queries(client, url)


@pytest.fixture
def two_sizes(make_chain, make_indicator, officer, manager):
    chain = make_chain(outputs=2)
    small = build(make_indicator, chain["outputs"][0], officer, manager, indicators=1, years=2, prefix="S")
    large = build(make_indicator, chain["outputs"][1], officer, manager, indicators=4, years=6, prefix="L")
    return chain, small, large


@pytest.mark.parametrize("role", [roles.OFFICER, roles.COMMITTEE])
def test_indicator_page_queries_do_not_grow(client, make_user, two_sizes, django_assert_num_queries, role):
    chain, small, large = two_sizes
    client.force_login(make_user(role))
    client.get(small[0].get_absolute_url(), {"warm": "session"})  # warm the session (and cache the page)
    forget_pages(client)
    built = count_queries(client, small[0].get_absolute_url())  # built: the cache had nothing
    with django_assert_num_queries(built):
        response = client.get(large[0].get_absolute_url())
    # Unchanged since: served from the cache, the same few queries at both sizes (session, user,
    # permissions, the figures' stamp), fewer than building it.
    kept = count_queries(client, small[0].get_absolute_url())
    assert kept < built - 5
    with django_assert_num_queries(kept):
        again = client.get(large[0].get_absolute_url()).content.decode()
    main = response.content.decode()
    assert again[again.index("<main"):] == main[main.index("<main"):]  # the same content (the head has a nonce)
    html = response.content.decode()
    if role == roles.OFFICER:
        assert html.count("Returned for revision") >= 2  # the large page has more rows
    else:  # the Executive Committee reads approved figures only: six years of rows, no returned figure (only the approved years)
        assert html.count('<th scope="row">FY') >= 4 and "Returned for revision" not in html


def test_worklist_queries_do_not_grow(client, officer, make_user, make_chain, make_indicator, manager,
                                      django_assert_num_queries):
    chain = make_chain()
    client.force_login(officer)
    url = reverse("indicators:worklist")
    build(make_indicator, chain["outputs"][0], officer, manager, indicators=1, years=2, prefix="S")
    client.get(url)
    built, kept = count_built_and_kept(client, url)
    assert kept < built
    build(make_indicator, chain["outputs"][1], officer, manager, indicators=5, years=6, prefix="L")
    forget_pages(client)
    with django_assert_num_queries(built):
        response = client.get(url)
    assert response.content.decode().count("Note from the reviewer") == 1 + 5 * 2
    with django_assert_num_queries(kept):
        assert client.get(url).content.decode().count("Note from the reviewer") == 1 + 5 * 2


def test_review_queue_and_result_page_queries_do_not_grow(client, manager, make_user, make_chain, make_indicator,
                                                          officer, django_assert_num_queries):
    chain = make_chain()
    reviewer = make_user(roles.MANAGER)
    client.force_login(reviewer)
    queue, result_url = reverse("indicators:review_queue"), chain["outputs"][0].get_absolute_url()
    build(make_indicator, chain["outputs"][0], officer, manager, indicators=1, years=3, prefix="S")
    client.get(queue)
    (queue_built, queue_kept), (result_built, result_kept) = (count_built_and_kept(client, queue),
                                                              count_built_and_kept(client, result_url))
    assert queue_kept < queue_built and result_kept < result_built
    build(make_indicator, chain["outputs"][0], officer, manager, indicators=5, years=6, prefix="L")
    forget_pages(client)
    with django_assert_num_queries(queue_built):
        client.get(queue)
    with django_assert_num_queries(result_built):
        response = client.get(result_url)
    assert "L-4" in response.content.decode()
    with django_assert_num_queries(queue_kept):
        client.get(queue)
    with django_assert_num_queries(result_kept):
        assert "L-4" in client.get(result_url).content.decode()
