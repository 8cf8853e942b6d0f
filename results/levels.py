"""The fixed ladder of result levels, from the "Model for Results" slide.

Pure data: no ORM. The level's integer is its depth (Impact = 1 at the root), so a child sits at
exactly parent.level + 1. The names are constants, translated when shown (issue 19): `name` is the
English word (kept in exports, the API and IATI), `label` the reader's.
"""
from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_noop as _noop


class Level(IntEnum):
    IMPACT = 1
    OUTCOME = 2
    INTERMEDIATE_OUTCOME = 3
    OUTPUT = 4
    ACTIVITY = 5

    @property
    def label(self) -> str:
        """The level's name in the reader's language."""
        return LADDER[self].label

    @property
    def info(self) -> "LevelInfo":
        return LADDER[self]


@dataclass(frozen=True)
class LevelInfo:
    level: Level
    name: str
    short: str
    control: str
    risk: str
    zone: str
    zone_description: str

    @property
    def label(self) -> str:
        """The name in the reader's language (the catalogues translate the English name)."""
        return gettext(self.name)


LADDER: dict[Level, LevelInfo] = {
    info.level: info
    for info in (
        LevelInfo(Level.IMPACT, _noop("Impact"), "IMP", "Low", "High", "Influence",
                  "Responsible for monitoring, evaluating and using learning to influence others "
                  "and improve effectiveness of interventions."),
        LevelInfo(Level.OUTCOME, _noop("Outcome"), "OC", "Low", "High", "Influence",
                  "Responsible for monitoring, evaluating and using learning to influence others "
                  "and improve effectiveness of interventions."),
        LevelInfo(Level.INTERMEDIATE_OUTCOME, _noop("Intermediate Outcome"), "IO", "Moderate", "Moderate",
                  "Shared responsibility",
                  "What CA is responsible for delivering with CA's clients (through shared "
                  "objectives, performance monitoring and learning)."),
        LevelInfo(Level.OUTPUT, _noop("Output"), "OUT", "High", "Relatively low", "Accountability",
                  "What CA is accountable for monitoring, managing, reporting on and achieving."),
        LevelInfo(Level.ACTIVITY, _noop("Activity"), "ACT", "Total", "Low", "Requirements",
                  "What is needed in order to deliver the Outputs and achieve the Intermediate "
                  "Outcome."),
    )
}

LEVEL_CHOICES = [(info.level.value, gettext_lazy(info.name)) for info in LADDER.values()]
# Business lines describe how outputs and activities are delivered, not higher-level change.
LEVELS_WITH_BUSINESS_LINE = frozenset({Level.OUTPUT, Level.ACTIVITY})


def zones() -> list[tuple[str, str, list[LevelInfo]]]:
    """Accountability zones top to bottom, each with its levels (for the legend)."""
    grouped: dict[str, list[LevelInfo]] = {}
    for info in LADDER.values():
        grouped.setdefault(info.zone, []).append(info)
    return [(zone, infos[0].zone_description, infos) for zone, infos in grouped.items()]
