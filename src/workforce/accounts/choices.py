"""Roles and scopes of users (MISSION.md "Users and what each may see")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    """Which records a role's user sees; enforced by the ``visible_to`` querysets."""

    CITY = "city", _("全市")
    DISTRICT = "district", _("本区县")
    EMPLOYER = "employer", _("本单位")
    PROVIDER = "provider", _("本培训机构")
    SELF = "self", _("本人")
    AGGREGATE = "aggregate", _("仅统计汇总")
    UNION = "union", _("本级及下级工会")
    NONE = "none", _("无")


class RoleCode(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    DEPARTMENT_OFFICER = "department_officer", _("部门工作人员")
    DISTRICT_OFFICER = "district_officer", _("区县工作人员")
    ENTERPRISE_HR = "enterprise_hr", _("企业人力资源")
    TRAINING_PROVIDER = "training_provider", _("培训机构")
    WORKER = "worker", _("职工")
    LEADER = "leader", _("市领导（只读）")
    SUPERVISION_OFFICE = "supervision_office", _("改革督查室")
    BASE_UNION_OFFICER = "base_union_officer", _("基层工会干部")
    DISTRICT_UNION_OFFICER = "district_union_officer", _("区县（产业）工会干部")
    APPRAISAL_BODY = "appraisal_body", _("技能评价机构")
