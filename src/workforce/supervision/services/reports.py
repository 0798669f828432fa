"""Progress reports: opened per period, written and submitted by the department, reviewed by the lead
department (accept, or send back with comments), every submission kept as a version."""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change, save_versioned
from workforce.core.choices import ChangeAction, Channel
from workforce.supervision import rules
from workforce.supervision.attachments import check_upload
from workforce.supervision.choices import ReportStatus, ReviewDecision
from workforce.supervision.models import Attachment, MeasureDepartment, Plan, ProgressReport, ReportVersion
from workforce.supervision.periods import periods_between
from workforce.supervision.workdays import due_date

if TYPE_CHECKING:
    from workforce.accounts.models import User


@transaction.atomic
def do_start_reporting(plan: Plan, starts_on: datetime.date, *,
                       acting_user: User | None, channel: Channel = Channel.PAGE,
                       frequency: str | None = None, open_until: datetime.date | None = None) -> Plan:
    """Reports are owed from the period containing ``starts_on``, at ``frequency`` (default: the plan's);
    with ``open_until``, the reports of the periods up to that day are opened in the same transaction."""
    rules.require(rules.may_supervise(acting_user))
    before = {"reporting_starts_on": plan.reporting_starts_on and plan.reporting_starts_on.isoformat(),
              "report_frequency": plan.report_frequency}
    plan.reporting_starts_on = starts_on
    plan.report_frequency = frequency or plan.report_frequency
    plan.full_clean()
    save_versioned(plan, expected_version=None)
    record_change(plan, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=before,
                  after={"reporting_starts_on": starts_on.isoformat(), "report_frequency": plan.report_frequency})
    if open_until is not None:
        open_reports(plan, open_until, acting_user=acting_user, channel=channel)
    return plan


@transaction.atomic
def open_reports(plan: Plan, on: datetime.date, *,
                 acting_user: User | None = None, channel: Channel = Channel.SYSTEM) -> int:
    """Open (as 待填报) the report of every department of every measure for each period from the start
    of reporting up to the one containing ``on``; idempotent. Returns how many were opened; when any
    were, one change-log row on the plan says how many."""
    if plan.reporting_starts_on is None or on < plan.reporting_starts_on:
        return 0
    links = list(MeasureDepartment.objects.filter(measure__plan=plan).values_list("measure_id", "department_id"))
    opened = 0
    for period in periods_between(plan.report_frequency, plan.reporting_starts_on, on):
        due = due_date(period.end, plan.report_due_days, plan.report_due_unit)
        existing = set(ProgressReport.objects.filter(
            measure__plan=plan, frequency=period.frequency, period_start=period.start,
        ).values_list("measure_id", "department_id"))
        new = [ProgressReport(measure_id=measure_id, department_id=department_id, frequency=period.frequency,
                              period_start=period.start, period_end=period.end, due_date=due)
               for measure_id, department_id in links if (measure_id, department_id) not in existing]
        ProgressReport.objects.bulk_create(new, ignore_conflicts=True)
        opened += len(new)
    if opened:
        record_change(plan, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                      note=_("开启进展报告 %(count)d 份（截至 %(on)s）") % {"count": opened, "on": on.isoformat()})
    return opened


def _require_editable(report: ProgressReport, user: User) -> None:
    rules.require(rules.may_write_report(user, report), _("只有报告单位的工作人员可以填写和报送本报告。"))
    if not report.is_editable:
        raise ValidationError(_("报告已报送，等待审核期间不能修改。"))


@transaction.atomic
def do_save_report(report: ProgressReport, body: str, *, expected_version: int | None, acting_user: User,
                   channel: Channel = Channel.PAGE) -> ProgressReport:
    """Save the text of a report being written (not yet submitted)."""
    _require_editable(report, acting_user)
    before = report.body
    report.body = body.strip()
    save_versioned(report, expected_version=expected_version)
    if report.body != before:
        record_change(report, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                      before={"body": before}, after={"body": report.body})
    return report


@transaction.atomic
def do_attach_file(report: ProgressReport, upload: Any, *,
                   acting_user: User, channel: Channel = Channel.PAGE) -> Attachment:
    """Store an evidence file with the report (type, size and content checked; stored outside the web root)."""
    _require_editable(report, acting_user)
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(report=report, name=upload.name[:200], size=upload.size, content_type=content_type,
                            sha256=digest.hexdigest(), uploaded_by=acting_user)
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
        record_change(report, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                      note=_("上传附件：%(name)s") % {"name": attachment.name})
    except BaseException:
        attachment.file.delete(save=False)  # the row is not written: leave no file behind without one
        raise
    return attachment


@transaction.atomic
def do_remove_attachment(attachment: Attachment, *, acting_user: User, channel: Channel = Channel.PAGE) -> None:
    """Take a file off the report being written; versions already submitted keep it."""
    report = attachment.report
    _require_editable(report, acting_user)
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])
    record_change(report, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                  note=_("移除附件：%(name)s") % {"name": attachment.name})


@transaction.atomic
def do_submit_report(report: ProgressReport, *,
                     acting_user: User, channel: Channel = Channel.PAGE) -> ReportVersion:
    """Submit the report for review: its text and current attachments are frozen as a new version."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _require_editable(report, acting_user)
    if not report.body.strip():
        raise ValidationError({"body": _("请先填写进展情况再报送。")})
    now = timezone.now()
    version = ReportVersion.objects.create(report=report, number=report.versions.count() + 1, body=report.body,
                                           submitted_at=now, submitted_by=acting_user)
    version.attachments.set(report.attachments.filter(removed_at__isnull=True))
    before = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    save_versioned(report, expected_version=None)
    record_change(report, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                  before={"status": before}, after={"status": report.status},
                  note=_("报送第 %(number)d 版") % {"number": version.number})
    return version


@transaction.atomic
def do_save_and_submit_report(report: ProgressReport, body: str, *,
                              expected_version: int | None, acting_user: User,
                              channel: Channel = Channel.PAGE) -> ReportVersion:
    """Save the text and submit it, all or nothing: a refused submission leaves the stored draft unchanged."""
    do_save_report(report, body, expected_version=expected_version, acting_user=acting_user, channel=channel)
    return do_submit_report(report, acting_user=acting_user, channel=channel)


@transaction.atomic
def do_review_report(report: ProgressReport, decision: str, comment: str, *, acting_user: User,
                     channel: Channel = Channel.PAGE) -> ReportVersion:
    """Accept the submitted version, or send it back with comments (required) for the department to revise."""
    report = ProgressReport.objects.select_for_update().select_related("measure").get(pk=report.pk)
    rules.require(rules.may_review_report(acting_user, report), _("只有牵头单位（或督查办）可以审核本报告。"))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只能审核已报送、待审核的报告。"))
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("请选择审核意见。")})
    comment = comment.strip()
    if decision == ReviewDecision.RETURNED and not comment:
        raise ValidationError({"comment": _("退回时请写明修改意见。")})
    version = report.versions.latest("number")
    version.decision = decision
    version.review_comment = comment
    version.reviewed_at = timezone.now()
    version.reviewed_by = acting_user
    version.save()
    before = report.status
    label = str(ReviewDecision(decision).label)
    report.status = ReportStatus.ACCEPTED if decision == ReviewDecision.ACCEPTED else ReportStatus.RETURNED
    save_versioned(report, expected_version=None)
    record_change(report, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                  before={"status": before}, after={"status": report.status},
                  note=f"{label}：{comment}" if comment else label)
    return version
