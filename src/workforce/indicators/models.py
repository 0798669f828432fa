"""Indicators of the plan's targets (§I.2, §3, §15 研判分析) as data.

An indicator names a registered definition (code in ``definitions.py``) and carries what people edit:
names, the plan clause, baseline and target with their dates, the responsible department. The plan's
target is the indicator's own (``target_value`` by ``target_date``); the following periods' targets (the
same indicator, a new value by a new date: 2025, 2030) are ``IndicatorTarget`` rows. Every edit goes
through ``services`` and is kept in the change log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.indicators.choices import Breakdown, Direction, Unit


def all_breakdowns() -> list[str]:
    return [choice.value for choice in Breakdown]


@dataclass(frozen=True)
class Target:
    """One target of an indicator: ``value`` to reach (or not exceed) by ``due_on``."""

    value: Decimal
    due_on: datetime.date
    is_plan: bool = False  # the plan's own target (the indicator's ``target_value``), not a later period's
    pk: int | None = field(default=None, compare=False)  # the ``IndicatorTarget`` of a later period's


class Indicator(VersionedModel):
    """A measurable target of the plan, computed from the registry as of any date."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150)
    clause = models.CharField(_("方案条款"), max_length=50, help_text=_("例如 一（二）、§3"))
    definition = models.CharField(_("计算口径"), max_length=40,
                                  help_text=_("已注册的计算函数名，决定统计什么、以什么为基数"))
    description = models.TextField(_("口径说明"), blank=True)
    description_en = models.TextField(_("英文口径说明"), blank=True)
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    direction = models.CharField(_("方向"), max_length=16, choices=Direction.choices, default=Direction.AT_LEAST)
    baseline_value = models.DecimalField(_("基期值"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(_("基期日期"), null=True, blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("目标日期"), null=True, blank=True)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("牵头单位"))
    breakdowns = models.JSONField(_("分组维度"), default=all_breakdowns, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    # The plan's targets are the city's: a district's bar is compared with a target only when the plan asks
    # every district to reach it (a share; a count's target is a city-wide total and never applies to one).
    target_per_district = models.BooleanField(
        _("目标适用于各县（区）"), default=False,
        help_text=_("方案要求每个县（区）都达到该目标时勾选（仅比例指标）；否则目标只与全市数值比较，"
                    "不画在各县（区）的柱状图上。"))
    is_active = models.BooleanField(_("启用"), default=True)

    CHANGELOG_FIELDS = ["name", "name_en", "clause", "description", "description_en", "unit", "direction",
                        "baseline_value", "baseline_date", "target_value", "target_date", "department",
                        "breakdowns", "target_per_district", "is_active"]

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("目标指标")
        verbose_name_plural = _("目标指标")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (the English name when the page is in English)."""
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description

    @property
    def targets(self) -> list[Target]:
        """Every target of the indicator by date: the plan's, then the later periods' (prefetch
        ``later_targets`` when reading many indicators)."""
        plan = ([Target(self.target_value, self.target_date, is_plan=True)]
                if self.target_value is not None and self.target_date is not None else [])
        later = ([Target(target.value, target.due_on, pk=target.pk) for target in self.later_targets.all()]
                 if self.pk else [])
        return sorted(plan + later, key=lambda target: target.due_on)

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.code])


class IndicatorTarget(VersionedModel):
    """A later period's target of an indicator (下一阶段目标): the same indicator, a new value by a new date
    after the previous target's (the plan's are "by 2020"; the city sets 2025, 2030 …). Added only through
    ``services.add_target``, by the city administrator, with a change-log row naming the indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="later_targets",
                                  verbose_name=_("指标"))
    value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("目标日期"))

    CHANGELOG_FIELDS = ["value", "due_on"]

    class Meta:
        ordering = ["indicator", "due_on"]
        verbose_name = _("阶段目标")
        verbose_name_plural = _("阶段目标")
        constraints = [models.UniqueConstraint(fields=["indicator", "due_on"], name="indicator_target_unique_date")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value}（{self.due_on.isoformat()}）"
