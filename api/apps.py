from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open-data layer: the REST API under /api/v1/ and the IATI results export."""
    name = "api"
    verbose_name = "Open data (API and IATI)"
