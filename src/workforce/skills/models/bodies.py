"""Appraisal bodies (职业技能等级认定机构) and what each is accredited to assess."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.skills.choices import BodyKind
from workforce.skills.querysets import AppraisalBodyQuerySet


class AppraisalBody(VersionedModel):
    """An accredited appraisal body (职业技能等级认定机构, §10): an enterprise assessing its own staff, an
    industry organisation, a vocational school or a third-party evaluation organisation. ``staff`` are the
    users who act for it (the appraisal-body role, or a training provider that is also a body); certificate
    numbers come from its own series: ``certificate_prefix`` + year + a six-digit counter (``last_number``)."""

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=BodyKind.choices)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("对应用人单位"))
    accredited_from = models.DateField(_("备案起始日期"))
    accredited_until = models.DateField(_("备案截止日期"))
    certificate_prefix = models.CharField(_("证书编号前缀"), max_length=12, unique=True)
    last_number = models.PositiveIntegerField(_("已用证书流水号"), default=0, editable=False)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="appraisal_bodies",
                                   verbose_name=_("机构工作人员"))

    objects = AppraisalBodyQuerySet.as_manager()

    CHANGELOG_FIELDS = ["name", "kind", "employer", "accredited_from", "accredited_until", "certificate_prefix"]

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=models.Q(accredited_until__gte=models.F("accredited_from")),
                                              name="appraisalbody_dates_in_order")]
        verbose_name = _("评价机构")
        verbose_name_plural = _("评价机构")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("skills:body_detail", args=[self.pk])

    def is_accredited_on(self, day) -> bool:
        return self.accredited_from <= day <= self.accredited_until


class AccreditedScope(models.Model):
    """One occupation and level a body may assess; ``level`` empty means special vocational ability
    (专项职业能力) assessments in that occupation."""

    body = models.ForeignKey(AppraisalBody, on_delete=models.CASCADE, related_name="scopes")
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业（工种）"))
    level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("等级"))

    class Meta:
        ordering = ["body", "occupation", "level"]
        constraints = [models.UniqueConstraint(fields=["body", "occupation", "level"], name="accreditedscope_unique")]
        verbose_name = _("评价范围")
        verbose_name_plural = _("评价范围")

    def __str__(self) -> str:
        return f"{self.occupation} {self.level or _('专项职业能力')}"
