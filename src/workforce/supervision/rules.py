"""Who may act on what (beyond seeing it): the business rules of the supervision workflow.

Seeing is decided by the querysets (``visible_to``); these answer "may this user change it", and the
services call them, so pages, API and commands obey the same rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from workforce.supervision.choices import DepartmentRole


def may_supervise(user) -> bool:
    """The supervision office: deploys tasks for any department, runs inspections, reviews the reports
    of lead departments."""
    return bool(user and user.is_authenticated and user.has_perm("supervision.supervise_plan"))


def is_lead(department_id: int | None, measure) -> bool:
    return department_id is not None and measure.links.filter(
        department_id=department_id, role=DepartmentRole.LEAD).exists()


def may_manage_tasks(user, department) -> bool:
    """A department manages its own roadmap; the supervision office any department's."""
    if may_supervise(user):
        return True
    return user.department_id == department.pk and user.has_perm("supervision.change_task")


def may_plan_tasks(user, measure) -> bool:
    """Whether the "plan a task" action is offered on a measure: the supervision office, or an officer of
    one of the measure's departments (the service still checks the department chosen)."""
    if not user.has_perm("supervision.add_task"):
        return False
    return may_supervise(user) or measure.links.filter(department_id=user.department_id).exists()


def may_write_report(user, report) -> bool:
    """Only the reporting department's own officers write and submit its report."""
    return user.department_id == report.department_id and user.has_perm("supervision.change_progressreport")


def may_review_report(user, report) -> bool:
    """A responsible department's report is reviewed by the measure's lead department; a lead department's
    own report by the supervision office (docs/decisions/0007-supervision.md)."""
    if is_lead(report.department_id, report.measure):
        return may_supervise(user)
    if may_supervise(user):
        return True
    return user.has_perm("supervision.review_progressreport") and is_lead(user.department_id, report.measure)


def may_review_reports(user) -> bool:
    """Whether ``user`` reviews any reports at all (the supervision office, or a department officer with the
    review permission): the "reports to review" figure is shown only to them, never to the read-only leader."""
    return may_supervise(user) or bool(user.department_id and user.has_perm("supervision.review_progressreport"))


def may_inspect(user, inspection_round) -> bool:
    """The supervision office and the round's own inspectors record findings and close rectification."""
    if may_supervise(user):
        return True
    return user.is_authenticated and inspection_round.inspectors.filter(pk=user.pk).exists()


def may_report_rectification(user, rectification) -> bool:
    return user.department_id == rectification.department_id and user.has_perm("supervision.change_rectification")


def require(allowed: bool, message: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("您没有执行该操作的权限。"))
