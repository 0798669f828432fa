"""Employers and their governance facts over time."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.registry.choices import EmployerAttribute, EmployerFactKind, LegalPersonKind, Ownership
from workforce.registry.legal_person import Derivation, derive_legal_person_kind
from workforce.registry.querysets import EmployerFactQuerySet, EmployerQuerySet

# Periods are inclusive at both ends, an empty end is open (decision 0004).
DATES_IN_ORDER = models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from"))


class Employer(VersionedModel):
    """An employer (用人单位) identified by its Unified Social Credit Code (GB 32100)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    district = models.ForeignKey(
        "reference.Division", on_delete=models.PROTECT, related_name="employers", verbose_name=_("所在区县")
    )
    industry = models.ForeignKey(
        "reference.Industry", on_delete=models.PROTECT, related_name="employers", verbose_name=_("行业")
    )
    ownership = models.CharField(_("经济类型"), max_length=20, choices=Ownership.choices)
    # What kind of body it is (企业, 事业单位, 机关 …): derived from the USCC (``registry.legal_person``) unless
    # ``legal_person_kind_corrected``, when city-wide staff set it and it wins over the derivation (issue 16).
    legal_person_kind = models.CharField(_("法人类型"), max_length=24, choices=LegalPersonKind.choices,
                                         default=LegalPersonKind.UNKNOWN, editable=False)
    legal_person_kind_corrected = models.BooleanField(_("法人类型经人工更正"), default=False, editable=False)
    is_above_scale = models.BooleanField(_("规模以上企业"), default=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("存续"), default=True)
    # Maintained by the services from the open employment spells: list filters and size breakdowns.
    headcount = models.PositiveIntegerField(_("在册职工数"), default=0, editable=False)

    objects = EmployerQuerySet.as_manager()

    CHANGELOG_FIELDS = ["uscc", "name", "district", "industry", "ownership", "legal_person_kind",
                        "legal_person_kind_corrected", "is_above_scale", "address", "is_active"]

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["district", "name"], name="employer_district_name"),
            models.Index(fields=["ownership"], name="employer_ownership"),
        ]
        permissions = [("export_employer", _("导出用人单位"))]
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.pk])

    @property
    def is_enterprise(self) -> bool:
        """An enterprise (企业) by its legal-person kind: what the plan's enterprise figures count."""
        return self.legal_person_kind == LegalPersonKind.ENTERPRISE

    @property
    def derived_legal_person_kind(self) -> Derivation:
        """What the USCC alone says (``registry.legal_person``): shown beside a correction."""
        return derive_legal_person_kind(self.uscc)

    @property
    def is_state(self) -> bool:
        """State-owned or state-controlled (国有及国有控股)."""
        return self.ownership in Ownership.state()


class EmployerFact(VersionedModel):
    """A governance fact of an employer valid from one date to another (both inclusive; open-ended
    when ``valid_to`` is empty): union established, workers' congress, factory-affairs disclosure,
    collective contract."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("事项"), max_length=32, choices=EmployerFactKind.choices)
    # Only for a union: established independently (单独建制) rather than as a joint/regional union.
    is_independent = models.BooleanField(_("单独建制"), default=False)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = EmployerFactQuerySet.as_manager()

    CHANGELOG_FIELDS = ["kind", "is_independent", "valid_from", "valid_to", "note"]

    class Meta:
        ordering = ["employer", "kind", "valid_from"]
        indexes = [models.Index(fields=["kind", "valid_from"], name="employerfact_kind_from")]
        constraints = [models.CheckConstraint(condition=DATES_IN_ORDER, name="employerfact_dates_in_order")]
        verbose_name = _("单位治理事项")
        verbose_name_plural = _("单位治理事项")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from}–{self.valid_to or ''}"


class EmployerAttributeFact(models.Model):
    """The value of an employer attribute (district, industry, ownership, above scale) over a period (both
    ends inclusive), written when the attribute changes with effect from a day. Without a fact the
    employer's own field holds on every day; the value is the field's stored form (a division or industry
    code, an ownership code, ``true``/``false``)."""

    # No index of its own: employerattr_employer leads with it.
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="attribute_facts",
                                 db_index=False)
    attribute = models.CharField(_("属性"), max_length=16, choices=EmployerAttribute.choices)
    value = models.CharField(_("值"), max_length=32)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    objects = EmployerFactQuerySet.as_manager()

    class Meta:
        ordering = ["employer", "attribute", "valid_from"]
        indexes = [models.Index(fields=["employer", "attribute", "valid_from"], name="employerattr_employer")]
        constraints = [models.CheckConstraint(condition=DATES_IN_ORDER, name="employerattr_dates_in_order")]
        verbose_name = _("单位属性变更")
        verbose_name_plural = _("单位属性变更")

    def __str__(self) -> str:
        return f"{self.get_attribute_display()}={self.value} {self.valid_from}–{self.valid_to or ''}"
