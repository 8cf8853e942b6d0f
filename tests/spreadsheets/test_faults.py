"""Faults: the database connection dies in the middle of an import's write, and nothing is half-written.

An import writes in batches inside one transaction (spreadsheets.importing.spreadsheet_import). These
tests let the importer write its first batch, then kill the connection before the next statement:
the second INSERT batch of the rows, the first INSERT of their audit history (rows written, history
not), or the first UPDATE (new rows and their history written, changed rows not). On PostgreSQL the
backend really is terminated (`pg_terminate_backend(pg_backend_pid())` on the same connection);
SQLite has no server to kill, so there the same point raises the OperationalError a lost connection
raises (as tests/test_faults.py does). Then the test reconnects and compares every domain table, its
history and the reporting periods with what they held before.

The batches are made small (bulk.BATCH_SIZE) so a file of a few dozen rows takes several
statements; the statements are the importer's own, seen through Django's execute_wrapper hook.

These tests commit for real (transactional), since a killed connection takes the test's own
wrapping transaction with it.
"""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse

from indicators import services
from indicators.models import (
    Baseline,
    Indicator,
    Measurement,
    PerformanceStandard,
    ReportingPeriod,
    Target,
)
from results.models import Alignment, BusinessLine, Result, ResultsFramework
from scorecard.models import Edition
from spreadsheets import bulk, importing
from tests.test_faults import kill_connection, reconnect

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = 10  # rows per statement in these tests: 35 new rows take four INSERTs
YEARS = range(2013, 2021)  # the test framework's fiscal years

DOMAIN_MODELS = [ResultsFramework, BusinessLine, Result, Alignment, ReportingPeriod, Indicator, Baseline,
                 Target, Measurement, PerformanceStandard, Edition]


