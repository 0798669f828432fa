"""Issue 16: the enterprise figures count legal-person kind 企业 only, and the front-line figures are seeded
(``workforce.indicators.seed``). A description still as first seeded is reworded to say so; one the city
administrator edited is theirs and left alone."""

from django.db import migrations

# code -> the description as 0002 seeded it (Chinese, English).
FIRST_SEEDED = {
    "soe_workers_congress": (
        "统计日有在册职工的国有及国有控股企业中，已建立职工代表大会的企业数 ÷ 企业总数。",
        "Operating state-owned and state-controlled enterprises with a workers' congress on the day, over all "
        "such enterprises."),
    "soe_affairs_disclosure": (
        "统计日有在册职工的国有及国有控股企业中，已实行厂务公开制度的企业数 ÷ 企业总数。",
        "Operating state-owned and state-controlled enterprises practising factory-affairs disclosure on the "
        "day, over all such enterprises."),
    "independent_union_rate": (
        "已建工会、统计日在册职工100人以上的非公有制企业（民营、外资/港澳台、个体）中，工会单独建制的企业数 ÷ 企业总数。",
        "Non-public enterprises (private, foreign/HK-Macao-Taiwan, individual) with 100 or more staff and a union "
        "on the day whose union is established independently, over all such enterprises."),
    "collective_bargaining_rate": (
        "统计日有在册职工的国有、国有控股及规模以上企业中，签订有效集体合同的企业数 ÷ 企业总数。",
        "Operating state-owned, state-controlled and above-scale enterprises with a collective contract in "
        "force on the day, over all such enterprises."),
}


def forward(apps, schema_editor):
    from workforce.indicators.seed import INDICATORS, ensure_indicators

    Indicator = apps.get_model("indicators", "Indicator")
    ensure_indicators(Indicator, apps.get_model("accounts", "Department"))
    now = {row[0]: (row[8], row[9]) for row in INDICATORS}
    for code, (description, description_en) in FIRST_SEEDED.items():
        Indicator.objects.filter(code=code, description=description).update(description=now[code][0])
        Indicator.objects.filter(code=code, description_en=description_en).update(description_en=now[code][1])


def backward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=["frontline_party_members", "post_category_reported"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_indicator_later_targets"),
        ("registry", "0012_employer_legal_person_kind_spell_post_category"),
    ]

    operations = [migrations.RunPython(forward, backward)]
