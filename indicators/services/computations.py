"""Computed corporate indicators (issue 18): a manager defines which programme indicators add up to
a corporate one. Every rule is indicators.computed_rules'; the history of both rows is kept."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from results.models import Alignment

from .. import computed_rules
from ..models import Computation, Contribution, Indicator, Measurement
from .common import bump, check_version, require_perm, save, stamp


def _facts(indicator: Indicator, *, computed: bool) -> computed_rules.Facts:
    return computed_rules.Facts(
        code=indicator.code, kind=indicator.kind, measure=indicator.measure, unit=indicator.unit,
        aggregation=indicator.aggregation, result_id=indicator.result_id,
        framework_kind=indicator.result.framework.kind, computed=computed)


def check_entry(indicator: Indicator, *, row: int | None = None) -> None:
    """The rulebook: no figure is entered by hand for a computed indicator (one query)."""
    computed_rules.check_entry_allowed(code=indicator.code, row=row,
                                       computed=Computation.objects.filter(indicator_id=indicator.pk).exists())


def computed_ids(indicator_ids) -> set[int]:
    """Which of `indicator_ids` are computed (one query), for the bulk paths."""
    return set(Computation.objects.filter(indicator_id__in=list(indicator_ids)).values_list("indicator_id", flat=True))


def _check_version(indicator: Indicator, computation: Computation | None, version: int | None) -> None:
    """The page sends the version it was opened with (0: there was no computation then); the command
    sends none. A formula changed or defined by someone else since is not overwritten."""
    if version is None:
        return
    if computation is not None:
        check_version(computation, version, noun=_("The computation of %(code)s") % {"code": indicator.code},
                      fields=("kind", "note"))


def computation_define(*, indicator: Indicator, kind: str, contributing: list[str], by, note: str = "",
                       version: int | None = None) -> Computation:
    """Make `indicator` computed as `kind` (sum / count_met) of the indicators coded `contributing`,
    or change its formula. Refused, with the field and code at fault, unless the rulebook agrees.
    The same formula saved again writes nothing (no new version, no history row)."""
    require_perm(by, "indicators.define_computation", "define computed indicators")
    codes = [c.strip().upper() for c in contributing if c and c.strip()]
    note = (note or "").strip()
    with transaction.atomic():
        indicator = Indicator.objects.select_related("result__framework").select_for_update().get(pk=indicator.pk)
        _check_version(indicator, Computation.objects.filter(indicator=indicator).first(), version)
        found = {i.code: i for i in Indicator.objects.select_related("result__framework").filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError({"contributions": [_("There is no indicator %(code)s.") % {"code": c}
                                                     for c in unknown]})
        computed = computed_ids([i.pk for i in found.values()])
        contributes_to = list(Contribution.objects.filter(indicator=indicator)
                              .values_list("computation__indicator__code", flat=True))
        computed_rules.check_not_contributing(code=indicator.code, contributes_to=contributes_to)
        if Measurement.objects.filter(indicator=indicator).exists():
            raise ValidationError({"indicator": _(
                "%(code)s has measurements entered by hand: a computed indicator's figures come from "
                "its contributing indicators only. Remove its measurements first.") % {"code": indicator.code}})
        aligned = Alignment.objects.filter(target_id=indicator.result_id).values_list("source_id", flat=True)
        computed_rules.check_computation(
            kind=kind, indicator=_facts(indicator, computed=True),
            contributions=[_facts(found[c], computed=found[c].pk in computed) if c in found else None for c in codes],
            aligned_result_ids=set(aligned))
        computation = Computation.objects.filter(indicator=indicator).first()
        wanted = {found[c].pk for c in codes}
        reason = "Computation changed"
        if computation is None:
            computation, reason = Computation(indicator=indicator), "Computation defined"
        elif (computation.kind, computation.note) == (kind, note) and wanted == set(
                computation.contributions.values_list("indicator_id", flat=True)):
            return computation  # saved unchanged
        else:
            bump(computation)
        computation.kind, computation.note, computation.changed_by = kind, note, by
        stamp(computation, by, reason)
        save(computation)
        for old in computation.contributions.exclude(indicator_id__in=wanted):
            stamp(old, by, reason)
            old.delete()
        have = set(computation.contributions.values_list("indicator_id", flat=True))
        for pk in wanted - have:
            contribution = Contribution(computation=computation, indicator_id=pk)
            stamp(contribution, by, reason)
            save(contribution)
    return computation


def computation_remove(*, indicator: Indicator, by, version: int | None = None) -> None:
    """The indicator goes back to figures entered by hand (its computation's history is kept)."""
    require_perm(by, "indicators.define_computation", "define computed indicators")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        computation = Computation.objects.filter(indicator=indicator).first()
        if computation is None:
            return
        _check_version(indicator, computation, version)
        for contribution in computation.contributions.all():
            stamp(contribution, by, "Computation removed")
            contribution.delete()
        stamp(computation, by, "Computation removed")
        computation.delete()
