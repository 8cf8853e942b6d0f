"""The status of each result for a chosen period, for the pages of the results chains (the tree of a
framework and the alignment map), so that the Theory of Change reads as a map of what works.

The results app does not import this app: its templates load scorecard.templatetags.chain_tags,
which calls chain_status. The scores are those of the scorecard itself (scorecard_build, one per
framework shown), so a result shows on the chain exactly what it shows on the scorecard.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from indicators.periods import parse_period_label
from indicators.series import period_ordinal

from .formatting import not_scored
from .selectors import scorecard_build


@dataclass(frozen=True)
class ResultStatus:
    score: str  # "63%", or "" when nothing is scored
    status: str  # a status value, "unscored" or "no_indicators"
    label: str  # the words shown


@dataclass
class ChainStatus:
    period: str = ""  # the label of the period shown
    periods: list = field(default_factory=list)  # [(label, has approved figures)], newest first
    by_code: dict = field(default_factory=dict)  # result code -> ResultStatus
    illustrative: bool = False

    def of(self, code: str) -> ResultStatus | None:
        return self.by_code.get(code)


def chain_status(*, framework_codes: list[str], period_label: str | None = None) -> ChainStatus:
    """Each result's score and status in the frameworks named, at `period_label` or else the latest
    period with approved figures in any of them. A fixed number of queries per framework."""
    codes = [code for code in framework_codes if code]
    cards = [scorecard_build(framework_code=code, period_label=period_label or None) for code in codes]
    cards = [card for card in cards if card.framework is not None]
    if not cards:
        return ChainStatus()
    if not period_label:
        chosen = [card.period for card in cards if card.period is not None]
        if chosen:
            latest = max(chosen, key=lambda p: p.ordinal)
            cards = [card if card.period == latest else
                     scorecard_build(framework_code=card.framework.code, period_label=latest.label)
                     for card in cards]
    status = ChainStatus(period=cards[0].period.label if cards[0].period else "",
                         illustrative=any(card.illustrative for card in cards))
    menu: dict[str, bool] = {}
    for card in cards:
        for label, approved in card.periods:
            menu[label] = menu.get(label, False) or approved
        for section in card.sections:
            for block in section["results"]:
                status.by_code[block["code"]] = _result_status(block["rollup"])
    status.periods = sorted(menu.items(), key=lambda item: _ordinal(item[0]), reverse=True)
    return status


def _ordinal(label: str) -> int:
    spec = parse_period_label(label)
    return period_ordinal(spec.end, spec.kind)


def _result_status(rollup: dict | None) -> ResultStatus:
    if rollup is None:
        return ResultStatus(score="", status="no_indicators", label=_("no indicators"))
    if not rollup["score"]:  # only qualitative, not-due or no-data indicators: nothing to average
        return ResultStatus(score="", status="unscored", label=not_scored(rollup["counts_text"]))
    return ResultStatus(score=rollup["score"], status=rollup["status"], label=rollup["status_label"])
