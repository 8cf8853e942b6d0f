"""Why a scorecard's figures must be read as illustrative (the banner above the scorecard and over-time
pages), in the reader's language."""
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from results.models import ResultsFramework


def illustrative_reasons(framework: ResultsFramework, indicators) -> list[str]:
    """Why the figures must be read as illustrative; empty when they are real."""
    reasons = []
    text = f"{framework.name} {framework.description}".lower()
    if "illustrative" in text or "synthetic" in text:
        reasons.append(_("%(framework)s is described as illustrative or synthetic.") % {"framework": framework.name})
    flagged = sum(1 for item in indicators if item["illustrative"])
    if flagged:
        reasons.append(ngettext(
            "%(count)s indicator is demonstration data (code DEMO-… or a definition marked illustrative).",
            "%(count)s indicators are demonstration data (code DEMO-… or a definition marked illustrative).",
            flagged) % {"count": flagged})
    if settings.DEBUG:
        reasons.append(_("This is a development server (DEBUG), where demonstration data is loaded."))
    return reasons
