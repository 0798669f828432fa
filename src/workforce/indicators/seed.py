"""The targets of 攀委发〔2018〕21号 (§I.2 目标任务, §1, §3) with the plan's exact figures, as the indicators
the platform starts with. ``ensure_indicators`` creates those missing and leaves edited ones alone: the
city administrator owns them afterwards (with history)."""

import datetime
from decimal import Decimal

from workforce.accounts.departments import BY_CODE, find_department

PLAN_DATE = datetime.date(2018, 12, 13)  # 攀委发〔2018〕21号, the baseline of its figures
BY_2020 = datetime.date(2020, 12, 31)
ALL = ["district", "industry", "ownership", "size"]


# code, name, name_en, clause, unit, baseline, target, department, description, description_en
INDICATORS = [
    ("skilled_talents", "技能人才总量", "Skilled talents", "一（二）", "persons", None, "120000", "hrss",
     "在职职工中，统计日持有有效职业资格证书或职业技能等级证书（一至五级）的人数。",
     "Employed workers holding, on the day, a valid vocational qualification or skill-level certificate "
     "(levels 1–5)."),
    ("high_skilled_share", "高技能人才占技能人才比例", "High-skilled share of skilled talents", "一（二）",
     "percent", "28.9", "31.6", "hrss",
     "技能人才中持有国家三级（高级工）及以上证书的人数 ÷ 技能人才总量。",
     "Skilled talents holding a level-3 (senior worker) or higher certificate, over all skilled talents."),
    ("soe_workers_congress", "国有及国有控股企业职工代表大会建制率",
     "State-owned and state-controlled enterprises with a workers' congress", "一（二）、§6", "percent",
     None, "100", "city-union",
     "统计日有在册职工的国有及国有控股企业（法人类型为企业，不含事业单位、机关、社会组织）中，"
     "已建立职工代表大会的企业数 ÷ 企业总数。",
     "Operating state-owned and state-controlled enterprises (legal-person kind enterprise: no public "
     "institutions, organs or social organisations) with a workers' congress on the day, over all such enterprises."),
    ("soe_affairs_disclosure", "国有及国有控股企业厂务公开建制率",
     "State-owned and state-controlled enterprises with factory-affairs disclosure", "一（二）、§6", "percent",
     None, "100", "city-union",
     "统计日有在册职工的国有及国有控股企业（法人类型为企业，不含事业单位、机关、社会组织）中，"
     "已实行厂务公开制度的企业数 ÷ 企业总数。",
     "Operating state-owned and state-controlled enterprises (legal-person kind enterprise: no public "
     "institutions, organs or social organisations) practising factory-affairs disclosure on the day, over all "
     "such enterprises."),
    ("independent_union_rate", "百人以上非公有制企业工会单独建制率",
     "Independent unions in non-public enterprises with 100+ staff", "一（二）、§3", "percent", None, "90",
     "city-union",
     "已建工会、统计日在册职工100人以上的非公有制企业（经济类型为民营、外资/港澳台、个体，法人类型为企业）中，工会单独建制的"
     "企业数 ÷ 企业总数。",
     "Non-public enterprises (private, foreign/HK-Macao-Taiwan, individual; legal-person kind enterprise) with 100 "
     "or more staff and a union on the day whose union is established independently, over all such enterprises."),
    ("collective_bargaining_rate", "国有、国有控股及规模以上企业集体协商建制率",
     "Collective bargaining in state-owned, state-controlled and above-scale enterprises", "一（二）、§23",
     "percent", None, "90", "hrss",
     "统计日有在册职工的国有、国有控股及规模以上企业（法人类型为企业）中，签订有效集体合同的企业数 ÷ 企业总数。",
     "Operating state-owned, state-controlled and above-scale enterprises (legal-person kind enterprise) with a "
     "collective contract in force on the day, over all such enterprises."),
    ("labor_contract_rate", "劳动合同签订率", "Labour contract signing rate", "一（二）、§14", "percent", None,
     "90", "hrss",
     "统计日在职职工中，覆盖该日的就业记录已签订劳动合同的人数 ÷ 在职职工人数。",
     "Employed workers with a signed labour contract on a spell covering the day, over employed workers."),
    ("union_organisation_coverage", "工会组织覆盖率", "Union organisation coverage", "§3", "percent", None,
     "80", "city-union",
     "统计日有在册职工的用人单位中，已建立工会的单位数 ÷ 单位总数。",
     "Operating employers with a union on the day, over operating employers."),
    ("union_membership_coverage", "工会会员覆盖率", "Union membership coverage", "§3", "percent", None, "80",
     "city-union",
     "统计日在职职工中，工会会员人数 ÷ 在职职工人数。",
     "Employed workers who are union members on the day, over employed workers."),
    ("migrant_union_membership", "农民工入会率", "Migrant workers in the union", "§3", "percent", None, None,
     "city-union",
     "统计日在职农民工（农村户口、从事非农产业）中，工会会员人数 ÷ 农民工人数。",
     "Migrant workers (rural hukou, non-farm work) employed on the day who are union members, over migrant "
     "workers."),
    ("worker_party_members", "工人党员比例", "Workers who are party members", "§1", "percent", None, None,
     "organisation",
     "统计日在职职工中，中共党员（含预备党员）人数 ÷ 在职职工人数。",
     "Employed workers who are members or probationary members of the Communist Party of China, over "
     "employed workers."),
    # The skill figures counting the levels employers report on rosters without a certificate (decision
    # 0013): for comparison beside the certified ones above, which the plan's targets are about.
    ("skilled_talents_with_reported", "技能人才总量（含单位填报等级）", "Skilled talents, reported levels included",
     "一（二）", "persons", None, None, "hrss",
     "在职职工中，统计日持有有效技能等级证书（一至五级）的人数，加上没有有效证书、但覆盖统计日的就业记录上有用人单位"
     "填报技能等级（未经证书核实）的人数。与“技能人才总量”（仅计证书）对照使用。",
     "Employed workers holding a valid skill-level certificate (levels 1–5) on the day, plus those without one "
     "whose employment covering the day has a skill level reported by the employer (not verified by a "
     "certificate). For comparison with \"Skilled talents\" (certificates only)."),
    ("high_skilled_share_with_reported", "高技能人才占技能人才比例（含单位填报等级）",
     "High-skilled share of skilled talents, reported levels included", "一（二）", "percent", None, None, "hrss",
     "同“技能人才总量（含单位填报等级）”口径：持有三级（高级工）及以上证书，或没有有效证书、单位填报三级及以上的"
     "人数 ÷ 该口径的技能人才总量。有有效证书的，以证书等级为准。",
     "On the basis of \"Skilled talents, reported levels included\": those with a level-3 or higher certificate, "
     "or without a valid certificate and a level-3 or higher level reported by the employer, over those skilled "
     "talents. A valid certificate's level always wins over a reported one."),
    # §1 speaks of 工人党员: party members among the front-line workers (issue 16). Post categories come from
    # rosters and forms from now on; the registry holds no post history before, nor a change of post within one
    # employment (the spell keeps the latest reported), so past days read today's post, as the description says.
    ("frontline_party_members", "一线职工党员比例", "Front-line workers who are party members", "§1", "percent",
     None, None, "organisation",
     "统计日在职职工中，主要就业记录的岗位类别为“一线职工”的人中，中共党员（含预备党员）人数 ÷ 一线职工人数。"
     "岗位类别未填报的职工不计入分子和分母（填报情况见“岗位类别填报率”）；岗位类别按就业记录最近一次填报的取值，"
     "同一单位内的岗位变动没有历史，早于填报的日期按现岗位计。",
     "Employed workers whose main employment on the day is in a front-line post who are members or probationary "
     "members of the CPC, over employed front-line workers. Workers with no post category reported count in "
     "neither (see \"Post category reported\"); the post category is the latest reported on the employment: a "
     "change of post within one employer has no history, so days before the report read the present post."),
    ("post_category_reported", "岗位类别填报率", "Post category reported", "§1", "percent", None, None,
     "organisation",
     "统计日在职职工中，主要就业记录已填报岗位类别（一线职工、专业技术人员或管理人员）的人数 ÷ 在职职工人数：一线职工"
     "各项指标覆盖的范围。",
     "Employed workers whose main employment on the day has a post category (front-line, professional/technical or "
     "management), over employed workers: how far the front-line figures reach."),
]
# Shown beside the figures they are compared with (``position``; the others by their place in the list).
POSITIONS = {"skilled_talents_with_reported": 15, "high_skilled_share_with_reported": 25,
             "frontline_party_members": 115, "post_category_reported": 116}


def ensure_indicators(Indicator, Department) -> None:
    """Create the seeded indicators (and their departments) that do not exist yet; idempotent. The models
    are passed in: the migration gives its historical ones."""
    departments = {}
    for code in sorted({row[7] for row in INDICATORS}):
        name = BY_CODE[code].name  # the one list of departments (accounts.departments)
        departments[code] = (find_department(Department, code, [name])
                             or Department.objects.create(code=code, name=name))
    for position, row in enumerate(INDICATORS, 1):
        code, name, name_en, clause, unit, baseline, target, department, description, description_en = row
        Indicator.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "clause": clause, "definition": code, "unit": unit,
            "direction": "at_least",
            "baseline_value": Decimal(baseline) if baseline else None,
            "baseline_date": PLAN_DATE,
            "target_value": Decimal(target) if target else None,
            "target_date": BY_2020 if target else None,
            "department": departments[department], "breakdowns": ALL, "position": POSITIONS.get(code, position * 10),
            "description": description, "description_en": description_en,
        })
