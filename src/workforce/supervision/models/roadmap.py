"""The roadmap (路线图): each department's tasks under a measure, with timetable and milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workforce.supervision.choices import DayUnit, TaskStatus
from workforce.supervision.querysets import MilestoneQuerySet, TaskQuerySet
from workforce.supervision.workdays import is_overdue


class Deadline(models.Model):
    """A due date, and how it was given: ``days`` calendar or working days from ``counted_from``
    (empty when the date was given directly)."""

    due_date = models.DateField(_("截止日期"))
    counted_from = models.DateField(_("起算日期"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("期限天数"), null=True, blank=True)
    day_unit = models.CharField(_("期限计算方式"), max_length=16, choices=DayUnit.choices, blank=True)

    class Meta:
        abstract = True


class Task(models.Model):
    """A task a department takes on under a measure (§III "制定时间表和路线图")."""

    measure = models.ForeignKey("supervision.Measure", on_delete=models.PROTECT, related_name="tasks",
                                verbose_name=_("举措"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="supervision_tasks",
                                   verbose_name=_("责任部门"))
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="supervision_tasks", verbose_name=_("责任人"))
    start_date = models.DateField(_("开始日期"))
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    # The optional link to the indicators module: codes of the indicators that measure this task.
    indicator_codes = models.CharField(_("关联指标代码"), max_length=300, blank=True,
                                       help_text=_("目标指标的代码，多个以逗号分隔。"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    CHANGELOG_FIELDS = ["measure", "department", "title", "description", "owner", "start_date", "due_date",
                        "status", "completed_on", "indicator_codes"]

    class Meta:
        ordering = ["measure", "start_date", "pk"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:task_detail", args=[self.pk])

    @property
    def indicator_code_list(self) -> list[str]:
        return [code.strip() for code in self.indicator_codes.split(",") if code.strip()]

    @property
    def is_overdue(self) -> bool:
        """Not done after its time limit, today; the same rule as ``objects.overdue``."""
        return is_overdue(self.due_date, self.status == TaskStatus.DONE, timezone.localdate())


class Milestone(Deadline):
    """A dated milestone (节点) of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    CHANGELOG_FIELDS = ["title", "due_date", "counted_from", "days", "day_unit", "completed_on"]

    class Meta:
        ordering = ["task", "due_date", "pk"]
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Not completed after its due date, today; the same rule as ``objects.overdue``."""
        return is_overdue(self.due_date, self.completed_on is not None, timezone.localdate())
