"""The roadmap: tasks and milestones of the departments (§III(二) "制定时间表和路线图")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change, record_update, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.supervision import rules
from workforce.supervision.choices import ReportStatus, TaskStatus
from workforce.supervision.models import Measure, Milestone, ProgressReport, Task
from workforce.supervision.workdays import due_date

if TYPE_CHECKING:
    from workforce.accounts.models import Department, User

TASK_FIELDS = ("title", "description", "owner", "start_date", "due_date", "status", "completed_on", "indicator_codes")


@dataclass(frozen=True)
class DeadlineInput:
    """A deadline as given: a date, or ``days`` calendar/working days counted from ``counted_from``."""

    due_date: datetime.date | None = None
    counted_from: datetime.date | None = None
    days: int | None = None
    day_unit: str = ""

    def fields(self) -> dict[str, Any]:
        """The model fields of :class:`~workforce.supervision.models.roadmap.Deadline`; ``ValidationError``
        when neither a date nor a complete day count is given."""
        if self.counted_from and self.days is not None and self.day_unit:
            return {"due_date": due_date(self.counted_from, self.days, self.day_unit),
                    "counted_from": self.counted_from, "days": self.days, "day_unit": self.day_unit}
        if self.due_date:
            return {"due_date": self.due_date, "counted_from": None, "days": None, "day_unit": ""}
        raise ValidationError({"due_date": _("请填写截止日期，或填写起算日期、天数和计算方式。")})


def _check_task(task: Task) -> None:
    if not task.measure.links.filter(department=task.department).exists():
        raise ValidationError({"department": _("该部门不是本举措的牵头单位或责任单位。")})
    if task.due_date < task.start_date:
        raise ValidationError({"due_date": _("完成时限不能早于开始日期。")})
    if task.owner is not None and task.owner.department_id != task.department_id:
        raise ValidationError({"owner": _("责任人须是本部门的工作人员。")})
    if task.status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.status != TaskStatus.DONE:
        task.completed_on = None


@transaction.atomic
def do_create_task(measure: Measure, department: Department, data: dict[str, Any], *,
                   acting_user: User | None, channel: Channel = Channel.PAGE) -> Task:
    """A new task of ``department`` under ``measure`` (``data``: the fields of ``TASK_FIELDS``)."""
    rules.require(rules.may_manage_tasks(acting_user, department))
    task = Task(measure=measure, department=department, **{key: data[key] for key in TASK_FIELDS if key in data})
    _check_task(task)
    task.full_clean()
    task.save()
    record_change(task, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(task),
                  parent=measure)
    return task


@transaction.atomic
def do_update_task(task: Task, changes: dict[str, Any], *, expected_version: int | None, acting_user: User | None,
                   channel: Channel = Channel.PAGE) -> Task:
    """Change a task's fields (``TASK_FIELDS``); refused if someone else saved it since ``expected_version``."""
    rules.require(rules.may_manage_tasks(acting_user, task.department))
    for key in changes:
        if key in ("measure", "department"):
            raise ValidationError({key: _("任务的举措和部门不能修改。")})
        if key not in TASK_FIELDS:
            raise ValidationError({key: _("该字段不能修改。")})
    before = snapshot(task)
    for key, value in changes.items():
        setattr(task, key, value)
    _check_task(task)
    task.full_clean()
    save_versioned(task, expected_version=expected_version)
    record_update(task, before, acting_user=acting_user, channel=channel, parent=task.measure)
    return task


@transaction.atomic
def do_add_milestone(task: Task, title: str, deadline: DeadlineInput, *, acting_user: User | None,
                     channel: Channel = Channel.PAGE) -> Milestone:
    """A milestone of ``task``, due on a date or after a number of calendar or working days."""
    rules.require(rules.may_manage_tasks(acting_user, task.department))
    milestone = Milestone(task=task, title=title.strip(), **deadline.fields())
    milestone.full_clean()
    milestone.save()
    record_change(milestone, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                  after=snapshot(milestone), parent=task)
    return milestone


@transaction.atomic
def do_update_milestone(milestone: Milestone, *, title: str | None = None, deadline: DeadlineInput | None = None,
                        acting_user: User | None, channel: Channel = Channel.PAGE) -> Milestone:
    """Rename a milestone or move its deadline; a milestone already reached stays as it was."""
    rules.require(rules.may_manage_tasks(acting_user, milestone.task.department))
    if milestone.completed_on:
        raise ValidationError(_("已完成的节点不能修改。"))
    before = snapshot(milestone)
    if title is not None:
        milestone.title = title.strip()
    if deadline is not None:
        for key, value in deadline.fields().items():
            setattr(milestone, key, value)
    milestone.full_clean()
    milestone.save()
    record_update(milestone, before, acting_user=acting_user, channel=channel, parent=milestone.task)
    return milestone


@transaction.atomic
def do_complete_milestone(milestone: Milestone, on: datetime.date, *, acting_user: User | None,
                          channel: Channel = Channel.PAGE) -> Milestone:
    """Mark a milestone reached on ``on``."""
    rules.require(rules.may_manage_tasks(acting_user, milestone.task.department))
    if milestone.completed_on:
        raise ValidationError(_("该节点已完成。"))
    milestone.completed_on = on
    milestone.save(update_fields=["completed_on"])
    record_change(milestone, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                  before={"completed_on": None}, after={"completed_on": on.isoformat()}, parent=milestone.task)
    return milestone


@transaction.atomic
def do_delete_task(task: Task, *, acting_user: User | None, channel: Channel = Channel.PAGE) -> None:
    """Delete a task planned in error, with its milestones; the change log keeps what it was (with the
    measure as parent). Refused once the department has an accepted report on the measure for a period
    within the task's timetable: the report may describe the task, so it stays on the record
    (docs/decisions/0007-supervision.md)."""
    rules.require(rules.may_manage_tasks(acting_user, task.department))
    task = Task.objects.select_for_update().select_related("measure", "department").get(pk=task.pk)
    accepted = ProgressReport.objects.filter(
        measure=task.measure, department=task.department, status=ReportStatus.ACCEPTED,
        period_end__gte=task.start_date, period_start__lte=task.due_date)
    if accepted.exists():
        raise ValidationError(_("本部门在该任务时间表内的进展报告已通过审核，报告可能涉及该任务，不能删除；"
                                "如任务不再执行，请修改其状态或完成时限。"))
    before = snapshot(task) | {"milestones": [f"{m.title} {m.due_date.isoformat()}" for m in task.milestones.all()]}
    record_change(task, ChangeAction.DELETE, acting_user=acting_user, channel=channel, before=before,
                  parent=task.measure)
    task.delete()
