"""One IATI export for every path (the command, the framework page's download, the API): the
publisher's fields from settings, the frameworks' rows from api.iati_selectors, the XML from
api.iati."""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import iati
from .iati_selectors import FrameworkNotFound, iati_framework

__all__ = ["FrameworkNotFound", "publisher", "document", "export_bytes", "filename"]


def publisher() -> iati.Publisher:
    return iati.Publisher(
        org_ref=settings.IATI_REPORTING_ORG_REF, org_type=settings.IATI_REPORTING_ORG_TYPE,
        org_name=settings.IATI_REPORTING_ORG_NAME, participating_role=settings.IATI_PARTICIPATING_ROLE,
        activity_status=settings.IATI_ACTIVITY_STATUS, language=settings.IATI_DEFAULT_LANGUAGE,
        site_url=settings.SITE_URL,
        evidence_path=reverse("indicators:evidence", args=[0]).replace("/0/", "/{pk}/"),
    )


def document(codes: list[str], *, now: datetime | None = None):
    """The iati-activities document of the frameworks `codes` (FrameworkNotFound for an unknown one)."""
    frameworks = [iati_framework(code=code, include_activities=settings.IATI_INCLUDE_ACTIVITIES)
                  for code in codes]
    return iati.build_document(frameworks, publisher=publisher(), now=now or timezone.now())


def export_bytes(codes: list[str], *, now: datetime | None = None) -> bytes:
    return iati.to_bytes(document(codes, now=now))


def filename(codes: list[str]) -> str:
    return f"iati-{'-'.join(codes).lower()}.xml"
