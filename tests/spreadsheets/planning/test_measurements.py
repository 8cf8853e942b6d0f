"""Importing measurements: the typed workflow's rules, audit history, all or nothing, idempotence;
a measurement's period is of its indicator's frequency, row by row."""
from decimal import Decimal

import pytest

from indicators import services
from indicators.models import Measurement, ReportingPeriod
from spreadsheets import importing, permissions

from ..conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment", "So what?"]
SO_WHAT = "Shared with the partner to plan the next round."
STORED_SO_WHAT = "Used to plan the next round."  # as the fixtures record it


def run(rows, by, name="partner.csv", header=HEADER, **kwargs):
    return importing.spreadsheet_import(data=csv_bytes([header, *rows]), name=name, by=by, **kwargs)


def test_new_measurements_arrive_submitted_by_the_importer_with_history(chain_with_indicators, administrator):
    outcome = run([["FWI-N", "FY2014", "1,200", "", "https://example.org/a", "From the partner", SO_WHAT],
                   ["FWI-P", "FY2015", "45%", "", "https://example.org/b", "", SO_WHAT],
                   ["FWI-R", "FY2015-Q3", "", "Needs attention", "https://example.org/c", "", SO_WHAT]],
                  administrator, name="uganda-2015.csv")
    assert outcome.written and outcome.counts == {"new": 3, "changed": 0, "unchanged": 0, "invalid": 0}
    number = Measurement.objects.get(indicator__code="FWI-N")
    assert number.value == Decimal("1200") and number.measure == "number"
    assert number.status == "submitted" and number.submitted_by == administrator
    assert number.created_by == administrator and number.submitted_at is not None
    assert number.comment == "From the partner" and number.evidence_url == "https://example.org/a"
    assert number.so_what == SO_WHAT
    assert Measurement.objects.get(indicator__code="FWI-P").value == Decimal("45")
    rated = Measurement.objects.get(indicator__code="FWI-R")
    assert rated.rating == "needs_attention" and rated.value is None
    assert rated.period.label == "FY2015-Q3"
    # the quarter's parents were created too, as the typed path does
    assert ReportingPeriod.objects.get(label="FY2015-Q3").parent.label == "FY2015-H2"
    record = number.history.get()
    assert record.history_user == administrator
    assert record.history_change_reason == "Imported from uganda-2015.csv"
    assert record.history_type == "+" and record.value == Decimal("1200") and record.status == "submitted"


def test_importing_the_same_file_twice_changes_nothing(chain_with_indicators, administrator):
    rows = [["FWI-N", "FY2014", "12", "", "https://example.org/a", "x", SO_WHAT]]
    run(rows, administrator)
    before = list(Measurement.history.values_list("history_id", flat=True))
    again = run(rows, administrator)
    assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}
    assert list(Measurement.history.values_list("history_id", flat=True)) == before


def test_any_invalid_row_means_nothing_is_written(chain_with_indicators, administrator):
    outcome = run([["FWI-N", "FY2014", "12", "", "https://example.org/a", "", SO_WHAT],
                   ["FWI-P", "FY2014", "145", "", "https://example.org/b", "", SO_WHAT],
                   ["FWI-N", "FY2015", "twelve", "", "https://example.org/c", "", SO_WHAT]], administrator)
    assert not outcome.written
    assert Measurement.objects.count() == 0 and Measurement.history.count() == 0
    assert [(p.row, p.column, p.value) for p in outcome.preview.problems] == [
        (3, "Value", "145"), (4, "Value", "twelve")]
    assert "not a percentage between 0 and 100" in outcome.preview.problems[0].message
    assert "is not a number" in outcome.preview.problems[1].message
    assert outcome.counts["invalid"] == 2


