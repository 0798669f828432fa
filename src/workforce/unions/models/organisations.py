"""The union tree (市总工会 → 区县/产业工会 → 基层工会), the employers each base union covers, and officers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.models import VersionedModel
from workforce.registry.choices import NewEmploymentGroup
from workforce.unions.choices import BASE_KINDS, EMPLOYER_KINDS, OrganisationKind
from workforce.unions.querysets import CoverageQuerySet, OrganisationQuerySet

PATH_STEP = 7  # six digits of the id and "/": ids up to 999,999 (decision 0018)


def path_step(pk: int) -> str:
    """The part of a materialised path one organisation adds: its id in six digits and a slash."""
    return f"{pk:06d}/"


class Organisation(VersionedModel):
    """A trade-union organisation (工会组织) in the city's tree. ``path`` is the materialised path of ids from
    the root (``000001/000007/000042/``), kept by the services: a subtree is one prefix filter (decision 0018).
    The parent is fixed at creation."""

    name = models.CharField(_("工会名称"), max_length=200)
    kind = models.CharField(_("组织类型"), max_length=16, choices=OrganisationKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级工会"))
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    district = models.ForeignKey("reference.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("所在区县"))
    # §3: a new-form-of-employment union admits the workers of its group (``Worker.new_employment_group``).
    new_employment_group = models.CharField(_("新就业形态群体"), max_length=20, blank=True,
                                            choices=NewEmploymentGroup.choices)
    established_on = models.DateField(_("成立日期"))
    is_active = models.BooleanField(_("存续"), default=True)

    objects = OrganisationQuerySet.as_manager()

    CHANGELOG_FIELDS = ["name", "kind", "parent", "district", "new_employment_group", "established_on", "is_active"]

    class Meta:
        ordering = ["path"]
        permissions = [("view_members", _("查看本级及下级工会会员")),
                       ("export_members", _("导出本级及下级工会会员"))]
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unions:organisation_detail", args=[self.pk])

    @property
    def is_base(self) -> bool:
        """A base union (基层工会): it admits members."""
        return self.kind in BASE_KINDS

    @property
    def covers_employers(self) -> bool:
        return self.kind in EMPLOYER_KINDS

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids of the organisations above this one, the root first (read from the path, no query)."""
        return [int(part) for part in self.path.split("/") if part][:-1]


class OrganisationCoverage(models.Model):
    """A base union covers an employer (覆盖单位) for a period: an enterprise union its own enterprise, a 联合工会
    or 区域性行业性工会 several small ones. An employer is covered by one base union at a time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="coverages",
                                     verbose_name=_("基层工会"))
    # An employer deleted from the registry (a duplicate, the demo's --replace) takes its coverage with it.
    employer = models.ForeignKey("registry.Employer", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("用人单位"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    objects = CoverageQuerySet.as_manager()

    CHANGELOG_FIELDS = ["organisation", "employer", "valid_from", "valid_to"]

    class Meta:
        ordering = ["organisation", "employer"]
        constraints = [
            models.UniqueConstraint(fields=["employer"], condition=models.Q(valid_to__isnull=True),
                                    name="coverage_one_open_per_employer"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True)
                                   | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="coverage_dates_in_order"),
        ]
        indexes = [models.Index(fields=["organisation", "valid_to"], name="coverage_organisation")]
        verbose_name = _("覆盖单位")
        verbose_name_plural = _("覆盖单位")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.employer}"


class Officer(models.Model):
    """A user's post in a union organisation (工会干部): their scope is that organisation and those below it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="union_post",
                                verbose_name=_("用户"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="officers",
                                     verbose_name=_("工会组织"))
    appointed_on = models.DateField(_("任职日期"))

    CHANGELOG_FIELDS = ["user", "organisation", "appointed_on"]

    class Meta:
        verbose_name = _("工会干部")
        verbose_name_plural = _("工会干部")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"
