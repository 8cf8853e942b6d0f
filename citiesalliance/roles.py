"""The four roles as Django groups, and the model permissions each holds.

One table here; data migrations call `roles_sync` so a fresh database gets the groups, and each app
that adds models adds a migration that calls it again. Patterns are "app_label.codename" with
fnmatch wildcards.
"""
from fnmatch import fnmatch

from django.utils.translation import gettext, gettext_noop

# The groups' names in the database stay in English; pages show them in the reader's language (role_label).
OFFICER = gettext_noop("M&E officer")
MANAGER = gettext_noop("M&E manager")
COMMITTEE = gettext_noop("Executive Committee")
ADMINISTRATOR = gettext_noop("Administrator")


def role_label(name: str) -> str:
    """A role's (group's) name as the reader reads it: translated when it is one of the four."""
    return gettext(name) if name in (OFFICER, MANAGER, COMMITTEE, ADMINISTRATOR) else name

DOMAIN_APPS = ("results", "indicators", "scorecard")
READ_ALL = [f"{app}.view_*" for app in DOMAIN_APPS]

OFFICER_WRITES = [
    "indicators.add_indicator", "indicators.change_indicator",
    "indicators.add_baseline", "indicators.change_baseline",
    "indicators.add_target", "indicators.change_target",
    "indicators.add_measurement", "indicators.change_measurement",
]
MANAGER_WRITES = [
    "results.add_result", "results.change_result", "results.delete_result",
    "results.add_alignment", "results.change_alignment", "results.delete_alignment",
    "indicators.review_measurement", "indicators.approve_target", "indicators.review_proposal",
    "indicators.add_performancestandard", "indicators.change_performancestandard",
    "indicators.delete_performancestandard",
    # Disaggregation: the dimensions (Sex, Country, ...), their values and the indicators they split.
    "indicators.add_dimension", "indicators.change_dimension",
    "indicators.add_dimensionvalue", "indicators.change_dimensionvalue",
    "scorecard.publish_edition", "scorecard.add_edition",
    # Computed corporate indicators (issue 18): which programme indicators add up to which.
    "indicators.define_computation",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    COMMITTEE: READ_ALL,
    OFFICER: READ_ALL + OFFICER_WRITES,
    MANAGER: READ_ALL + OFFICER_WRITES + MANAGER_WRITES,
    ADMINISTRATOR: [f"{app}.*" for app in DOMAIN_APPS]
    + ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group", "auth.change_group"]
    # API tokens, one per person, issued and revoked in the admin (DRF's authtoken).
    + ["authtoken.view_tokenproxy", "authtoken.add_tokenproxy", "authtoken.delete_tokenproxy"]
    # What reminders were emailed to whom, and who switched them off (read-only in the admin).
    + ["reminders.view_remindersent", "reminders.view_reminderpreference"],
}
ROLES = tuple(ROLE_PERMISSIONS)


def roles_sync(apps, schema_editor=None) -> None:
    """Create the groups and give each exactly the permissions its patterns match (migration-safe)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist for every app now.
    # (A migration's app configs have no models_module, which create_permissions insists on.)
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        (f"{app_label}.{codename}", pk)
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    ]
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [pk for name, pk in permissions if any(fnmatch(name, p) for p in patterns)]
        group.permissions.set(wanted)


def roles_ensure() -> None:
    """Outside migrations (e.g. after a test flush): the same, with the live app registry."""
    from django.apps import apps as live_apps

    roles_sync(live_apps)


def noop(apps, schema_editor):
    pass
