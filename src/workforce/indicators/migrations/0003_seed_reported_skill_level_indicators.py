"""Seed the skill indicators counting the levels employers report (decision 0013; ``workforce.indicators.seed``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from workforce.indicators.seed import ensure_indicators

    ensure_indicators(apps.get_model("indicators", "Indicator"), apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_seed_plan_targets"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
