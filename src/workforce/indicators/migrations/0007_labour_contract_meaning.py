"""The labour-contract signing rate counts a contract covering the day (issue 16, decision 0020): its 口径说明
rewritten where the stored one is still the first seeded (an administrator's own edit is kept); backwards, the
first seeded text put back where the new one stands."""

from django.db import migrations

CODE = "labor_contract_rate"
FIRST_SEEDED = (
    "统计日在职职工中，覆盖该日的就业记录已签订劳动合同的人数 ÷ 在职职工人数。",
    "Employed workers with a signed labour contract on a spell covering the day, over employed workers.")


def _now():
    from workforce.indicators.seed import INDICATORS

    row = next(row for row in INDICATORS if row[0] == CODE)
    return row[8], row[9]


def apply(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for old, new, field in zip(FIRST_SEEDED, _now(), ("description", "description_en"), strict=True):
        Indicator.objects.filter(code=CODE, **{field: old}).update(**{field: new})


def revert(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for old, new, field in zip(FIRST_SEEDED, _now(), ("description", "description_en"), strict=True):
        Indicator.objects.filter(code=CODE, **{field: new}).update(**{field: old})


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_plan_meanings"),
        ("registry", "0017_labour_contracts"),
    ]

    operations = [migrations.RunPython(apply, revert)]
