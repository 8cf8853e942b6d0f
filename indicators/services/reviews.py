"""A manager's decision on a proposed change (services.proposals): approving applies it through
the same writes as a direct edit, re-checked by the rulebook at that moment; returning leaves
everything as it is, with a note for the proposer."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from results.programme_rules import REVIEW_PROPOSAL

from .. import rules
from ..models import Proposal
from . import proposals
from .baselines import baseline_apply
from .common import bump, check_version, require_in_programme, require_perm, save, stamp
from .indicators import indicator_apply


def _noun(proposal: Proposal) -> str:
    return _("The proposed change to the %(subject)s of %(code)s") % {
        "subject": proposal.get_subject_display().lower(), "code": proposal.indicator.code}


def _reviewable(proposal: Proposal, by, version: int, action: str) -> tuple[Proposal, str]:
    require_perm(by, "indicators.review_proposal", _("review proposed changes"))
    fresh = Proposal.objects.select_for_update().select_related("indicator__result").get(pk=proposal.pk)
    require_in_programme(by, REVIEW_PROPOSAL, fresh.indicator, _("review proposed changes"))
    check_version(fresh, version, noun=_noun(fresh), fields=("status", "reason"))
    status = rules.next_status("proposal", fresh.status, action, noun=_noun(fresh))
    rules.check_not_own_work(reviewer_id=by.pk, author_id=fresh.proposed_by_id, what=_("this change"),
                             did="proposed", action="review")
    return fresh, status


def proposal_apply(*, proposal: Proposal, by) -> None:
    """Write the proposal's changes, as approval does. Also used inside a transaction that is then
    rolled back, to show the reviewer what the change would do (scorecard.effects)."""
    changes = proposals.decode(proposal.subject, proposal.changes)
    reason = f"Change approved: {proposal.reason}"
    if proposal.subject == Proposal.Subject.INDICATOR:
        indicator_apply(indicator=proposal.indicator, changes=changes, by=by, reason=reason)
    else:
        baseline_apply(indicator=proposal.indicator, changes=changes, by=by, reason=reason,
                       collected_by=proposal.proposed_by)


def proposal_approve(*, proposal: Proposal, by, version: int) -> Proposal:
    """Proposed -> approved: the change is written now, and every page scores with it."""
    with transaction.atomic():
        fresh, status = _reviewable(proposal, by, version, rules.APPROVE)
        proposal_apply(proposal=fresh, by=by)
        fresh.status = status
        fresh.reviewed_by, fresh.reviewed_at = by, timezone.now()
        bump(fresh)
        stamp(fresh, by, "Change approved")
        save(fresh)
    return fresh


def proposal_return(*, proposal: Proposal, by, note: str, version: int) -> Proposal:
    """Proposed -> returned, with a note; nothing changes."""
    note = rules.check_return_note(note, who=_("the proposer"))
    with transaction.atomic():
        fresh, status = _reviewable(proposal, by, version, rules.RETURN)
        fresh.status = status
        fresh.review_note = note
        fresh.reviewed_by, fresh.reviewed_at = by, timezone.now()
        bump(fresh)
        stamp(fresh, by, "Change returned")
        save(fresh)
    return fresh
