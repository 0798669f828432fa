"""The plan's own meanings (issue 16, decision 0006): the skilled-talent and union-coverage targets compared with
the readings the plan means (city-wide registered; by workers), the other readings and the collective contracts
added as monitored indicators, and the changed descriptions (口径说明) and name written where the stored ones are
still those first seeded (an administrator's own edit is kept)."""

from django.db import migrations

# What 0002 seeded, by code: (name, description, description_en) as first written.
FIRST_SEEDED = {
    "skilled_talents": (
        "技能人才总量",
        "在职职工中，统计日持有有效职业资格证书或职业技能等级证书（一至五级）的人数。",
        "Employed workers holding, on the day, a valid vocational qualification or skill-level certificate "
        "(levels 1–5)."),
    "union_organisation_coverage": (
        "工会组织覆盖率",
        "统计日有在册职工的用人单位中，已建立工会的单位数 ÷ 单位总数。",
        "Operating employers with a union on the day, over operating employers."),
    "collective_bargaining_rate": (
        "国有、国有控股及规模以上企业集体协商建制率",
        "统计日有在册职工的国有、国有控股及规模以上企业中，签订有效集体合同的企业数 ÷ 企业总数。",
        "Operating state-owned, state-controlled and above-scale enterprises with a collective contract in "
        "force on the day, over all such enterprises."),
    "worker_party_members": (
        "工人党员比例",
        "统计日在职职工中，中共党员（含预备党员）人数 ÷ 在职职工人数。",
        "Employed workers who are members or probationary members of the Communist Party of China, over "
        "employed workers."),
}


def apply(apps, schema_editor):
    from workforce.indicators.seed import DEFINITION_OF, INDICATORS, ensure_indicators

    Indicator = apps.get_model("indicators", "Indicator")
    ensure_indicators(Indicator, apps.get_model("accounts", "Department"))
    seeded = {row[0]: row for row in INDICATORS}
    for code, definition in DEFINITION_OF.items():
        Indicator.objects.filter(code=code).update(definition=definition)
    for code, (name, description, description_en) in FIRST_SEEDED.items():
        row = seeded[code]
        Indicator.objects.filter(code=code, name=name).update(name=row[1], name_en=row[2])
        Indicator.objects.filter(code=code, description=description).update(description=row[8])
        Indicator.objects.filter(code=code, description_en=description_en).update(description_en=row[9])


def revert(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=["skilled_talents_employed", "union_organisation_coverage_employers",
                                       "collective_contract_rate"]).delete()
    for code in ("skilled_talents", "union_organisation_coverage"):
        Indicator.objects.filter(code=code).update(definition=code)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_enterprise_kind_and_front_line_indicators"),
        ("registry", "0014_collective_bargaining_mechanism"),
    ]

    operations = [migrations.RunPython(apply, revert)]
