"""Percentages' disaggregated rows (issue 14): a part gives its Numerator and Denominator; its share
and the total are recomputed from them (never averaged), by the rulebook's check; messy cells are
refused naming the row and the column, nothing is written when a row is wrong, and an export
re-imports as a no-op."""
from decimal import Decimal

import pytest

from indicators.dimensions import Dimension, DimensionValue, MeasurementPart, TargetPart
from indicators.models import Measurement, Target
from spreadsheets import importing, resources, templates_xlsx

from .conftest import csv_bytes, split_by_sex, xlsx_bytes

HEADER = ["Indicator code", "Period", "Dimension", "Dimension value", "Value", "Numerator", "Denominator",
          "Evidence link", "So what?"]
LINK, SO_WHAT = "https://example.org/fy14", "Shared with the country team."


@pytest.fixture
def sex(chain_with_indicators):
    return split_by_sex(chain_with_indicators["percent"], chain_with_indicators["number"])


def run(rows, by, header=HEADER, name="parts.csv"):
    data = xlsx_bytes([header, *rows]) if name.endswith(".xlsx") else csv_bytes([header, *rows])
    return importing.spreadsheet_import(data=data, name=name, by=by)


def problems(outcome):
    return [(p.row, p.column, p.value) for p in outcome.preview.problems]


ROWS = [["FWI-P", "FY2014", "", "", "", "", "", LINK, SO_WHAT],
        ["FWI-P", "FY2014", "Sex", "female", "", "20", "50", "", ""],
        ["FWI-P", "FY2014", "Sex", "male", "", "10", "30", "", ""]]


def test_a_percentage_total_is_recomputed_from_its_parts_numerators_and_denominators(sex, administrator):
    outcome = run(ROWS, administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    measurement = Measurement.objects.get()
    # 30 of 80 = 37.5%, not the average of 40% and 33.3%
    assert (measurement.value, measurement.status) == (Decimal("37.5"), "submitted")
    assert sorted(MeasurementPart.objects.values_list("dimension_value__name", "value", "numerator", "denominator")) \
        == [("female", Decimal(40), Decimal(20), Decimal(50)), ("male", Decimal("33.3333"), Decimal(10), Decimal(30))]
    assert "Sex: female 20 of 50 (40%)" in outcome.preview.rows[0].note
    assert MeasurementPart.history.filter(history_type="+").count() == 2
    again = run(ROWS, administrator)
    assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}
    assert MeasurementPart.history.count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_percentage_parts_reimports_as_a_no_op(sex, administrator, fmt):
    assert run(ROWS, administrator).written
    data = resources.export_csv("measurements") if fmt == "csv" else templates_xlsx.export_xlsx("measurements")
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[1].startswith("FWI-P,FY2014,,,37.5,,,")
        assert lines[2].startswith("FWI-P,FY2014,Sex,female,40,20,50,")
        assert lines[3].startswith("FWI-P,FY2014,Sex,male,33.3333,10,30,")
    history = (Measurement.history.count(), MeasurementPart.history.count())
    outcome = importing.spreadsheet_import(data=data, name=f"m.{fmt}", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}
    assert history == (Measurement.history.count(), MeasurementPart.history.count())