def test_ambiguous_rows_are_refused_with_their_row_column_and_value(chain_with_indicators, administrator):
    outcome = run([["FWI-N", "FY2014", "12", "", "https://example.org/a", "", SO_WHAT],
                   ["FWI-Q", "FY2014", "3", "", "https://example.org/b", "", SO_WHAT],
                   ["fwi-n", "fy14", "13", "", "https://example.org/c", "", SO_WHAT],
                   ["FWI-N", "FY2031", "3", "", "https://example.org/d", "", SO_WHAT],
                   ["FWI-N", "2014", "3", "", "https://example.org/e", "", SO_WHAT],
                   ["FWI-R", "FY2016-Q2", "", "brilliant", "https://example.org/f", "", SO_WHAT],
                   ["FWI-N", "FY2016", "3", "", "", "", SO_WHAT],
                   ["FWI-N", "FY2017", "3", "", "not a link", "", SO_WHAT],
                   ["FWI-N", "FY2018", "3", "On track", "https://example.org/g", "", SO_WHAT]], administrator)
    assert not outcome.written and Measurement.objects.count() == 0
    problems = [(p.row, p.column, p.value) for p in outcome.preview.problems]
    assert problems == [(3, "Indicator code", "FWI-Q"), (4, "Period", "fy14"), (5, "Period", "FY2031"),
                        (6, "Period", "2014"), (7, "Rating", "brilliant"), (8, "Evidence link", ""),
                        (9, "Evidence link", "not a link"), (10, "Rating", "On track")]
    messages = [p.message for p in outcome.preview.problems]
    assert "No indicator has the code FWI-Q" in messages[0]
    assert "Row 2 already gives FWI-N FY2014" in messages[1]
    assert "outside Framework FWI, which covers FY2013 to FY2020" in messages[2]
    assert "is not a reporting period" in messages[3]
    assert "is not a rating" in messages[4]
    assert "evidence" in messages[5]
    assert "Only qualitative indicators take a rating" in messages[7]
    assert str(outcome.preview.problems[0]).startswith("Row 3, column “Indicator code”, value “FWI-Q”: ")


def test_a_changed_draft_is_submitted_when_taken_over(chain_with_indicators, officer, administrator):
    draft = services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2014", by=officer,
                                            value="10")
    outcome = run([["FWI-N", "FY2014", "11", "", "https://example.org/a", "", SO_WHAT]], administrator,
                  take_over_work_in_progress=True)
    assert outcome.written and outcome.counts["changed"] == 1
    assert outcome.preview.rows[0].changes == [("Value", "10", "11"), ("Evidence link", "—", "https://example.org/a"),
                                               ("So what?", "—", SO_WHAT)]
    draft.refresh_from_db()
    assert (draft.value, draft.status, draft.submitted_by, draft.version) == (Decimal("11"), "submitted",
                                                                              administrator, 2)
    assert draft.history.first().history_change_reason == "Imported from partner.csv"
    assert draft.history.first().history_type == "~"


