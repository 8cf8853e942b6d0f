from django.db import migrations

from citiesalliance.roles import noop, roles_sync


class Migration(migrations.Migration):
    """Give the roles the edition permissions (publish and add for managers, all for administrators)."""
    dependencies = [
        ("scorecard", "0001_initial"),
        ("indicators", "0002_roles_and_default_standard"),
    ]
    operations = [migrations.RunPython(roles_sync, noop)]
