from django.db import migrations

from citiesalliance.roles import noop, roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(roles_sync, noop)]
