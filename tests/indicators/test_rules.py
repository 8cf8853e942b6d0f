"""The rulebook on its own (indicators.rules): plain facts in, a decision or a message out.

No database: run with
    .venv/bin/python -m pytest -p no:django --noconftest tests/indicators/test_rules.py -q
The same rules driven through every write path are in tests/test_rulebook_paths.py.
"""
import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from django.core.exceptions import ValidationError  # noqa: E402

from indicators import rules  # noqa: E402
from indicators.periods import HALF, QUARTER, YEAR, PeriodSpec  # noqa: E402

SHOWN = {"measure": "number", "direction": "increase", "aggregation": "sum of periods (cumulative count)",
         "frequency": "annual", "kind": "quantitative"}


def facts(**extra):
    return rules.IndicatorFacts(code="X-1", frequency="annual", shown=SHOWN, **extra)


def messages(exc) -> dict:
    return exc.value.message_dict


def test_the_rulebook_imports_no_orm():
    import ast

    tree = ast.parse((Path(_ROOT) / "indicators" / "rules.py").read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not [name for name in imported if name.startswith("django.db") or name.endswith("models")], imported


# -- the indicator's definition ----------------------------------------------------------------

@pytest.mark.parametrize("kind, measure, aggregation, field", [
    ("qualitative", "number", "latest", "measure"),
    ("qualitative", "rating", "sum", "aggregation"),
    ("quantitative", "rating", "latest", "measure"),
    ("quantitative", "percentage", "sum", "aggregation"),
    ("quantitative", "yes_no", "sum", "aggregation"),
])
def test_definitions_that_cannot_be_scored_are_refused(kind, measure, aggregation, field):
    with pytest.raises(ValidationError) as exc:
        rules.check_indicator_definition(kind=kind, measure=measure, aggregation=aggregation)
    assert field in messages(exc)


def test_sound_definitions_pass():
    rules.check_indicator_definition(kind="qualitative", measure="rating", aggregation="latest")
    rules.check_indicator_definition(kind="quantitative", measure="percentage", aggregation="average")


# -- locks and proposals ------------------------------------------------------------------------

def test_nothing_is_locked_before_figures_exist():
    decision = rules.indicator_change(facts(), {"measure": "percentage", "frequency": "quarterly",
                                                "direction": "decrease", "weight": 2, "result": 7})
    assert decision.for_review == {} and set(decision.direct) == {"measure", "frequency", "direction", "weight",
                                                                  "result"}


def test_kind_and_measure_lock_once_any_figure_is_recorded():
    with pytest.raises(ValidationError) as exc:
        rules.indicator_change(facts(has_figures=True), {"kind": "qualitative"})
    assert messages(exc)["measure"] == [
        "X-1 already has a baseline, targets or measurements recorded as number; its kind and measure can no "
        "longer change."]


def test_frequency_locks_once_a_measurement_is_recorded():
    with pytest.raises(ValidationError) as exc:
        rules.indicator_change(facts(has_figures=True, has_measurements=True), {"frequency": "quarterly"})
    assert "X-1 already has measurements recorded annually" in messages(exc)["frequency"][0]


def test_direction_and_aggregation_lock_once_a_measurement_is_approved():
    approved = facts(has_figures=True, has_measurements=True, has_approved_measurements=True)
    with pytest.raises(ValidationError) as exc:
        rules.indicator_change(approved, {"direction": "decrease", "aggregation": "latest", "name": "New name"})
    assert set(messages(exc)) == {"direction", "aggregation"}
    # A draft measurement does not lock them: the indicator may still be corrected.
    decision = rules.indicator_change(facts(has_figures=True, has_measurements=True), {"direction": "decrease"})
    assert decision.direct == {"direction": "decrease"}


def test_result_and_weight_go_to_review_once_a_measurement_is_approved():
    approved = facts(has_figures=True, has_measurements=True, has_approved_measurements=True)
    decision = rules.indicator_change(approved, {"weight": 100, "result": 9, "name": "Clearer name"})
    assert decision.needs_review
    assert decision.for_review == {"weight": 100, "result": 9}
    assert decision.direct == {"name": "Clearer name"}


def test_baseline_changes_that_score_go_to_review_once_a_measurement_is_approved():
    changed = {"value": 0, "period": 3, "as_of": None, "status": "validated", "source": "New", "due_date": None}
    decision = rules.baseline_change(has_approved_measurements=True, changed=changed)
    assert set(decision.for_review) == {"value", "period", "as_of", "status"}
    assert set(decision.direct) == {"source", "due_date"}
    assert not rules.baseline_change(has_approved_measurements=False, changed=changed).needs_review


def test_a_proposal_needs_a_reason_and_only_one_waits_at_a_time():
    with pytest.raises(ValidationError) as exc:
        rules.check_proposal_reason("  ", code="X-1")
    assert "say why it is needed" in messages(exc)["reason"][0]
    rules.check_proposal_reason("New strategy", code="X-1")
    with pytest.raises(ValidationError, match="proposed by Olivia Officer is awaiting review"):
        rules.check_no_open_proposal(open_by="Olivia Officer", code="X-1", subject="baseline")
    rules.check_no_open_proposal(open_by=None, code="X-1", subject="baseline")


# -- transitions ------------------------------------------------------------------------------

@pytest.mark.parametrize("record, status, action, new", [
    ("measurement", "draft", "edit", "draft"),
    ("measurement", "returned", "edit", "returned"),
    ("measurement", "approved", "edit", "draft"),
    ("measurement", "draft", "submit", "submitted"),
    ("measurement", "returned", "submit", "submitted"),
    ("measurement", "submitted", "approve", "approved"),
    ("measurement", "submitted", "return", "returned"),
    ("target", "preliminary", "edit", "preliminary"),
    ("target", "returned", "edit", "preliminary"),
    ("target", "approved", "revise", "preliminary"),
    ("target", "preliminary", "approve", "approved"),
    ("target", "preliminary", "return", "returned"),
    ("proposal", "proposed", "approve", "approved"),
    ("proposal", "proposed", "return", "returned"),
])
def test_allowed_transitions(record, status, action, new):
    assert rules.next_status(record, status, action, noun="It") == new


@pytest.mark.parametrize("record, status, action, message", [
    ("measurement", "submitted", "edit", "It is awaiting review; it can be changed once a manager approves"),
    ("measurement", "approved", "submit", "It is approved; only a draft or a returned measurement can be"),
    ("measurement", "draft", "approve", "It is a draft, not submitted: there is nothing to approve."),
    ("measurement", "approved", "return", "It is approved, not submitted: there is nothing to return."),
    ("target", "approved", "approve", "Only a preliminary target can be approved; this one is approved."),
    ("target", "returned", "return", "Only a preliminary target can be returned; this one is returned"),
    ("target", "preliminary", "revise", "It is preliminary, not approved: change it directly."),
    ("proposal", "approved", "approve", "It is approved: only a proposed change can be approved."),
    ("proposal", "returned", "return", "It is returned for revision: only a proposed change can be returned."),
])
def test_refused_transitions_say_why(record, status, action, message):
    with pytest.raises(ValidationError) as exc:
        rules.next_status(record, status, action, noun="It")
    assert message in exc.value.messages[0]


def test_every_status_of_each_record_is_reachable_and_approved_is_only_reached_by_approval():
    for flow in (rules.MEASUREMENT_FLOW, rules.TARGET_FLOW, rules.PROPOSAL_FLOW):
        for (status, action), new in flow.items():
            if new == "approved":
                assert action == "approve", (status, action)


# -- review ---------------------------------------------------------------------------------

def test_nobody_reviews_their_own_work():
    with pytest.raises(ValidationError, match="You submitted the FY2015 measurement of X-1: another manager"):
        rules.check_not_own_work(reviewer_id=4, author_id=4, what="the FY2015 measurement of X-1",
                                 did="submitted", action="review")
    rules.check_not_own_work(reviewer_id=4, author_id=5, what="it", did="submitted", action="review")
    assert not rules.may_review(reviewer_id=4, author_id=4, has_permission=True)
    assert not rules.may_review(reviewer_id=4, author_id=5, has_permission=False)
    assert rules.may_review(reviewer_id=4, author_id=5, has_permission=True)


def test_a_return_needs_a_note():
    with pytest.raises(ValidationError) as exc:
        rules.check_return_note(" ")
    assert messages(exc)["note"] == ["Say what should change: the officer sees this note."]
    assert rules.check_return_note(" Fix the count ") == "Fix the count"


# -- submission -----------------------------------------------------------------------------

def test_a_submission_needs_a_figure_evidence_and_so_what():
    with pytest.raises(ValidationError) as exc:
        rules.check_submission(rated=False, has_figure=False, has_evidence=False, has_so_what=False)
    assert set(messages(exc)) == {"value", "evidence", "so_what"}
    with pytest.raises(ValidationError) as exc:
        rules.check_submission(rated=True, has_figure=False, has_evidence=True, has_so_what=True)
    assert set(messages(exc)) == {"rating"}
    rules.check_submission(rated=False, has_figure=True, has_evidence=True, has_so_what=True)


def test_a_target_revision_needs_a_new_reason_and_a_new_figure():
    with pytest.raises(ValidationError) as exc:
        rules.check_target_revision(rationale="Same", previous_rationale="Same", same_figure=False)
    assert "rationale" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        rules.check_target_revision(rationale="New", previous_rationale="Old", same_figure=True)
    assert messages(exc)["value"] == ["The revised target is the same as the approved one."]


# -- periods --------------------------------------------------------------------------------

def test_each_frequency_measures_its_own_period_kind():
    assert rules.MEASURED_KIND == {"annual": YEAR, "semiannual": HALF, "quarterly": QUARTER}
    rules.check_measurement_period(spec=PeriodSpec(QUARTER, 2016, 2), code="X-1", frequency="quarterly")
    with pytest.raises(ValidationError, match="FY2016 is a fiscal year; X-1 is measured quarterly: record "
                                              "FY2016-Q1 to FY2016-Q4."):
        rules.check_measurement_period(spec=PeriodSpec(YEAR, 2016, 0), code="X-1", frequency="quarterly")
    with pytest.raises(ValidationError, match="record FY2016-H1"):
        rules.check_measurement_period(spec=PeriodSpec(QUARTER, 2016, 2), code="X-1", frequency="semiannual")


def test_periods_stay_inside_the_framework():
    rules.check_period_in_framework(PeriodSpec(YEAR, 2014, 0), first_fiscal_year=2013, last_fiscal_year=2016)
    with pytest.raises(ValidationError, match="FY2017 is outside CRF, which covers FY2013 to FY2016."):
        rules.check_period_in_framework(PeriodSpec(YEAR, 2017, 0), first_fiscal_year=2013,
                                        last_fiscal_year=2016, framework="CRF")


def test_nothing_is_measured_in_or_before_the_baseline_period():
    from indicators.series import baseline_ordinal, period_ordinal

    fy14, fy15 = PeriodSpec(YEAR, 2014, 0), PeriodSpec(YEAR, 2015, 0)
    q4 = PeriodSpec(QUARTER, 2014, 4)  # ends with FY2014: inside the baseline year
    base = baseline_ordinal(period_end=fy14.end, period_kind=YEAR)
    for spec in (fy14, q4, PeriodSpec(YEAR, 2013, 0)):
        with pytest.raises(ValidationError) as exc:
            rules.check_after_baseline(period_ordinal=period_ordinal(spec.end, spec.kind), period_label=spec.label,
                                       baseline_ordinal=base, baseline_label="FY2014", code="X-1")
        assert messages(exc)["period"] == [
            f"The baseline of X-1 is FY2014; record measurements for periods after it, not {spec.label}."]
    rules.check_after_baseline(period_ordinal=period_ordinal(fy15.end, YEAR), period_label="FY2015",
                               baseline_ordinal=base, baseline_label="FY2014", code="X-1")
    rules.check_after_baseline(period_ordinal=1, period_label="FY2000", baseline_ordinal=None,
                               baseline_label="", code="X-1")


def test_a_baseline_stays_before_every_measured_period():
    with pytest.raises(ValidationError, match="X-1 already has measurements for FY2015, which would fall in or "
                                              "before a baseline of FY2016"):
        rules.check_baseline_before_measurements(baseline_ordinal=20, baseline_label="FY2016",
                                                 measured=[(30, "FY2017"), (10, "FY2015")], code="X-1")
    rules.check_baseline_before_measurements(baseline_ordinal=5, baseline_label="FY2014",
                                             measured=[(10, "FY2015")], code="X-1")
