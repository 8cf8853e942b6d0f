"""The export headers and words as the reader reads them. formatting.EXPORT_HEADERS stays English:
it keys the columns (xlsx widths) and the API's JSON; only the header row a person sees is translated.
Pure words, no import from the rest of the app, so formatting may use them."""
from django.utils.translation import gettext_lazy as _

EXPORT_HEADER_LABELS = {
    "Level": _("Level"), "Result": _("Result"), "Indicator code": _("Indicator code"), "Indicator": _("Indicator"),
    "Unit": _("Unit"), "Baseline": _("Baseline"), "Baseline period": _("Baseline period"), "Actual": _("Actual"),
    "Actual period": _("Actual period"), "Actual age": _("Actual age"), "Target": _("Target"),
    "Target period": _("Target period"), "Target status": _("Target status"), "Progress": _("Progress"),
    "Status": _("Status"), "Trend": _("Trend"), "Note": _("Note"),
}
TARGET_STATUS_WORDS = {"preliminary": _("Preliminary"), "approved": _("Approved")}
TREND_LABELS = {"up": _("Up"), "down": _("Down"), "flat": _("Flat")}


def export_headers(names) -> list[str]:
    """`names` (formatting.EXPORT_HEADERS) in the active language, in the same order."""
    return [str(EXPORT_HEADER_LABELS.get(name, name)) for name in names]


def target_status_word(row: dict) -> str:
    if row.get("target_preliminary"):
        return str(TARGET_STATUS_WORDS["preliminary"])
    return str(TARGET_STATUS_WORDS["approved"]) if row.get("target_period") else ""


def trend_word(trend) -> str:
    return str(TREND_LABELS.get(trend, ""))
