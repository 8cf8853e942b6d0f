"""Importing a total whose figure has parts (issue 14): the new total must agree with the stored
parts, by the same rule as the site's forms, or the row is refused naming the difference."""
from decimal import Decimal

from indicators import services
from indicators.dimensions import Dimension, DimensionValue
from indicators.models import Measurement
from indicators.services.parts import PartInput
from spreadsheets import importing

from ..conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment", "So what?"]


def test_an_imported_total_that_no_longer_matches_its_parts_is_refused(chain_with_indicators, officer,
                                                                       administrator):
    number = chain_with_indicators["number"]
    sex = Dimension.objects.create(name="Sex", slug="sex")
    female = DimensionValue.objects.create(dimension=sex, name="female", slug="female")
    male = DimensionValue.objects.create(dimension=sex, name="male", slug="male")
    sex.indicators.add(number)
    services.measurement_save_draft(indicator=number, period="FY2014", by=officer, value="100",
                                    parts={female.pk: PartInput(Decimal(60)), male.pk: PartInput(Decimal(40))})

    def run(value):
        return importing.spreadsheet_import(data=csv_bytes([HEADER, [
            "FWI-N", "FY2014", value, "", "https://example.org/a", "", "Shared."]]), name="p.csv", by=administrator)

    outcome = run("120")
    assert not outcome.written
    problem = outcome.preview.problems[0]
    assert problem.row == 2 and problem.value == "120"
    assert "Sex: the parts add up to 100, 20 less than the total 120." in problem.message
    assert Measurement.objects.get(indicator=number).value == Decimal(100)
    assert not run("100").preview.problems  # the same total: the parts still add up


def test_an_imported_target_that_no_longer_matches_its_parts_is_refused(chain_with_indicators, officer,
                                                                        administrator):
    number = chain_with_indicators["number"]
    sex = Dimension.objects.create(name="Sex", slug="sex")
    female = DimensionValue.objects.create(dimension=sex, name="female", slug="female")
    male = DimensionValue.objects.create(dimension=sex, name="male", slug="male")
    sex.indicators.add(number)
    services.target_set(indicator=number, period="FY2015", by=officer, value="200",
                        parts={female.pk: PartInput(Decimal(100)), male.pk: PartInput(Decimal(100))})
    outcome = importing.spreadsheet_import(data=csv_bytes([
        ["Indicator code", "Period", "Value", "Rationale"], ["FWI-N", "FY2015", "150", "Fewer courses."]]),
        name="t.csv", by=administrator)
    assert not outcome.written
    assert "Sex: the parts add up to 200, 50 more than the total 150." in outcome.preview.problems[0].message


def test_an_imported_baseline_that_no_longer_matches_its_parts_is_refused(chain_with_indicators, officer,
                                                                          administrator):
    number = chain_with_indicators["number"]
    sex = Dimension.objects.create(name="Sex", slug="sex")
    female = DimensionValue.objects.create(dimension=sex, name="female", slug="female")
    male = DimensionValue.objects.create(dimension=sex, name="male", slug="male")
    sex.indicators.add(number)
    services.baseline_record(indicator=number, by=officer, value="10", period="FY2013", status="validated")
    services.baseline_parts_set(indicator=number, by=officer,
                                parts={female.pk: PartInput(Decimal(6)), male.pk: PartInput(Decimal(4))})
    outcome = importing.spreadsheet_import(data=csv_bytes([
        ["Indicator code", "Value", "Period", "Status"], ["FWI-N", "12", "FY2013", "validated"]]),
        name="b.csv", by=administrator, kind="baselines")
    assert not outcome.written
    assert "Sex: the parts add up to 10, 2 less than the total 12." in outcome.preview.problems[0].message
