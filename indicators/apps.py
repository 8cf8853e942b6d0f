from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "Indicators"

    def ready(self):
        # The figures' stamp registers itself with the page cache's stamps (read together, once a
        # request): before the first request, not at whichever page first imports it.
        from . import stamps  # noqa: F401
