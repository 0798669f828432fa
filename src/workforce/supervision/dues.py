"""What is due and what is overdue: one definition for the annual report, the home page and the matrix.

- A progress report is **due** ("应报") on a day once its deadline has come: ``due_date <= on``. Reports of
  periods whose deadline is still ahead are not owed yet and are not counted.
- An item is **overdue** ("逾期") from the day after its deadline while still open: a task not done, a
  milestone not completed, a report not submitted (or sent back and not resubmitted), a rectification item
  not reported. The querysets' ``overdue(on)`` say it per model; this module gathers them, so every page
  and the report count the same items.

The deadlines of progress reports follow the reporting rule the supervision office chose when it started
reporting (``Plan.report_frequency`` and ``report_due_days``): the office's configuration, not the plan's
words (the plan asks for regular supervision, §III(三)).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workforce.supervision.models import Milestone, Plan, ProgressReport, Rectification, Task


@dataclass(frozen=True)
class OverdueItem:
    kind: str  # task, milestone, report, rectification
    kind_label: str
    measure_id: int
    department: str  # the department's official name
    title: str
    due_date: datetime.date


def overdue_querysets(on: datetime.date, *, user=None, plan: Plan | None = None) -> dict[str, QuerySet]:
    """The overdue tasks, milestones, progress reports and rectification items on ``on``; only those
    ``user`` may see when given (``visible_to``), only those of ``plan`` when given."""
    querysets: dict[str, Any] = {
        "task": Task.objects.all(), "milestone": Milestone.objects.all(),
        "report": ProgressReport.objects.all(), "rectification": Rectification.objects.all()}
    if user is not None:
        querysets = {kind: queryset.visible_to(user) for kind, queryset in querysets.items()}
    if plan is not None:
        paths = {"task": "measure__plan", "milestone": "task__measure__plan", "report": "measure__plan",
                 "rectification": "finding__measure__plan"}
        querysets = {kind: queryset.filter(**{paths[kind]: plan}) for kind, queryset in querysets.items()}
    return {kind: queryset.overdue(on) for kind, queryset in querysets.items()}


def overdue_count(on: datetime.date, *, user=None, plan: Plan | None = None) -> int:
    return sum(queryset.count() for queryset in overdue_querysets(on, user=user, plan=plan).values())


def overdue_items(on: datetime.date, *, user=None, plan: Plan | None = None) -> list[OverdueItem]:
    """The items ``overdue_count`` counts, each with its measure, department and title."""
    querysets = overdue_querysets(on, user=user, plan=plan)
    items = [OverdueItem("task", _("任务"), task.measure_id, task.department.name, f"{task.measure} {task.title}",
                         task.due_date)
             for task in querysets["task"].select_related("measure", "department")]
    items += [OverdueItem("milestone", _("任务节点"), milestone.task.measure_id, milestone.task.department.name,
                          f"{milestone.task.title} · {milestone.title}", milestone.due_date)
              for milestone in querysets["milestone"].select_related("task__department")]
    items += [OverdueItem("report", _("进展报告"), report.measure_id, report.department.name,
                          f"{report.measure} {report.period_label}", report.due_date)
              for report in querysets["report"].select_related("measure", "department")]
    items += [OverdueItem("rectification", _("整改事项"), item.finding.measure_id, item.department.name, item.text,
                          item.due_date)
              for item in querysets["rectification"].select_related("department", "finding")]
    return items
