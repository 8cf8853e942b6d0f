"""A baseline's disaggregated rows (issue 14): after the baseline's row, one row per dimension value,
set as the baseline form sets them (services.baseline_parts_set, rules.check_baseline_parts_open):
with a collected value, while no measurement of the indicator is approved; refused afterwards with
a clear message. An export re-imports as a no-op."""
from decimal import Decimal

import pytest

from indicators import services
from indicators.dimensions import BaselinePart
from indicators.models import Baseline
from indicators.services.parts import PartInput
from spreadsheets import importing, resources, templates_xlsx

from .conftest import csv_bytes, split_by_sex

HEADER = ["Indicator code", "Dimension", "Dimension value", "Value", "Numerator", "Denominator", "Period", "Status"]


@pytest.fixture
def sex(chain_with_indicators):
    return split_by_sex(chain_with_indicators["number"], chain_with_indicators["percent"])


def run(rows, by, name="baselines.csv"):
    return importing.spreadsheet_import(data=csv_bytes([HEADER, *rows]), name=name, by=by, kind="baselines")


def parts():
    return sorted(BaselinePart.objects.values_list("baseline__indicator__code", "dimension_value__name", "value",
                                                   "numerator", "denominator"))


ROWS = [["FWI-N", "", "", "10", "", "", "FY2013", "validated"],
        ["FWI-N", "Sex", "female", "6", "", "", "", ""],
        ["FWI-N", "Sex", "male", "4", "", "", "", ""],
        ["FWI-P", "", "", "", "", "", "FY2013", "collected"],
        ["FWI-P", "", "Sex: female", "", "3", "10", "", ""],
        ["FWI-P", "", "Sex: male", "", "1", "10", "", ""]]


def test_a_baseline_with_its_parts_is_imported_and_the_same_file_again_changes_nothing(sex, administrator):
    outcome = run(ROWS, administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts["new"] == 2
    assert "With its parts: Sex: female 6, Sex: male 4." in outcome.preview.rows[0].note
    assert parts() == [("FWI-N", "female", Decimal(6), None, None), ("FWI-N", "male", Decimal(4), None, None),
                       ("FWI-P", "female", Decimal(30), Decimal(3), Decimal(10)),
                       ("FWI-P", "male", Decimal(10), Decimal(1), Decimal(10))]
    # the percentage's baseline is recomputed from its parts: 4 of 20
    assert Baseline.objects.get(indicator__code="FWI-P").value == Decimal(20)
    assert BaselinePart.history.filter(history_type="+").count() == 4
    again = run(ROWS, administrator)
    assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}
    assert BaselinePart.history.count() == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_baseline_parts_reimports_as_a_no_op(sex, administrator, fmt):
    assert run(ROWS, administrator).written
    data = resources.export_csv("baselines") if fmt == "csv" else templates_xlsx.export_xlsx("baselines")
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[2].startswith("FWI-N,Sex,female,6,,,")
        assert lines[5].startswith("FWI-P,Sex,female,30,3,10,")
    history = (Baseline.history.count(), BaselinePart.history.count())
    outcome = importing.spreadsheet_import(data=data, name=f"b.{fmt}", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}
    assert history == (Baseline.history.count(), BaselinePart.history.count())


def test_changed_parts_are_written_with_history_and_a_new_version(sex, administrator):
    assert run(ROWS[:3], administrator).written
    baseline = Baseline.objects.get()
    outcome = run([ROWS[0], ["FWI-N", "Sex", "female", "7", "", "", "", ""],
                   ["FWI-N", "Sex", "male", "3", "", "", "", ""]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1, [str(p) for p in outcome.preview.problems]
    assert ("Sex: female", "6", "7") in outcome.preview.rows[0].changes
    assert parts()[:2] == [("FWI-N", "female", Decimal(7), None, None), ("FWI-N", "male", Decimal(3), None, None)]
    assert Baseline.objects.get().version == baseline.version + 1
    assert BaselinePart.history.filter(history_type="~").count() == 2


def test_parts_are_refused_once_a_measurement_is_approved_but_an_unchanged_export_still_reimports(
        sex, administrator, officer, manager):
    number = sex["female"].dimension.indicators.get(code="FWI-N")
    services.baseline_record(indicator=number, by=administrator, value="10", period="FY2013", status="validated")
    services.baseline_parts_set(indicator=number, by=administrator,
                                parts={sex["female"].pk: PartInput(Decimal(6)), sex["male"].pk: PartInput(Decimal(4))})
    m = services.measurement_save_draft(indicator=number, period="FY2014", by=officer, value="12",
                                        evidence_url="https://example.org/fy14", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    outcome = run([ROWS[0], ["FWI-N", "Sex", "female", "5", "", "", "", ""],
                   ["FWI-N", "Sex", "male", "5", "", "", "", ""]], administrator)
    assert not outcome.written
    [problem] = outcome.preview.problems
    assert (problem.row, problem.column) == (3, "Dimension value")
    assert "A measurement of FWI-N is approved" in problem.message and "proposed on the baseline's page" in problem.message
    assert parts()[:1] == [("FWI-N", "female", Decimal(6), None, None)]
    again = importing.spreadsheet_import(data=resources.export_csv("baselines"), name="b.csv", by=administrator)
    assert again.written and again.counts["unchanged"] == 1, [str(p) for p in again.preview.problems]


def test_parts_of_a_planned_baseline_or_that_do_not_add_up_are_refused(sex, administrator):
    outcome = run([["FWI-P", "", "", "", "", "", "FY2013", "planned"], *ROWS[4:],
                   ["FWI-N", "", "", "10", "", "", "FY2013", "validated"],
                   ["FWI-N", "Sex", "female", "6", "", "", "", ""],
                   ["FWI-N", "Sex", "male", "5", "", "", "", ""],
                   ["FWI-C", "Sex", "female", "6", "", "", "", ""]], administrator)
    assert not outcome.written and Baseline.objects.count() == 0 and BaselinePart.objects.count() == 0
    messages = {p.row: p.message for p in outcome.preview.problems}
    assert "Record the collected value of the baseline of FWI-P before its parts." in messages[3]
    assert "Sex: the parts add up to 11, 1 more than the total 10." in messages[6]
    assert sorted(messages) == [3, 6, 8]


def test_parts_without_their_baseline_row_are_refused(sex, administrator):
    outcome = run([["FWI-N", "Sex", "female", "6", "", "", "", ""]], administrator)
    assert not outcome.written
    [problem] = outcome.preview.problems
    assert problem.row == 2 and "No row gives the total of the baseline of FWI-N" in problem.message


def test_the_service_and_the_import_agree_on_stored_parts(sex, administrator):
    number = sex["female"].dimension.indicators.get(code="FWI-N")
    services.baseline_record(indicator=number, by=administrator, value="10", period="FY2013", status="validated")
    services.baseline_parts_set(indicator=number, by=administrator,
                                parts={sex["female"].pk: PartInput(Decimal(6)), sex["male"].pk: PartInput(Decimal(4))})
    outcome = run(ROWS[:3], administrator)
    assert outcome.written and outcome.counts["unchanged"] == 1, [str(p) for p in outcome.preview.problems]
