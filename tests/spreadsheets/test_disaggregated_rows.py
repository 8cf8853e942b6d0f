"""Disaggregated rows in a measurements file (issue 14): a row naming a dimension value is a part of
the total that the row without one gives; the parts add up by the rulebook's check, are written
with their total (history, review), and an export of them re-imports as a no-op."""
from decimal import Decimal

import openpyxl
import pytest

from indicators import services
from indicators.dimensions import Dimension, DimensionValue, MeasurementPart
from indicators.models import Measurement
from indicators.services.parts import PartInput
from spreadsheets import importing, resources, templates_xlsx

from .conftest import csv_bytes, split_by_sex

HEADER = ["Indicator code", "Period", "Dimension", "Dimension value", "Value", "Evidence link", "So what?"]
LINK, SO_WHAT = "https://example.org/fy14", "Shared with the country team."


@pytest.fixture
def sex(chain_with_indicators):
    return split_by_sex(chain_with_indicators["number"])


def run(rows, by, **kwargs):
    return importing.spreadsheet_import(data=csv_bytes([HEADER, *rows]), name="parts.csv", by=by, **kwargs)


def stored_parts():
    return sorted(MeasurementPart.objects.values_list("dimension_value__name", "value"))


def test_a_total_with_its_parts_is_imported_and_submitted(sex, administrator):
    outcome = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "60", "", ""],
                   ["fwi-n", "fy2014", "", "Sex: male", "40", "", ""]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts["new"] == 1
    assert "Sex: female 60" in outcome.preview.rows[0].note
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.status, measurement.submitted_by) == (Decimal(100), "submitted",
                                                                                 administrator)
    assert stored_parts() == [("female", Decimal(60)), ("male", Decimal(40))]
    assert MeasurementPart.history.filter(history_type="+").count() == 2
    assert set(MeasurementPart.history.values_list("history_change_reason", flat=True)) == {"Imported from parts.csv"}
    # the same file again changes nothing
    again = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                 ["FWI-N", "FY2014", "Sex", "female", "60", "", ""],
                 ["FWI-N", "FY2014", "", "Sex: male", "40", "", ""]], administrator)
    assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}
    assert MeasurementPart.history.count() == 2


def test_parts_that_do_not_add_up_are_refused_naming_the_row_and_the_difference(sex, administrator):
    outcome = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "70", "", ""],
                   ["FWI-N", "FY2014", "Sex", "male", "40", "", ""]], administrator)
    assert not outcome.written
    [problem] = outcome.preview.problems
    assert problem.row == 3 and problem.column == "Value"
    assert "Sex: the parts add up to 110, 10 more than the total 100." in problem.message
    assert "total on row 2" in problem.message
    assert Measurement.objects.count() == 0 and MeasurementPart.objects.count() == 0
    assert Measurement.history.count() == 0


def test_an_unknown_dimension_value_is_refused_naming_the_row_and_the_value(sex, administrator):
    outcome = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "60", "", ""],
                   ["FWI-N", "FY2014", "Sex", "other", "40", "", ""],
                   ["FWI-P", "FY2014", "", "female", "40", "", ""]], administrator)
    assert not outcome.written and Measurement.objects.count() == 0
    problems = [(p.row, p.column, p.value) for p in outcome.preview.problems]
    assert problems[:2] == [(4, "Dimension value", "other"), (5, "Dimension value", "female")]
    assert "FWI-N is not disaggregated by “Sex: other”; its dimension values are Sex: female, Sex: male." \
        in outcome.preview.problems[0].message
    assert "FWI-P is not disaggregated" in outcome.preview.problems[1].message


def test_parts_without_their_total_and_repeated_parts_are_refused(sex, administrator):
    outcome = run([["FWI-N", "FY2015", "", "female", "60", "", ""],
                   ["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "", "female", "60", "", ""],
                   ["FWI-N", "FY2014", "", "female", "40", "", ""]], administrator)
    assert not outcome.written
    rows = {p.row: p.message for p in outcome.preview.problems}
    assert sorted(rows) == [2, 5]
    assert "Row 4 already gives FWI-N FY2014 Sex: female" in rows[5]
    assert "No row gives the total of FWI-N FY2015" in rows[2]


def test_changed_parts_send_the_approved_total_to_review_as_a_revision(sex, officer, manager, administrator):
    female, male = sex["female"], sex["male"]
    m = services.measurement_save_draft(indicator=female.dimension.indicators.get(), period="FY2014", by=officer,
                                        value="100", evidence_url=LINK, so_what=SO_WHAT,
                                        parts={female.pk: PartInput(Decimal(60)), male.pk: PartInput(Decimal(40))})
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    outcome = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "55", "", ""],
                   ["FWI-N", "FY2014", "Sex", "male", "45", "", ""]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1, [str(p) for p in outcome.preview.problems]
    assert ("Sex: female", "60", "55") in outcome.preview.rows[0].changes
    m.refresh_from_db()
    assert (m.status, m.revision, m.value, m.approved_value) == ("submitted", 2, Decimal(100), Decimal(100))
    assert sorted(m.parts.values_list("dimension_value__name", "value", "approved_value")) == [
        ("female", Decimal(55), Decimal(60)), ("male", Decimal(45), Decimal(40))]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_disaggregated_measurements_reimports_as_a_no_op(sex, administrator, fmt):
    first = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                 ["FWI-N", "FY2014", "Sex", "female", "60", "", ""],
                 ["FWI-N", "FY2014", "Sex", "male", "40", "", ""],
                 ["FWI-N", "FY2015", "", "", "7", LINK, SO_WHAT]], administrator)
    assert first.written
    data = resources.export_csv("measurements") if fmt == "csv" else templates_xlsx.export_xlsx("measurements")
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "FWI-N,FY2014,Sex,female,60" in text and "FWI-N,FY2014,Sex,male,40" in text
    history = (Measurement.history.count(), MeasurementPart.history.count())
    outcome = importing.spreadsheet_import(data=data, name=f"measurements.{fmt}", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}
    assert history == (Measurement.history.count(), MeasurementPart.history.count())
    assert stored_parts() == [("female", Decimal(60)), ("male", Decimal(40))]