def tables() -> dict:
    """Every row of every domain table and of every audit-history table, in primary-key order."""
    state = {}
    for model in DOMAIN_MODELS:
        state[model.__name__] = list(model.objects.order_by("pk").values_list())
        history = getattr(model, "history", None)
        if history is not None:
            state[f"{model.__name__} history"] = list(history.model.objects.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


class KillAt:
    """Kill the connection just before the importer's `nth` statement that starts with `prefix`
    (e.g. 'INSERT INTO "indicators_measurement"'), after counting what the open transaction holds."""

    def __init__(self, prefix: str, nth: int, model):
        self.prefix, self.nth, self.model = prefix.upper(), nth, model
        self.seen = 0
        self.in_transaction = None
        self.killed = False
        self._busy = False

    def __call__(self, execute, sql, params, many, context):
        if not self._busy and not self.killed and re.sub(r"\s+", " ", sql.lstrip()).upper().startswith(self.prefix):
            self.seen += 1
            if self.seen == self.nth:
                self._busy = True
                try:
                    # What the import has written so far, seen from inside its own transaction.
                    self.in_transaction = self.model.objects.count()
                finally:
                    self._busy = False
                self.killed = True
                kill_connection()
        return execute(sql, params, many, context)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_SIZE", BATCH)


@pytest.fixture
def world(chain_with_indicators, officer, manager):
    """Five more counted indicators (so a file can hold dozens of rows of one kind), an approved and
    a returned measurement, and a preliminary target. Only FY2014 and FY2015 exist as periods, so
    an import of later years creates periods too (and must not leave them behind)."""
    out = chain_with_indicators["outputs"][1]
    extra = [services.indicator_create(by=officer, result=out, code=f"FWI-X{n}", name=f"Extra {n}",
                                       unit="cities") for n in range(5)]
    number = chain_with_indicators["number"]
    m = services.measurement_record(indicator=number, period="FY2014", by=officer, value="12",
                                    evidence_url="https://example.org/fy14", so_what="Used to plan the next round.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    m = services.measurement_record(indicator=number, period="FY2015", by=officer, value="14",
                                    evidence_url="https://example.org/fy15", so_what="Used to plan the next round.", submit=True)
    services.measurement_return(measurement=m, by=manager, note="Attach the survey", version=m.version)
    services.target_set(indicator=number, period="FY2015", by=officer, value="30", rationale="Pipeline")
    assert set(ReportingPeriod.objects.values_list("label", flat=True)) == {"FY2014", "FY2015"}
    return {**chain_with_indicators, "extra": extra}


# ---- the files: new rows in several batches, and one changed row


def measurements_file(world) -> tuple[bytes, dict]:
    rows = [["Indicator code", "Period", "Value", "Evidence link", "Comment", "So what?"]]
    kept = "Used to plan the next round."  # the stored note (world)
    rows.append(["FWI-N", "FY2014", "13", "https://example.org/fy14", "Revised count", kept])  # approved: a revision
    rows.append(["FWI-N", "FY2015", "15", "https://example.org/fy15", "Survey attached", kept])  # returned: changed
    for indicator in world["extra"]:
        for year in YEARS[1:]:
            rows.append([indicator.code, f"FY{year}", str(year - 2000), f"https://example.org/{year}", "",
                         "Shared with the city councils"])
    return csv_bytes(rows), {"new": 35, "changed": 2, "unchanged": 0}


def targets_file(world) -> tuple[bytes, dict]:
    rows = [["Indicator code", "Period", "Value", "Rationale"]]
    rows.append(["FWI-N", "FY2015", "32", "Two more cities signed"])  # preliminary: changed
    for indicator in world["extra"]:
        for year in YEARS[1:]:
            rows.append([indicator.code, f"FY{year}", str(year - 2000), "Pipeline"])
    return csv_bytes(rows), {"new": 35, "changed": 1, "unchanged": 0}


def indicators_file(world) -> tuple[bytes, dict]:
    rows = [["Result code", "Indicator code", "Name", "Unit", "Aggregation"]]
    rows.append(["FWI-OUT-1", "FWI-N", "Cities supported, renamed", "cities", "sum"])  # changed
    for n in range(35):
        rows.append(["FWI-OUT-2", f"FWI-NEW-{n}", f"New indicator {n}", "people", "latest"])
    return csv_bytes(rows), {"new": 35, "changed": 1, "unchanged": 0}


FILES = {"measurements": measurements_file, "targets": targets_file, "indicators": indicators_file}
MODELS = {"measurements": Measurement, "targets": Target, "indicators": Indicator}

# Where the connection dies: (statement prefix, which one of them, what must already be written).
KILL_POINTS = {
    "second batch of rows": ('INSERT INTO "{table}"', 2, "first batch"),
    "before the history": ('INSERT INTO "{history}"', 1, "all new rows"),
    "before the updates": ('UPDATE "{table}"', 1, "all new rows"),
}


def killer(kind: str, point: str) -> KillAt:
    model = MODELS[kind]
    prefix, nth, _ = KILL_POINTS[point]
    return KillAt(prefix.format(table=model._meta.db_table, history=model.history.model._meta.db_table), nth, model)


def written_before_kill(kind: str, point: str, before: int) -> int:
    """How many rows of the kind the transaction holds when the connection dies."""
    return before + (BATCH if KILL_POINTS[point][2] == "first batch" else 35)


# ---- the importer itself


@pytest.mark.parametrize("point", list(KILL_POINTS))
@pytest.mark.parametrize("kind", list(FILES))
def test_connection_lost_while_importing_writes_nothing(world, administrator, small_batches, kind, point):
    data, counts = FILES[kind](world)
    model = MODELS[kind]
    preview = importing.spreadsheet_preview(data=data, name=f"{kind}.csv", by=administrator)
    assert preview.ok, [str(p) for p in preview.problems]
    assert {k: v for k, v in preview.counts.items() if k != "invalid"} == counts
    before = tables()
    kill = killer(kind, point)

    with connection.execute_wrapper(kill), pytest.raises(OperationalError):
        importing.spreadsheet_import(data=data, name=f"{kind}.csv", by=administrator, expected=counts,
                                     take_over_work_in_progress=True)

    assert kill.killed
    assert kill.in_transaction == written_before_kill(kind, point, len(before[model.__name__]))  # it died mid-write
    reconnect()
    after = tables()
    assert changed_tables(before, after) == []

    # The database is back: the same file imports whole, once.
    outcome = importing.spreadsheet_import(data=data, name=f"{kind}.csv", by=administrator, expected=counts,
                                           take_over_work_in_progress=True)
    assert outcome.written
    assert model.objects.count() == len(before[model.__name__]) + counts["new"]
    assert model.history.count() == len(before[f"{model.__name__} history"]) + counts["new"] + counts["changed"]


# ---- the browser: upload, preview, confirm


def test_confirm_page_says_nothing_was_saved_then_the_same_upload_imports(client, world, administrator,
                                                                          small_batches, settings):
    client.force_login(administrator)
    data, counts = measurements_file(world)
    response = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("partner.csv", data, content_type="text/csv"), "kind": ""})
    assert response.status_code == 200 and "35 new" in response.content.decode()
    token = response.context["token"]
    before = tables()
    kill = killer("measurements", "second batch of rows")

    with connection.execute_wrapper(kill):
        response = client.post(reverse("imports:confirm"), {"token": token, "take_over_work_in_progress": "yes"})

    assert kill.killed and kill.in_transaction == len(before["Measurement"]) + BATCH
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database connection was lost" in page and "Nothing was saved." in page
    reconnect()
    assert changed_tables(before, tables()) == []
    assert (settings.MEDIA_ROOT / "imports" / f"{token}.csv").is_file()  # the upload is kept for a retry

    # The same confirm button, once the database is back: imported, once.
    response = client.post(reverse("imports:confirm"), {"token": token, "take_over_work_in_progress": "yes"},
                           follow=True)
    assert response.status_code == 200
    assert "Imported measurements from partner.csv: 35 new, 2 changed, 0 unchanged." in response.content.decode()
    assert Measurement.objects.count() == len(before["Measurement"]) + 35
    assert Measurement.history.count() == len(before["Measurement history"]) + 37
    assert not (settings.MEDIA_ROOT / "imports" / f"{token}.csv").exists()


# ---- the command


def test_command_says_the_connection_was_lost_and_nothing_was_imported(world, administrator, small_batches,
                                                                       tmp_path, capsys):
    data, counts = targets_file(world)
    path = tmp_path / "targets.csv"
    path.write_bytes(data)
    before = tables()
    kill = killer("targets", "second batch of rows")

    with connection.execute_wrapper(kill), pytest.raises(CommandError) as refused:
        call_command("import_indicators", str(path), "--user", administrator.username)

    assert kill.killed
    message = str(refused.value)
    assert "database connection was lost" in message and "nothing was imported" in message
    reconnect()
    assert changed_tables(before, tables()) == []

    call_command("import_indicators", str(path), "--user", administrator.username)
    assert "Imported: 35 new, 1 changed, 0 unchanged." in capsys.readouterr().out
    assert Target.objects.count() == len(before["Target"]) + 35
