"""Concurrent tree writes are serialised: mptt's nested sets stay consistent."""
import threading

import pytest
from django.db import connection, connections

from results import services
from results.levels import Level
from results.models import Result
from results.selectors import trees_problems


@pytest.mark.django_db(transaction=True)
def test_parallel_result_creation_keeps_trees_consistent(make_chain):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is not shared between threads; run on PostgreSQL")
    chain = make_chain(code="PAR", outputs=2)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int):
        try:
            barrier.wait()
            for i in range(8):
                parent = chain["outputs"][(n + i) % 2]
                services.result_create(framework=chain["framework"], parent=parent, level=Level.ACTIVITY,
                                       code=f"PAR-ACT-{n}-{i}", statement="Parallel", order=i)
                if i % 3 == 0:
                    services.result_move(result=Result.objects.get(code=f"PAR-ACT-{n}-{i}"),
                                         parent=chain["outputs"][(n + i + 1) % 2], order=i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Result.objects.filter(level=Level.ACTIVITY).count() == 32
    assert trees_problems() == []
