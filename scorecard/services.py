"""Writes of the scorecard app: publishing an edition (there is no other write: editions are final)."""
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import ReportingPeriod
from results.models import BusinessLine, ResultsFramework

from . import pack
from .models import Edition
from .pdf import PdfRenderingError
from .selectors import scorecard_build


def edition_publish(*, framework: ResultsFramework, period: ReportingPeriod, commentary: str,
                    published_by: settings.AUTH_USER_MODEL, business_line: BusinessLine | None = None) -> Edition:
    """Freeze the scorecard of `framework` at `period` (optionally one business line) as an edition.

    The figures are computed by the same selector as the page and copied into the edition, so a
    later correction of a baseline, target or measurement never changes what was published.
    Publishing exactly what an existing edition holds returns that edition (`created` is False).

    Its PDF is made from those frozen figures before anything is written (a long render must not
    hold the database's write lock), then the edition and its PDF file are saved in one transaction;
    if that fails, the file is deleted again: an edition is published with its PDF or not at all.
    """
    errors = {}
    commentary = (commentary or "").strip()
    if not commentary:
        errors["commentary"] = ["Write the reflect note: what is working, what is not, and why."]
    card = scorecard_build(framework_code=framework.code, period_label=period.label,
                           business_line_code=business_line.code if business_line else None)
    if not card.period_has_data:
        errors["period"] = [f"{framework.name} has no targets or approved figures for {period.label}: "
                            "choose a period it reports on."]
    elif not any(True for _ in card.rows):
        errors["business_line" if business_line else "period"] = [
            f"There are no indicators to publish for {framework.name}"
            f"{' in ' + business_line.name if business_line else ''}."]
    if errors:
        raise ValidationError(errors)
    fingerprint = hashlib.sha256(json.dumps(
        [framework.pk, period.pk, business_line.pk if business_line else None, card.sections, card.summary,
         card.standard, commentary], sort_keys=True, default=str).encode()).hexdigest()
    existing = Edition.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        existing.created = False
        return existing
    edition = Edition(
        fingerprint=fingerprint, framework=framework, period=period, business_line=business_line,
        framework_name=framework.name, period_label=period.label,
        business_line_name=business_line.name if business_line else "",
        standard=card.standard, summary=card.summary, sections=card.sections,
        illustrative=bool(card.illustrative), commentary=commentary,
        published_by=published_by, published_at=timezone.now(),
    )
    edition.full_clean(validate_unique=False)
    try:
        document = pack.edition_document(edition)
    except PdfRenderingError as exc:
        raise ValidationError({"__all__": [f"Nothing was published: {exc}"]}) from exc
    stored = None
    try:
        with transaction.atomic():
            edition.save()
            edition.pdf_sha256 = pack.sha256(document.data)
            edition.pdf.save(pack.pdf_filename("edition", str(edition.pk), framework.code, period.label),
                             ContentFile(document.data), save=False)
            stored = edition.pdf.name
            edition.full_clean(validate_unique=False)
            edition.save(update_fields=["pdf", "pdf_sha256"])
    except BaseException as exc:
        if stored:
            edition.pdf.storage.delete(stored)
        if isinstance(exc, IntegrityError):
            # The same publication committed a moment earlier (the second of two clicks): that one stands.
            existing = Edition.objects.filter(fingerprint=fingerprint).first()
            if existing is not None:
                existing.created = False
                return existing
        raise
    edition.created = True
    return edition
