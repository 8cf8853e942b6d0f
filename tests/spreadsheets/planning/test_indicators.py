"""Importing indicators: created and updated by code, with the indicator rules."""
from decimal import Decimal

from indicators import services
from indicators.models import Indicator
from spreadsheets import importing

from ..conftest import csv_bytes


def run(rows, by, kind=None, name="file.csv"):
    return importing.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


def test_indicators_are_created_and_updated_by_code(chain_with_indicators, officer, administrator):
    header = ["Result code", "Indicator code", "Name", "Kind", "Measure", "Unit", "Aggregation", "Weight",
              "Responsible"]
    outcome = run([header,
                   ["fwi-out-1", "fwi-new", "People trained", "", "number", "people", "Sum of periods", "2",
                    "OFFICER1"],
                   ["FWI-OUT-2", "FWI-Q", "Quality of plans", "qualitative", "", "", "", "", ""],
                   ["FWI-OUT-1", "FWI-N", "Cities supported (renamed)", "", "", "cities", "sum", "1", "officer1"]],
                  administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.counts == {"new": 2, "changed": 1, "unchanged": 0, "invalid": 0}
    new = Indicator.objects.get(code="FWI-NEW")
    assert (new.result.code, new.aggregation, new.weight, new.responsible) == (
        "FWI-OUT-1", "sum", Decimal("2"), officer)
    qualitative = Indicator.objects.get(code="FWI-Q")
    assert (qualitative.measure, qualitative.aggregation) == ("rating", "latest")
    renamed = Indicator.objects.get(code="FWI-N")
    assert renamed.name == "Cities supported (renamed)" and renamed.version == 2
    assert renamed.history.first().history_change_reason == "Imported from file.csv"


def test_indicator_rules(chain_with_indicators, officer, administrator):
    services.target_set(indicator=chain_with_indicators["number"], period="FY2015", by=officer, value="3")
    outcome = run([["Result code", "Indicator code", "Name", "Measure", "Aggregation"],
                   ["FWI-OUT-1", "FWI-N", "Cities supported", "percentage", "latest"],     # has figures
                   ["FWI-OUT-1", "FWI-X", "Share", "percentage", "sum"],                   # % cannot sum
                   ["NOPE", "bad code!", "", "litres", ""]], administrator)
    assert not outcome.written
    assert [(p.row, p.column, p.value) for p in outcome.preview.problems] == [
        (2, "Measure", "percentage"), (3, "Aggregation", "sum"), (4, "Result code", "NOPE"),
        (4, "Indicator code", "bad code!"), (4, "Name", ""), (4, "Measure", "litres")]
    assert "can no longer change" in outcome.preview.problems[0].message
    assert "cannot be summed" in outcome.preview.problems[1].message
