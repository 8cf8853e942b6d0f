from django.apps import AppConfig


class CitiesAllianceConfig(AppConfig):
    """The project package as an app: project-wide commands (backup, restore)."""
    name = "citiesalliance"
    verbose_name = "Cities Alliance RBM"
