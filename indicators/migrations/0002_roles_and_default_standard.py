from decimal import Decimal

from django.db import migrations

from citiesalliance.roles import noop, roles_sync


def default_standard(apps, schema_editor):
    PerformanceStandard = apps.get_model("indicators", "PerformanceStandard")
    if not PerformanceStandard.objects.filter(indicator__isnull=True).exists():
        PerformanceStandard.objects.create(
            name="Default standard", on_track=Decimal("0.90"), needs_attention=Decimal("0.60"),
            tolerance=Decimal("0"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("results", "0002_roles"),
    ]
    operations = [
        migrations.RunPython(roles_sync, noop),
        migrations.RunPython(default_standard, noop),
    ]