def test_the_template_offers_the_dimension_values_in_a_drop_down(sex):
    import io

    book = openpyxl.load_workbook(io.BytesIO(templates_xlsx.template_xlsx("measurements")))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    letter = openpyxl.utils.get_column_letter(headers.index("Dimension value") + 1)
    formulas = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
                for dv in sheet.data_validations.dataValidation}
    assert letter in formulas
    lists = book["Lists"]
    column = formulas[letter].split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    offered = [c.value for c in lists[column][1:] if c.value]
    assert offered == ["Sex: female", "Sex: male"]


TARGET_HEADER = ["Indicator code", "Period", "Dimension", "Dimension value", "Value", "Rationale"]


def run_targets(rows, by):
    return importing.spreadsheet_import(data=csv_bytes([TARGET_HEADER, *rows]), name="targets.csv", by=by)


def test_a_target_with_its_parts_is_imported_preliminary_and_its_export_reimports_as_a_no_op(sex, administrator):
    from indicators.dimensions import TargetPart
    from indicators.models import Target

    outcome = run_targets([["FWI-N", "FY2015", "", "", "200", "Two courses."],
                           ["FWI-N", "FY2015", "Sex", "female", "120", ""],
                           ["FWI-N", "FY2015", "Sex", "male", "80", ""]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    target = Target.objects.get()
    assert (target.value, target.status) == (Decimal(200), "preliminary")
    assert sorted(target.parts.values_list("dimension_value__name", "value")) == [
        ("female", Decimal(120)), ("male", Decimal(80))]
    assert TargetPart.history.filter(history_type="+").count() == 2
    history = (Target.history.count(), TargetPart.history.count())
    for data, name in ((resources.export_csv("targets"), "t.csv"), (templates_xlsx.export_xlsx("targets"), "t.xlsx")):
        again = importing.spreadsheet_import(data=data, name=name, by=administrator)
        assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}
    assert history == (Target.history.count(), TargetPart.history.count())


def test_target_parts_that_do_not_add_up_are_refused(sex, administrator):
    from indicators.models import Target

    outcome = run_targets([["FWI-N", "FY2015", "", "", "200", "Two courses."],
                           ["FWI-N", "FY2015", "Sex", "female", "100", ""],
                           ["FWI-N", "FY2015", "Sex", "male", "80", ""]], administrator)
    assert not outcome.written and Target.objects.count() == 0
    [problem] = outcome.preview.problems
    assert problem.row == 3 and "Sex: the parts add up to 180, 20 less than the total 200." in problem.message


def test_messy_headers_and_spellings_of_a_dimension_value_are_read(sex, administrator):
    header = ["indicator", "fiscal year", "Disaggregation", "amount", "evidence", "So what"]
    outcome = importing.spreadsheet_import(data=csv_bytes([header,
                                                           ["fwi-n", "fy14", "", "1,000", LINK, SO_WHAT],
                                                           ["FWI-N", "FY2014", " SEX: Female ", "600", "", ""],
                                                           ["FWI-N", "FY2014", "male", "400", "", ""]]),
                                           name="messy.csv", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert stored_parts() == [("female", Decimal(600)), ("male", Decimal(400))]


def test_a_percentage_part_row_without_numerator_and_denominator_is_refused(chain_with_indicators, sex,
                                                                           administrator):
    sex["female"].dimension.indicators.add(chain_with_indicators["percent"])
    outcome = run([["FWI-P", "FY2014", "", "", "40", LINK, SO_WHAT],
                   ["FWI-P", "FY2014", "Sex", "female", "40", "", ""]], administrator)
    assert not outcome.written and Measurement.objects.count() == 0
    problems = [(p.row, p.column) for p in outcome.preview.problems]
    assert problems == [(3, "Numerator"), (3, "Denominator")]
    assert "FWI-P is a percentage: each part row gives its Numerator and Denominator" in \
        outcome.preview.problems[0].message
    assert "Enter a numerator." in outcome.preview.problems[0].message


def test_the_file_s_parts_replace_that_dimension_s_stored_parts_and_keep_the_others(sex, officer, administrator):
    female, male = sex["female"], sex["male"]
    country = Dimension.objects.create(name="Country", slug="country")
    uganda = DimensionValue.objects.create(dimension=country, name="Uganda", slug="uganda")
    number = female.dimension.indicators.get()
    country.indicators.add(number)
    services.measurement_save_draft(indicator=number, period="FY2014", by=administrator, value="100",
                                    evidence_url=LINK, so_what=SO_WHAT,
                                    parts={female.pk: PartInput(Decimal(60)), male.pk: PartInput(Decimal(40)),
                                           uganda.pk: PartInput(Decimal(100))})
    outcome = run([["FWI-N", "FY2014", "", "", "100", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "100", "", ""]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert ("Sex: male", "40", "") in outcome.preview.rows[0].changes
    assert sorted((n, v) for n, v in stored_parts() if v is not None) == [
        ("Uganda", Decimal(100)), ("female", Decimal(100))]
    # the kept Country part is checked with a new total too
    refused = run([["FWI-N", "FY2014", "", "", "90", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "90", "", ""]], administrator)
    assert not refused.written
    assert "Country: the parts add up to 100, 10 more than the total 90." in refused.preview.problems[0].message
    assert refused.preview.problems[0].row == 2
