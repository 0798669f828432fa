"""Who sees which supervision records: the one place that decides (STYLE.md "Scoping lives in one place").

A user with ``supervision.view_all_supervision`` (the city administrator, city leaders) sees everything.
A department officer sees what their department owes, and, for the measures their department leads,
what the responsible departments owe (the lead department reviews it). Everyone else sees nothing.
The plan and its measures are public to anyone who may view measures.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

ALL = "all"
DEPARTMENT = "department"
NONE = "none"


def supervision_scope(user) -> str:
    """``ALL``, ``DEPARTMENT`` (the user's ``department``) or ``NONE``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NONE
    if user.is_superuser or user.has_perm("supervision.view_all_supervision"):
        return ALL
    if user.department_id and user.has_perm("supervision.view_measure"):
        return DEPARTMENT
    return NONE


def _leads(department_id: int, measure_ref: str) -> Exists:
    from workforce.supervision.choices import DepartmentRole
    from workforce.supervision.models import MeasureDepartment

    return Exists(MeasureDepartment.objects.filter(measure=OuterRef(measure_ref), department_id=department_id,
                                                   role=DepartmentRole.LEAD))


class _ScopedQuerySet(models.QuerySet):
    department_path = "department"
    measure_path = "measure"

    def visible_to(self, user):
        """Rows of the user's department, and of the measures it leads; all for city-wide users."""
        scope = supervision_scope(user)
        if scope == ALL:
            return self
        if scope == DEPARTMENT:
            own = Q(**{f"{self.department_path}_id": user.department_id})
            return self.filter(own | Q(_leads(user.department_id, self.measure_path)))
        return self.none()


class TaskQuerySet(_ScopedQuerySet):
    def overdue(self, on: datetime.date) -> Self:
        """Tasks not done whose time limit has passed before ``on``."""
        from workforce.supervision.choices import TaskStatus

        return self.exclude(status=TaskStatus.DONE).filter(due_date__lt=on)


class MilestoneQuerySet(_ScopedQuerySet):
    department_path = "task__department"
    measure_path = "task__measure"

    def overdue(self, on: datetime.date) -> Self:
        """Milestones not completed whose due date has passed before ``on`` (the due date itself is in time)."""
        return self.filter(completed_on__isnull=True, due_date__lt=on)


class ProgressReportQuerySet(_ScopedQuerySet):
    def due(self, on: datetime.date) -> Self:
        """Reports owed by ``on``: their deadline has come (``supervision.dues``); reports of periods whose
        deadline is still ahead are not owed yet."""
        return self.filter(due_date__lte=on)

    def overdue(self, on: datetime.date) -> Self:
        """Reports not submitted (or sent back and not resubmitted) after their due date."""
        from workforce.supervision.choices import ReportStatus

        return self.filter(status__in=[ReportStatus.PENDING, ReportStatus.RETURNED], due_date__lt=on)


class AttachmentQuerySet(_ScopedQuerySet):
    department_path = "report__department"
    measure_path = "report__measure"


class FindingQuerySet(_ScopedQuerySet):
    pass


class RectificationQuerySet(_ScopedQuerySet):
    measure_path = "finding__measure"

    def overdue(self, on: datetime.date) -> Self:
        """Rectification items still open after their deadline (reported or closed ones are not)."""
        from workforce.supervision.choices import RectificationStatus

        return self.filter(status=RectificationStatus.OPEN, due_date__lt=on)


class InspectionRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All rounds city-wide; for a department, the rounds that inspect it or find something about it."""
        scope = supervision_scope(user)
        if scope == ALL:
            return self
        if scope == DEPARTMENT:
            from workforce.supervision.models import Finding

            findings = Finding.objects.filter(round=OuterRef("pk")).visible_to(user)
            inspected = self.filter(departments=user.department_id).values("pk")
            return self.filter(Q(pk__in=inspected) | Q(Exists(findings)))
        return self.none()


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Alerts of the user's department (its inbox); all for city-wide users."""
        scope = supervision_scope(user)
        if scope == ALL:
            return self
        if scope == DEPARTMENT:
            return self.filter(department_id=user.department_id)
        return self.none()

    def open(self) -> Self:
        return self.filter(resolved_on__isnull=True)
