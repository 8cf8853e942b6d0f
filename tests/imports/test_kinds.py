"""Targets, baselines, indicators and results: each kind follows its service's rules."""
from decimal import Decimal

from indicators import imports, services
from indicators.models import Baseline, Indicator, Target
from results.models import Result

from .conftest import csv_bytes


def run(rows, by, kind=None, name="file.csv"):
    return imports.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


# ---- targets


def test_targets_arrive_preliminary_and_an_approved_one_is_revised_with_its_reason(
        chain_with_indicators, officer, manager, administrator):
    approved = services.target_set(indicator=chain_with_indicators["number"], period="FY2016", by=officer,
                                   value="10", rationale="Pipeline")
    approved = services.target_approve(target=approved, by=manager, version=approved.version)
    header = ["Indicator code", "Period", "Value", "Rating", "Status", "Rationale"]
    outcome = run([header, ["FWI-P", "FY2016", "60%", "", "approved", "Half of the cities"],
                   ["FWI-R", "FY2016", "", "On track", "", ""],
                   ["FWI-N", "FY2016", "10", "", "approved", "Pipeline"]], administrator)
    assert outcome.written and outcome.counts == {"new": 2, "changed": 0, "unchanged": 1, "invalid": 0}
    percent = Target.objects.get(indicator__code="FWI-P")
    assert (percent.value, percent.status, percent.proposed_by) == (Decimal("60"), "preliminary", administrator)
    assert percent.history.get().history_change_reason == "Imported from file.csv"
    assert Target.objects.get(indicator__code="FWI-R").rating == "on_track"

    same_reason = run([header, ["FWI-N", "FY2016", "12", "", "approved", "Pipeline"]], administrator)
    (problem,) = same_reason.preview.problems
    assert (problem.row, problem.column) == (2, "Rationale") and "say in Rationale why it changes" in problem.message
    only_reason = run([header, ["FWI-N", "FY2016", "10", "", "approved", "New words"]], administrator)
    assert "changes only its rationale" in only_reason.preview.problems[0].message

    revised = run([header, ["FWI-N", "FY2016", "12", "", "approved", "Two more cities signed"]], administrator)
    assert revised.written and revised.counts["changed"] == 1
    approved.refresh_from_db()
    assert (approved.value, approved.status, approved.approved_by, approved.proposed_by) == (
        Decimal("12"), "preliminary", None, administrator)
    earlier = approved.history.all()[1]
    assert (earlier.value, earlier.rationale, earlier.status) == (Decimal("10"), "Pipeline", "approved")


def test_a_target_needs_a_value(chain_with_indicators, administrator):
    outcome = run([["Indicator code", "Period", "Value", "Rationale"], ["FWI-N", "FY2016", "", "why"]],
                  administrator, kind="targets")
    (problem,) = outcome.preview.problems
    assert (problem.row, problem.column, problem.message) == (2, "Value", "FWI-N: Enter a value.")


# ---- baselines


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


# ---- indicators


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


# ---- results


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
