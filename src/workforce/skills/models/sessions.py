"""Appraisal sessions (认定批次) and their candidates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.skills.choices import Ground, Outcome, RegistrationRoute, SessionState
from workforce.skills.querysets import CandidateQuerySet, SessionQuerySet


class AppraisalSession(VersionedModel):
    """One sitting of a body for an occupation and level (empty level: a special vocational ability
    assessment), with its date, venue and quota. State moves planned → open → closed → published only
    through ``services.sessions``; ``version`` guards result entry against lost updates."""

    body = models.ForeignKey("skills.AppraisalBody", on_delete=models.PROTECT, related_name="sessions",
                             verbose_name=_("评价机构"))
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业（工种）"))
    level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("等级"))
    date = models.DateField(_("认定日期"))
    venue = models.CharField(_("考核地点"), max_length=200)
    quota = models.PositiveIntegerField(_("名额"))
    state = models.CharField(_("状态"), max_length=16, choices=SessionState.choices, default=SessionState.PLANNED)
    published_on = models.DateField(_("成绩公布日期"), null=True, blank=True)
    certificates_issued_at = models.DateTimeField(_("证书颁发时间"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    CHANGELOG_FIELDS = ["body", "occupation", "level", "date", "venue", "quota", "state", "published_on",
                        "certificates_issued_at"]

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["state", "date"], name="appraisalsession_state_date"),
                   models.Index(fields=["body", "-date"], name="appraisalsession_body_date")]
        permissions = [("manage_appraisalsession", _("管理认定批次（开放报名、录入成绩、公布、发证）")),
                       ("export_candidate", _("导出考生名单"))]
        verbose_name = _("认定批次")
        verbose_name_plural = _("认定批次")

    def __str__(self) -> str:
        level = self.level.label if self.level is not None else _("专项职业能力")
        return f"{self.date:%Y-%m-%d} {self.occupation.name} {level}"

    def get_absolute_url(self) -> str:
        return reverse("skills:session_detail", args=[self.pk])

    @property
    def needs_defence(self) -> bool:
        """技师 (level 2) and above sit a defence (综合评审/答辩) too."""
        return self.level_id is not None and self.level_id <= 2


class Candidate(VersionedModel):
    """A worker registered for a session: the ground they apply on (with its recorded basis), the rule
    version that judged them eligible and its explanation, their scores and outcome, and the certificate
    issued from the result. One registration per worker and session."""

    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="candidates",
                                verbose_name=_("认定批次"))
    worker = models.ForeignKey("registry.Worker", on_delete=models.CASCADE, related_name="appraisals",
                               verbose_name=_("职工"))
    route = models.CharField(_("报名渠道"), max_length=16, choices=RegistrationRoute.choices)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("报名人"))
    ground = models.CharField(_("申报依据"), max_length=20, choices=Ground.choices, default=Ground.STANDARD)
    ground_basis = models.CharField(_("特殊依据说明"), max_length=200, blank=True)
    rule = models.ForeignKey("skills.EligibilityRule", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("适用规则"))
    explanation = models.JSONField(_("资格审核说明"), default=list)
    theory_score = models.DecimalField(_("理论知识"), max_digits=5, decimal_places=1, null=True, blank=True)
    practical_score = models.DecimalField(_("操作技能"), max_digits=5, decimal_places=1, null=True, blank=True)
    defence_score = models.DecimalField(_("综合评审（答辩）"), max_digits=5, decimal_places=1, null=True, blank=True)
    scores_entered_at = models.DateTimeField(_("成绩录入时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    certificate = models.OneToOneField("registry.Certificate", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="appraisal", verbose_name=_("所发证书"))

    objects = CandidateQuerySet.as_manager()

    CHANGELOG_FIELDS = ["route", "ground", "ground_basis", "rule", "theory_score", "practical_score",
                        "defence_score", "outcome", "certificate"]

    class Meta:
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "worker"], name="candidate_once_per_session")]
        indexes = [models.Index(fields=["worker", "session"], name="candidate_worker")]
        verbose_name = _("考生")
        verbose_name_plural = _("考生")

    def __str__(self) -> str:
        return f"{self.worker.name} @ {self.session}"
