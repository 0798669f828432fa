"""Seed the targets of 攀委发〔2018〕21号 as indicators (see ``workforce.indicators.seed``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from workforce.indicators.seed import ensure_indicators

    ensure_indicators(apps.get_model("indicators", "Indicator"), apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
