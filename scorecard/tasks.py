"""Background tasks of the scorecard app (django-tasks). Idempotent: see scorecard.services."""
from django_tasks import task

from . import services


@task()
def edition_pdf_task(edition_id: int) -> str:
    """Make and store a published edition's PDF; returns its SHA-256 ("" if it could not be made).
    Then what follows a publication is queued (the Committee's notice, with the PDF when there is one)."""
    try:
        return services.edition_pdf_make(edition_id=edition_id)
    finally:  # the notice goes out without the PDF if the PDF failed
        services.edition_published_announce(edition_id=edition_id)
