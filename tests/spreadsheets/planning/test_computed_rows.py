"""Importing measurements never writes a computed indicator's figures (issue 18): the row is refused,
named, and says the indicator is computed; nothing of the file is written."""
from indicators.models import Measurement
from spreadsheets import importing

from ..conftest import csv_bytes

HEADER = ["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment", "So what?"]


def test_a_row_for_a_computed_indicator_is_refused_by_name(programmes, administrator):
    programmes["define"]()
    before = Measurement.objects.count()
    rows = [["P1-CITIES", "FY2016", "3", "", "https://example.org/a", "", "Shared."],
            ["corp-cities", "FY2016", "12", "", "https://example.org/b", "", "Shared."]]
    outcome = importing.spreadsheet_import(data=csv_bytes([HEADER, *rows]), name="mixed.csv", by=administrator)
    assert not outcome.written
    (problem,) = outcome.preview.problems
    assert (problem.row, problem.column) == (3, "Indicator code")
    assert str(problem).startswith("Row 3, column “Indicator code”")
    assert "CORP-CITIES is computed from its contributing indicators" in problem.message
    assert Measurement.objects.count() == before


def test_the_indicator_export_shows_the_formula_and_reimports_unchanged(programmes, administrator):
    from spreadsheets.resources import export_csv

    programmes["define"]()
    exported = export_csv("indicators")
    text = exported.decode("utf-8-sig")
    assert "Computed as" in text.splitlines()[0]
    assert "Sum of: P1-CITIES, P2-CITIES" in text
    outcome = importing.spreadsheet_import(data=exported, name="indicators.csv", by=administrator)
    assert outcome.counts["changed"] == 0 and outcome.counts["invalid"] == 0, outcome.preview.problems
