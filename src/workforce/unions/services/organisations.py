"""Organisations of the union tree, the employers base unions cover, and officers' posts (decision 0018).

Covering an employer records the registry's "建立工会" fact for it (and ending the coverage ends the fact), so
the indicators' union-organisation coverage follows the organisation records (decision 0018, point 4)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import diff, record_change, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.registry.choices import EmployerFactKind
from workforce.registry.models import Employer, EmployerFact
from workforce.registry.services import end_employer_fact, set_employer_fact
from workforce.unions.choices import PARENT_KINDS, OrganisationKind
from workforce.unions.models import Officer, Organisation, OrganisationCoverage
from workforce.unions.models.organisations import path_step
from workforce.unions.services.scope import check_in_scope

if TYPE_CHECKING:
    from workforce.accounts.models import User
    from workforce.reference.models import Division


@transaction.atomic
def create_organisation(*, name: str, kind: str, parent: Organisation | None, established_on: datetime.date,
                        district: Division | None = None, new_employment_group: str = "",
                        acting_user: User | None, channel: Channel) -> Organisation:
    """Found an organisation under ``parent`` (the city federation has none; there is one). The kind must fit
    under the parent's (``PARENT_KINDS``); a new-form union names its group. Its path is its parent's and its
    own id."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写工会名称。")})
    if kind == OrganisationKind.FEDERATION:
        if parent is not None or Organisation.objects.filter(kind=OrganisationKind.FEDERATION).exists():
            raise ValidationError({"kind": _("全市只有一个市总工会。")})
    else:
        if parent is None or parent.kind not in PARENT_KINDS[kind]:
            raise ValidationError({"parent": _("上级工会的类型不符：%(kind)s不能设在该组织之下。")
                                   % {"kind": OrganisationKind(kind).label}})
        check_in_scope(parent, acting_user, "parent")
    if (kind == OrganisationKind.NEW_FORM) != bool(new_employment_group):
        raise ValidationError({"new_employment_group": _("新就业形态工会须指定且只有它须指定新就业形态群体。")})
    organisation = Organisation(name=name, kind=kind, parent=parent, established_on=established_on,
                                district=district or (parent.district if parent else None),
                                new_employment_group=new_employment_group, path="", depth=0)
    organisation.full_clean(exclude=["path"])
    organisation.save()
    organisation.path = (parent.path if parent else "") + path_step(organisation.pk)
    organisation.depth = parent.depth + 1 if parent else 0
    organisation.save(update_fields=["path", "depth"])
    record_change(organisation, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                  after=snapshot(organisation), parent=parent)
    return organisation


def _union_fact_holds(employer: Employer, on: datetime.date) -> bool:
    return bool(EmployerFact.objects.filter(employer=employer, kind=EmployerFactKind.UNION).on(on).exists())


@transaction.atomic
def cover_employer(organisation: Organisation, employer: Employer, on: datetime.date, *,
                   acting_user: User | None, channel: Channel) -> OrganisationCoverage:
    """Let the base union ``organisation`` cover ``employer`` from ``on``; an enterprise union covers its one
    enterprise, a 联合工会 or 区域性行业性工会 many. An employer is covered by one union at a time. Unless the
    employer already has a union on ``on``, its "建立工会" fact starts that day (independent for an enterprise
    union), so the union-coverage indicators count it."""
    check_in_scope(organisation, acting_user)
    if not organisation.covers_employers or not organisation.is_active:
        raise ValidationError({"organisation": _("只有存续的企业工会、联合工会或区域性行业性工会覆盖用人单位。")})
    Employer.objects.select_for_update().filter(pk=employer.pk).get()  # one coverage decision at a time
    current = OrganisationCoverage.objects.filter(employer=employer, valid_to__isnull=True).select_related(
        "organisation").first()
    if current is not None:
        raise ValidationError({"employer": _("该单位已由“%(name)s”覆盖，请先终止原覆盖关系。")
                               % {"name": current.organisation.name}})
    if organisation.kind == OrganisationKind.ENTERPRISE and organisation.coverages.filter(
            valid_to__isnull=True).exists():
        raise ValidationError({"employer": _("企业工会只覆盖本企业；覆盖多家单位请建立联合工会。")})
    if OrganisationCoverage.objects.filter(employer=employer, valid_to__gte=on).exists():
        raise ValidationError({"valid_from": _("起始日期须在该单位上一段覆盖关系结束之后。")})
    coverage = OrganisationCoverage(organisation=organisation, employer=employer, valid_from=on)
    coverage.full_clean()
    coverage.save()
    record_change(coverage, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(coverage),
                  parent=organisation)
    if not _union_fact_holds(employer, on):
        set_employer_fact(employer, EmployerFactKind.UNION, valid_from=on,
                          is_independent=organisation.kind == OrganisationKind.ENTERPRISE,
                          note=_("由工会组织“%(name)s”覆盖") % {"name": organisation.name},
                          acting_user=acting_user, channel=channel)
    return coverage


@transaction.atomic
def end_coverage(coverage: OrganisationCoverage, on: datetime.date, *, acting_user: User | None,
                 channel: Channel) -> OrganisationCoverage:
    """End ``coverage`` with ``on`` as its last day, and the employer's "建立工会" fact with it."""
    check_in_scope(coverage.organisation, acting_user)
    coverage = OrganisationCoverage.objects.select_for_update().get(pk=coverage.pk)
    if coverage.valid_to is not None:
        raise ValidationError({"valid_to": _("该覆盖关系已终止。")})
    if on < coverage.valid_from:
        raise ValidationError({"valid_to": _("终止日期不能早于起始日期。")})
    before = snapshot(coverage)
    coverage.valid_to = on
    coverage.save(update_fields=["valid_to"])
    old, new = diff(before, snapshot(coverage))
    record_change(coverage, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new,
                  parent=coverage.organisation)
    end_employer_fact(coverage.employer, EmployerFactKind.UNION, on, acting_user=acting_user, channel=channel)
    return coverage


@transaction.atomic
def appoint_officer(user: User, organisation: Organisation, *, on: datetime.date, acting_user: User | None,
                    channel: Channel) -> Officer:
    """Give ``user`` a post in ``organisation`` (replacing any post they held): they then see the members and
    applications of that organisation and those below it."""
    check_in_scope(organisation, acting_user)
    officer = Officer.objects.filter(user=user).first()
    before = snapshot(officer) if officer else None
    if officer is None:
        officer = Officer(user=user, organisation=organisation, appointed_on=on)
    else:
        officer.organisation, officer.appointed_on = organisation, on
    officer.save()
    user.__dict__["_union_post_path"] = organisation.path if organisation.is_active else None
    if before is None:
        record_change(officer, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(officer),
                      parent=user)
    else:
        old, new = diff(before, snapshot(officer))
        if new:
            record_change(officer, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old,
                          after=new, parent=user)
    return officer
