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
     "全市登记口径：平台登记在册（未合并）的人员中，统计日持有有效职业资格证书或职业技能等级证书（一至五级，"
     "发证日至有效期止日均计入）的人数，不论当日是否在岗。在岗者按当日主要就业记录的单位归入县（区）等分组；"
     "当日无就业记录的持证人员只计入全市数。方案“到2020年全市技能人才总量达12万人”（一（二））是全市总量，"
     "目标与本口径比较；仅计在岗者的数见“技能人才总量（在岗）”。",
     "City-wide registered basis: people on the registry (not merged) holding on the day a valid vocational "
     "qualification or skill-level certificate (levels 1–5, from the day of issue to the last valid day), "
     "employed on the day or not. Those employed count in the district (and other breakdowns) of their main "
     "employer on the day; holders with no employment covering the day count in the city's figure only. The "
     "plan's 120,000 by 2020 (§I.2) is a city-wide total and is compared with this figure; the employed-only "
     "figure is \"Skilled talents in employment\"."),
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
     "统计日有在册职工的国有、国有控股及规模以上企业（法人类型为企业，经济类型、规模以上标识按当日）中，已建立集体协商机制"
     "（建立日期不晚于统计日、未终止）的企业数 ÷ 企业总数。方案“90%以上的国有、国有控股及规模以上企业建立集体"
     "协商机制”（一（二））。各单位的协商记录（每次协商日期）和集体合同（起止日期）另行登记；有效集体合同的比例"
     "见“集体合同签订率”。由已登记集体合同推定的机制注明“建立日期未登记”。",
     "Operating state-owned, state-controlled and above-scale enterprises (legal-person kind enterprise; "
     "ownership and scale as of the day) with a collective bargaining mechanism established on or before the "
     "day and not lapsed, over all such enterprises: the plan's \"90% ... establish a collective bargaining "
     "mechanism\" (§I.2). Each negotiation round (its day) and each collective contract (its period) are "
     "recorded too; the share with a contract in force is \"Collective contracts\". Mechanisms inferred from "
     "recorded contracts say their date of establishment was not recorded."),
    ("labor_contract_rate", "劳动合同签订率", "Labour contract signing rate", "一（二）、§14", "percent", None,
     "90", "hrss",
     "统计日在职职工中，有劳动合同覆盖该日（合同起止日期均含当日，且该合同所属的就业记录覆盖该日）的人数 ÷ 在职职工"
     "人数。续订、变更（如转为无固定期限）的合同各为一条记录，按各自起止日期计算。已签劳动合同但合同起始日期不详的"
     "（花名册只填“已签”，或合同分条记录前登记的就业记录）不计入分子，其人数在数值旁单列为“合同日期不详”。",
     "Employed workers with a labour contract covering the day (its start and end dates inclusive, on a spell "
     "covering the day), over employed workers. Renewals and changes (e.g. to open-ended) are contracts of their "
     "own, each counted on its own dates. Workers with a signed contract whose start date is not known (a roster "
     "that said only \"signed\", or a spell recorded before contracts had dates) are not counted in the numerator; "
     "their number is shown beside the figure as \"contract dates unknown\"."),
    ("union_organisation_coverage", "工会组织覆盖率", "Union organisation coverage", "§3", "percent", None,
     "80", "city-union",
     "按职工计：统计日在职职工中，其主要就业单位当日已建立工会（建会登记的起止日期覆盖统计日）的人数 ÷ 在职职工"
     "人数。依全国总工会工会组织和工会会员统计口径，覆盖以“已建工会组织的基层单位职工人数”计；方案“工会组织和"
     "会员动态覆盖率达到80%”（§3）的目标与本口径比较。按单位计的数见“工会组织覆盖率（按单位）”。",
     "By workers: employed workers whose main employer has a union on the day (the union's recorded period "
     "covers the day), over employed workers. The national union statistics (ACFTU) count coverage by the "
     "workers of the units with a union; the plan's 80% (§3) is compared with this figure. The share of "
     "employers is \"Union organisation coverage by employers\"."),
    ("union_membership_coverage", "工会会员覆盖率", "Union membership coverage", "§3", "percent", None, "80",
     "city-union",
     "统计日在职职工中，工会会员人数 ÷ 在职职工人数。",
     "Employed workers who are union members on the day, over employed workers."),
    ("migrant_union_membership", "农民工入会率", "Migrant workers in the union", "§3", "percent", None, None,
     "city-union",
     "统计日在职农民工（农村户口、从事非农产业）中，工会会员人数 ÷ 农民工人数。",
     "Migrant workers (rural hukou, non-farm work) employed on the day who are union members, over migrant "
     "workers."),
    ("worker_party_members", "在职职工中党员比例", "Party members among employed workers", "§1", "percent", None,
     None, "organisation",
     "统计日在职职工中，中共党员（含预备党员，政治面貌按当日）人数 ÷ 在职职工人数。监测指标，方案未设数值目标。"
     "方案§1“提高工人党员比例”所指的“新发展党员中工人所占比例”需要发展党员名册（入党日期、发展时的身份），"
     "本平台不登记，无法计算。",
     "Employed workers who are members or probationary members of the Communist Party of China on the day "
     "(political status as of the day), over employed workers; monitored, the plan sets no figure. The share "
     "of workers among newly admitted members (§1, 发展党员) needs the party's admission records (date, "
     "occupation when admitted), which the registry does not hold: it cannot be computed here."),
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
    # The other reading of a plan's figure, beside the one its target is compared with (decision 0006).
    ("skilled_talents_employed", "技能人才总量（在岗）", "Skilled talents in employment", "一（二）", "persons",
     None, None, "hrss",
     "统计日在职职工（有覆盖统计日的就业记录）中，持有有效职业资格证书或职业技能等级证书（一至五级）的人数，按"
     "主要就业单位归入分组。监测指标：方案12万人的目标与全市登记口径（“技能人才总量”）比较。",
     "Employed workers (an employment covering the day) holding on the day a valid vocational qualification "
     "or skill-level certificate (levels 1–5), in the breakdowns of their main employer. Monitored: the plan's "
     "120,000 is compared with the city-wide registered figure (\"Skilled talents\")."),
    ("union_organisation_coverage_employers", "工会组织覆盖率（按单位）", "Union organisation coverage by employers",
     "§3", "percent", None, None, "city-union",
     "按单位计：统计日有在册职工的用人单位中，当日已建立工会的单位数 ÷ 单位总数。监测指标：方案80%的目标与"
     "按职工计的“工会组织覆盖率”比较。",
     "By employers: operating employers with a union on the day, over operating employers. Monitored: the "
     "plan's 80% is compared with the coverage by workers (\"Union organisation coverage\")."),
    ("collective_contract_rate", "国有、国有控股及规模以上企业集体合同签订率",
     "Collective contracts in state-owned, state-controlled and above-scale enterprises", "一（二）、§24",
     "percent", None, None, "hrss",
     "统计日有在册职工的国有、国有控股及规模以上企业（法人类型为企业）中，当日有有效集体合同（起止日期覆盖"
     "统计日）的企业数 ÷ 企业总数。监测指标，与“集体协商建制率”（是否建立协商机制）对照。",
     "Operating state-owned, state-controlled and above-scale enterprises (legal-person kind enterprise) with a "
     "collective contract in force on the day (its period covers the day), over all such enterprises. "
     "Monitored, beside the bargaining mechanism rate."),
]
# Shown beside the figures they are compared with (``position``; the others by their place in the list).
POSITIONS = {"skilled_talents_with_reported": 15, "high_skilled_share_with_reported": 25,
             "skilled_talents_employed": 12, "collective_contract_rate": 65,
             "union_organisation_coverage_employers": 85,
             "frontline_party_members": 115, "post_category_reported": 116}
# The indicators whose definition is not their code: the plan's target compared with another reading than
# the one first seeded (decision 0006, "The plan's own meanings").
DEFINITION_OF = {"skilled_talents": "skilled_talents_registered", "skilled_talents_employed": "skilled_talents",
                 "union_organisation_coverage": "union_organisation_coverage_workers",
                 "union_organisation_coverage_employers": "union_organisation_coverage"}


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
            "name": name, "name_en": name_en, "clause": clause, "definition": DEFINITION_OF.get(code, code),
            "unit": unit,
            "direction": "at_least",
            "baseline_value": Decimal(baseline) if baseline else None,
            "baseline_date": PLAN_DATE,
            "target_value": Decimal(target) if target else None,
            "target_date": BY_2020 if target else None,
            "department": departments[department], "breakdowns": ALL, "position": POSITIONS.get(code, position * 10),
            "description": description, "description_en": description_en,
        })
