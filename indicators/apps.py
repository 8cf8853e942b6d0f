from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # The figures' stamp registers itself with the page cache's stamps (read together, once a
        # request): before the first request, not at whichever page first imports it.
        from . import stamps  # noqa: F401
