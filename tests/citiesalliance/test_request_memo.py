"""A reading request reads the figures' stamp once, however many parts of the page ask for it
(citiesalliance.page_cache.stamp_read), in one query with the other stamps; outside a reading request
nothing is kept. On PostgreSQL the query is prepared once per connection and still sees every write."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.stamps import figures_stamp


def stamp_reads(queries) -> int:
    """The stamp queries run (PostgreSQL runs them prepared: EXECUTE page_stamps_N)."""
    return sum(q["sql"].startswith("EXECUTE page_stamps_") or (q["sql"].startswith("SELECT (SELECT") and (
        "MAX(history_id)" in q["sql"] or "auth_group_permissions" in q["sql"])) for q in queries)


def test_the_officers_page_reads_the_stamp_once_though_content_and_badges_ask(client, make_indicator, officer):
    indicator = make_indicator(code="MEMO-1")
    client.force_login(officer)
    client.get(indicator.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(indicator.get_absolute_url()).content.decode()
    assert "MEMO-1" in page and 'nav-count' in page  # the content and the worklist's badge
    assert stamp_reads(queries.captured_queries) == 1


def test_outside_a_reading_request_each_ask_reads_the_stamp_anew(make_indicator, officer):
    before = figures_stamp()
    indicator = make_indicator(code="MEMO-2")
    services.baseline_record(indicator=indicator, by=officer, value="3", period="FY2013")
    assert figures_stamp() != before


def test_a_prepared_stamp_the_server_lost_is_prepared_again(transactional_db):
    """PostgreSQL: a server session that lost the prepared statement (a pooler's DISCARD ALL) is
    prepared again at once (in autocommit, as pages run; inside a transaction the failure aborts it
    and the next read prepares it), not failing every page of that connection."""
    import pytest

    from citiesalliance import page_cache

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    first = figures_stamp()
    with connection.connection.cursor() as raw:
        raw.execute("DEALLOCATE ALL")
    assert figures_stamp() == first and page_cache._PREPARED[connection.connection]
