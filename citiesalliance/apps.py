from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesAllianceConfig(AppConfig):
    """The project package as an app: project-wide commands (backup, restore), the reader's language."""
    name = "citiesalliance"
    verbose_name = _("Cities Alliance RBM")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .languages import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="citiesalliance-language-at-login")
