"""Reference data: administrative divisions, occupations, skill levels and industries.

Loaded from ``reference/data/`` (copied from shared/reference with its NOTES.md of sources) by
``workforce load-reference``; the city administrator may edit it afterwards, every edit in the change log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("地级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇/街道")


class Division(VersionedModel):
    """An administrative division (行政区划), GB/T 2260 code; townships carry 9-digit statistical codes."""

    code = models.CharField(_("代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级区划"))
    is_active = models.BooleanField(_("有效"), default=True)

    CHANGELOG_FIELDS = ["code", "name", "level", "parent", "is_active"]

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name


class Occupation(VersionedModel):
    """An occupation of 《中华人民共和国职业分类大典》 (细类), e.g. 6-17-02-02 炼钢工."""

    code = models.CharField(_("职业代码"), max_length=12, primary_key=True)
    name = models.CharField(_("职业名称"), max_length=100)
    major_group = models.PositiveSmallIntegerField(_("大类"))
    edition = models.CharField(_("版本"), max_length=8, default="2022")
    is_active = models.BooleanField(_("有效"), default=True)

    CHANGELOG_FIELDS = ["code", "name", "major_group", "edition", "is_active"]

    class Meta:
        ordering = ["code"]
        verbose_name = _("职业")
        verbose_name_plural = _("职业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SkillLevel(VersionedModel):
    """One of the five national vocational skill levels; level 3 (高级工) and above is high-skilled."""

    level = models.PositiveSmallIntegerField(_("等级"), primary_key=True)
    label = models.CharField(_("名称"), max_length=30)  # 三级/高级工
    grade = models.CharField(_("级别"), max_length=10)  # 三级
    title = models.CharField(_("称谓"), max_length=10)  # 高级工
    name_en = models.CharField(_("英文名称"), max_length=60)
    is_high_skilled = models.BooleanField(_("高技能"))

    CHANGELOG_FIELDS = ["level", "label", "grade", "title", "name_en", "is_high_skilled"]

    class Meta:
        ordering = ["level"]
        verbose_name = _("技能等级")
        verbose_name_plural = _("技能等级")

    def __str__(self) -> str:
        return self.label


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class Industry(VersionedModel):
    """An industry of GB/T 4754-2017 (国民经济行业分类), from section (门类) to class (小类)."""

    code = models.CharField(_("行业代码"), max_length=8, primary_key=True)
    name = models.CharField(_("行业名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=IndustryLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级行业"))
    section = models.CharField(_("门类"), max_length=1, db_index=True)

    CHANGELOG_FIELDS = ["code", "name", "level", "parent", "section"]

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
