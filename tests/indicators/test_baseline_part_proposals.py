"""Correcting a disaggregated baseline after approval (issue 14): once a measurement is approved, a
change of the baseline's parts is a proposal, like a change of its value. The proposal carries the
parts; the reviewer sees each part now and proposed; approval writes them through services.parts
(rules.check_parts), and parts that do not add up are refused with the difference named."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services
from indicators.dimensions import BaselinePart, Dimension, DimensionValue
from indicators.models import Proposal
from indicators.services.parts import PartInput

D = Decimal


@pytest.fixture
def sex(db):
    dim = Dimension.objects.create(name="Sex", slug="sex", order=1)
    return (dim, DimensionValue.objects.create(dimension=dim, name="female", slug="female", order=1),
            DimensionValue.objects.create(dimension=dim, name="male", slug="male", order=2))


@pytest.fixture
def approved(make_indicator, sex, officer, manager):
    """People trained: baseline 10 in FY2013 = female 6 + male 4, and an approved FY2014 measurement."""
    _, female, male = sex
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    sex[0].indicators.add(indicator)
    services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013", status="validated",
                             parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="5",
                                    evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    return indicator


def _parts():
    return {p.dimension_value.name: p.value for p in BaselinePart.objects.select_related("dimension_value")}


def _approve(proposal, manager):
    return services.proposal_approve(proposal=proposal, by=manager, version=proposal.version)


def test_a_parts_correction_is_proposed_and_written_on_approval(approved, sex, officer, manager):
    _, female, male = sex
    baseline = services.baseline_parts_set(indicator=approved, by=officer, reason="Recount of the register.",
                                           parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(5))})
    proposal = baseline.proposal
    assert proposal.subject == "baseline" and proposal.shown == [
        ["Sex: female", "6 people", "5 people"], ["Sex: male", "4 people", "5 people"]]
    assert _parts() == {"female": 6, "male": 4}  # nothing changes until a manager approves
    _approve(proposal, manager)
    assert _parts() == {"female": 5, "male": 5}
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"


def test_a_value_and_its_parts_are_proposed_together(approved, sex, officer, manager):
    _, female, male = sex
    baseline = services.baseline_record(indicator=approved, by=officer, value="12", period="FY2013",
                                        status="validated", version=approved.baseline.version,
                                        reason="Two were missed.",
                                        parts={female.pk: PartInput(D(7)), male.pk: PartInput(D(5))})
    assert baseline.proposal.shown == [["Value", "10 people", "12 people"], ["Sex: female", "6 people", "7 people"],
                                       ["Sex: male", "4 people", "5 people"]]
    _approve(baseline.proposal, manager)
    approved.baseline.refresh_from_db()
    assert approved.baseline.value == 12 and _parts() == {"female": 7, "male": 5}


def test_proposed_parts_that_do_not_add_up_are_refused_naming_the_difference(approved, sex, officer):
    _, female, male = sex
    with pytest.raises(ValidationError, match="Sex: the parts add up to 9, 1 less than the total 10"):
        services.baseline_parts_set(indicator=approved, by=officer, reason="Recount.",
                                    parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(4))})
    with pytest.raises(ValidationError, match="Sex: the parts add up to 10, 2 less than the total 12"):
        services.baseline_record(indicator=approved, by=officer, value="12", period="FY2013", status="validated",
                                 version=approved.baseline.version, reason="Recount.",
                                 parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    assert not Proposal.objects.exists()


def test_approval_checks_the_parts_again(approved, sex, officer, manager):
    """A proposal whose parts no longer add up (here: tampered with) is refused on approval, by the
    same rule, and nothing is written."""
    _, female, male = sex
    proposal = services.baseline_parts_set(indicator=approved, by=officer, reason="Recount.",
                                           parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(5))}).proposal
    proposal.changes["parts"][str(male.pk)]["value"] = "3"
    proposal.save()
    with pytest.raises(ValidationError, match="Sex: the parts add up to 8, 2 less than the total 10"):
        _approve(proposal, manager)
    assert _parts() == {"female": 6, "male": 4}


def test_the_baseline_form_shows_the_grid_and_the_reviewer_sees_old_and_new_parts(client, approved, sex, officer,
                                                                                  manager):
    _, female, male = sex
    url = reverse("indicators:baseline_edit", args=[approved.code])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert f'name="part-{female.pk}-value"' in page and 'name="reason"' in page
    data = {"value": "10", "period": "FY2013", "status": "validated", "version": approved.baseline.version,
            "reason": "Recount of the register.", f"part-{female.pk}-value": "5", f"part-{male.pk}-value": "4"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Sex: the parts add up to 9, 1 less than the total 10." in \
        response.content.decode()
    response = client.post(url, {**data, f"part-{male.pk}-value": "5"}, follow=True)
    assert "Proposed for review (Sex: female: 6 people → 5 people; Sex: male: 4 people → 5 people)" in \
        response.content.decode()
    proposal = Proposal.objects.get()
    client.force_login(manager)
    review = reverse("indicators:proposal", args=[approved.code, proposal.pk])
    page = client.get(review).content.decode()
    assert '<th scope="row">Sex: female</th><td>6 people</td><td>5 people</td>' in page
    assert '<th scope="row">Sex: male</th><td>4 people</td><td>5 people</td>' in page
    assert client.post(review, {"version": proposal.version, "note": ""}).status_code == 302
    assert _parts() == {"female": 5, "male": 5}
    section = client.get(approved.get_absolute_url()).content.decode()
    assert '<th scope="row">female</th><td class="text-end">5 people</td>' in section


def test_the_reviewer_sees_the_effect_on_each_slice(make_indicator, sex, officer, manager):
    """Baseline 10 = female 6 + male 4; FY2015 target 30 = 15 + 15; FY2014 actual 5 = 3 + 2.
    Female slice at FY2015: (6 + 3 - 6) / (15 - 6) = 33%; with the proposed female 5 + male 5:
    (5 + 3 - 5) / (15 - 5) = 30%. Male: (4 + 2 - 4) / (15 - 4) = 18%, then (5 + 2 - 5) / (15 - 5) = 20%.
    The whole figures do not move: (15 - 10) / (30 - 10) = 25%."""
    from scorecard.effects import proposal_effect

    _, female, male = sex
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    sex[0].indicators.add(indicator)
    services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013", status="validated",
                             parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    t = services.target_set(indicator=indicator, period="FY2015", by=officer, value="30",
                            parts={female.pk: PartInput(D(15)), male.pk: PartInput(D(15))})
    services.target_approve(target=t, by=manager, version=t.version)
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="5", submit=True,
                                    evidence_url="https://example.org/e", so_what="Shared.",
                                    parts={female.pk: PartInput(D(3)), male.pk: PartInput(D(2))})
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    proposal = services.baseline_parts_set(indicator=indicator, by=officer, reason="Recount.",
                                           parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(5))}).proposal
    rows = {(r.slice, r.what): (r.before_progress, r.after_progress) for r in proposal_effect(proposal=proposal).rows
            if r.kind == "indicator"}
    assert rows == {("", indicator.code): ("25%", "25%"), ("Sex: female", indicator.code): ("33%", "30%"),
                    ("Sex: male", indicator.code): ("18%", "20%")}
    assert _parts() == {"female": 6, "male": 4}  # the effect is worked out and rolled back
