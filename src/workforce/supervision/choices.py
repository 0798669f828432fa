"""Codes of the supervision module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentRole(models.TextChoices):
    """How the plan names a department under a measure: （牵头单位：…，责任单位：…）."""

    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")


class Frequency(models.TextChoices):
    """How often progress is reported."""

    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季报")
    YEARLY = "yearly", _("年报")


class DayUnit(models.TextChoices):
    """How a deadline's days are counted (docs/decisions/0007-supervision.md)."""

    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("待填报")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("通过")
    RETURNED = "returned", _("退回修改")


class RoundStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("进行中")
    CLOSED = "closed", _("已结束")


class FindingKind(models.TextChoices):
    PROBLEM = "problem", _("问题")
    PRACTICE = "practice", _("经验做法")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报整改")
    CLOSED = "closed", _("已销号")


class AlertKind(models.TextChoices):
    TASK_OVERDUE = "task_overdue", _("任务逾期未完成")
    REPORT_OVERDUE = "report_overdue", _("进展报告逾期未报")
    MILESTONE_OVERDUE = "milestone_overdue", _("任务节点逾期")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("整改事项逾期")


class CellStatus(models.TextChoices):
    """The colour of a measure × department cell of the matrix."""

    NOT_STARTED = "not_started", _("未部署任务")
    ON_TRACK = "on_track", _("正常推进")
    DONE = "done", _("已完成")
    OVERDUE = "overdue", _("有逾期事项")
