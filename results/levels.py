"""The fixed ladder of result levels, from the "Model for Results" slide.

Pure data: no ORM. The level's integer is its depth (Impact = 1 at the root), so a child sits at
exactly parent.level + 1. The names are constants, translated when shown (issue 19): `name` is the
English word (kept in exports, the API and IATI), `label` the reader's.
"""
from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext, gettext_lazy, gettext_noop


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

    # The other words of the ladder in the reader's language; the English ones stay the CSS classes.
    @property
    def control_label(self) -> str:
        return gettext(self.control)

    @property
    def risk_label(self) -> str:
        return gettext(self.risk)

    @property
    def zone_label(self) -> str:
        return gettext(self.zone)

    @property
    def zone_description_label(self) -> str:
        return gettext(self.zone_description)


_INFLUENCE = gettext_noop("Responsible for monitoring, evaluating and using learning to influence others "
                          "and improve effectiveness of interventions.")
LADDER: dict[Level, LevelInfo] = {
    info.level: info
    for info in (
        LevelInfo(Level.IMPACT, gettext_noop("Impact"), "IMP", gettext_noop("Low"), gettext_noop("High"),
                  gettext_noop("Influence"), _INFLUENCE),
        LevelInfo(Level.OUTCOME, gettext_noop("Outcome"), "OC", gettext_noop("Low"), gettext_noop("High"),
                  gettext_noop("Influence"), _INFLUENCE),
        LevelInfo(Level.INTERMEDIATE_OUTCOME, gettext_noop("Intermediate Outcome"), "IO",
                  gettext_noop("Moderate"), gettext_noop("Moderate"), gettext_noop("Shared responsibility"),
                  gettext_noop("What CA is responsible for delivering with CA's clients (through shared "
                               "objectives, performance monitoring and learning).")),
        LevelInfo(Level.OUTPUT, gettext_noop("Output"), "OUT", gettext_noop("High"), gettext_noop("Relatively low"),
                  gettext_noop("Accountability"),
                  gettext_noop("What CA is accountable for monitoring, managing, reporting on and achieving.")),
        LevelInfo(Level.ACTIVITY, gettext_noop("Activity"), "ACT", gettext_noop("Total"), gettext_noop("Low"),
                  gettext_noop("Requirements"),
                  gettext_noop("What is needed in order to deliver the Outputs and achieve the Intermediate "
                               "Outcome.")),
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