def test_changed_numerators_are_shown_and_written_with_history(sex, administrator, manager):
    from indicators import services

    assert run(ROWS, administrator).written
    measurement = Measurement.objects.get()
    services.measurement_approve(measurement=measurement, by=manager, version=measurement.version)
    history = MeasurementPart.history.count()
    outcome = run([ROWS[0], ["FWI-P", "FY2014", "Sex", "female", "", "25", "50", "", ""],
                   ["FWI-P", "FY2014", "Sex", "male", "", "5", "30", "", ""]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1, [str(p) for p in outcome.preview.problems]
    assert ("Sex: female", "20 of 50 (40%)", "25 of 50 (50%)") in outcome.preview.rows[0].changes
    female = MeasurementPart.objects.get(dimension_value__name="female")
    assert (female.numerator, female.approved_numerator) == (25, 20)  # the approved part counts until review
    assert MeasurementPart.history.count() == history + 2


def test_a_typed_total_or_share_that_disagrees_with_the_parts_is_refused(sex, administrator):
    outcome = run([["FWI-P", "FY2014", "", "", "50", "", "", LINK, SO_WHAT], *ROWS[1:]], administrator)
    assert not outcome.written and Measurement.objects.count() == 0
    [problem] = outcome.preview.problems
    assert problem.row == 3 and "the parts make 37.5% (30 of 80), not the total 50%" in problem.message
    outcome = run([ROWS[0], ["FWI-P", "FY2014", "Sex", "female", "45", "20", "50", "", ""], ROWS[2]], administrator)
    assert problems(outcome) == [(3, "Value", "45")]
    assert "20 of 50 is 40%, not 45%" in outcome.preview.problems[0].message
    # a typed total within rounding of the parts' share is accepted, and stored as recomputed
    outcome = run([["FWI-P", "FY2014", "", "", "37.5%", "", "", LINK, SO_WHAT], *ROWS[1:]], administrator)
    assert outcome.written and Measurement.objects.get().value == Decimal("37.5")


def test_dimensions_that_count_different_wholes_and_shares_above_the_whole_are_refused(sex, administrator):
    country = Dimension.objects.create(name="Country", slug="country")
    uganda = DimensionValue.objects.create(dimension=country, name="Uganda", slug="uganda")
    country.indicators.add(uganda.dimension.indicators.model.objects.get(code="FWI-P"))
    outcome = run([*ROWS, ["FWI-P", "FY2014", "Country", "Uganda", "", "30", "90", "", ""]], administrator)
    assert not outcome.written
    [problem] = outcome.preview.problems
    assert problem.row == 5
    assert "Country: the parts count 30 of 90, but the parts of Sex count 30 of 80" in problem.message
    outcome = run([ROWS[0], ["FWI-P", "FY2014", "Sex", "female", "", "60", "50", "", ""]], administrator)
    assert "Sex, female: 60 of 50 is not a share" in outcome.preview.problems[0].message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_messy_numerators_are_refused_naming_row_and_column_and_nothing_is_written(sex, administrator, fmt):
    outcome = run([ROWS[0],
                   ["FWI-P", "FY2014", "Sex", "female", "", "many", "50", "", ""],
                   ["FWI-P", "FY2014", "Sex", "male", "", "", "-3", "", ""],
                   ["FWI-P", "FY2015", "", "", "", "", "", LINK, SO_WHAT],
                   ["FWI-P", "FY2015", "Sex", "female", "", "1e999", "1,200", "", ""]],
                  administrator, name=f"messy.{fmt}")
    assert not outcome.written
    assert Measurement.objects.count() == 0 and MeasurementPart.objects.count() == 0
    assert Measurement.history.count() == 0
    found = problems(outcome)
    assert (3, "Numerator", "many") in found and (4, "Numerator", "") in found
    assert (4, "Denominator", "-3") in found and (6, "Numerator", "1e999") in found
    messages = {(p.row, p.column): p.message for p in outcome.preview.problems}
    assert "'many' is not a number" in messages[(3, "Numerator")]
    assert "Enter a numerator." in messages[(4, "Numerator")]
    assert "a denominator is a number of 0 or more" in messages[(4, "Denominator")]


def test_grouped_digits_and_a_nul_byte_in_a_numerator(sex, administrator):
    # "1,200" is 1200, as in every figure cell (a comma groups thousands)
    outcome = run([ROWS[0], ["FWI-P", "FY2014", "Sex", "female", "", "1,200", "2 400", "", ""],
                   ["FWI-P", "FY2014", "Sex", "male", "", "0", "600", "", ""]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert Measurement.objects.get().value == Decimal(40)
    # past the first 4 KB (which are checked for binary data as a whole), a NUL is named by its cell
    outcome = run([[*ROWS[0], "y" * 5000], ["FWI-P", "FY2014", "Sex", "female", "", "1\x002", "50", "", ""]],
                  administrator, header=[*HEADER, "Notes to self"])
    assert not outcome.written and Measurement.objects.get().value == Decimal(40)
    nul = [p for p in outcome.preview.problems if "NUL character" in p.message]
    assert [(p.row, p.column, p.value) for p in nul] == [(3, "Numerator", "1\u24002")]


def test_numerators_belong_on_percentage_part_rows_only(sex, administrator):
    outcome = run([["FWI-P", "FY2014", "", "", "", "30", "80", LINK, SO_WHAT], *ROWS[1:],
                   ["FWI-N", "FY2014", "", "", "10", "", "", LINK, SO_WHAT],
                   ["FWI-N", "FY2014", "Sex", "female", "10", "3", "", "", ""]], administrator)
    assert not outcome.written
    found = problems(outcome)
    assert (2, "Numerator", "30") in found and (2, "Denominator", "80") in found
    assert (6, "Numerator", "3") in found
    messages = {(p.row, p.column): p.message for p in outcome.preview.problems}
    assert "a numerator belongs on a part row" in messages[(2, "Numerator")]
    assert "only a percentage's parts have a numerator" in messages[(6, "Numerator")]


TARGET_HEADER = ["Indicator code", "Period", "Dimension", "Dimension value", "Value", "Numerator", "Denominator",
                 "Rationale"]


def test_a_percentage_target_takes_its_total_from_its_parts_and_reimports_as_a_no_op(sex, administrator):
    outcome = run([["FWI-P", "FY2015", "", "", "", "", "", "Half the trainees."],
                   ["FWI-P", "FY2015", "Sex", "female", "", "30", "60", ""],
                   ["FWI-P", "FY2015", "Sex", "male", "", "20", "40", ""]], administrator,
                  header=TARGET_HEADER, name="targets.csv")
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    target = Target.objects.get()
    assert (target.value, target.status) == (Decimal(50), "preliminary")
    assert sorted(target.parts.values_list("numerator", "denominator")) == [(20, 40), (30, 60)]
    history = (Target.history.count(), TargetPart.history.count())
    for data, name in ((resources.export_csv("targets"), "t.csv"), (templates_xlsx.export_xlsx("targets"), "t.xlsx")):
        again = importing.spreadsheet_import(data=data, name=name, by=administrator)
        assert again.written and again.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}, \
            [str(p) for p in again.preview.problems]
    assert history == (Target.history.count(), TargetPart.history.count())
    # without parts, a percentage target still needs its value
    refused = run([["FWI-P", "FY2016", "", "", "", "", "", "Growth."]], administrator, header=TARGET_HEADER,
                  name="targets.csv")
    assert problems(refused) == [(2, "Value", "")]
    assert "Enter a value" in refused.preview.problems[0].message


def test_the_template_explains_numerators_and_denominators(sex):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(templates_xlsx.template_xlsx("measurements")))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[4:7] == ["Value", "Numerator", "Denominator"]
    assert "45 of 120 people" in book.worksheets[0].cell(row=1, column=6).comment.text
    instructions = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "A percentage's parts give their Numerator and Denominator" in instructions
