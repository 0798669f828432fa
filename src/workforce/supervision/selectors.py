"""Scoped reads of the supervision module: detail fetches that 404 outside scope, the matrix, the
department's dues, the inbox, and the Gantt data of a measure."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from workforce.accounts.models import Department
from workforce.supervision import dues, rules
from workforce.supervision.choices import CellStatus, DepartmentRole, RectificationStatus, ReportStatus, TaskStatus
from workforce.supervision.models import (
    Alert,
    Attachment,
    Finding,
    InspectionRound,
    Measure,
    MeasureDepartment,
    Milestone,
    Plan,
    ProgressReport,
    Rectification,
    Task,
)
from workforce.supervision.querysets import ALL, DEPARTMENT, supervision_scope


def current_plan() -> Plan:
    """The plan the pages show: the most recently issued one; 404 before any plan is loaded."""
    plan = Plan.objects.order_by("-issued_on", "-pk").first()
    if plan is None:
        raise Http404
    return plan


def get_measure_for(user, pk) -> Measure:
    """The plan's measures are public to anyone who may view measures (the views check that)."""
    return get_object_or_404(Measure.objects.select_related("plan", "group"), pk=pk)


def get_task_for(user, pk) -> Task:
    return get_object_or_404(Task.objects.visible_to(user).select_related("measure", "department", "owner"), pk=pk)


def get_report_for(user, pk) -> ProgressReport:
    return get_object_or_404(ProgressReport.objects.visible_to(user).select_related("measure", "department"), pk=pk)


def get_attachment_for(user, pk) -> Attachment:
    return get_object_or_404(Attachment.objects.visible_to(user), pk=pk)


def get_round_for(user, pk) -> InspectionRound:
    return get_object_or_404(InspectionRound.objects.visible_to(user), pk=pk)


def get_finding_for(user, pk) -> Finding:
    return get_object_or_404(Finding.objects.visible_to(user).select_related("round", "measure", "department"), pk=pk)


def get_rectification_for(user, pk) -> Rectification:
    return get_object_or_404(Rectification.objects.visible_to(user).select_related("finding__round"), pk=pk)


def get_department_for(user, code: str) -> Department:
    """A department's page: city-wide users see any, a department officer their own; 404 otherwise."""
    scope = supervision_scope(user)
    if scope == ALL or (scope == DEPARTMENT and user.department.code == code):
        return get_object_or_404(Department, code=code)
    raise Http404


def cell_statuses(plan: Plan, on: datetime.date) -> dict[tuple[int, int], str]:
    """The status colour of every (measure, department) pair of the plan on ``on``: overdue if anything of
    theirs is overdue, done if all their tasks are done, on track if they have tasks, else not started."""
    tasks = Task.objects.filter(measure__plan=plan)
    counts = tasks.values("measure_id", "department_id").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
    overdue = set(tasks.overdue(on).values_list("measure_id", "department_id"))
    overdue |= set(Milestone.objects.filter(task__measure__plan=plan).overdue(on)
                   .values_list("task__measure_id", "task__department_id"))
    overdue |= set(ProgressReport.objects.filter(measure__plan=plan).overdue(on)
                   .values_list("measure_id", "department_id"))
    overdue |= set(Rectification.objects.filter(finding__measure__plan=plan).overdue(on)
                   .values_list("finding__measure_id", "department_id"))
    statuses: dict[tuple[int, int], str] = {}
    for row in counts:
        key = (row["measure_id"], row["department_id"])
        statuses[key] = CellStatus.DONE if row["done"] == row["total"] else CellStatus.ON_TRACK
    for key in overdue:
        statuses[key] = CellStatus.OVERDUE
    return statuses


