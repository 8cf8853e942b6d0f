"""The indicators sheet's "Disaggregated by" column (issue 14): exported as "Sex; Country" and read
back; an unknown dimension is named with its row; a dimension the figures have parts of is kept
(rules.check_dimensions_kept), as on the indicator's dimensions form. The workbooks list the
dimensions and their values."""
import io
from decimal import Decimal

import openpyxl
import pytest

from indicators import services
from indicators.dimensions import Dimension, DimensionValue
from indicators.models import Indicator
from indicators.services.parts import PartInput
from spreadsheets import importing, resources, templates_xlsx

from .conftest import csv_bytes

HEADER = ["Result code", "Indicator code", "Name", "Measure", "Disaggregated by"]


@pytest.fixture
def dimensions(chain_with_indicators):
    sex = Dimension.objects.create(name="Sex", slug="sex", order=1)
    country = Dimension.objects.create(name="Country", slug="country", order=2)
    for i, name in enumerate(["female", "male"]):
        DimensionValue.objects.create(dimension=sex, name=name, slug=name, order=i)
    DimensionValue.objects.create(dimension=country, name="Uganda", slug="uganda")
    return {"sex": sex, "country": country}


def run(rows, by, name="indicators.csv"):
    return importing.spreadsheet_import(data=csv_bytes([HEADER, *rows]), name=name, by=by, kind="indicators")


def chosen(code):
    return sorted(Indicator.objects.get(code=code).dimensions.values_list("name", flat=True))


def test_dimensions_are_chosen_changed_and_shown_in_the_preview(dimensions, administrator):
    outcome = run([["FWI-OUT-1", "FWI-N", "Cities supported", "number", "sex; COUNTRY"],
                   ["FWI-OUT-1", "FWI-NEW", "People trained", "number", "Sex"]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert chosen("FWI-N") == ["Country", "Sex"] and chosen("FWI-NEW") == ["Sex"]
    changed = next(r for r in outcome.preview.rows if r.key == "FWI-N")
    assert ("Disaggregated by", "", "Sex; Country") in changed.changes
    assert "Disaggregated by Sex." in next(r for r in outcome.preview.rows if r.key == "FWI-NEW").note
    assert dimensions["sex"].history.filter(history_change_reason="FWI-N disaggregated by Sex").exists()
    # dropping a dimension without parts is allowed; the same file again is a no-op
    again = run([["FWI-OUT-1", "FWI-N", "Cities supported", "number", "Sex"],
                 ["FWI-OUT-1", "FWI-NEW", "People trained", "number", "Sex"]], administrator)
    assert again.written and chosen("FWI-N") == ["Sex"]
    assert run([["FWI-OUT-1", "FWI-N", "Cities supported", "number", "Sex"]], administrator).counts["unchanged"] == 1


def test_an_unknown_dimension_is_refused_naming_the_row_and_the_value(dimensions, administrator):
    outcome = run([["FWI-OUT-1", "FWI-N", "Cities supported", "number", "Sex; Gender"],
                   ["FWI-OUT-1", "FWI-NEW", "People trained", "number", "Sex"]], administrator)
    assert not outcome.written and not Indicator.objects.filter(code="FWI-NEW").exists()
    [problem] = outcome.preview.problems
    assert (problem.row, problem.column, problem.value) == (2, "Disaggregated by", "Sex; Gender")
    assert "No dimension is called 'Gender'; the dimensions are Sex, Country" in problem.message
    assert chosen("FWI-N") == []


def test_a_dimension_with_parts_is_kept_and_a_rating_is_not_split(dimensions, administrator):
    number = Indicator.objects.get(code="FWI-N")
    dimensions["sex"].indicators.add(number)
    female, male = DimensionValue.objects.filter(dimension=dimensions["sex"]).order_by("order")
    services.target_set(indicator=number, period="FY2015", by=administrator, value="10", rationale="Plan.",
                        parts={female.pk: PartInput(Decimal(6)), male.pk: PartInput(Decimal(4))})
    outcome = run([["FWI-OUT-1", "FWI-N", "Cities supported", "number", "Country"],
                   ["FWI-OUT-2", "FWI-R", "Quality", "rating", "Sex"]], administrator)
    assert not outcome.written
    problems = {p.row: p for p in outcome.preview.problems}
    assert problems[2].column == "Disaggregated by"
    assert "FWI-N already has figures split by Sex; it stays disaggregated by them." in problems[2].message
    assert "FWI-R is measured by rating: only numbers, amounts and percentages are disaggregated." \
        in problems[3].message
    assert chosen("FWI-N") == ["Sex"] and chosen("FWI-R") == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_the_indicators_dimensions_reimports_as_a_no_op(dimensions, administrator, fmt):
    number = Indicator.objects.get(code="FWI-N")
    dimensions["country"].indicators.add(number)
    dimensions["sex"].indicators.add(number)
    data = resources.export_csv("indicators") if fmt == "csv" else templates_xlsx.export_xlsx("indicators")
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert text.splitlines()[0].endswith(",Disaggregated by,Computed as")
        assert any(line.startswith("FWI-OUT-1,FWI-N,") and line.endswith(",Sex; Country,")
                   for line in text.splitlines())
    outcome = importing.spreadsheet_import(data=data, name=f"i.{fmt}", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts["changed"] == outcome.counts["new"] == 0
    assert chosen("FWI-N") == ["Country", "Sex"]


def test_the_indicators_export_reads_the_dimensions_in_a_constant_number_of_queries(
        dimensions, make_indicator, chain_with_indicators, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            resources.export_dataset("indicators")
        return len(queries)

    few = count()
    for n in range(10):
        indicator = make_indicator(chain_with_indicators["outputs"][0], code=f"FWI-X{n}")
        dimensions["sex"].indicators.add(indicator)
    with django_assert_num_queries(few):
        resources.export_dataset("indicators")


def test_the_workbooks_list_the_dimensions_and_their_values(dimensions):
    for kind in ("indicators", "measurements", "baselines"):
        book = openpyxl.load_workbook(io.BytesIO(templates_xlsx.template_xlsx(kind)))
        rows = [[c.value for c in row] for row in book["Dimensions"].iter_rows()]
        assert rows[0] == ["Dimension", "Dimension value", "Write it as", "Slug"]
        assert rows[1:] == [["Sex", "female", "Sex: female", "female"], ["Sex", "male", "Sex: male", "male"],
                            ["Country", "Uganda", "Country: Uganda", "uganda"]]
    assert "Dimensions" not in openpyxl.load_workbook(io.BytesIO(templates_xlsx.template_xlsx("results"))).sheetnames
