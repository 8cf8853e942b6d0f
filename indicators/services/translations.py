"""Loading translations of the chains' result statements and indicator names from a file (the demo's
illustrative French, fixtures/translations_fr.json). Only blank translations are filled: a loaded
file never overwrites what a manager wrote on the site, and loading it again changes nothing."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from results.models import Result

from ..models import Indicator
from .common import bump, save, stamp

LANGUAGES = ("fr", "es", "pt")  # the translated languages (English is the stored text itself)


def translations_load(*, data: dict, by=None) -> dict:
    """Fill `data["language"]`'s blank statements ({"results": {code: text}}) and indicator names and
    definitions ({"indicators": {code: {"name": ..., "definition": ...}}}). All or nothing; a code
    the database does not hold is refused by name. Returns the counts filled."""
    lang = data.get("language")
    if lang not in LANGUAGES:
        raise ValidationError(_("The file's language is %(language)s; it must be one of %(languages)s.") % {
            "language": repr(lang), "languages": ", ".join(LANGUAGES)})
    wanted_results, wanted_indicators = data.get("results", {}), data.get("indicators", {})
    summary = {"results": 0, "indicators": 0}
    with transaction.atomic():
        results = {r.code: r for r in Result.objects.select_for_update().filter(code__in=list(wanted_results))}
        indicators = {i.code: i for i in Indicator.objects.select_for_update().filter(code__in=list(wanted_indicators))}
        missing = sorted(set(wanted_results) - set(results)) + sorted(set(wanted_indicators) - set(indicators))
        if missing:
            raise ValidationError(_("The translations name codes that are not loaded: %(codes)s.") % {
                "codes": ", ".join(missing)})
        for code, text in wanted_results.items():
            result, field = results[code], f"statement_{lang}"
            if (text or "").strip() and not getattr(result, field):
                setattr(result, field, text.strip())
                result.full_clean()
                result.save()
                summary["results"] += 1
        for code, texts in wanted_indicators.items():
            indicator, filled = indicators[code], False
            for name in ("name", "definition"):
                field = f"{name}_{lang}"
                if (texts.get(name) or "").strip() and not getattr(indicator, field):
                    setattr(indicator, field, texts[name].strip())
                    filled = True
            if filled:
                bump(indicator)
                stamp(indicator, by, f"Translation ({lang}) loaded")
                save(indicator)
                summary["indicators"] += 1
    return summary