def matrix(plan: Plan, on: datetime.date) -> dict:
    """Measures × departments: rows of cells, each ``None`` (not named by the plan) or
    ``{"role": ..., "status": ...}``; departments ordered by how many measures name them; ``counts`` of
    pairs in each status."""
    links = list(MeasureDepartment.objects.filter(measure__plan=plan).select_related("department"))
    statuses = cell_statuses(plan, on)
    per_department: dict[int, int] = defaultdict(int)
    for link in links:
        per_department[link.department_id] += 1
    departments = sorted({link.department for link in links}, key=lambda d: (-per_department[d.pk], d.code))
    by_pair = {(link.measure_id, link.department_id): link for link in links}
    rows = []
    for measure in plan.measures.select_related("group"):
        cells = []
        for department in departments:
            link = by_pair.get((measure.pk, department.pk))
            cells.append(None if link is None else {
                "role": link.role, "role_label": link.get_role_display(), "name_in_plan": link.name_in_plan,
                "department_name": department.name,
                "status": statuses.get((measure.pk, department.pk), CellStatus.NOT_STARTED)})
        rows.append({"measure": measure, "cells": cells})
    return {"departments": departments, "rows": rows, "counts": status_counts(statuses, plan)}


def status_counts(statuses: dict, plan: Plan) -> dict[str, int]:
    """How many (measure, department) pairs are in each status."""
    total = MeasureDepartment.objects.filter(measure__plan=plan).count()
    counts = {status: 0 for status in CellStatus.values}
    for status in statuses.values():
        counts[status] += 1
    counts[CellStatus.NOT_STARTED] = total - sum(v for k, v in counts.items() if k != CellStatus.NOT_STARTED)
    return counts


def measure_page(user, measure: Measure, on: datetime.date) -> dict:
    """What a measure's page shows ``user``: its units, the tasks (with the timeline), reports and findings
    in the user's scope, and whether the user may plan a task here."""
    tasks = (Task.objects.visible_to(user).filter(measure=measure)
             .select_related("department", "owner").prefetch_related("milestones"))
    links = list(measure.links.select_related("department"))
    return {
        "leads": [link for link in links if link.role == DepartmentRole.LEAD],
        "responsibles": [link for link in links if link.role == DepartmentRole.RESPONSIBLE],
        "tasks": tasks, "gantt": gantt_rows(tasks, on),
        "reports": ProgressReport.objects.visible_to(user).filter(measure=measure)
        .select_related("measure", "department").order_by("-period_start", "department__name")[:100],
        "findings": Finding.objects.visible_to(user).filter(measure=measure)
        .select_related("round", "department").prefetch_related("rectifications"),
        "may_add_task": rules.may_plan_tasks(user, measure),
    }


def task_departments(user, measure: Measure) -> QuerySet:
    """The departments of ``measure`` the user may plan tasks for: all of them for the supervision office
    and the city administrator, else the user's own department if the measure names it."""
    departments = Department.objects.filter(measure_links__measure=measure)
    return departments if rules.may_supervise(user) else departments.filter(pk=user.department_id)


def findings_for_api(user) -> QuerySet:
    """The findings in ``user``'s scope with what the API shows of them (department, rectification items)."""
    return Finding.objects.visible_to(user).select_related("department").prefetch_related(
        "rectifications__department")


def rounds_for_api(user) -> QuerySet:
    """The inspection rounds in ``user``'s scope, newest first, each with ``visible_findings`` (the findings
    in scope) fetched for all rounds at once."""
    return (InspectionRound.objects.visible_to(user).order_by("-started_on", "-pk")
            .prefetch_related(Prefetch("findings", queryset=findings_for_api(user), to_attr="visible_findings")))


def round_findings(user, inspection: InspectionRound) -> list[Finding]:
    """The round's findings in ``user``'s scope; each rectification item carries ``may_report`` (the user
    may report it rectified now) and ``may_close`` (the user may close it or send it back now)."""
    findings = list(inspection.findings.visible_to(user).select_related("measure", "department")
                    .prefetch_related("rectifications"))
    may_inspect = rules.may_inspect(user, inspection)
    for finding in findings:
        for item in finding.rectifications.all():
            item.may_report = item.status == RectificationStatus.OPEN and rules.may_report_rectification(user, item)
            item.may_close = item.status == RectificationStatus.REPORTED and may_inspect
    return findings


