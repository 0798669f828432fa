"""The first versions of the eligibility and pass rules (decision 0017), from the national skill-level
standards' general rules and the 2018 plan's special cases (§8 young workers, §10 dual certificates and
skip-level / exceptional candidates). Idempotent: a code that has any version is left alone, so the city
administrator's later versions are never overwritten."""

from __future__ import annotations

import datetime
from decimal import Decimal

from workforce.core.choices import Channel
from workforce.reference.models import SkillLevel
from workforce.skills.choices import Ground
from workforce.skills.models import ConsequenceRule, EligibilityRule, PassRule
from workforce.skills.services.rules import save_eligibility_rule, save_pass_rule

SINCE = datetime.date(2019, 1, 1)
PLAN = "攀委发〔2018〕21号"
STANDARDS = "国家职业技能标准编制技术规程（2018年版）"

# code, name, ground, target, prior, years with prior, years in occupation, max age, basis
RULES = [
    ("standard-5", "五级/初级工申报条件", Ground.STANDARD, 5, None, None, 1, None, STANDARDS),
    ("standard-4", "四级/中级工申报条件", Ground.STANDARD, 4, 5, 4, None, None, STANDARDS),
    ("standard-3", "三级/高级工申报条件", Ground.STANDARD, 3, 4, 5, None, None, STANDARDS),
    ("standard-2", "二级/技师申报条件", Ground.STANDARD, 2, 3, 4, None, None, STANDARDS),
    ("standard-1", "一级/高级技师申报条件", Ground.STANDARD, 1, 2, 4, None, None, STANDARDS),
    ("skip-level-3", "越级申报三级/高级工", Ground.SKIP_LEVEL, 3, 5, 6, None, None, f"{PLAN} §10"),
    ("skip-level-2", "越级申报二级/技师", Ground.SKIP_LEVEL, 2, 4, 6, None, None, f"{PLAN} §10"),
    ("exceptional-2", "破格申报二级/技师", Ground.EXCEPTIONAL, 2, 3, 2, None, None, f"{PLAN} §10"),
    ("exceptional-1", "破格申报一级/高级技师", Ground.EXCEPTIONAL, 1, 2, 2, None, None, f"{PLAN} §10"),
    ("young-worker-3", "青年技能人才申报三级/高级工（放宽）", Ground.YOUNG_WORKER, 3, 4, 3, None, 35, f"{PLAN} §8"),
    ("young-worker-2", "青年技能人才申报二级/技师（放宽）", Ground.YOUNG_WORKER, 2, 3, 2, None, 35, f"{PLAN} §8"),
    ("dual-certificate-4", "职业院校学生“双证书”申报四级/中级工", Ground.DUAL_CERTIFICATE, 4, None, None, None, None,
     f"{PLAN} §10"),
    ("dual-certificate-3", "职业院校学生“双证书”申报三级/高级工", Ground.DUAL_CERTIFICATE, 3, None, None, None, None,
     f"{PLAN} §10"),
    ("special-ability", "专项职业能力考核", Ground.SPECIAL_ABILITY, None, None, None, None, None, STANDARDS),
]
# level (None: special ability), theory, practical, defence
PASS_MARKS = [(5, 60, 60, None), (4, 60, 60, None), (3, 60, 60, None), (2, 60, 60, 60), (1, 60, 60, 60),
              (None, 60, 60, None)]


def seed_rules() -> int:
    """Write the first versions of the rules that are missing; the number written."""
    levels = {level.level: level for level in SkillLevel.objects.all()}
    written = 0
    for code, name, ground, target, prior, years_prior, years_occupation, max_age, basis in RULES:
        if EligibilityRule.objects.filter(code=code).exists():
            continue
        save_eligibility_rule({
            "code": code, "name": name, "ground": ground, "target_level": levels.get(target) if target else None,
            "prior_level": levels.get(prior) if prior else None, "years_with_prior": years_prior,
            "years_in_occupation": years_occupation, "max_age": max_age,
            "requires_basis": ground in (Ground.SKIP_LEVEL, Ground.EXCEPTIONAL, Ground.DUAL_CERTIFICATE),
            "effective_from": SINCE, "effective_to": None, "basis_document": basis},
            acting_user=None, channel=Channel.SYSTEM)
        written += 1
    for level, theory, practical, defence in PASS_MARKS:
        existing = PassRule.objects.filter(level_id=level) if level else PassRule.objects.filter(level__isnull=True)
        if existing.exists():
            continue
        save_pass_rule({"level": levels.get(level) if level else None, "theory_min": Decimal(theory),
                        "practical_min": Decimal(practical),
                        "defence_min": Decimal(defence) if defence is not None else None,
                        "effective_from": SINCE, "effective_to": None}, acting_user=None, channel=Channel.SYSTEM)
        written += 1
    return written


# §20, from the plan's text: code, name, tier, kind (blank: any), best rank, consequence
CONSEQUENCE_RULES = [
    ("provincial-workers-top2-wuyi", "全省职工职业技能大赛各工种前2名申报四川省“五一”劳动奖章", "provincial",
     "workers_contest", 2, "wuyi_medal"),
    ("provincial-industry-first-wuyi", "省级行业职工技能比赛各工种第1名申报四川省“五一”劳动奖章", "provincial",
     "industry_contest", 1, "wuyi_medal"),
    ("provincial-workers-top10-model", "全省职工职业技能大赛各工种前10名推荐全省工会技能标兵", "provincial",
     "workers_contest", 10, "skills_model"),
    ("provincial-workers-top10-promotion", "全省职工职业技能大赛各工种前10名提请职业资格晋升", "provincial",
     "workers_contest", 10, "level_promotion"),
    ("provincial-class-one-first-expert", "省级一类职业技能竞赛各项目第1名申报“四川省技术能手”", "provincial",
     "class_one", 1, "technical_expert"),
    ("national-winners-promotion", "国家级竞赛获奖选手（前3名）可晋升职业资格等级", "national", "", 3,
     "level_promotion"),
    ("provincial-winners-promotion", "省级竞赛获奖选手（前3名）可晋升职业资格等级", "provincial", "", 3,
     "level_promotion"),
    ("city-winners-promotion", "市级竞赛获奖选手（前3名）可晋升职业资格等级", "city", "", 3, "level_promotion"),
]


def seed_consequence_rules() -> int:
    """Write the first version of each §20 consequence rule that has none; the number written."""
    from workforce.skills.services.competitions import save_consequence_rule

    written = 0
    for code, name, tier, kind, max_rank, consequence in CONSEQUENCE_RULES:
        if ConsequenceRule.objects.filter(code=code).exists():
            continue
        save_consequence_rule({"code": code, "name": name, "tier": tier, "kind": kind, "max_rank": max_rank,
                               "consequence": consequence, "effective_from": SINCE, "effective_to": None},
                              acting_user=None, channel=Channel.SYSTEM)
        written += 1
    return written
