"""Who may do what in which framework, as a rulebook of plain facts (the `rules` library).

Pure: no ORM and no database. The predicates take a person's Standing (their organisation-wide
permissions and the programmes they hold a role in, read once per request by results/programmes.py)
and a Place (the framework an object lives in: its id, and whether it is a country programme).

- Organisation-wide roles (citiesalliance/roles.py) keep working as before, in every framework.
- A programme officer or manager works on their own programme: sees its working figures (drafts,
  submissions), records and submits; a programme manager also reviews and approves its figures
  (never their own submission: indicators.rules.may_review).
- Either sees the corporate pages as the Executive Committee does (approved figures only) and
  nothing of another country programme (its pages answer 404, as a code that does not exist).
"""
from __future__ import annotations

from dataclasses import dataclass

import rules


@dataclass(frozen=True)
class Standing:
    """What a person holds: organisation-wide permissions ("app.codename"), and their programmes."""
    permissions: frozenset[str] = frozenset()
    officer_of: frozenset[int] = frozenset()
    manager_of: frozenset[int] = frozenset()
    is_superuser: bool = False

    @property
    def programmes(self) -> frozenset[int]:
        return self.officer_of | self.manager_of

    @property
    def has_programme_role(self) -> bool:
        return bool(self.officer_of or self.manager_of)


@dataclass(frozen=True)
class Place:
    """Where an object lives: its framework's id, and whether that framework is a country programme."""
    framework_id: int
    is_programme: bool


def _holds(permission: str):
    return rules.predicate(lambda standing, place: standing.is_superuser or permission in standing.permissions,
                           name=f"holds {permission}")


@rules.predicate
def works_on_it(standing: Standing, place: Place) -> bool:
    return place.framework_id in standing.programmes


@rules.predicate
def manages_it(standing: Standing, place: Place) -> bool:
    return place.framework_id in standing.manager_of


@rules.predicate
def has_a_programme_role(standing: Standing, place: Place) -> bool:
    return standing.has_programme_role


@rules.predicate
def is_a_programme(standing: Standing, place: Place) -> bool:
    return place.is_programme


reads_organisation_wide = _holds("indicators.view_indicator")
enters_organisation_wide = _holds("indicators.change_measurement")

SEE = "see"                      # the framework's pages: chain, indicators, approved figures
SEE_WORKING = "see_working"      # drafts, submissions, returned figures, evidence of unapproved work
ENTER = "enter"                  # record and submit baselines, targets, measurements; edit indicators
REVIEW_MEASUREMENT = "review_measurement"
APPROVE_TARGET = "approve_target"
REVIEW_PROPOSAL = "review_proposal"

RULEBOOK = rules.RuleSet()
RULEBOOK.add_rule(SEE, reads_organisation_wide | works_on_it | (has_a_programme_role & ~is_a_programme))
RULEBOOK.add_rule(SEE_WORKING, enters_organisation_wide | works_on_it)
RULEBOOK.add_rule(ENTER, enters_organisation_wide | works_on_it)
RULEBOOK.add_rule(REVIEW_MEASUREMENT, _holds("indicators.review_measurement") | manages_it)
RULEBOOK.add_rule(APPROVE_TARGET, _holds("indicators.approve_target") | manages_it)
RULEBOOK.add_rule(REVIEW_PROPOSAL, _holds("indicators.review_proposal") | manages_it)
ACTIONS = (SEE, SEE_WORKING, ENTER, REVIEW_MEASUREMENT, APPROVE_TARGET, REVIEW_PROPOSAL)

# The model permissions a programme role gives on top of the person's own, so that the pages'
# model-level checks (citiesalliance/access.py, permission_required) let them in; every object is
# then checked against RULEBOOK for its framework.
PROGRAMME_READS = frozenset({
    "results.view_resultsframework", "results.view_result", "results.view_alignment",
    "indicators.view_indicator", "indicators.view_baseline", "indicators.view_target",
    "indicators.view_measurement", "indicators.view_reportingperiod", "scorecard.view_edition",
    "indicators.view_proposal", "indicators.view_performancestandard", "indicators.view_dimension",
    "indicators.view_dimensionvalue",
})
PROGRAMME_OFFICER_WRITES = frozenset({
    "indicators.change_indicator",
    "indicators.add_baseline", "indicators.change_baseline",
    "indicators.add_target", "indicators.change_target",
    "indicators.add_measurement", "indicators.change_measurement",
})
PROGRAMME_MANAGER_WRITES = PROGRAMME_OFFICER_WRITES | {
    "indicators.review_measurement", "indicators.approve_target", "indicators.review_proposal",
}


def programme_permissions(standing: Standing) -> frozenset[str]:
    """The model permissions the person's programme roles add (empty without one)."""
    granted = frozenset()
    if standing.has_programme_role:
        granted |= PROGRAMME_READS
    if standing.officer_of:
        granted |= PROGRAMME_OFFICER_WRITES
    if standing.manager_of:
        granted |= PROGRAMME_MANAGER_WRITES
    return granted


def may(standing: Standing, action: str, place: Place) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not an action of the programme rulebook")
    return RULEBOOK.test_rule(action, standing, place)


def organisation_wide(standing: Standing, action: str) -> bool:
    """Whether the person may do `action` in every framework (their organisation-wide role does)."""
    nowhere = Place(framework_id=0, is_programme=True)  # a programme nobody holds a role in
    return may(standing, action, nowhere)