def gantt_rows(tasks, on: datetime.date) -> list[dict]:
    """The tasks as bars (start to time limit) with their milestones, ready for the timeline chart."""
    rows = []
    for task in tasks:
        overdue = task.status != TaskStatus.DONE and task.due_date < on
        rows.append({
            "name": f"{task.department.name}：{task.title}", "start": task.start_date.isoformat(),
            "end": task.due_date.isoformat(), "status": "overdue" if overdue else task.status,
            "milestones": [{"name": m.title, "date": m.due_date.isoformat(), "done": bool(m.completed_on)}
                           for m in task.milestones.all()],
        })
    return rows


def department_dues(user, department: Department, on: datetime.date) -> dict:
    """Everything ``department`` owes, as far as ``user`` may see it: tasks, milestones, reports and
    rectification items not yet done, soonest first."""
    tasks = Task.objects.visible_to(user).filter(department=department).select_related("measure", "owner")
    return {
        "tasks": tasks.order_by("due_date"),
        "milestones": Milestone.objects.visible_to(user).filter(task__department=department, completed_on__isnull=True)
        .select_related("task").order_by("due_date"),
        "reports": ProgressReport.objects.visible_to(user).filter(department=department)
        .exclude(status=ReportStatus.ACCEPTED).select_related("measure").order_by("due_date", "measure__number"),
        "rectifications": Rectification.objects.visible_to(user).filter(department=department)
        .exclude(status=RectificationStatus.CLOSED).select_related("finding__round", "finding__measure")
        .order_by("due_date"),
        "on": on,
    }


def reports_to_review(user):
    """Submitted reports waiting for ``user``'s review, oldest first: for the supervision office all of them
    (it alone reviews the lead departments' own reports); for a department with the review permission,
    those of the responsible departments of the measures it leads. The queryset form of
    ``rules.may_review_report``."""
    submitted = ProgressReport.objects.visible_to(user).filter(status=ReportStatus.SUBMITTED).select_related(
        "measure", "department").order_by("submitted_at", "pk")
    if rules.may_supervise(user):
        return submitted
    if not user.department_id or not user.has_perm("supervision.review_progressreport"):
        return submitted.none()
    lead = MeasureDepartment.objects.filter(measure=OuterRef("measure"), role=DepartmentRole.LEAD)
    return submitted.filter(Exists(lead.filter(department_id=user.department_id))).exclude(
        Exists(lead.filter(department=OuterRef("department"))))


def overdue_count(user, on: datetime.date) -> int:
    """How many items ``user`` may see are overdue on ``on``: tasks, milestones, progress reports and
    rectification items, by ``supervision.dues`` (the one definition the annual report uses too). The one
    overdue figure of every page (the daily job raises an alert for each of the same items,
    ``services.alerts.overdue_items``)."""
    return dues.overdue_count(on, user=user)


def home_counts(user, on: datetime.date) -> dict[str, int | bool]:
    """The home page card: items overdue on ``on`` that ``user`` may see and, for those who review
    reports, the reports waiting for their review."""
    may_review = rules.may_review_reports(user)
    return {"overdue": overdue_count(user, on), "may_review": may_review,
            "to_review": reports_to_review(user).count() if may_review else 0}


def inbox(user, on: datetime.date) -> dict:
    """The user's inbox: open alerts of their department (all for city-wide users), reports to review,
    and their department's reports sent back."""
    returned = ProgressReport.objects.none()
    if user.department_id:
        returned = ProgressReport.objects.visible_to(user).filter(
            department_id=user.department_id, status=ReportStatus.RETURNED).select_related("measure")
    return {
        "alerts": Alert.objects.visible_to(user).open().select_related("department"),
        "to_review": reports_to_review(user),
        "returned": returned,
        "on": on,
    }