def test_a_changed_approved_measurement_starts_a_revision_like_the_typed_path(approved_measurement, administrator):
    m = approved_measurement
    outcome = run([["FWI-N", "FY2014", "13", "", "https://example.org/fy14", "", STORED_SO_WHAT]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1
    assert "starts revision 2" in outcome.preview.rows[0].note
    m.refresh_from_db()
    assert (m.status, m.revision, m.value) == ("submitted", 2, Decimal("13"))
    # the approved figure keeps serving the scorecard until the revision is approved
    assert (m.approved_value, m.approved_at is not None) == (Decimal("12"), True)
    assert m.reviewed_by is None and m.submitted_by == administrator
    latest = m.history.first()
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Imported from partner.csv (revision 2)"


def test_an_approved_measurement_imported_unchanged_stays_approved(approved_measurement, administrator):
    outcome = run([["FWI-N", "FY2014", "12", "", "https://example.org/fy14", ""]], administrator,
                  header=["Indicator code", "Period", "Value", "Rating", "Evidence link", "Extra"])
    assert outcome.counts["unchanged"] == 1
    approved_measurement.refresh_from_db()
    assert approved_measurement.status == "approved" and approved_measurement.revision == 1


def test_a_measurement_awaiting_review_is_not_changed(approved_measurement, chain_with_indicators, officer,
                                                      administrator):
    m = services.measurement_save_draft(indicator=chain_with_indicators["percent"], period="FY2014", by=officer,
                                        value="40", evidence_url="https://example.org/p", so_what="Used to plan the next round.")
    services.measurement_submit(measurement=m, by=officer, version=m.version)
    outcome = run([["FWI-P", "FY2014", "41", "", "https://example.org/p", "", STORED_SO_WHAT]], administrator)
    assert not outcome.written
    (problem,) = outcome.preview.problems
    assert (problem.row, problem.column, problem.value) == (2, "Value", "41")
    assert "awaiting review" in problem.message


def test_absent_columns_keep_what_is_stored(approved_measurement, administrator):
    services_comment = Measurement.objects.get(pk=approved_measurement.pk)
    services_comment.comment = "Kept"
    services_comment.save()
    outcome = run([["FWI-N", "FY2014", "12", "https://example.org/fy14"]], administrator,
                  header=["Indicator code", "Period", "Value", "Evidence link"])
    assert outcome.counts["unchanged"] == 1
    assert "Comment" in " ".join(outcome.preview.notes)
    assert Measurement.objects.get(pk=approved_measurement.pk).comment == "Kept"


def test_stale_preview_is_not_written(chain_with_indicators, officer, administrator):
    rows = [["FWI-N", "FY2014", "12", "", "https://example.org/a", "", SO_WHAT]]
    preview = importing.spreadsheet_preview(data=csv_bytes([HEADER, *rows]), name="p.csv", by=administrator)
    assert preview.counts["new"] == 1
    services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2014", by=officer,
                                    value="9")  # someone types one meanwhile
    outcome = run(rows, administrator, expected=preview.counts)
    assert outcome.stale and not outcome.written
    assert outcome.counts["changed"] == 1
    assert Measurement.objects.get().value == Decimal("9")


def test_only_administrators_may_import(chain_with_indicators, manager):
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        run([["FWI-N", "FY2014", "12", "", "https://example.org/a", "", SO_WHAT]], manager)
    assert Measurement.objects.count() == 0


def test_the_query_count_does_not_grow_with_the_rows(make_chain, make_indicator, administrator,
                                                     django_assert_num_queries):
    chain = make_chain(code="QC")
    indicators = [make_indicator(chain["outputs"][0], code=f"QC-{n}") for n in range(10)]
    services.period_get_or_create(label="FY2014")
    services.period_get_or_create(label="FY2015")
    services.period_get_or_create(label="FY2016")

    def file(count):
        rows = [[indicators[n % 10].code, f"FY{2014 + n // 10}", str(n), "", f"https://example.org/{n}", "",
                 SO_WHAT] for n in range(count)]
        return csv_bytes([HEADER, *rows])

    # Two sizes inside one INSERT batch (SQLite: 999 variables, 24 columns = 41 rows a statement):
    # reads of the indicators, their baselines (the rulebook's "after the baseline" check), the periods
    # and the stored rows, which of them are computed (issue 18: their figures are never imported), one
    # INSERT, one history copy, and the transaction's savepoints: 11 statements for 3 rows and for 30.
    assert permissions.can_import(administrator)  # the permission cache is filled once per user
    for size in (3, 30):
        with django_assert_num_queries(11):
            outcome = importing.spreadsheet_import(data=file(size), name="q.csv", by=administrator)
        assert outcome.counts["new"] == size
        Measurement.objects.all().delete()
        Measurement.history.all().delete()


def test_a_measurement_period_of_the_wrong_kind_is_refused_by_row(chain_with_indicators, administrator):
    outcome = run([["FWI-R", "FY2015", "", "On track", "https://example.org/a", "", SO_WHAT],
                   ["FWI-R", "FY2015-Q1", "", "On track", "https://example.org/b", "", SO_WHAT],
                   ["FWI-N", "FY2015-Q1", "10", "", "https://example.org/c", "", SO_WHAT]], administrator)
    assert not outcome.written and not Measurement.objects.exists()
    problems = [(p.row, p.column, p.value, p.message) for p in outcome.preview.problems]
    assert problems == [
        (2, "Period", "FY2015", "FY2015 is a fiscal year; FWI-R is measured quarterly: record FY2015-Q1 to "
                                "FY2015-Q4."),
        (4, "Period", "FY2015-Q1", "FY2015-Q1 is a quarter; FWI-N is measured annually: record FY2015."),
    ]


def test_a_new_measurement_without_a_so_what_note_is_refused(chain_with_indicators, administrator):
    before = Measurement.objects.count()
    outcome = run([["FWI-N", "FY2014", "12", "", "https://example.org/a", "", SO_WHAT],
                   ["FWI-P", "FY2014", "40", "", "https://example.org/b", "From the partner", ""]], administrator)
    assert not outcome.written
    assert Measurement.objects.count() == before and Measurement.history.count() == 0
    (problem,) = outcome.preview.problems
    assert (problem.row, problem.column, problem.value) == (3, "So what?", "")
    assert "Say what happened as a result and how the knowledge was used" in problem.message
    assert problem.message.startswith("FWI-P FY2014: ")
    assert outcome.counts["invalid"] == 1


def test_a_file_without_the_so_what_column_is_refused_naming_it(chain_with_indicators, administrator):
    before = Measurement.objects.count()
    outcome = run([["FWI-N", "FY2014", "12", "", "https://example.org/a", ""],
                   ["FWI-P", "FY2014", "40", "", "https://example.org/b", ""]], administrator,
                  header=["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment"])
    assert not outcome.written
    assert Measurement.objects.count() == before and Measurement.history.count() == 0
    assert outcome.preview.write is None and outcome.counts["invalid"] == 2
    assert "So what?" in outcome.preview.absent_columns  # the preview says the column is not in the file
    # every new row is refused on the missing column, with the rulebook's message
    assert [(p.row, p.column) for p in outcome.preview.problems] == [(2, "So what?"), (3, "So what?")]
    assert all("Say what happened as a result and how the knowledge was used" in p.message
               for p in outcome.preview.problems)
    assert str(outcome.preview.problems[0]).startswith("Row 2, column “So what?”: FWI-N FY2014: Say what happened")
