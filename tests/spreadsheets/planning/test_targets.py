"""Importing targets: they arrive preliminary, and an approved one is revised with its reason and
keeps counting until the revision is approved (the rules of indicators.services, row by row)."""
from decimal import Decimal

from indicators import services
from indicators.models import Target
from scorecard.selectors import scorecard_build
from spreadsheets import importing

from ..conftest import csv_bytes


def run(rows, by, kind=None, name="file.csv"):
    return importing.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


D = Decimal

TARGETS = ["Indicator code", "Period", "Value", "Rating", "Status", "Rationale"]


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
    assert (problem.row, problem.column) == (2, "Rationale") and problem.message == (
        "FWI-N FY2016: This target was approved: explain why it changes (the rationale is kept with the "
        "earlier value in the history).")  # the words of the target form (indicators.rules)
    only_reason = run([header, ["FWI-N", "FY2016", "10", "", "approved", "New words"]], administrator)
    (problem,) = only_reason.preview.problems
    assert (problem.row, problem.column) == (2, "Value") and problem.message == (
        "FWI-N FY2016: The revised target is the same as the approved one.")

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


def test_a_revised_approved_target_keeps_counting_until_approved(chain_with_indicators, officer, manager,
                                                                  administrator):
    indicator = chain_with_indicators["number"]
    services.baseline_record(indicator=indicator, by=officer, value="0", period="FY2013")
    target = services.target_set(indicator=indicator, period="FY2016", by=officer, value="10", rationale="Pipeline")
    target = services.target_approve(target=target, by=manager, version=target.version)
    m = services.measurement_save_draft(indicator=indicator, period="FY2016", by=officer, value="5",
                                        evidence_url="https://example.org/e", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    services.measurement_approve(measurement=m, by=manager, version=m.version)

    outcome = run([TARGETS, ["FWI-N", "FY2016", "5", "", "", "Funding halved"],
                   ["FWI-P", "FY2016", "60%", "", "", "New"]], administrator)
    assert outcome.written and outcome.counts["changed"] == 1 and outcome.counts["new"] == 1
    assert "the approved target counts until a manager approves the revision" in outcome.preview.rows[0].note
    target.refresh_from_db()
    assert (target.value, target.status, target.approved_value, target.approved_at is not None) == (
        D(5), "preliminary", D(10), True)
    assert target.history.first().approved_value == D(10)  # the history row holds them too
    new = Target.objects.get(indicator__code="FWI-P")
    assert (new.status, new.approved_value, new.approved_rating, new.approved_at) == ("preliminary", None, "", None)

    def row(code):
        card = scorecard_build(framework_code="FWI", period_label="FY2016")
        return next(r for r in card.rows if r["code"] == code)
    assert (row("FWI-N")["target"], row("FWI-N")["progress"]) == ("10", "50%")  # not 5 and 100%
    assert (row("FWI-P")["status"], row("FWI-P")["target"]) == ("not_due", "—")

    services.target_approve(target=target, by=manager, version=target.version)  # the importer proposed it
    assert (row("FWI-N")["target"], row("FWI-N")["progress"]) == ("5", "100%")
