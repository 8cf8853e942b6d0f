from django.db import migrations

from citiesalliance.roles import noop, roles_sync


class Migration(migrations.Migration):
    """Administrators manage the API tokens (DRF's authtoken) in the admin."""
    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("scorecard", "0002_roles"),
        ("indicators", "0004_target_approved_figures"),
    ]
    operations = [migrations.RunPython(roles_sync, noop)]
