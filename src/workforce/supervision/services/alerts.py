"""Overdue alerts: raised and resolved by the daily job, read in each department's inbox."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from workforce.supervision.choices import AlertKind
from workforce.supervision.models import Alert, Milestone, ProgressReport, Rectification, Task


def overdue_items(on: datetime.date) -> dict[str, dict[str, Any]]:
    """Every item overdue on ``on``, keyed by its alert subject (``report:12``): tasks, milestones, progress
    reports and rectification items, the same the pages count (``selectors.overdue_count``)."""
    items: dict[str, dict[str, Any]] = {}
    for task in Task.objects.overdue(on):
        items[f"task:{task.pk}"] = {
            "kind": AlertKind.TASK_OVERDUE, "department_id": task.department_id, "due_date": task.due_date,
            "title": task.title[:300], "url": task.get_absolute_url()}
    for report in ProgressReport.objects.overdue(on).select_related("measure", "department"):
        items[f"report:{report.pk}"] = {
            "kind": AlertKind.REPORT_OVERDUE, "department_id": report.department_id, "due_date": report.due_date,
            "title": _("%(measure)s %(period)s进展报告") % {"measure": report.measure, "period": report.period_label},
            "url": report.get_absolute_url()}
    for milestone in Milestone.objects.overdue(on).select_related("task"):
        items[f"milestone:{milestone.pk}"] = {
            "kind": AlertKind.MILESTONE_OVERDUE, "department_id": milestone.task.department_id,
            "due_date": milestone.due_date, "title": f"{milestone.task.title} · {milestone.title}",
            "url": milestone.task.get_absolute_url()}
    for item in Rectification.objects.overdue(on).select_related("finding"):
        items[f"rectification:{item.pk}"] = {
            "kind": AlertKind.RECTIFICATION_OVERDUE, "department_id": item.department_id, "due_date": item.due_date,
            "title": item.text[:300], "url": item.get_absolute_url()}
    return items


@transaction.atomic
def refresh_alerts(on: datetime.date) -> tuple[int, int]:
    """Raise an alert for each item newly overdue on ``on`` and resolve those whose item was done since.
    Returns ``(raised, resolved)``; running it twice on a day changes nothing."""
    items = overdue_items(on)
    open_alerts = Alert.objects.open().select_for_update()
    resolved = open_alerts.exclude(subject__in=items).update(resolved_on=on)
    known = set(Alert.objects.open().values_list("subject", flat=True))
    new = [Alert(subject=subject, raised_on=on, **item) for subject, item in items.items() if subject not in known]
    Alert.objects.bulk_create(new)
    return len(new), resolved
