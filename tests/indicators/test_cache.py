"""The worklist and the review queue kept in the cache (issue 17) show every write on the next
request: a submission enters the queue, an approval leaves it, a return reaches the worklist."""
from django.urls import reverse

from indicators import services


def test_the_review_queue_and_the_worklist_follow_each_write(client, make_indicator, officer, manager):
    indicator = make_indicator(code="Q-1")
    queue, worklist = reverse("indicators:review_queue"), reverse("indicators:worklist")
    client.force_login(manager)
    assert "Q-1" not in client.get(queue).content.decode()
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="4",
                                    evidence_url="https://example.org/e", so_what="Used.", submit=True)
    assert "Q-1" in client.get(queue).content.decode()  # submitted: in the queue at once
    m = services.measurement_return(measurement=m, by=manager, note="Check the source", version=m.version)
    assert "Q-1" not in client.get(queue).content.decode()
    client.force_login(officer)
    assert "Check the source" in client.get(worklist).content.decode()  # returned: on the worklist at once
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    assert "Check the source" not in client.get(worklist).content.decode()
    client.force_login(manager)
    assert "Q-1" in client.get(queue).content.decode()
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    assert "Q-1" not in client.get(queue).content.decode()  # approved: gone from the queue


def test_the_review_queue_shows_its_targets_a_page_at_a_time(client, make_indicator, officer, manager, monkeypatch):
    """A planning round leaves many preliminary targets: the queue shows a page of them, says which,
    and leads to the next page while keeping the measurements' page."""
    from indicators import selectors

    monkeypatch.setattr(selectors, "REVIEW_PAGE_SIZE", 2)
    indicator = make_indicator(code="PG-1")
    for year in (2014, 2015, 2016, 2017, 2018):
        services.target_set(indicator=indicator, period=f"FY{year}", by=officer, value=str(year - 2000))
    client.force_login(manager)
    queue = reverse("indicators:review_queue")
    first = client.get(queue).content.decode()
    assert "Showing 1–2 of 5, oldest first." in first and "Page 1 of 3" in first
    assert "/targets/FY2014/" in first and "/targets/FY2016/" not in first
    assert '?targets=2&amp;measurements=1#t-title' in first
    second = client.get(queue, {"targets": "2", "measurements": "1"}).content.decode()
    assert "Showing 3–4 of 5" in second and "/targets/FY2016/" in second and "/targets/FY2014/" not in second
    for odd in ("99", "x", "-1", "0"):  # beyond the last page: the last; not a number: the first
        shown = client.get(queue, {"targets": odd}).content.decode()
        assert ("Page 3 of 3" if odd == "99" else "Page 1 of 3") in shown
