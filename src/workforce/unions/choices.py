"""Codes of the unions app: kinds of organisation, kinds and states of membership applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """The levels of the union tree (decision 0018)."""

    FEDERATION = "federation", _("市总工会")
    DISTRICT = "district", _("区县总工会")
    INDUSTRY = "industry", _("产业工会")
    ENTERPRISE = "enterprise", _("企业工会")
    JOINT = "joint", _("联合工会")
    REGIONAL = "regional", _("区域性行业性工会")
    NEW_FORM = "new_form", _("新就业形态工会")


# Base unions (基层工会): they admit members; the levels above lead them.
BASE_KINDS = (OrganisationKind.ENTERPRISE, OrganisationKind.JOINT, OrganisationKind.REGIONAL,
              OrganisationKind.NEW_FORM)
# Base unions that cover employers (a new-form group covers workers of its group, with or without one).
EMPLOYER_KINDS = (OrganisationKind.ENTERPRISE, OrganisationKind.JOINT, OrganisationKind.REGIONAL)
# The kinds each kind may sit under.
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrganisationKind.FEDERATION: (),
    OrganisationKind.DISTRICT: (OrganisationKind.FEDERATION,),
    OrganisationKind.INDUSTRY: (OrganisationKind.FEDERATION, OrganisationKind.DISTRICT),
    OrganisationKind.ENTERPRISE: (OrganisationKind.DISTRICT, OrganisationKind.INDUSTRY),
    OrganisationKind.JOINT: (OrganisationKind.DISTRICT, OrganisationKind.INDUSTRY),
    OrganisationKind.REGIONAL: (OrganisationKind.DISTRICT, OrganisationKind.INDUSTRY),
    OrganisationKind.NEW_FORM: (OrganisationKind.FEDERATION, OrganisationKind.DISTRICT, OrganisationKind.INDUSTRY),
}


class ApplicationKind(models.TextChoices):
    JOIN = "join", _("入会")
    TRANSFER = "transfer", _("转会")
    LEAVE = "leave", _("退会")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class ApplicationChannel(models.TextChoices):
    """Where an application came in (the change log's channel says which door wrote it)."""

    PORTAL = "portal", _("掌上工会")
    WALK_IN = "walk_in", _("现场办理")
    API = "api", _("接口")
