"""Progress reports (进展报告): written by a department for a period, reviewed, every version kept."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workforce.core.files import encrypted_storage
from workforce.supervision.choices import Frequency, ReportStatus, ReviewDecision
from workforce.supervision.querysets import AttachmentQuerySet, ProgressReportQuerySet
from workforce.supervision.workdays import is_overdue


class ProgressReport(models.Model):
    """What one department reports on one measure for one period. The body being edited lives here;
    every submission is frozen as a :class:`ReportVersion` with its attachments and review."""

    measure = models.ForeignKey("supervision.Measure", on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT,
                                   related_name="supervision_reports")
    frequency = models.CharField(_("报告周期"), max_length=16, choices=Frequency.choices)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    due_date = models.DateField(_("报送时限"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    body = models.TextField(_("进展情况"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    CHANGELOG_FIELDS = ["status", "body", "due_date"]

    class Meta:
        ordering = ["-period_start", "measure", "department"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "department", "frequency", "period_start"],
                                    name="supervision_report_period"),
        ]
        permissions = [("review_progressreport", _("审核进展报告"))]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.measure} · {self.department} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        from workforce.supervision.periods import Period

        return Period(self.frequency, self.period_start, self.period_end).label

    @property
    def is_editable(self) -> bool:
        """The department may still write: not yet submitted, or sent back."""
        return self.status in (ReportStatus.PENDING, ReportStatus.RETURNED)

    @property
    def is_awaiting_review(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_overdue(self) -> bool:
        """Not submitted (or sent back) after its due date, today; the same rule as ``objects.overdue``."""
        return is_overdue(self.due_date, not self.is_editable, timezone.localdate())


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name under the report's folder; the uploader's name is kept only in ``name``."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"supervision/reports/{instance.report_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An evidence file of a report, stored outside the web root (MEDIA_ROOT) and served only through a
    view that checks the user's scope. Removing it from a draft keeps the file: earlier versions name it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200, storage=encrypted_storage)  # sealed at rest
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ReportVersion(models.Model):
    """One submission of a report, frozen: its text, its attachments, and the lead department's review."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    body = models.TextField(_("进展情况"))
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="versions")
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("报送人"))
    decision = models.CharField(_("审核意见"), max_length=16, choices=ReviewDecision.choices, blank=True)
    review_comment = models.TextField(_("审核说明"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审核人"))

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="supervision_report_version")]
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")

    def __str__(self) -> str:
        return f"{self.report} · v{self.number}"
