"""Approved figures change only through review (issue: one rulebook for every write path).

Once an indicator has an approved measurement, a change that would re-score it (its baseline's
value, period, date or status; its weight; its result and so its framework) becomes a proposal.
Until a manager approves it, the scorecard and its exports keep the approved state, byte for byte.
"""
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import Baseline, Indicator, Proposal


def export(client, framework, period="FY2015") -> bytes:
    response = client.get(reverse("scorecard:export", args=["csv"]), {"framework": framework.code, "period": period})
    assert response.status_code == 200
    return response.content


def test_an_officers_baseline_change_leaves_the_export_byte_identical_until_a_manager_approves(
        scored, client, officer, manager, committee):
    indicator, framework = scored["indicator"], scored["chain"]["framework"]
    client.force_login(committee)
    before = export(client, framework)
    assert b"PROP-1" in before and b"50%" in before

    client.force_login(officer)
    baseline = indicator.baseline
    response = client.post(reverse("indicators:baseline_edit", args=[indicator.code]), {
        "value": "0", "period": "FY2013", "status": "collected", "version": baseline.version,
        "reason": "The FY2013 survey counted from zero."})
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert baseline.value == 10  # the approved state holds

    client.force_login(committee)
    assert export(client, framework) == before

    proposal = Proposal.objects.get(indicator=indicator)
    assert (proposal.status, proposal.shown) == ("proposed", [["Value", "10 cities", "0 cities"]])
    client.force_login(manager)
    page = client.get(reverse("indicators:proposal", args=[indicator.code, proposal.pk])).content.decode()
    # The effect: (10 - 0) / (30 - 0) = 33% after approval, against 50% now.
    assert "Indicator PROP-1" in page and "50%" in page and "33%" in page
    response = client.post(reverse("indicators:proposal", args=[indicator.code, proposal.pk]),
                           {"version": proposal.version, "action_approve": "1"})
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert baseline.value == 0

    client.force_login(committee)
    after = export(client, framework)
    assert after != before and b"33%" in after


def test_moving_an_indicator_and_its_weight_goes_to_review(scored, make_chain, officer, manager, client):
    indicator = scored["indicator"]
    elsewhere = make_chain(outputs=1)["outputs"][0]
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                  result=elsewhere, weight=D(100))
    assert "goes to a manager for review" in exc.value.message_dict["reason"][0]
    saved = services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                      result=elsewhere, weight=D(100), name="Cities supported (count)",
                                      reason="The output was split.")
    indicator.refresh_from_db()
    # The name does not score: written at once. The result and the weight wait.
    assert indicator.name == "Cities supported (count)"
    assert (indicator.result_id, indicator.weight) == (scored["chain"]["outputs"][0].pk, 1)
    assert saved.proposal.shown == [["Result", scored["chain"]["outputs"][0].code, elsewhere.code],
                                    ["Weight", "1", "100"]]

    with pytest.raises(PermissionDenied):  # officers do not review
        services.proposal_approve(proposal=saved.proposal, by=officer, version=saved.proposal.version)
    services.proposal_approve(proposal=saved.proposal, by=manager, version=saved.proposal.version)
    indicator.refresh_from_db()
    assert (indicator.result_id, indicator.weight) == (elsewhere.pk, 100)
    assert indicator.history.first().history_change_reason == "Change approved: The output was split."


def test_an_officer_cannot_approve_and_a_manager_cannot_approve_their_own(scored, officer, manager, make_user):
    from citiesalliance import roles

    indicator = scored["indicator"]
    saved = services.indicator_update(indicator=indicator, by=manager, version=indicator.version, weight=D(2),
                                      reason="Weighted up.")
    with pytest.raises(ValidationError, match="You proposed this change: another manager must review it."):
        services.proposal_approve(proposal=saved.proposal, by=manager, version=saved.proposal.version)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(proposal=saved.proposal, by=officer, version=saved.proposal.version)
    other = make_user(roles.MANAGER)
    services.proposal_approve(proposal=saved.proposal, by=other, version=saved.proposal.version)
    indicator.refresh_from_db()
    assert indicator.weight == 2


def test_a_returned_proposal_changes_nothing_and_shows_on_the_proposers_worklist(scored, officer, manager, client):
    indicator = scored["indicator"]
    saved = services.baseline_record(indicator=indicator, by=officer, value="12", period="FY2013",
                                     version=indicator.baseline.version, reason="Recount.")
    with pytest.raises(ValidationError, match="awaiting review"):
        services.baseline_record(indicator=indicator, by=officer, value="14", period="FY2013",
                                 version=saved.version, reason="Another recount.")
    with pytest.raises(ValidationError) as exc:
        services.proposal_return(proposal=saved.proposal, by=manager, note=" ", version=saved.proposal.version)
    assert exc.value.message_dict["note"] == ["Say what should change: the proposer sees this note."]
    services.proposal_return(proposal=saved.proposal, by=manager, note="Attach the recount.",
                             version=saved.proposal.version)
    assert Baseline.objects.get(indicator=indicator).value == 10
    client.force_login(officer)
    page = client.get(reverse("indicators:worklist")).content.decode()
    assert "proposed change to the baseline" in page and "Attach the recount." in page
    # Once returned, a new proposal may be made.
    again = services.baseline_record(indicator=indicator, by=officer, value="12", period="FY2013",
                                     version=saved.version, reason="Recount, with the sheet attached.")
    assert again.proposal.status == "proposed"


