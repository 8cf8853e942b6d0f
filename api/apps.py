from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open-data layer: the REST API under /api/v1/ and the IATI results export."""
    name = "api"
    verbose_name = _("Open data (API and IATI)")
