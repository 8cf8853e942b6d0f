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