def test_a_baseline_cannot_move_into_or_after_a_measured_period(scored, officer):
    indicator = scored["indicator"]
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2014",
                                 version=indicator.baseline.version, reason="Later survey.")
    assert exc.value.message_dict["period"] == [
        "PROP-1 already has measurements for FY2014, which would fall in or before a baseline of FY2014; the "
        "baseline must come before every measured period."]
    assert not Proposal.objects.exists()


def test_nothing_is_measured_in_or_before_the_baseline_period(scored, officer, client):
    indicator = scored["indicator"]
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2013", by=officer, value="1")
    assert exc.value.message_dict["period"] == [
        "The baseline of PROP-1 is FY2013; record measurements for periods after it, not FY2013."]
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]),
                           {"period": "FY2013", "value": "1", "version": "0", "action_draft": "1"})
    assert response.status_code == 200
    assert "record measurements for periods after it, not FY2013" in response.content.decode()


def test_before_any_approval_the_same_changes_are_written_at_once(make_indicator, officer):
    indicator = make_indicator(aggregation="sum")
    services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3")
    indicator = services.indicator_update(indicator=indicator, by=officer, version=indicator.version, weight=D(3))
    assert indicator.proposal is None and Indicator.objects.get(pk=indicator.pk).weight == 3
    baseline = services.baseline_record(indicator=indicator, by=officer, value="2", period="FY2013")
    assert baseline.proposal is None and baseline.value == 2


def test_saving_unchanged_writes_nothing(scored, officer):
    indicator = scored["indicator"]
    baseline = indicator.baseline
    counts = (Baseline.history.count(), Proposal.objects.count(), indicator.measurements.first().history.count())
    same = services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013",
                                    version=baseline.version)
    assert same.version == baseline.version and same.proposal is None
    m = indicator.measurements.order_by("period__end").first()
    again = services.measurement_save_draft(indicator=indicator, period=m.period, by=officer, value="5",
                                            evidence_url="https://example.org/e", so_what="Shared.", version=m.version)
    assert (again.status, again.revision, again.version) == ("approved", 1, m.version)
    target = indicator.targets.get()
    kept = services.target_set(indicator=indicator, period=target.period, by=officer, value="30",
                               rationale=target.rationale, version=target.version)
    assert (kept.status, kept.version) == ("approved", target.version)
    assert (Baseline.history.count(), Proposal.objects.count(), m.history.count()) == counts


def test_an_indicator_moves_only_to_a_framework_that_holds_its_figures(scored, make_framework, officer):
    """PROP-1 has figures for FY2013-FY2015; a framework of FY2020-FY2025 cannot take it, directly or
    through a proposal, and the message names the years."""
    from results import services as result_services
    from results.levels import Level

    later = result_services.framework_update(framework=make_framework(), first_fiscal_year=2020,
                                             last_fiscal_year=2025)
    impact = result_services.result_create(framework=later, level=Level.IMPACT, code=f"{later.code}-IMP",
                                           statement="Impact statement")
    indicator = scored["indicator"]
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version, result=impact,
                                  reason="Moved to the new programme.")
    assert exc.value.message_dict["result"] == [
        f"PROP-1 has figures for FY2013, FY2014, FY2015, outside {later.name} (FY2020 to FY2025); it cannot "
        "move to a result there."]
    assert not Proposal.objects.exists()


def test_a_proposal_that_could_never_be_applied_is_refused_when_made(scored, officer, client):
    indicator = scored["indicator"]
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version, weight=D(0),
                                  reason="Not counted any more.")
    assert "weight" in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_a_proposal_whose_result_was_deleted_can_be_opened_and_returned(scored, make_chain, officer, manager,
                                                                        client):
    from results import services as result_services

    indicator = scored["indicator"]
    elsewhere = make_chain(outputs=1)["outputs"][0]
    saved = services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                      result=elsewhere, reason="The output was split.")
    result_services.result_delete(result=elsewhere)
    client.force_login(manager)
    url = reverse("indicators:proposal", args=[indicator.code, saved.proposal.pk])
    page = client.get(url)
    assert page.status_code == 200 and "no longer exists" in page.content.decode()
    approve = client.post(url, {"version": saved.proposal.version, "action_approve": "1"})
    assert approve.status_code == 200 and "no longer exists" in approve.content.decode()
    indicator.refresh_from_db()
    assert indicator.result_id == scored["chain"]["outputs"][0].pk
    back = client.post(url, {"version": saved.proposal.version, "action_return": "1", "note": "Result gone."})
    assert back.status_code == 302
    saved.proposal.refresh_from_db()
    assert saved.proposal.status == "returned"
