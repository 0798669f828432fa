"""Eligibility and pass rules as data: versioned and effective-dated (decision 0017)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workforce.skills.choices import Ground

RULE_DATES_IN_ORDER = models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from"))


class EligibilityRule(models.Model):
    """One version of an eligibility rule (申报条件): who may sit ``target_level`` on ``ground``.

    Versions of one ``code`` never overlap in time (the services refuse it); a session is judged by the
    version in force on its date. Every condition left empty is not required. A version is never edited
    once a candidate was judged by it: the city administrator adds a new version from a later date."""

    code = models.SlugField(_("规则代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("规则名称"), max_length=100)
    ground = models.CharField(_("申报依据"), max_length=20, choices=Ground.choices)
    target_level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("申报等级"))
    prior_level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("须持有等级"))
    years_with_prior = models.PositiveSmallIntegerField(_("持证年限"), null=True, blank=True)
    years_in_occupation = models.PositiveSmallIntegerField(_("从事本职业年限"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("年龄上限"), null=True, blank=True)
    requires_basis = models.BooleanField(_("须记录特殊依据"), default=False)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    basis_document = models.CharField(_("政策依据"), max_length=200, blank=True)

    CHANGELOG_FIELDS = ["code", "version", "name", "ground", "target_level", "prior_level", "years_with_prior",
                        "years_in_occupation", "max_age", "requires_basis", "effective_from", "effective_to",
                        "basis_document"]

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="eligibilityrule_unique_version"),
            models.CheckConstraint(condition=RULE_DATES_IN_ORDER, name="eligibilityrule_dates_in_order"),
        ]
        indexes = [models.Index(fields=["ground", "target_level", "effective_from"], name="eligibilityrule_lookup")]
        verbose_name = _("申报条件规则")
        verbose_name_plural = _("申报条件规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"


class PassRule(models.Model):
    """One version of the pass marks for a level (合格标准): theory and practical, and the defence (答辩)
    for 技师 and above. Versions of one level never overlap in time."""

    level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("等级"))
    version = models.PositiveIntegerField(_("版本"))
    theory_min = models.DecimalField(_("理论知识合格线"), max_digits=5, decimal_places=1)
    practical_min = models.DecimalField(_("操作技能合格线"), max_digits=5, decimal_places=1)
    defence_min = models.DecimalField(_("综合评审（答辩）合格线"), max_digits=5, decimal_places=1, null=True,
                                      blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    CHANGELOG_FIELDS = ["level", "version", "theory_min", "practical_min", "defence_min", "effective_from",
                        "effective_to"]

    class Meta:
        ordering = ["level", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["level", "version"], name="passrule_unique_version"),
            models.CheckConstraint(condition=RULE_DATES_IN_ORDER, name="passrule_dates_in_order"),
        ]
        verbose_name = _("合格标准")
        verbose_name_plural = _("合格标准")

    def __str__(self) -> str:
        return f"{self.level or _('专项职业能力')} v{self.version}"
