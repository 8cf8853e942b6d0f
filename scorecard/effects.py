"""What a proposed change would do to the scorecard, for the manager who reviews it.

The change is applied by the same service that approval uses, inside a transaction that is then
rolled back, and the scorecard is built by the same selector as the page: so "after" is exactly
what the Committee would see once the change is approved, with no second formula to drift.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators import services
from indicators.dimensions import DimensionValue
from indicators.models import Proposal, Target
from results.models import Result

from .selectors import scorecard_build


@dataclass(frozen=True)
class EffectRow:
    period: str
    what: str  # an indicator code, a result code, or the framework's name
    kind: str  # "indicator", "result", "framework"
    before_progress: str
    before_status: str
    after_progress: str
    after_status: str
    slice: str = ""  # "Sex: female" when the row is of a slice (a proposal of a baseline's parts)

    @property
    def changed(self) -> bool:
        return (self.before_progress, self.before_status) != (self.after_progress, self.after_status)


@dataclass
class Effect:
    rows: list
    problem: str = ""  # the change can no longer be applied: the rulebook's message


def _scores(framework_codes, periods, code: str, slice_keys=()) -> dict:
    """{(period, slice, what): (kind, progress, status)} for the indicator, the results and the
    frameworks, on the whole figures ("") and on each slice named (the baseline parts' values)."""
    scores = {}
    for framework_code in framework_codes:
        for period in periods:
            for slice_key in (None, *slice_keys):
                card = scorecard_build(framework_code=framework_code, period_label=period, slice_key=slice_key)
                if card.framework is None or card.period is None:
                    continue
                name = card.slice.name if card.slice else ""
                scores[(period, name, card.framework.name)] = ("framework", card.summary.get("score", "—"),
                                                               card.summary.get("status_label", "—"))
                for section in card.sections:
                    for result in section["results"]:
                        rollup = result["rollup"] or {}
                        scores[(period, name, result["code"])] = ("result", rollup.get("score", "—"),
                                                                  rollup.get("status_label", "—"))
                        for row in result["rows"]:
                            if row["code"] == code:
                                scores[(period, name, code)] = ("indicator", row["progress"], row["status_label"])
    return scores


def proposal_effect(*, proposal: Proposal) -> Effect:
    """Each affected row's progress and status before and after, for the periods with an approved
    target; only rows that change (the indicator's own rows always)."""
    indicator = proposal.indicator
    periods = list(Target.objects.filter(indicator=indicator, approved_at__isnull=False)
                   .order_by("period__end").values_list("period__label", flat=True))
    frameworks = [indicator.result.framework.code]
    new_result = proposal.changes.get("result") if proposal.subject == Proposal.Subject.INDICATOR else None
    if new_result is not None:
        moved_to = Result.objects.select_related("framework").filter(pk=new_result).first()
        if moved_to is not None and moved_to.framework.code not in frameworks:
            frameworks.append(moved_to.framework.code)
    # a baseline's parts re-score only its slices: show those of the values whose parts are proposed
    slice_keys = sorted(DimensionValue.objects.filter(pk__in=[int(k) for k in proposal.changes.get("parts") or {}])
                        .values_list("slug", flat=True)) if proposal.subject == Proposal.Subject.BASELINE else []
    before = _scores(frameworks, periods, indicator.code, slice_keys)
    problem = ""
    with transaction.atomic():
        try:
            services.proposal_apply(proposal=proposal, by=proposal.proposed_by)
            after = _scores(frameworks, periods, indicator.code, slice_keys)
        except ValidationError as exc:
            problem, after = " ".join(exc.messages), before
        transaction.set_rollback(True)
    rows = []
    for key in sorted(set(before) | set(after), key=lambda k: (periods.index(k[0]), k[1], k[2] != indicator.code)):
        kind, was_progress, was_status = before.get(key, (after[key][0], "—", "—"))
        _, now_progress, now_status = after.get(key, (kind, "—", "—"))
        row = EffectRow(period=key[0], what=key[2], kind=kind, before_progress=was_progress,
                        before_status=was_status, after_progress=now_progress, after_status=now_status,
                        slice=key[1])
        if row.changed or row.kind == "indicator":
            rows.append(row)
    return Effect(rows=rows, problem=problem)
