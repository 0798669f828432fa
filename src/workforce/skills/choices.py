"""Codes of the skills app (issue 17): appraisal bodies, sessions, candidates and eligibility grounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    """The kinds of 职业技能等级认定机构 (§10 multi-channel evaluation)."""

    ENTERPRISE = "enterprise", _("用人单位（企业自主评价）")
    INDUSTRY = "industry", _("行业组织")
    VOCATIONAL_SCHOOL = "vocational_school", _("职业院校")
    THIRD_PARTY = "third_party", _("社会培训评价组织")


class SessionState(models.TextChoices):
    """planned → open for registration → closed → results published."""

    PLANNED = "planned", _("计划中")
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    PUBLISHED = "published", _("成绩已公布")


class RegistrationRoute(models.TextChoices):
    """Who registered the candidate."""

    BODY = "body", _("评价机构报名")
    EMPLOYER = "employer", _("单位报名")
    SELF = "self", _("本人报名")


class Ground(models.TextChoices):
    """The ground a candidate applies on: the ordinary ladder or one of the plan's special cases."""

    STANDARD = "standard", _("常规晋级")
    SKIP_LEVEL = "skip_level", _("越级申报")
    EXCEPTIONAL = "exceptional", _("破格申报")
    YOUNG_WORKER = "young_worker", _("青年技能人才放宽条件（§8）")
    DUAL_CERTIFICATE = "dual_certificate", _("职业院校学生“双证书”（§10）")
    SPECIAL_ABILITY = "special_ability", _("专项职业能力考核")


# Grounds that need a recorded basis (an approval, an award, a school enrolment) before a candidate may rely on them.
GROUNDS_WITH_BASIS = (Ground.SKIP_LEVEL, Ground.EXCEPTIONAL, Ground.DUAL_CERTIFICATE)


class Outcome(models.TextChoices):
    PENDING = "pending", _("待录入")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    ABSENT = "absent", _("缺考")


class CompetitionTier(models.TextChoices):
    """The level of a competition (§20): from the enterprise's own 岗位练兵/技术比武 to international contests."""

    ENTERPRISE = "enterprise", _("企业岗位练兵/技术比武")
    DISTRICT = "district", _("县（区）级")
    CITY = "city", _("市级")
    INDUSTRY = "industry", _("行业")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")
    INTERNATIONAL = "international", _("国际")


class CompetitionKind(models.TextChoices):
    """What kind of contest it is within its tier: the §20 rules name some of them."""

    WORKERS_CONTEST = "workers_contest", _("职工职业技能大赛")
    INDUSTRY_CONTEST = "industry_contest", _("行业职工技能比赛")
    CLASS_ONE = "class_one", _("一类职业技能竞赛")
    CLASS_TWO = "class_two", _("二类职业技能竞赛")
    OTHER = "other", _("其他竞赛")


class Consequence(models.TextChoices):
    """What a §20 rule gives a placed entrant: a case for the responsible department to follow up."""

    WUYI_MEDAL = "wuyi_medal", _("申报四川省“五一”劳动奖章")
    SKILLS_MODEL = "skills_model", _("推荐全省工会技能标兵")
    LEVEL_PROMOTION = "level_promotion", _("提请职业资格晋升")
    TECHNICAL_EXPERT = "technical_expert", _("申报“四川省技术能手”称号")


class CaseState(models.TextChoices):
    OPEN = "open", _("待办理")
    WITHDRAWN = "withdrawn", _("已撤销（成绩更正后不再符合）")
    CLOSED = "closed", _("已办结")
