from django.db import migrations

from citiesalliance.roles import noop, roles_sync


class Migration(migrations.Migration):
    """Administrators read what reminders were sent, and who switched them off, in the admin."""
    dependencies = [
        ("reminders", "0001_initial"),
        ("scorecard", "0002_roles"),
        ("api", "0001_roles_api_tokens"),
    ]
    operations = [migrations.RunPython(roles_sync, noop)]
