"""Faults: the database connection dies in the middle of a review, and nothing is half-written.

The connection is killed after the reviewed row has been UPDATEd inside the service's transaction
and before its audit-history row is INSERTed: the moment where a non-transactional write would
leave an approved measurement without its history (or the other way round). On PostgreSQL the
backend really is terminated (`pg_terminate_backend(pg_backend_pid())` on the same connection);
SQLite has no server to kill, so there the same point raises the OperationalError a lost
connection raises. Then the test reconnects and checks every field and the history as before.

These tests commit for real (transactional), since a killed connection takes the test's own
wrapping transaction with it.
"""
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from simple_history.models import HistoricalRecords

from indicators import services
from indicators.models import Measurement, Target
from indicators.services import measurements as measurement_services

pytestmark = pytest.mark.django_db(transaction=True)

MEASUREMENT_FIELDS = ("status", "value", "approved_value", "approved_rating", "approved_at", "reviewed_by_id",
                      "reviewed_at", "review_note", "submitted_by_id", "version", "revision")
TARGET_FIELDS = ("status", "value", "approved_by_id", "approved_at", "review_note", "version")


def kill_connection() -> None:
    """Lose the database connection, now, from inside the running transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        raise AssertionError("the backend was not terminated")  # pragma: no cover
    raise OperationalError("server closed the connection unexpectedly (simulated on SQLite)")


@pytest.fixture
def kill_between_row_and_history(monkeypatch):
    """Arm a kill for the first history row of `model`; record what the row looked like then."""
    seen = {}

    def arm(model, check_field: str):
        original = HistoricalRecords.create_historical_record

        def create_historical_record(self, instance, history_type, using=None):
            if isinstance(instance, model) and "killed" not in seen:
                # The UPDATE of the row itself has happened in this transaction: prove it, then die.
                seen["in_transaction"] = model.objects.filter(pk=instance.pk).values_list(
                    check_field, flat=True).get()
                seen["killed"] = True
                kill_connection()
            return original(self, instance, history_type, using=using)

        monkeypatch.setattr(HistoricalRecords, "create_historical_record", create_historical_record)
        return seen

    return arm


def state(obj, fields):
    row = type(obj).objects.filter(pk=obj.pk).values(*fields).get()
    return row, obj.history.count()


def reconnect():
    """What the next request would do: drop the dead connection, open a new one."""
    connection.close()
    assert connection.cursor() is not None


@pytest.fixture
def submitted(make_indicator, officer):
    indicator = make_indicator(code="FAULT-1")
    return services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="12",
                                       evidence_url="https://example.org/report", so_what="Used to plan the next round.", submit=True)


def test_connection_lost_while_approving_writes_nothing(submitted, manager, kill_between_row_and_history):
    seen = kill_between_row_and_history(Measurement, "status")
    before = state(submitted, MEASUREMENT_FIELDS)

    with pytest.raises(OperationalError):
        services.measurement_approve(measurement=submitted, by=manager, version=submitted.version)

    assert seen == {"in_transaction": "approved", "killed": True}  # it died mid-write
    reconnect()
    assert state(submitted, MEASUREMENT_FIELDS) == before
    row, _ = before
    assert (row["status"], row["approved_value"], row["reviewed_by_id"]) == ("submitted", None, None)


def test_connection_lost_while_approving_a_revision_keeps_the_approved_figures(
        submitted, manager, officer, make_user, kill_between_row_and_history):
    m = services.measurement_approve(measurement=submitted, by=manager, version=submitted.version)
    m = services.measurement_record(indicator=m.indicator, period=m.period, by=officer, value="15",
                                    evidence_url="https://example.org/v2", so_what="Used to plan the next round.", version=m.version, submit=True)
    before = state(m, MEASUREMENT_FIELDS)
    assert before[0]["approved_value"] == Decimal("12") and before[0]["value"] == Decimal("15")
    seen = kill_between_row_and_history(Measurement, "approved_value")

    with pytest.raises(OperationalError):
        services.measurement_approve(measurement=m, by=manager, version=m.version)

    assert seen["in_transaction"] == Decimal("15")
    reconnect()
    assert state(m, MEASUREMENT_FIELDS) == before  # the scorecard still reads 12, revision 2 still submitted


def test_connection_lost_while_returning_writes_nothing(submitted, manager, kill_between_row_and_history):
    seen = kill_between_row_and_history(Measurement, "review_note")
    before = state(submitted, MEASUREMENT_FIELDS)

    with pytest.raises(OperationalError):
        services.measurement_return(measurement=submitted, by=manager, note="Attach the survey",
                                    version=submitted.version)

    assert seen["in_transaction"] == "Attach the survey"
    reconnect()
    assert state(submitted, MEASUREMENT_FIELDS) == before


def test_connection_lost_while_approving_a_target_writes_nothing(make_indicator, officer, manager,
                                                                 kill_between_row_and_history):
    target = services.target_set(indicator=make_indicator(code="FAULT-T"), period="FY2015", by=officer, value="30")
    seen = kill_between_row_and_history(Target, "status")
    before = state(target, TARGET_FIELDS)

    with pytest.raises(OperationalError):
        services.target_approve(target=target, by=manager, version=target.version)

    assert seen["in_transaction"] == "approved"
    reconnect()
    assert state(target, TARGET_FIELDS) == before


def test_connection_lost_while_submitting_leaves_no_draft_behind(make_indicator, officer, monkeypatch):
    """measurement_record saves the draft, then submits it: one transaction, so neither survives."""
    indicator = make_indicator(code="FAULT-S")

    def submit_then_die(**kwargs):
        assert Measurement.objects.filter(indicator=indicator, status="draft").exists()  # written...
        kill_connection()  # ...and then the connection goes

    monkeypatch.setattr(measurement_services, "measurement_submit", submit_then_die)
    with pytest.raises(OperationalError):
        services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="7",
                                    evidence_url="https://example.org/r", so_what="Used to plan the next round.", submit=True)
    reconnect()
    assert not Measurement.objects.filter(indicator=indicator).exists()
    assert not Measurement.history.filter(indicator_id=indicator.pk).exists()


def test_review_page_says_nothing_was_saved_then_works_again(client, submitted, manager,
                                                             kill_between_row_and_history):
    seen = kill_between_row_and_history(Measurement, "status")
    before = state(submitted, MEASUREMENT_FIELDS)
    url = reverse("indicators:measurement_review", args=[submitted.indicator.code, submitted.period.label])
    client.force_login(manager)

    response = client.post(url, {"version": submitted.version, "action_approve": "1"})

    assert seen["killed"]
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database connection was lost" in page and "Nothing was saved." in page
    assert response["Retry-After"] == "10"
    assert "script-src 'self'" in response["Content-Security-Policy"]  # still a page of this site
    reconnect()
    assert state(submitted, MEASUREMENT_FIELDS) == before

    # The database is back: the same click now approves, once.
    response = client.post(url, {"version": submitted.version, "action_approve": "1"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.approved_value, submitted.reviewed_by) == ("approved", 12, manager)
    assert submitted.history.count() == before[1] + 1
