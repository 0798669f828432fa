"""Inspections (督查, §III(三) "定期对各项改革措施落实情况进行督促检查"): rounds, findings, rectification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workforce.supervision.choices import FindingKind, RectificationStatus, RoundStatus
from workforce.supervision.models.roadmap import Deadline
from workforce.supervision.querysets import FindingQuerySet, InspectionRoundQuerySet, RectificationQuerySet
from workforce.supervision.workdays import is_overdue


class InspectionRound(models.Model):
    """A round of inspection (督查) with its scope (measures, departments) and its inspectors."""

    plan = models.ForeignKey("supervision.Plan", on_delete=models.PROTECT, related_name="inspection_rounds")
    title = models.CharField(_("督查名称"), max_length=200)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    scope_note = models.TextField(_("督查范围与方式"), blank=True)
    measures = models.ManyToManyField("supervision.Measure", blank=True, related_name="inspection_rounds",
                                      verbose_name=_("督查举措"))
    departments = models.ManyToManyField("accounts.Department", blank=True, related_name="inspection_rounds",
                                         verbose_name=_("被督查部门"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspection_rounds",
                                        verbose_name=_("督查人员"))
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.IN_PROGRESS)
    summary = models.TextField(_("督查总结"), blank=True)

    objects = InspectionRoundQuerySet.as_manager()

    CHANGELOG_FIELDS = ["title", "started_on", "ended_on", "scope_note", "status", "summary"]

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("督查")
        verbose_name_plural = _("督查")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != RoundStatus.CLOSED


class Finding(models.Model):
    """What a round found on one measure at one department: a problem or a practice worth spreading."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="findings")
    measure = models.ForeignKey("supervision.Measure", on_delete=models.PROTECT, related_name="findings",
                                verbose_name=_("举措"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT,
                                   related_name="supervision_findings", verbose_name=_("部门"))
    kind = models.CharField(_("类型"), max_length=16, choices=FindingKind.choices, default=FindingKind.PROBLEM)
    text = models.TextField(_("督查发现"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    CHANGELOG_FIELDS = ["measure", "department", "kind", "text"]

    class Meta:
        ordering = ["round", "measure", "pk"]
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")

    def __str__(self) -> str:
        return f"{self.measure} · {self.department} · {self.text[:30]}"


class Rectification(Deadline):
    """A rectification item (整改事项) a finding asks of a department, with a deadline; the department
    reports it done and the supervision office closes it (销号) or sends it back."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="rectifications")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT,
                                   related_name="supervision_rectifications")
    text = models.TextField(_("整改要求"))
    status = models.CharField(_("状态"), max_length=16, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    reported_note = models.TextField(_("整改情况"), blank=True)
    reported_on = models.DateField(_("报告整改日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closing_note = models.TextField(_("销号意见"), blank=True)

    objects = RectificationQuerySet.as_manager()

    CHANGELOG_FIELDS = ["text", "due_date", "counted_from", "days", "day_unit", "status", "reported_note",
                        "reported_on", "closed_on", "closing_note"]

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self) -> str:
        return self.text[:50]

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_detail", args=[self.finding.round_id]) + f"#rectification-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        """Still open (not reported, not closed) after its deadline, today; as ``objects.overdue``."""
        return is_overdue(self.due_date, self.status != RectificationStatus.OPEN, timezone.localdate())
