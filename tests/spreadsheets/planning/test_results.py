"""Importing results: placed in the tree through the results services."""
from results.models import Result
from spreadsheets import importing

from ..conftest import csv_bytes


def run(rows, by, kind=None, name="file.csv"):
    return importing.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


def test_results_are_placed_in_the_tree_through_the_services(chain_with_indicators, administrator):
    header = ["Framework", "Code", "Parent code", "Level", "Statement", "Business line", "Order"]
    outcome = run([header,
                   ["fwi", "FWI-ACT-1", "FWI-OUT-9", "Activity", "Train planners", "", "1"],
                   ["FWI", "FWI-OUT-9", "fwi-io", "output", "Plans adopted", "", "3"]], administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert Result.objects.get(code="FWI-ACT-1").parent.code == "FWI-OUT-9"
    assert Result.objects.get(code="FWI-OUT-9").get_ancestors().first().code == "FWI-IMP"
    bad = run([header, ["FWI", "FWI-OUT-10", "FWI-OC", "Output", "Too high", "", ""],
               ["FWI", "FWI-OC-2", "", "Outcome", "No parent", "", ""],
               ["FWI", "FWI-IMP-2", "", "Impact", "A second root", "", ""]], administrator)
    assert not bad.written
    assert [(p.row, p.column) for p in bad.preview.problems] == [(2, "Level"), (3, "Parent code"), (4, "Parent code")]
    assert "one level below" in bad.preview.problems[0].message
    assert "already has its Impact" in bad.preview.problems[2].message
    assert not Result.objects.filter(code__in=["FWI-OUT-10", "FWI-OC-2", "FWI-IMP-2"]).exists()
