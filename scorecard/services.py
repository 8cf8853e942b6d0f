"""Writes of the scorecard app: publishing an edition (there is no other write: editions are final)."""
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from citiesalliance.background import enqueue_after_commit
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

    Its PDF is then made from those frozen figures by a background task (`edition_pdf_make`): the
    edition says its PDF is pending until it is stored.
    """
    errors = {}
    commentary = (commentary or "").strip()
    if not commentary:
        errors["commentary"] = [_("Write the reflect note: what is working, what is not, and why.")]
    card = scorecard_build(framework_code=framework.code, period_label=period.label,
                           business_line_code=business_line.code if business_line else None)
    if not card.period_has_data:
        errors["period"] = [_("%(framework)s has no targets or approved figures for %(period)s: choose a period it "
                              "reports on.") % {"framework": framework.name, "period": period.label}]
    elif not any(True for _row in card.rows):
        errors["business_line" if business_line else "period"] = [
            _("There are no indicators to publish for %(framework)s in %(line)s.") % {
                "framework": framework.name, "line": business_line.name} if business_line else
            _("There are no indicators to publish for %(framework)s.") % {"framework": framework.name}]
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
    edition.pdf_pending = True
    edition.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError:
        # The same publication committed a moment earlier (the second of two clicks): that one stands.
        existing = Edition.objects.filter(fingerprint=fingerprint).first()
        if existing is None:
            raise
        existing.created = False
        return existing
    # Its PDF is made by the task worker: a long render must not hold the request.
    from .tasks import edition_pdf_task

    enqueue_after_commit(edition_pdf_task, edition_id=edition.pk)
    edition.refresh_from_db(fields=["pdf", "pdf_sha256", "pdf_pending", "pdf_error"])
    edition.created = True
    return edition


def edition_pdf_make(*, edition_id: int) -> str:
    """Render and store an edition's PDF from its frozen figures, once (idempotent: an edition that
    has its PDF is left alone, and of two runs at once only the first stored file stands).

    The bytes depend only on the frozen edition (no creation time but the publication's, no random
    document ID), so a retry after a worker died makes exactly the same file and SHA-256. If the PDF
    cannot be made, the edition keeps no file and says why; its download renders it on request.
    """
    edition = Edition.objects.select_related("framework").filter(pk=edition_id).first()
    if edition is None:  # its publication was rolled back: nothing to make
        return ""
    if edition.pdf:
        return edition.pdf_sha256
    try:
        document = pack.edition_document(edition)
    except PdfRenderingError as exc:
        Edition.objects.filter(pk=edition.pk, pdf="").update(pdf_pending=False, pdf_error=str(exc))
        return ""
    sha = pack.sha256(document.data)
    stored = edition.pdf.storage.save(
        Edition._meta.get_field("pdf").generate_filename(
            edition, pack.pdf_filename("edition", str(edition.pk), edition.framework.code, edition.period_label)),
        ContentFile(document.data))
    try:
        with transaction.atomic():
            updated = Edition.objects.filter(pk=edition.pk, pdf="").update(
                pdf=stored, pdf_sha256=sha, pdf_pending=False, pdf_error="")
    except BaseException:
        edition.pdf.storage.delete(stored)
        raise
    if not updated:  # another run stored it first: keep that one
        edition.pdf.storage.delete(stored)
    return sha


def edition_published_announce(*, edition_id: int) -> int:
    """Queue the tasks that follow a publication once its PDF is settled (settings.
    EDITION_PUBLISHED_TASKS: the Committee's notice); each is idempotent. Returns how many."""
    if not Edition.objects.filter(pk=edition_id).exists():  # its publication was rolled back
        return 0
    for path in settings.EDITION_PUBLISHED_TASKS:
        enqueue_after_commit(import_string(path), edition_id=edition_id)
    return len(settings.EDITION_PUBLISHED_TASKS)
