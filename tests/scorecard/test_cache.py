"""Pages kept in the cache are never stale (issue 17): every write that changes what a page shows of
the figures shows on the next request, through the pages a reader opens; an edition never changes.

The `scored` indicator PROP-1: cumulative, baseline 10 (FY2013), approved target 30 for FY2015,
approved actuals 5 (FY2014) and 5 (FY2015): actual 20, progress 50%, off track by the default
standard (on track from 90%, needs attention from 60%)."""
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Measurement, PerformanceStandard, ReportingPeriod
from scorecard import services as scorecard_services


@pytest.fixture
def read(client, committee, scored):
    """(indicator page, scorecard page) as the Executive Committee reads them now."""
    indicator, framework = scored["indicator"], scored["chain"]["framework"]

    def pages(period="FY2015"):
        client.force_login(committee)
        page = client.get(indicator.get_absolute_url()).content.decode()
        card = client.get(reverse("scorecard:scorecard"), {"framework": framework.code, "period": period})
        return page, card.content.decode()
    return pages


def row_of(card: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}".*?</tr>', card, re.S)
    assert match, f"no row {code}"
    return match.group(0)


def approve_revision(indicator, officer, manager, *, period: str, value: str):
    approved = Measurement.objects.get(indicator=indicator, period__label=period)
    revision = services.measurement_save_draft(indicator=indicator, period=period, by=officer, value=value,
                                               version=approved.version,
                                               evidence_url="https://example.org/r", so_what="Corrected.")
    revision = services.measurement_submit(measurement=revision, by=officer, version=revision.version)
    return revision, lambda: services.measurement_approve(measurement=revision, by=manager, version=revision.version)


def test_an_approval_shows_on_the_next_request(read, scored, officer, manager):
    indicator = scored["indicator"]
    m = services.measurement_record(indicator=indicator, period="FY2016", by=officer, value="7",
                                    evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    page, card = read("FY2016")
    assert "27 cities" not in page and ">27<" not in row_of(card, "PROP-1")  # submitted, not approved
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    page, card = read("FY2016")
    assert "27 cities" in page and ">27<" in row_of(card, "PROP-1")  # 10 + 5 + 5 + 7


def test_a_correction_shows_once_approved_and_not_before(read, scored, officer, manager):
    page, card = read()
    assert "50%" in page and "50%" in row_of(card, "PROP-1")
    _, approve = approve_revision(scored["indicator"], officer, manager, period="FY2015", value="15")
    page, card = read()
    assert "50%" in row_of(card, "PROP-1") and "100%" not in row_of(card, "PROP-1")  # the approved figure holds
    approve()
    page, card = read()
    assert "100%" in page and "100%" in row_of(card, "PROP-1")  # 10 + 5 + 15 = 30 of 30


def test_a_new_and_a_changed_performance_standard_show_on_the_next_request(read, scored):
    page, card = read()
    assert "Off track" in row_of(card, "PROP-1") and "on track at 90%" in page
    standard = PerformanceStandard.objects.create(indicator=scored["indicator"], name="Own", on_track=D("0.50"),
                                                  needs_attention=D("0.30"))
    page, card = read()
    assert "On track" in row_of(card, "PROP-1") and "on track at 50%" in page
    standard.on_track = D("0.55")  # changed, as the admin saves it
    standard.save()
    page, card = read()
    assert "Needs attention" in row_of(card, "PROP-1") and "on track at 55%" in page


def test_a_proposal_approved_shows_on_the_next_request(read, scored, officer, manager):
    indicator = scored["indicator"]
    saved = services.baseline_record(indicator=indicator, by=officer, value="0", period="FY2013",
                                     version=indicator.baseline.version, reason="Counted from zero.")
    page, card = read()
    assert "50%" in row_of(card, "PROP-1")  # proposed: the approved baseline holds
    services.proposal_approve(proposal=saved.proposal, by=manager, version=saved.proposal.version)
    page, card = read()
    assert "33%" in page and "33%" in row_of(card, "PROP-1")  # the actual 0 + 5 + 5 = 10 of 30 from 0


def test_a_publish_shows_and_an_edition_never_changes(read, client, scored, officer, manager):
    framework = scored["chain"]["framework"]
    edition = scorecard_services.edition_publish(framework=framework, period=ReportingPeriod.objects.get(label="FY2015"),
                                                 commentary="What works.", published_by=manager)
    client.force_login(manager)
    listing = client.get(reverse("scorecard:editions")).content.decode()
    assert edition.get_absolute_url() in listing  # published: listed on the next request
    frozen = client.get(edition.get_absolute_url()).content.decode()
    assert "50%" in row_of(frozen, "PROP-1")
    _, approve = approve_revision(scored["indicator"], officer, manager, period="FY2015", value="15")
    approve()
    page, card = read()
    assert "100%" in row_of(card, "PROP-1")  # the live scorecard moved on
    client.force_login(manager)
    again = client.get(edition.get_absolute_url()).content.decode()
    assert "50%" in row_of(again, "PROP-1") and "100%" not in row_of(again, "PROP-1")  # the edition did not


def test_a_change_to_the_chain_and_an_approval_show_on_the_result_page(client, committee, scored, officer, manager):
    from results import services as result_services

    result = scored["chain"]["outputs"][0]
    client.force_login(committee)
    page = client.get(result.get_absolute_url()).content.decode()
    assert "PROP-1" in page and "20 cities" in page
    result_services.result_update(result=result, statement="Cities plan their own slum upgrading, reworded")
    _, approve = approve_revision(scored["indicator"], officer, manager, period="FY2015", value="15")
    approve()
    page = client.get(result.get_absolute_url()).content.decode()
    assert "reworded" in page and "30 cities" in page  # the chain's part and the indicators' part, both new


def test_only_the_live_page_folds_a_large_sheet(client, scored, manager, monkeypatch):
    """Over FOLD_ROWS rows the live page folds its levels; the CSV export and the edition of the same
    figures list every row, unfolded."""
    from django.urls import reverse

    from scorecard import formatting

    client.force_login(manager)
    code = scored["indicator"].result.framework.code
    assert "<details class=\"sc-fold\"" not in client.get(reverse("scorecard:scorecard"), {"framework": code}).content.decode()
    monkeypatch.setattr(formatting, "FOLD_ROWS", 0)
    page = client.get(reverse("scorecard:scorecard"), {"framework": code}).content.decode()
    assert 'details class="sc-fold"' in page and "Show the 1 indicator of " in page and 'data-code="PROP-1"' in page
    export = client.get(reverse("scorecard:export", args=["csv"]), {"framework": code}).content.decode()
    assert "PROP-1" in export


def test_a_rewording_of_the_same_length_shows_on_the_next_request(read, scored):
    """The chains keep no history; the stamp reads their last save, so even a statement reworded
    to one of exactly the same length is not served stale."""
    from results import services as result_services

    result = scored["indicator"].result
    _, card = read()
    old = result.statement
    new = old[::-1] if old[::-1] != old else old.swapcase()
    assert len(new) == len(old) and new != old
    result_services.result_update(result=result, statement=new)
    _, card = read()
    assert new in card and old not in card


def test_a_framework_renamed_or_given_other_years_shows_on_the_next_request(read, scored):
    from results import services as result_services
    from results.stamps import chains_stamp

    framework = scored["chain"]["framework"]
    before = chains_stamp()
    _, card = read()
    result_services.framework_update(framework=framework, name=framework.name[::-1])
    assert chains_stamp() != before
    _, card = read()
    assert framework.name[::-1] in card
