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
