"""Importing baselines: the baseline rules, updated in place with history."""
from decimal import Decimal

from indicators import services
from indicators.models import Baseline
from spreadsheets import importing

from ..conftest import csv_bytes


def run(rows, by, kind=None, name="file.csv"):
    return importing.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


def test_baselines_follow_the_baseline_rules(chain_with_indicators, administrator):
    header = ["Indicator code", "Value", "Qualitative baseline", "Period", "As of", "Status"]
    outcome = run([header,
                   ["FWI-N", "", "", "FY2013", "", "collected"],          # collected without a value
                   ["FWI-P", "40", "", "", "", "validated"],              # no period or date
                   ["FWI-R", "", "", "FY2013", "", "planned"],            # planned: fine
                   ["FWI-N", "3", "words", "FY2013", "", "collected"],    # duplicate, and words for a number
                   ["FWI-P", "40", "", "FY2009", "2030-01-01", "done"]], administrator)
    assert not outcome.written and Baseline.objects.count() == 0
    assert [(p.row, p.column) for p in outcome.preview.problems] == [
        (2, "Value"), (3, "Period"), (5, "Indicator code"), (5, "Qualitative baseline"), (6, "Indicator code"),
        (6, "Period"), (6, "As of"), (6, "Status")]
    text = " ".join(p.message for p in outcome.preview.problems)
    assert "needs its value" in text and "a period or an as-of date" in text
    assert "FY2009 is outside" in text and "falls in FY2030" in text and "is not one of" in text


def test_a_baseline_is_updated_in_place_with_history(chain_with_indicators, officer, administrator):
    baseline = services.baseline_record(indicator=chain_with_indicators["number"], by=officer, value="3",
                                        period="FY2013", status="collected")
    outcome = run([["Indicator code", "Value", "Period", "Status", "Source"],
                   ["fwi-n", "4", "FY2013", "validated", "Review"]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1
    baseline.refresh_from_db()
    assert (baseline.value, baseline.status, baseline.source, baseline.version) == (
        Decimal("4"), "validated", "Review", 2)
    assert baseline.history.first().history_user == administrator
