"""A measurement's period is of its indicator's frequency, so a summed indicator never counts a year
and its quarters twice; and what decides how approved figures are judged no longer changes.

The double count this prevents: four quarters of 10 plus FY2015 = 40 gave actual 80, progress 200%
against a target of 40."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import selectors, services
from indicators.forms import MeasurementForm
from indicators.models import Measurement
from scorecard.selectors import scorecard_build

D = Decimal


def _approve(indicator, period, value, officer, manager):
    m = services.measurement_save_draft(indicator=indicator, period=period, by=officer, value=value,
                                        evidence_url="https://example.org/evidence", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    return services.measurement_approve(measurement=m, by=manager, version=m.version)


@pytest.fixture
def quarterly(make_chain, make_indicator, officer, manager):
    """FWQ-X-I1: a quarterly cumulative count from 0, with an approved FY2015 target of 40."""
    chain = make_chain(code="FWQ")
    indicator = make_indicator(chain["outputs"][0], code="FWQ-X-I1", aggregation="sum", frequency="quarterly")
    services.baseline_record(indicator=indicator, by=officer, value="0", period="FY2014")
    target = services.target_set(indicator=indicator, period="FY2015", by=officer, value="40")
    services.target_approve(target=target, by=manager, version=target.version)
    return indicator


def test_a_year_is_refused_for_a_quarterly_indicator_with_the_periods_to_record(quarterly, officer):
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=quarterly, period="FY2015", by=officer, value="40")
    assert exc.value.message_dict["period"] == [
        "FY2015 is a fiscal year; FWQ-X-I1 is measured quarterly: record FY2015-Q1 to FY2015-Q4."]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("frequency, period, message", [
    ("annual", "FY2015-Q3", "FY2015-Q3 is a quarter; {code} is measured annually: record FY2015."),
    ("annual", "FY2015-H1", "FY2015-H1 is a half year; {code} is measured annually: record FY2015."),
    ("semiannual", "FY2015", "FY2015 is a fiscal year; {code} is measured twice a year: record FY2015-H1 and "
                             "FY2015-H2."),
    ("semiannual", "FY2015-Q3", "FY2015-Q3 is a quarter; {code} is measured twice a year: record FY2015-H2."),
    ("quarterly", "FY2015-H2", "FY2015-H2 is a half year; {code} is measured quarterly: record FY2015-Q3 and "
                               "FY2015-Q4."),
])
def test_every_mismatch_names_the_period_and_the_frequency(make_indicator, officer, frequency, period, message):
    indicator = make_indicator(frequency=frequency)
    with pytest.raises(ValidationError) as exc:
        services.measurement_save_draft(indicator=indicator, period=period, by=officer, value="1")
    assert exc.value.message_dict["period"] == [message.format(code=indicator.code)]


def test_an_annual_target_over_quarterly_measurements_sums_the_quarters(quarterly, officer, manager):
    for quarter in (1, 2, 3, 4):
        _approve(quarterly, f"FY2015-Q{quarter}", "10", officer, manager)
    # actual(FY2015) = 0 + 10 + 10 + 10 + 10 = 40: progress 40 / 40 = 100% (not 80 and 200%).
    row = next(r for r in scorecard_build(framework_code="FWQ", period_label="FY2015").rows
               if r["code"] == "FWQ-X-I1")
    assert (row["actual"], row["target"], row["progress"], row["status_label"]) == ("40", "40", "100%", "On track")
    page = selectors.indicator_page(indicator=quarterly)
    year = next(r for r in page["rows"] if r.period.label == "FY2015")
    assert (year.actual_text, year.progress_percent) == ("40 cities", 100)


def test_a_stored_year_beside_quarters_is_neither_submitted_nor_approved(quarterly, officer, manager):
    """A row written before the rule (or by hand) cannot reach the scorecard."""
    period = services.period_get_or_create(label="FY2015")
    legacy = Measurement.objects.create(indicator=quarterly, period=period, measure="number", value=D(40),
                                        evidence_url="https://example.org/e", so_what="Used to plan the next round.")
    with pytest.raises(ValidationError) as exc:
        services.measurement_submit(measurement=legacy, by=officer, version=legacy.version)
    assert "FWQ-X-I1 is measured quarterly" in exc.value.message_dict["period"][0]
    Measurement.objects.filter(pk=legacy.pk).update(status="submitted", submitted_by=officer)
    legacy.refresh_from_db()
    with pytest.raises(ValidationError, match="record FY2015-Q1 to FY2015-Q4"):
        services.measurement_approve(measurement=legacy, by=manager, version=legacy.version)
    legacy.refresh_from_db()
    assert legacy.approved_at is None


def test_the_form_offers_only_periods_of_the_indicator_frequency(quarterly, make_indicator, client, officer):
    labels = [value for value, _ in MeasurementForm(indicator=quarterly).fields["period"].widget.choices if value]
    assert labels[:5] == ["FY2013-Q1", "FY2013-Q2", "FY2013-Q3", "FY2013-Q4", "FY2014-Q1"]
    assert not any(label.endswith(("-H1", "-H2")) or "-" not in label for label in labels)
    annual = make_indicator(quarterly.result, code="FWQ-Y-I1")
    labels = [value for value, _ in MeasurementForm(indicator=annual).fields["period"].widget.choices if value]
    assert labels and all("-" not in label for label in labels)
    # A year posted anyway is refused on the form, with the message, and nothing is stored.
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=["FWQ-X-I1"]),
                           {"period": "FY2015", "value": "40", "evidence_url": "https://example.org/e", "so_what": "Used to plan the next round.",
                            "action_draft": "1"})
    assert response.status_code == 200
    assert "FY2015 is a fiscal year; FWQ-X-I1 is measured quarterly" in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_worklist_asks_for_the_quarters_of_an_annual_target(quarterly, officer):
    from datetime import date
    due = selectors.worklist(user=officer, today=date(2015, 3, 1))["due"]
    assert [w.period.label for w in due if w.indicator == quarterly] == ["FY2015-Q1", "FY2015-Q2", "FY2015-Q3"]


# --- what may change once figures exist -------------------------------------------------------------


def test_frequency_is_fixed_once_a_measurement_exists(quarterly, officer):
    indicator = services.indicator_update(indicator=quarterly, by=officer, version=quarterly.version,
                                          frequency="semiannual")  # no measurement yet: fine
    indicator = services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                          frequency="quarterly")
    services.measurement_save_draft(indicator=indicator, period="FY2015-Q1", by=officer, value="10")
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version, frequency="annual")
    assert exc.value.message_dict["frequency"] == [
        "FWQ-X-I1 already has measurements recorded quarterly; its frequency can no longer change "
        "(the periods already measured would no longer fit it)."]
    indicator.refresh_from_db()
    assert indicator.frequency == "quarterly"


def test_direction_and_aggregation_are_fixed_once_a_measurement_is_approved(quarterly, officer, manager):
    draft = services.measurement_save_draft(indicator=quarterly, period="FY2015-Q1", by=officer, value="10",
                                            evidence_url="https://example.org/evidence", so_what="Used to plan the next round.")
    # Only a draft: the indicator may still be corrected.
    indicator = services.indicator_update(indicator=quarterly, by=officer, version=quarterly.version,
                                          aggregation="latest")
    indicator = services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                          aggregation="sum")
    draft = services.measurement_submit(measurement=draft, by=officer, version=draft.version)
    services.measurement_approve(measurement=draft, by=manager, version=draft.version)
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                  direction="decrease", aggregation="average")
    errors = exc.value.message_dict
    assert errors["direction"] == ['FWQ-X-I1 already has approved measurements judged with direction '
                                   '"increase"; its direction can no longer change.']
    assert "its aggregation can no longer change" in errors["aggregation"][0]
    indicator.refresh_from_db()
    assert (indicator.direction, indicator.aggregation) == ("increase", "sum")
    # The weight re-scores the roll-up of approved figures: it goes to a manager, with a reason.
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version, weight=D(2))
    assert "say why it is needed" in exc.value.message_dict["reason"][0]
    indicator = services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                          weight=D(2), reason="Counts twice in the new strategy.")
    indicator.refresh_from_db()
    assert indicator.weight == 1 and indicator.proposal.shown == [["Weight", "1", "2"]]
    services.proposal_approve(proposal=indicator.proposal, by=manager, version=indicator.proposal.version)
    indicator.refresh_from_db()
    assert indicator.weight == 2 and indicator.history.first().weight == 2


def test_the_edit_form_shows_why_the_frequency_cannot_change(quarterly, client, officer, manager):
    _approve(quarterly, "FY2015-Q1", "10", officer, manager)
    client.force_login(officer)
    url = reverse("indicators:indicator_edit", args=["FWQ-X-I1"])
    data = {"result": quarterly.result_id, "code": "FWQ-X-I1", "name": quarterly.name, "kind": "quantitative",
            "measure": "number", "unit": "cities", "direction": "increase", "aggregation": "sum",
            "frequency": "annual", "weight": "1", "order": "0", "version": quarterly.version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "its frequency can no longer change" in response.content.decode()
    quarterly.refresh_from_db()
    assert quarterly.frequency == "quarterly"
