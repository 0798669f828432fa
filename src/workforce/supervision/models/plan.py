"""The plan as data: its groups of measures, the measures with their departments, and §III's requirements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.supervision.choices import DayUnit, DepartmentRole, Frequency

if TYPE_CHECKING:
    from workforce.accounts.models import Department


class Plan(models.Model):
    """A reform plan, e.g. 攀委发〔2018〕21号; another year's or another city's plan loads the same way."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(_("印发单位"), max_length=200, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    report_frequency = models.CharField(_("报告周期"), max_length=16, choices=Frequency.choices,
                                        default=Frequency.QUARTERLY)
    report_due_days = models.PositiveSmallIntegerField(_("期满后报送时限（天）"), default=10)
    report_due_unit = models.CharField(_("时限计算方式"), max_length=16, choices=DayUnit.choices,
                                       default=DayUnit.WORKING)
    # Reports are owed from this day on; empty until the supervision office starts the reporting.
    reporting_starts_on = models.DateField(_("报告起始日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    CHANGELOG_FIELDS = ["code", "title", "document_number", "issuer", "issued_on", "report_frequency",
                        "report_due_days", "report_due_unit", "reporting_starts_on"]

    class Meta:
        ordering = ["-issued_on", "code"]
        verbose_name = _("改革方案")
        verbose_name_plural = _("改革方案")
        permissions = [
            ("supervise_plan", _("督查全部举措（部署任务、组织督查、审核牵头单位报告）")),
            ("view_all_supervision", _("查看全部督查信息")),
            ("export_annual_report", _("导出年度报告")),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureGroup(models.Model):
    """One of the plan's groups of measures, e.g. （一）加强和改进产业工人队伍思想政治建设."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="supervision_group_number")]
        verbose_name = _("举措分组")
        verbose_name_plural = _("举措分组")

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A measure of the plan (§1–§25) with its text; its departments are :class:`MeasureDepartment` rows."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    group = models.ForeignKey(MeasureGroup, on_delete=models.PROTECT, related_name="measures")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    departments: models.ManyToManyField[Department, MeasureDepartment] = models.ManyToManyField(
        "accounts.Department", through="MeasureDepartment", related_name="measures")

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="supervision_measure_number")]
        verbose_name = _("改革举措")
        verbose_name_plural = _("改革举措")

    def __str__(self) -> str:
        return f"§{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:measure_detail", args=[self.pk])


class MeasureDepartment(models.Model):
    """A department named under a measure, as lead (牵头单位) or responsible (责任单位) unit, in the plan's
    order. ``name_in_plan`` keeps the name exactly as the plan writes it; the department may since have
    been renamed (市教育体育局 → 市教育和体育局)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="measure_links")
    role = models.CharField(_("职责"), max_length=16, choices=DepartmentRole.choices)
    position = models.PositiveSmallIntegerField(_("排序"))
    name_in_plan = models.CharField(_("方案中的名称"), max_length=100)

    class Meta:
        ordering = ["measure", "role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "department"], name="supervision_measure_department"),
        ]
        verbose_name = _("举措责任部门")
        verbose_name_plural = _("举措责任部门")

    def __str__(self) -> str:
        return f"{self.measure} · {self.get_role_display()} · {self.name_in_plan}"


class Requirement(models.Model):
    """One of the three implementation requirements of §III 组织实施."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="requirements")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="supervision_requirement_number")]
        verbose_name = _("组织实施要求")
        verbose_name_plural = _("组织实施要求")

    def __str__(self) -> str:
        return self.title
