"""Imported targets keep the last approved figures; imported measurements take the indicator's
period kind (the rules of indicators.services, applied to every row)."""
from decimal import Decimal

from indicators import imports, services
from indicators.models import Measurement, Target
from scorecard.selectors import scorecard_build

from .conftest import csv_bytes

D = Decimal
TARGETS = ["Indicator code", "Period", "Value", "Rating", "Status", "Rationale"]
MEASUREMENTS = ["Indicator code", "Period", "Value", "Rating", "Evidence link", "Comment"]


def run(rows, by, kind=None, name="file.csv"):
    return imports.spreadsheet_import(data=csv_bytes(rows), name=name, by=by, kind=kind)


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


def test_a_measurement_period_of_the_wrong_kind_is_refused_by_row(chain_with_indicators, administrator):
    outcome = run([MEASUREMENTS, ["FWI-R", "FY2015", "", "On track", "https://example.org/a", ""],
                   ["FWI-R", "FY2015-Q1", "", "On track", "https://example.org/b", ""],
                   ["FWI-N", "FY2015-Q1", "10", "", "https://example.org/c", ""]], administrator)
    assert not outcome.written and not Measurement.objects.exists()
    problems = [(p.row, p.column, p.value, p.message) for p in outcome.preview.problems]
    assert problems == [
        (2, "Period", "FY2015", "FY2015 is a fiscal year; FWI-R is measured quarterly: record FY2015-Q1 to "
                                "FY2015-Q4."),
        (4, "Period", "FY2015-Q1", "FY2015-Q1 is a quarter; FWI-N is measured annually: record FY2015."),
    ]
