"""Only approved targets count, on every page: a revision keeps the last approved target in force
until a manager approves it, and a target never approved leaves its indicator not due.

The figures: baseline 0 (FY2013), an approved FY2015 target of 100 and an approved actual of 50, so
progress = (50 - 0) / (100 - 0) = 50%: off track. Scoring against the revised target of 50 before
anyone approved it would show 100%: on track.
"""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from citiesalliance import roles
from indicators import selectors, services
from indicators.models import Target
from scorecard import services as scorecard_services
from scorecard.selectors import scorecard_build

D = Decimal


def _approved_actual(indicator, period, value, officer, manager):
    m = services.measurement_save_draft(indicator=indicator, period=period, by=officer, value=value,
                                        evidence_url="https://example.org/evidence", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    return services.measurement_approve(measurement=m, by=manager, version=m.version)


@pytest.fixture
def chain(make_chain, make_indicator, officer, manager):
    """FWT: REV has an approved target of 100 and an approved actual of 50 in FY2015; NEW has only a
    proposed (never approved) FY2015 target and an approved actual."""
    chain = make_chain(code="FWT")
    out = chain["outputs"][0]
    rev = make_indicator(out, code="REV", aggregation="latest")
    services.baseline_record(indicator=rev, by=officer, value="0", period="FY2013")
    target = services.target_set(indicator=rev, period="FY2015", by=officer, value="100", rationale="Plan")
    services.target_approve(target=target, by=manager, version=target.version)
    _approved_actual(rev, "FY2015", "50", officer, manager)
    new = make_indicator(out, code="NEW", aggregation="latest")
    services.baseline_record(indicator=new, by=officer, value="0", period="FY2013")
    services.target_set(indicator=new, period="FY2015", by=officer, value="10", rationale="Proposed")
    _approved_actual(new, "FY2015", "2", officer, manager)
    return chain


def _scorecard_row(code, period="FY2015"):
    card = scorecard_build(framework_code="FWT", period_label=period)
    return next(row for row in card.rows if row["code"] == code)


def _page_row(code, period="FY2015"):
    indicator = selectors.indicator_get(code=code)
    page = selectors.indicator_page(indicator=indicator)
    return next(row for row in page["rows"] if row.period.label == period)


def _shown(code):
    """(progress, status) as the scorecard shows them, and as the indicator page shows them."""
    row, page = _scorecard_row(code), _page_row(code)
    percent = page.progress_percent
    return (row["progress"], row["status_label"]), (f"{percent}%" if percent is not None else "",
                                                     page.evaluation.status.label)


def _revise(code, value, officer, reason="Budget cut"):
    target = Target.objects.get(indicator__code=code, period__label="FY2015")
    return services.target_set(indicator=target.indicator, period="FY2015", by=officer, value=value,
                               rationale=reason, version=target.version)


def test_approval_copies_the_figures_and_a_revision_keeps_them(chain, officer, manager):
    target = Target.objects.get(indicator__code="REV")
    assert (target.status, target.approved_value, target.approved_at is not None) == ("approved", D(100), True)
    revised = _revise("REV", "50", officer)
    assert (revised.status, revised.value, revised.approved_value) == ("preliminary", D(50), D(100))
    returned = services.target_return(target=revised, by=manager, note="Keep 100", version=revised.version)
    assert (returned.status, returned.value, returned.approved_value) == ("returned", D(50), D(100))
    again = _revise("REV", "60", officer, reason="Budget cut, less deep")
    assert (again.status, again.approved_value) == ("preliminary", D(100))
    approved = services.target_approve(target=again, by=manager, version=again.version)
    assert (approved.status, approved.value, approved.approved_value) == ("approved", D(60), D(60))
    never = Target.objects.get(indicator__code="NEW")
    assert (never.approved_value, never.approved_rating, never.approved_at) == (None, "", None)


def test_a_revision_changes_no_page_and_no_edition_until_a_manager_approves_it(
        chain, officer, manager, make_user):
    assert _shown("REV") == (("50%", "Off track"), ("50%", "Off track"))
    edition = scorecard_services.edition_publish(framework=chain["framework"],
                                                 period=Target.objects.get(indicator__code="REV").period,
                                                 commentary="Before the revision.", published_by=manager)

    revised = _revise("REV", "50", officer)  # officers hold change_target
    assert _shown("REV") == (("50%", "Off track"), ("50%", "Off track"))  # not 100%: not approved
    row = _scorecard_row("REV")
    assert (row["target"], row["target_period"]) == ("100", "FY2015")
    assert "revised FY2015 target awaiting approval: the approved one counts" in row["note"]
    page = _page_row("REV")
    assert (page.target_text, page.approved_target_text) == ("50 cities", "100 cities")

    # The manager returns the revision: the approved target of 100 still counts.
    services.target_return(target=revised, by=manager, note="Keep the ambition", version=revised.version)
    assert _shown("REV") == (("50%", "Off track"), ("50%", "Off track"))

    # Proposed again and approved by a manager: now both pages score against 50.
    again = _revise("REV", "50", officer, reason="Budget cut confirmed by the board")
    assert _shown("REV") == (("50%", "Off track"), ("50%", "Off track"))
    services.target_approve(target=again, by=make_user(roles.MANAGER), version=again.version)
    assert _shown("REV") == (("100%", "On track"), ("100%", "On track"))
    assert "awaiting approval" not in _scorecard_row("REV")["note"]

    # The edition published before keeps what the committee saw.
    edition.refresh_from_db()
    frozen = next(r for s in edition.sections for res in s["results"] for r in res["rows"] if r["code"] == "REV")
    assert (frozen["target"], frozen["progress"], frozen["status_label"]) == ("100", "50%", "Off track")


def test_a_target_never_approved_is_not_due_on_every_page(chain, client, committee, officer):
    assert _shown("NEW") == (("", "Not due"), ("", "Not due"))  # 2 / 10 = 20% would score an unapproved target
    row = _scorecard_row("NEW")
    assert (row["actual"], row["target"], row["target_period"]) == ("2", "—", "")
    assert "FY2015 target awaiting approval" in row["note"]
    client.force_login(officer)
    html = client.get(reverse("indicators:indicator", args=["NEW"])).content.decode()
    assert "Awaiting approval: not due here until a manager approves it." in html
    # The Executive Committee reads approved figures only: the proposed target is not shown at all.
    client.force_login(committee)
    html = client.get(reverse("indicators:indicator", args=["NEW"])).content.decode()
    assert "Awaiting approval" not in html and "10 cities" not in html
    html = client.get(reverse("scorecard:scorecard"), {"framework": "FWT", "period": "FY2015"}).content.decode()
    assert "FY2015 target awaiting approval" in html


def test_the_indicator_page_shows_the_approved_target_beside_a_revision(chain, client, officer, manager):
    _revise("REV", "50", officer)
    client.force_login(manager)
    html = client.get(reverse("indicators:indicator", args=["REV"])).content.decode()
    assert "the approved target counts until a manager approves the revision" in html
    review = client.get(reverse("indicators:target_review", args=["REV", "FY2015"])).content.decode()
    assert "100 cities: it counts until this revision is approved." in review


def test_the_database_refuses_inconsistent_approved_figures(chain):
    target = Target.objects.get(indicator__code="NEW")
    for bad in ({"approved_value": D(5)},  # a figure without an approval time
                {"approved_at": "2015-07-01T00:00:00Z"},  # an approval time without a figure
                {"approved_rating": "on_track", "approved_value": D(5),
                 "approved_at": "2015-07-01T00:00:00Z"}):  # a numeric target holds no rating
        with pytest.raises(IntegrityError), transaction.atomic():
            Target.objects.filter(pk=target.pk).update(**bad)


def test_the_database_keeps_approved_percentages_between_0_and_100(make_indicator, officer, manager):
    indicator = make_indicator(measure="percentage", aggregation="latest")
    target = services.target_set(indicator=indicator, period="FY2015", by=officer, value="60")
    target = services.target_approve(target=target, by=manager, version=target.version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(approved_value=D("100.5"))


def test_a_revision_to_the_same_figure_is_refused(chain, officer):
    with pytest.raises(ValidationError, match="same as the approved one"):
        _revise("REV", "100", officer)
