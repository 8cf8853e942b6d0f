"""Two people saving the same record at the same moment: one wins, the other gets a conflict.

Runs on PostgreSQL (threads need a shared database); the version check under select_for_update is
what makes the second writer see the first one's save instead of overwriting it.
"""
import threading

import pytest
from django.db import connection, connections

from citiesalliance import roles
from indicators import services
from indicators.models import Measurement


@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_never_overwrite_silently(make_indicator, officer, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is not shared between threads; run on PostgreSQL")
    indicator = make_indicator()
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="1")
    editors = [officer] + [make_user(roles.OFFICER) for _ in range(3)]
    outcomes: dict[int, object] = {}
    barrier = threading.Barrier(len(editors))

    def edit(n, user):
        try:
            barrier.wait()
            services.measurement_save_draft(indicator=indicator, period="FY2014", by=user, value=str(10 + n),
                                            version=m.version)
            outcomes[n] = "saved"
        except services.ConflictError as exc:
            outcomes[n] = exc
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(n, u)) for n, u in enumerate(editors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, outcome in outcomes.items() if outcome == "saved"]
    losers = [outcome for outcome in outcomes.values() if outcome != "saved"]
    assert len(winners) == 1
    assert len(losers) == len(editors) - 1 and all(isinstance(e, services.ConflictError) for e in losers)
    stored = Measurement.objects.get()
    assert (stored.value, stored.version) == (10 + winners[0], 2)
    assert all(f"Value: {10 + winners[0]} cities" in e.messages[0] for e in losers)
