"""Targets: proposed (preliminary), approved by a manager who did not propose them, revised with a
reason. Transitions and review rules are the rulebook's (indicators.rules); an approved target's
figures keep counting while a revision awaits approval."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from results.programme_rules import APPROVE_TARGET, ENTER

from .. import rules, validation
from ..models import Indicator, Target
from .common import bump, check_version, figure_text, require_in_programme, require_perm, save, stamp
from .parts import parts_approve, parts_plan, parts_write, stored_parts
from .periods import framework_period

TARGET_FIELDS = ("period", "value", "rating", "status", "rationale")


def _noun(target: Target) -> str:
    return _("The %(period)s target of %(code)s") % {"period": target.period.label, "code": target.indicator.code}


def _total_from_parts(measure: str, parts) -> bool:
    """A percentage whose parts are given takes its total from them: the total may be left empty."""
    return measure == Indicator.Measure.PERCENTAGE and bool(parts)


def target_set(*, indicator: Indicator, period, by, value=None, rating=None, rationale: str = "",
               version: int = 0, parts: dict | None = None) -> Target:
    """Propose a (preliminary) target, or change one not yet approved, with its parts
    (services.parts). An approved target is changed by target_revise, with the reason for the
    change. Unchanged, nothing is written."""
    indicator = Indicator.objects.select_related("result__framework").get(pk=indicator.pk)
    require_in_programme(by, ENTER, indicator, _("set targets"))
    period = framework_period(indicator, period)
    figure = validation.clean_figure(measure=indicator.measure, value=value, rating=rating,
                                     required=not _total_from_parts(indicator.measure, parts))
    rationale = (rationale or "").strip()
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(indicator=indicator, period=period).first()
        if target is None:
            if version:
                raise ValidationError(_("This target has been removed since you opened it; reload the page."))
            target = Target(indicator=indicator, period=period, proposed_by=by)
            reason = "Target proposed"
            total, wanted_parts = parts_plan(indicator=indicator, total=figure.value, parts=parts, stored={})
        else:
            if not version:
                raise ValidationError({"period": _(
                    "%(code)s already has a target for %(period)s (%(figure)s, %(status)s); edit that one "
                    "instead.") % {"code": indicator.code, "period": period.label,
                                   "figure": figure_text(indicator, target.value, target.rating),
                                   "status": target.get_status_display().lower()}})
            check_version(target, version, noun=_noun(target), fields=TARGET_FIELDS)
            stored = stored_parts(target)
            total, wanted_parts = parts_plan(indicator=indicator, total=figure.value, parts=parts, stored=stored)
            if ((total, figure.rating, rationale) == (target.value, target.rating, target.rationale.strip())
                    and wanted_parts == stored):
                return target  # saved unchanged
            if target.status == Target.Status.APPROVED:
                return target_revise(target=target, by=by, value=value, rating=rating, rationale=rationale,
                                     version=version, parts=parts)
            rules.next_status("target", target.status, rules.EDIT, noun=_noun(target))
            bump(target)
            target.proposed_by = by
            target.approved_by = None  # the proposer changed: any earlier reviewer may now approve
            reason = "Target changed"
        target.measure = indicator.measure
        target.value, target.rating = total, figure.rating
        target.rationale = rationale
        target.status = Target.Status.PRELIMINARY
        stamp(target, by, reason)
        save(target)
        parts_write(owner=target, wanted=wanted_parts, by=by, reason=reason)
    return target


def target_revise(*, target: Target, by, value=None, rating=None, rationale: str, version: int,
                  parts: dict | None = None) -> Target:
    """Change an approved target: the working figures become preliminary until approved (the last
    approved figures keep counting meanwhile); the reason is kept."""
    with transaction.atomic():
        fresh = Target.objects.select_for_update().select_related("indicator__result", "period").get(pk=target.pk)
        require_in_programme(by, ENTER, fresh.indicator, _("revise targets"))
        check_version(fresh, version, noun=_noun(fresh), fields=TARGET_FIELDS)
        figure = validation.clean_figure(measure=fresh.indicator.measure, value=value, rating=rating,
                                         required=not _total_from_parts(fresh.indicator.measure, parts))
        status = rules.next_status("target", fresh.status, rules.REVISE, noun=_noun(fresh))
        rationale = (rationale or "").strip()
        stored = stored_parts(fresh)
        total, wanted_parts = parts_plan(indicator=fresh.indicator, total=figure.value, parts=parts, stored=stored)
        rules.check_target_revision(rationale=rationale, previous_rationale=fresh.rationale,
                                    same_figure=(total, figure.rating) == (fresh.value, fresh.rating)
                                    and wanted_parts == stored)
        fresh.value, fresh.rating = total, figure.rating
        fresh.rationale = rationale
        fresh.status = status
        fresh.proposed_by = by
        fresh.approved_by = None  # any manager but the proposer may approve the revision
        # approved_value / approved_rating / approved_at stay: every page keeps scoring against the
        # last approved target until a manager approves the revision.
        fresh.review_note = ""
        bump(fresh)
        stamp(fresh, by, "Target revised")
        save(fresh)
        parts_write(owner=fresh, wanted=wanted_parts, by=by, reason="Target revised")
    return fresh


def _reviewable(target: Target, by, version: int, *, action: str) -> tuple[Target, str]:
    """The target re-read under lock and checked for a review; (target, its next status)."""
    require_perm(by, "indicators.approve_target",
                 _("approve targets") if action == rules.APPROVE else _("review targets"))
    fresh = Target.objects.select_for_update().select_related("indicator__result", "period").get(pk=target.pk)
    require_in_programme(by, APPROVE_TARGET, fresh.indicator, _("review targets"))
    check_version(fresh, version, noun=_noun(fresh), fields=TARGET_FIELDS)
    status = rules.next_status("target", fresh.status, action, noun=_noun(fresh))
    rules.check_not_own_work(reviewer_id=by.pk, author_id=fresh.proposed_by_id, what=_("this target"),
                             did="proposed", action="approve" if action == rules.APPROVE else "review")
    return fresh, status


def target_approve(*, target: Target, by, version: int) -> Target:
    """Preliminary -> approved: its figures become the approved ones every page scores against."""
    with transaction.atomic():
        fresh, status = _reviewable(target, by, version, action=rules.APPROVE)
        fresh.status = status
        fresh.approved_by = by
        fresh.approved_at = timezone.now()
        fresh.approved_value, fresh.approved_rating = fresh.value, fresh.rating
        fresh.review_note = ""
        bump(fresh)
        stamp(fresh, by, "Target approved")
        save(fresh)
        parts_approve(owner=fresh, by=by, reason="Target approved")
    return fresh


def target_return(*, target: Target, by, note: str, version: int) -> Target:
    """Preliminary -> returned, with a note; an earlier approved target keeps counting."""
    require_perm(by, "indicators.approve_target", _("review targets"))
    require_in_programme(by, APPROVE_TARGET, target.indicator, _("review targets"))
    note = rules.check_return_note(note, who=_("the proposer"))
    with transaction.atomic():
        fresh, status = _reviewable(target, by, version, action=rules.RETURN)
        fresh.status = status
        fresh.review_note = note
        bump(fresh)
        stamp(fresh, by, "Target returned for revision")
        save(fresh)
    return fresh
