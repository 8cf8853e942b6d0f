"""Imports respect work in progress (issue 12 item 5): a row that would change someone else's draft
or a measurement returned to an officer is flagged in the preview with whose it is and where it
stands, and is written only by an explicit choice (the preview's "Take over" box, the command's
--take-over-work-in-progress); without it nothing is written and the page says why. New rows show
their values in the preview."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import selectors, services
from indicators.models import Measurement
from spreadsheets import importing

from .conftest import csv_bytes
from .test_faults import changed_tables, tables

HEADER = ["Indicator code", "Period", "Value", "Evidence link", "Comment", "So what?"]
STORED_SO_WHAT = "Used to plan."  # as the fixtures record it
SO_WHAT = "Shared with the partner"
RETURNED_ROW = ["FWI-N", "FY2015", "15", "https://example.org/fy15", "Survey attached", STORED_SO_WHAT]
RETURNED = "Returned for revision to officer1 by manager1: “Attach the survey”"


@pytest.fixture
def returned(chain_with_indicators, officer, manager):
    """The officer's FY2015 figure, returned by the manager: on the officer's worklist."""
    m = services.measurement_record(indicator=chain_with_indicators["number"], period="FY2015", by=officer,
                                    value="14", evidence_url="https://example.org/fy15", so_what=STORED_SO_WHAT,
                                    submit=True)
    return services.measurement_return(measurement=m, by=manager, note="Attach the survey", version=m.version)


def returned_on_worklist(officer) -> list:
    return [item.record.pk for item in selectors.worklist(user=officer)["returned"]]


def test_a_row_changing_a_returned_measurement_is_flagged_and_not_written_without_the_choice(
        returned, officer, administrator):
    data = csv_bytes([HEADER, RETURNED_ROW, ["FWI-P", "FY2015", "40", "https://example.org/p", "", SO_WHAT]])
    preview = importing.spreadsheet_preview(data=data, name="partner.csv", by=administrator)
    assert preview.ok
    assert [(r.row, r.key, r.work_in_progress) for r in preview.work_in_progress] == [(2, "FWI-N FY2015", RETURNED)]
    assert "Importing takes it over" in preview.work_in_progress[0].note
    before = tables()

    outcome = importing.spreadsheet_import(data=data, name="partner.csv", by=administrator)

    assert not outcome.written and outcome.work_in_progress_kept
    assert changed_tables(before, tables()) == []  # the new FWI-P row is not written either: all or nothing
    assert returned_on_worklist(officer) == [returned.pk]

    outcome = importing.spreadsheet_import(data=data, name="partner.csv", by=administrator,
                                           take_over_work_in_progress=True)
    assert outcome.written and outcome.counts["changed"] == 1 and outcome.counts["new"] == 1
    returned.refresh_from_db()
    assert (returned.status, returned.value, returned.submitted_by) == ("submitted", 15, administrator)
    assert returned_on_worklist(officer) == []


def test_a_draft_of_someone_else_is_flagged_ones_own_is_not(chain_with_indicators, officer, administrator):
    number, percent = chain_with_indicators["number"], chain_with_indicators["percent"]
    services.measurement_save_draft(indicator=number, period="FY2014", by=officer, value="10")
    services.measurement_save_draft(indicator=percent, period="FY2014", by=administrator, value="10")
    data = csv_bytes([HEADER, ["FWI-N", "FY2014", "11", "https://example.org/a", "", SO_WHAT],
                      ["FWI-P", "FY2014", "12", "https://example.org/b", "", SO_WHAT]])
    preview = importing.spreadsheet_preview(data=data, name="d.csv", by=administrator)
    assert [(r.key, r.work_in_progress) for r in preview.work_in_progress] == [("FWI-N FY2014", "Draft of officer1")]


def test_rows_that_leave_work_in_progress_as_it_is_are_not_flagged(returned, administrator):
    data = csv_bytes([HEADER, ["FWI-N", "FY2015", "14", "https://example.org/fy15", "", STORED_SO_WHAT]])
    preview = importing.spreadsheet_preview(data=data, name="same.csv", by=administrator)
    assert preview.counts["unchanged"] == 1 and preview.work_in_progress == []


def test_flagging_costs_the_same_queries_for_one_row_or_twenty(make_chain, make_indicator, officer, manager,
                                                               administrator):
    out = make_chain(code="WIP")["outputs"][0]

    def queries(count, run=""):
        rows = [HEADER]
        for n in range(count):
            indicator = make_indicator(out, code=f"WIP-{run}{count}-{n}")
            m = services.measurement_record(indicator=indicator, period="FY2015", by=officer, value="1",
                                            evidence_url="https://example.org/e", so_what=STORED_SO_WHAT, submit=True)
            services.measurement_return(measurement=m, by=manager, note="Again", version=m.version)
            rows.append([indicator.code, "FY2015", "2", "https://example.org/e", "", STORED_SO_WHAT])
        with CaptureQueriesContext(connection) as captured:
            preview = importing.spreadsheet_preview(data=csv_bytes(rows), name="q.csv", by=administrator)
        assert len(preview.work_in_progress) == count
        return len(captured)

    # The first preview also reads the person's programmes (programme roles), kept under the
    # permissions' stamp afterwards: warm that up, then compare.
    queries(1, run="W")
    assert queries(1) == queries(20)


def test_the_preview_page_flags_it_and_the_confirm_needs_the_box(client, returned, officer, administrator):
    client.force_login(administrator)
    data = csv_bytes([HEADER, RETURNED_ROW])
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("partner.csv", data)})
    page = response.content.decode()
    assert "Someone else's work in progress" in page and RETURNED in page
    assert 'name="take_over_work_in_progress"' in page
    token = response.context["token"]

    refused = client.post(reverse("imports:confirm"), {"token": token})
    assert refused.status_code == 200
    assert "Nothing was imported:" in refused.content.decode()
    assert returned_on_worklist(officer) == [returned.pk]
    assert Measurement.objects.get(pk=returned.pk).status == "returned"

    done = client.post(reverse("imports:confirm"), {"token": token, "take_over_work_in_progress": "yes"}, follow=True)
    assert "Imported measurements from partner.csv: 0 new, 1 changed" in done.content.decode()
    assert returned_on_worklist(officer) == []


def test_the_command_needs_the_option(returned, officer, administrator, tmp_path, capsys):
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_bytes([HEADER, RETURNED_ROW]))
    with pytest.raises(CommandError, match="--take-over-work-in-progress"):
        call_command("import_indicators", str(path), "--user", administrator.username)
    assert f"Work in progress: row 2 FWI-N FY2015: {RETURNED}." in capsys.readouterr().out
    assert returned_on_worklist(officer) == [returned.pk]
    call_command("import_indicators", str(path), "--user", administrator.username, "--take-over-work-in-progress")
    assert "Imported: 0 new, 1 changed, 0 unchanged." in capsys.readouterr().out
    assert returned_on_worklist(officer) == []


def test_new_rows_show_their_values(client, administrator, chain_with_indicators):
    client.force_login(administrator)
    data = csv_bytes([HEADER, ["fwi-n", "FY2014", "1,200", "https://example.org/a", "From the partner", SO_WHAT],
                      ["FWI-R", "FY2014-Q2", "On track", "https://example.org/r", "", SO_WHAT]])
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("new.csv", data)})
    preview = response.context["preview"]
    assert [[tuple(v) for v in r.values] for r in preview.sample("new")] == [
        [("Value", "1200"), ("Evidence link", "https://example.org/a"), ("Comment", "From the partner"),
         ("So what?", SO_WHAT)],
        [("Rating", "On track"), ("Evidence link", "https://example.org/r"), ("So what?", SO_WHAT)],
    ]
    assert "<div>Value: 1200</div>" in response.content.decode()


def test_new_rows_of_every_kind_show_their_values(chain_with_indicators, officer, administrator):
    rows = {
        "results": [["Framework", "Code", "Parent code", "Level", "Statement"],
                    ["FWI", "FWI-ACT-9", "FWI-OUT-1", "Activity", "Train planners"]],
        "indicators": [["Result code", "Indicator code", "Name", "Unit", "Responsible"],
                       ["FWI-OUT-1", "FWI-NEW", "Plans adopted", "plans", "officer1"]],
        "baselines": [["Indicator code", "Value", "Period", "Source"], ["FWI-N", "3", "FY2013", "Survey"]],
        "targets": [["Indicator code", "Period", "Value", "Rationale"], ["FWI-N", "FY2016", "9", "Pipeline"]],
    }
    expected = {
        "results": [("Framework", "FWI"), ("Parent code", "FWI-OUT-1"), ("Level", "Activity"),
                    ("Statement", "Train planners")],
        "indicators": {("Result code", "FWI-OUT-1"), ("Name", "Plans adopted"), ("Unit", "plans"),
                       ("Responsible", "officer1"), ("Kind", "quantitative"), ("Measure", "number")},
        "baselines": [("Value", "3"), ("Period", "FY2013"), ("Source", "Survey"), ("Status", "collected")],
        "targets": [("Value", "9"), ("Rationale", "Pipeline")],
    }
    for kind, table in rows.items():
        preview = importing.spreadsheet_preview(data=csv_bytes(table), name=f"{kind}.csv", by=administrator,
                                                kind=kind)
        assert preview.ok, (kind, [str(p) for p in preview.problems])
        shown = [tuple(v) for v in preview.sample("new")[0].values]
        if isinstance(expected[kind], set):
            assert expected[kind] <= set(shown), (kind, shown)
        else:
            assert shown == expected[kind], (kind, shown)
