"""Services and transitions: every rule, every bad input, stale edits, and the audit trail."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from citiesalliance import roles
from indicators import services
from indicators.models import Baseline, Indicator, Measurement, ReportingPeriod, Target


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# --- periods ------------------------------------------------------------------------------------


def test_period_get_or_create_builds_the_parents_once(db):
    q3 = services.period_get_or_create(label="fy2014 q3")
    assert (q3.label, str(q3.start), str(q3.end)) == ("FY2014-Q3", "2014-01-01", "2014-03-31")
    assert q3.parent.label == "FY2014-H2" and q3.parent.parent.label == "FY2014"
    assert services.period_get_or_create(label="FY2014-Q3") == q3
    assert ReportingPeriod.objects.count() == 3


# --- indicators ---------------------------------------------------------------------------------


def test_indicator_rules_have_clear_messages(make_chain, officer):
    out = make_chain()["outputs"][0]
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(by=officer, result=out, code="Q-1", name="Q", kind="qualitative",
                                  measure="number")
    assert errors_of(exc)["measure"] == ["A qualitative indicator is measured by a rating."]
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(by=officer, result=out, code="Q-2", name="Q", measure="rating")
    assert "Only qualitative indicators are rated" in errors_of(exc)["measure"][0]
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(by=officer, result=out, code="P-1", name="P", measure="percentage",
                                  aggregation="sum")
    assert "cannot be summed" in errors_of(exc)["aggregation"][0]
    services.indicator_create(by=officer, result=out, code="dup-1", name="First")
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(by=officer, result=out, code="DUP-1", name="Second")
    assert "code" in errors_of(exc)
    qualitative = services.indicator_create(by=officer, result=out, code="Q-3", name="Q", kind="qualitative")
    assert (qualitative.measure, qualitative.aggregation) == ("rating", "latest")


def test_indicator_update_checks_version_and_protects_recorded_measure(make_indicator, officer, manager):
    indicator = make_indicator()
    indicator = services.indicator_update(indicator=indicator, by=officer, version=1, name="Cities reached")
    assert indicator.version == 2
    with pytest.raises(services.ConflictError) as exc:
        services.indicator_update(indicator=indicator, by=manager, version=1, name="Stale name")
    assert "changed by officer1" in exc.value.messages[0] and "Name: Cities reached" in exc.value.messages[0]
    assert Indicator.objects.get(pk=indicator.pk).name == "Cities reached"
    services.target_set(indicator=indicator, period="FY2014", by=officer, value="5")
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=2, measure="percentage")
    assert "can no longer change" in errors_of(exc)["measure"][0]


# --- baselines ----------------------------------------------------------------------------------


def test_baseline_record_and_its_bad_inputs(make_indicator, officer):
    indicator = make_indicator(measure="percentage")
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="120", period="FY2013")
    assert errors_of(exc)["value"] == ["'120' is not a percentage between 0 and 100."]
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="lots", period="FY2013")
    assert "'lots' is not a number" in errors_of(exc)["value"][0]
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="20", period="FY2009")
    assert "FY2009 is outside" in errors_of(exc)["period"][0]
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="", period="FY2013")
    assert "needs its value" in errors_of(exc)["value"][0]
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="20")
    assert "a period or an as-of date" in errors_of(exc)["period"][0]
    assert not Baseline.objects.exists()

    baseline = services.baseline_record(indicator=indicator, by=officer, value="20%", period="fy13",
                                        source="Survey")
    assert (baseline.value, baseline.period.label, baseline.status, baseline.collected_by) == (
        Decimal("20"), "FY2013", "collected", officer)
    baseline = services.baseline_record(indicator=indicator, by=officer, value="22", period="FY2013",
                                        status="validated", version=baseline.version)
    assert baseline.value == 22 and baseline.version == 2
    with pytest.raises(services.ConflictError) as exc:
        services.baseline_record(indicator=indicator, by=officer, value="30", period="FY2013", version=1)
    assert "Value: 22%" in exc.value.messages[0] and "Status: Validated" in exc.value.messages[0]
    assert exc.value.current_version == 2


def test_planned_baseline_and_qualitative_baseline(make_indicator, officer):
    planned = services.baseline_record(indicator=make_indicator(), by=officer, status="planned",
                                       due_date=__import__("datetime").date(2013, 6, 30))
    assert planned.value is None and planned.status == "planned"
    rated = make_indicator(kind="qualitative")
    with pytest.raises(ValidationError) as exc:
        services.baseline_record(indicator=rated, by=officer, value="3", period="FY2013")
    assert "describe the baseline in words" in errors_of(exc)["value"][0]
    baseline = services.baseline_record(indicator=rated, by=officer, text="Weak dialogue", period="FY2013")
    assert baseline.text == "Weak dialogue" and baseline.value is None


# --- targets ------------------------------------------------------------------------------------


def test_target_workflow(make_indicator, officer, manager, make_user):
    indicator = make_indicator()
    target = services.target_set(indicator=indicator, period="FY2015", by=officer, value="1,200",
                                 rationale="Pipeline")
    assert (target.value, target.status, target.proposed_by) == (Decimal("1200"), "preliminary", officer)
    with pytest.raises(ValidationError) as exc:
        services.target_set(indicator=indicator, period="FY2015", by=officer, value="9")
    assert "already has a target for FY2015 (1,200 cities, preliminary)" in errors_of(exc)["period"][0]
    with pytest.raises(PermissionDenied):
        services.target_approve(target=target, by=officer, version=target.version)
    # Nobody approves the target they proposed.
    own = services.target_set(indicator=indicator, period="FY2016", by=manager, value="1500")
    with pytest.raises(ValidationError, match="You proposed this target"):
        services.target_approve(target=own, by=manager, version=own.version)

    returned = services.target_return(target=target, by=manager, note="Too ambitious", version=target.version)
    assert (returned.status, returned.review_note) == ("returned", "Too ambitious")
    with pytest.raises(ValidationError):
        services.target_approve(target=returned, by=manager, version=returned.version)
    target = services.target_set(indicator=indicator, period="FY2015", by=officer, value="1000",
                                 rationale="Re-planned", version=returned.version)
    assert target.status == "preliminary"
    target = services.target_approve(target=target, by=manager, version=target.version)
    assert (target.status, target.approved_by) == ("approved", manager) and target.approved_at

    # An approved target changes only through a revision with a reason.
    with pytest.raises(ValidationError) as exc:
        services.target_set(indicator=indicator, period="FY2015", by=officer, value="800",
                            rationale="Re-planned", version=target.version)
    assert "explain why it changes" in errors_of(exc)["rationale"][0]
    revised = services.target_set(indicator=indicator, period="FY2015", by=officer, value="800",
                                  rationale="Budget cut", version=target.version)
    assert (revised.status, revised.value, revised.approved_by) == ("preliminary", 800, None)
    values = [(h.value, h.status, h.rationale) for h in revised.history.order_by("history_date")]
    assert (Decimal("1000"), "approved", "Re-planned") in values
    assert values[-1] == (Decimal("800"), "preliminary", "Budget cut")
    services.target_approve(target=revised, by=make_user(roles.MANAGER), version=revised.version)


def test_target_bad_inputs(make_indicator, officer):
    indicator = make_indicator(measure="percentage", aggregation="latest")
    for period, value, field, words in [
        ("FY2015", "101", "value", "'101' is not a percentage between 0 and 100."),
        ("FY2015", "ten", "value", "'ten' is not a number"),
        ("FY2031", "10", "period", "FY2031 is outside"),
        ("next year", "10", "period", "'next year' is not a reporting period"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.target_set(indicator=indicator, period=period, by=officer, value=value)
        assert words in errors_of(exc)[field][0]
    assert not Target.objects.exists()


# --- measurements -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, period, field, words", [
    ("12 cities", "FY2014", "value", "'12 cities' is not a number"),
    ("abc", "FY2014", "value", "'abc' is not a number"),
    ("5", "FY2021", "period", "FY2021 is outside"),
    ("5", "FY2012", "period", "FY2012 is outside"),
    ("5", "2014", "period", "'2014' is not a reporting period"),
])
def test_measurement_bad_inputs(make_indicator, officer, value, period, field, words):
    indicator = make_indicator()
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period=period, by=officer, value=value)
    assert words in errors_of(exc)[field][0]
    assert not Measurement.objects.exists()


def test_percentage_over_100_and_framework_years(make_indicator, officer):
    indicator = make_indicator(measure="percentage", aggregation="latest", frequency="quarterly")
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014-Q1", by=officer, value="100.01")
    assert errors_of(exc)["value"] == ["'100.01' is not a percentage between 0 and 100."]
    framework = indicator.result.framework
    framework.first_fiscal_year, framework.last_fiscal_year = 2015, 2017
    framework.save()
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014-Q1", by=officer, value="50")
    assert errors_of(exc)["period"] == [f"FY2014-Q1 is outside {framework.name}, which covers FY2015 to FY2017."]
    assert services.measurement_save_draft(indicator=indicator, period="FY2017-Q2", by=officer,
                                           value="50%").value == 50


def test_duplicate_period_and_stale_edit(make_indicator, officer, manager):
    indicator = make_indicator()
    first = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="4")
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=manager, value="7")
    assert "already has a measurement for FY2014 (4 cities, draft)" in errors_of(exc)["period"][0]
    # Two people opened version 1; the officer saves first, the manager's save is refused.
    services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="5",
                                    comment="Officer's figure", version=first.version)
    with pytest.raises(services.ConflictError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=manager, value="6",
                                        version=first.version)
    message = exc.value.messages[0]
    assert "was changed by" in message and "Value: 5" in message and "Comment: Officer's figure" in message
    assert exc.value.current["Value"] == "5 cities"
    stored = Measurement.objects.get()
    assert (stored.value, stored.version) == (Decimal("5"), 2)


def test_submit_needs_a_value_evidence_and_so_what(make_indicator, officer, pdf):
    indicator = make_indicator()
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer)
    with pytest.raises(ValidationError) as exc:
        services.measurement_submit(measurement=m, by=officer, version=m.version)
    assert set(errors_of(exc)) == {"value", "evidence", "so_what"}
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence=pdf(), version=m.version)
    with pytest.raises(ValidationError) as exc:  # a draft may omit the "so what?" note; a submission not
        services.measurement_submit(measurement=m, by=officer, version=m.version)
    assert set(errors_of(exc)) == {"so_what"}
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence=pdf(), so_what="The survey shaped the FY2015 plan.",
                                        version=m.version)
    assert m.evidence.name.startswith("evidence/") and m.evidence.name.endswith(".pdf")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    assert (m.status, m.submitted_by) == ("submitted", officer) and m.submitted_at
    with pytest.raises(ValidationError, match="awaiting review"):
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="4",
                                        version=m.version)


def test_evidence_type_and_size_are_checked(make_indicator, officer, pdf):
    indicator = make_indicator()
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence=pdf("virus.exe"))
    assert "evidence must be one of these file types" in errors_of(exc)["evidence"][0]
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence=pdf("big.pdf", size=10 * 1024 * 1024 + 1))
    assert "at most 10 MB" in errors_of(exc)["evidence"][0]


def test_review_transitions(submitted, officer, manager, make_user):
    with pytest.raises(PermissionDenied):
        services.measurement_approve(measurement=submitted, by=officer, version=submitted.version)
    with pytest.raises(ValidationError) as exc:
        services.measurement_return(measurement=submitted, by=manager, note="  ", version=submitted.version)
    assert "the officer sees this note" in errors_of(exc)["note"][0]
    returned = services.measurement_return(measurement=submitted, by=manager, note="Attach the survey",
                                           version=submitted.version)
    assert (returned.status, returned.review_note, returned.reviewed_by) == ("returned", "Attach the survey", manager)
    with pytest.raises(ValidationError, match="not submitted"):
        services.measurement_approve(measurement=returned, by=manager, version=returned.version)
    corrected = services.measurement_record(indicator=returned.indicator, period=returned.period, by=officer,
                                            value="13", evidence_url="https://example.org/survey", so_what="Used to plan the next round.",
                                            version=returned.version, submit=True)
    assert (corrected.status, corrected.value, corrected.reviewed_by) == ("submitted", 13, None)
    approved = services.measurement_approve(measurement=corrected, by=manager, version=corrected.version)
    assert (approved.status, approved.approved_value, approved.reviewed_by) == ("approved", 13, manager)
    assert approved.approved_at and approved.reviewed_at


def test_nobody_approves_their_own_submission(make_indicator, manager):
    indicator = make_indicator()
    m = services.measurement_record(indicator=indicator, period="FY2014", by=manager, value="2",
                                    evidence_url="https://example.org/x", so_what="Used to plan the next round.", submit=True)
    with pytest.raises(ValidationError, match="You submitted the FY2014 measurement"):
        services.measurement_approve(measurement=m, by=manager, version=m.version)
    with pytest.raises(ValidationError, match="another manager must review it"):
        services.measurement_return(measurement=m, by=manager, note="x", version=m.version)
    assert Measurement.objects.get().status == "submitted"


def test_an_approved_value_changes_only_through_a_new_revision(submitted, officer, manager, make_user):
    approved = services.measurement_approve(measurement=submitted, by=manager, version=submitted.version)
    revision = services.measurement_save_draft(indicator=approved.indicator, period=approved.period, by=officer,
                                               value="15", evidence_url="https://example.org/v2", so_what="Used to plan the next round.",
                                               version=approved.version)
    assert (revision.revision, revision.status, revision.value) == (2, "draft", 15)
    assert (revision.approved_value, revision.approved_at) == (12, approved.approved_at)  # still serving
    assert revision.submitted_by is None and revision.reviewed_by is None
    revision = services.measurement_submit(measurement=revision, by=officer, version=revision.version)
    revision = services.measurement_approve(measurement=revision, by=make_user(roles.MANAGER),
                                            version=revision.version)
    assert (revision.approved_value, revision.revision) == (15, 2)


def test_qualitative_measurement(make_indicator, officer, manager):
    indicator = make_indicator(kind="qualitative")
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="3")
    assert "rated, not counted" in errors_of(exc)["value"][0]
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, rating="Needs attention",
                                    text="Two of five forums met", evidence_url="https://example.org/n", so_what="Used to plan the next round.",
                                    submit=True)
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    assert (m.approved_rating, m.approved_value, m.text) == ("needs_attention", None, "Two of five forums met")


def test_history_records_who_did_each_step(submitted, officer, manager):
    m = services.measurement_return(measurement=submitted, by=manager, note="Fix", version=submitted.version)
    steps = [(h.history_user, h.status, h.history_change_reason) for h in m.history.order_by("history_date", "history_id")]
    assert steps == [
        (officer, "draft", "Measurement drafted"),
        (officer, "submitted", "Submitted for review"),
        (manager, "returned", "Returned for revision"),
    ]


# --- database constraints: no bulk path stores what a form refuses ------------------------------


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_refuses_what_services_refuse(make_indicator, officer, manager):
    number = make_indicator()
    percentage = make_indicator(measure="percentage", aggregation="latest")
    rated = make_indicator(kind="qualitative")
    fy14 = services.period_get_or_create(label="FY2014")
    base = dict(period=fy14, status="draft")
    _refused(lambda: Measurement.objects.bulk_create([Measurement(indicator=percentage, measure="percentage",
                                                                  value=Decimal("150"), **base)]))
    _refused(lambda: Measurement.objects.create(indicator=rated, measure="rating", value=1, rating="on_track", **base))
    _refused(lambda: Measurement.objects.create(indicator=number, measure="number", value=1, rating="on_track", **base))
    _refused(lambda: Measurement.objects.create(indicator=rated, measure="rating", rating="excellent", **base))
    _refused(lambda: Measurement.objects.create(indicator=number, measure="number", period=fy14, status="submitted"))
    _refused(lambda: Measurement.objects.create(indicator=number, measure="number", period=fy14, value=1,
                                                status="approved"))
    _refused(lambda: Target.objects.create(indicator=number, period=fy14, measure="number"))
    _refused(lambda: Target.objects.create(indicator=percentage, period=fy14, measure="percentage", value=-1))
    _refused(lambda: Baseline.objects.create(indicator=rated, measure="rating", value=2, status="planned"))
    _refused(lambda: Indicator.objects.create(result=number.result, code="RATED-NUMBER", name="x",
                                              measure="rating", kind="quantitative"))
    m = Measurement.objects.create(indicator=number, measure="number", value=3, submitted_by=officer, **base)
    _refused(lambda: Measurement.objects.filter(pk=m.pk).update(reviewed_by=officer))
    _refused(lambda: Measurement.objects.create(indicator=number, measure="number", value=4, **base))
    t = Target.objects.create(indicator=number, period=fy14, measure="number", value=3, proposed_by=manager)
    _refused(lambda: Target.objects.filter(pk=t.pk).update(approved_by=manager))


def test_a_create_that_loses_a_race_leaves_no_evidence_file(make_indicator, officer, pdf, monkeypatch, settings):
    """Two officers record the same period at once: the second insert hits the unique constraint after
    its file was written; the file goes with the refused row."""
    from indicators.services import measurements as measurement_services

    indicator = make_indicator()
    first = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                        evidence=pdf("first.pdf"))
    # In a real race both the look-up and full_clean's uniqueness check pass before either commits.
    monkeypatch.setattr(measurement_services, "locked_measurement", lambda indicator, period: None)
    monkeypatch.setattr(Measurement, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(Measurement, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="conflicts with a record saved at the same moment"):
        services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="4",
                                    evidence=pdf("second.pdf"))
    stored = [p.name for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert stored == [first.evidence.name.rsplit("/", 1)[-1]]
