"""Competitions (§20), their entrants' results, the consequence rules as data and the cases they trigger."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.skills.choices import CaseState, CompetitionKind, CompetitionTier, Consequence
from workforce.skills.models.rules import RULE_DATES_IN_ORDER
from workforce.skills.querysets import CompetitionQuerySet, EntrantQuerySet


class Competition(VersionedModel):
    """A competition event (职业技能竞赛) for one occupation, at a tier and of a kind, held on a day.
    ``results_recorded_at`` is set once when the results are entered; later changes are corrections."""

    name = models.CharField(_("竞赛名称"), max_length=200)
    tier = models.CharField(_("竞赛级别"), max_length=16, choices=CompetitionTier.choices)
    kind = models.CharField(_("竞赛类别"), max_length=20, choices=CompetitionKind.choices)
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业（工种）"))
    held_on = models.DateField(_("举办日期"))
    results_recorded_at = models.DateTimeField(_("成绩录入时间"), null=True, blank=True)

    objects = CompetitionQuerySet.as_manager()

    CHANGELOG_FIELDS = ["name", "tier", "kind", "occupation", "held_on", "results_recorded_at"]

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("技能竞赛")
        verbose_name_plural = _("技能竞赛")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("skills:competition_detail", args=[self.pk])


class Entrant(VersionedModel):
    """A worker entered in a competition, with their rank once results are in (ties share a rank)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entrants")
    worker = models.ForeignKey("registry.Worker", on_delete=models.CASCADE, related_name="competition_entries")
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    objects = EntrantQuerySet.as_manager()

    CHANGELOG_FIELDS = ["rank"]

    class Meta:
        ordering = ["competition", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "worker"], name="entrant_once")]
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")

    def __str__(self) -> str:
        return f"{self.worker.name} @ {self.competition}"


class ConsequenceRule(models.Model):
    """One version of a §20 consequence rule: entrants of a competition of ``tier`` (and ``kind``, empty: any)
    placed at ``max_rank`` or better get a case of ``consequence``. Versions of a code never overlap."""

    code = models.SlugField(_("规则代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("规则名称"), max_length=150)
    tier = models.CharField(_("竞赛级别"), max_length=16, choices=CompetitionTier.choices)
    kind = models.CharField(_("竞赛类别"), max_length=20, choices=CompetitionKind.choices, blank=True)
    max_rank = models.PositiveIntegerField(_("名次不低于"))
    consequence = models.CharField(_("后果"), max_length=20, choices=Consequence.choices)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    CHANGELOG_FIELDS = ["code", "version", "name", "tier", "kind", "max_rank", "consequence", "effective_from",
                        "effective_to"]

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="consequencerule_unique_version"),
            models.CheckConstraint(condition=RULE_DATES_IN_ORDER, name="consequencerule_dates_in_order"),
        ]
        verbose_name = _("竞赛结果运用规则")
        verbose_name_plural = _("竞赛结果运用规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"


class CompetitionCase(models.Model):
    """A case a result triggered: the entrant, the consequence, the rule version and the rank that triggered it.
    One per entrant and consequence: re-evaluating after a correction reopens or withdraws it, never adds another."""

    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="cases")
    consequence = models.CharField(_("后果"), max_length=20, choices=Consequence.choices)
    rule = models.ForeignKey(ConsequenceRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("触发规则"))
    triggering_rank = models.PositiveIntegerField(_("触发名次"))
    state = models.CharField(_("状态"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    CHANGELOG_FIELDS = ["consequence", "rule", "triggering_rank", "state"]

    class Meta:
        ordering = ["entrant", "consequence"]
        constraints = [models.UniqueConstraint(fields=["entrant", "consequence"], name="competitioncase_once")]
        verbose_name = _("竞赛结果运用事项")
        verbose_name_plural = _("竞赛结果运用事项")

    def __str__(self) -> str:
        return f"{self.get_consequence_display()} · {self.entrant}"
