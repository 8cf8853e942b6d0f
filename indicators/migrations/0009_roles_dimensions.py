from django.db import migrations

from citiesalliance.roles import noop, roles_sync


class Migration(migrations.Migration):
    """Managers define dimensions and their values (issue 14)."""

    dependencies = [("indicators", "0008_disaggregation")]

    operations = [migrations.RunPython(roles_sync, noop)]
