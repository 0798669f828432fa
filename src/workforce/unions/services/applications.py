"""Membership applications: join (入会), transfer (转会) and leave (退会), and their review by the base union.

The portal calls ``apply_to_join`` (and the other two) for the worker signed in on their phone; an officer
calls them for a walk-in. Approval writes the worker's union roll through the registry's membership services
in the same transaction (decision 0018), so the application and the membership commit or fail together."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import diff, record_change, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.registry.memberships import memberships_of
from workforce.registry.models import Employer, Worker
from workforce.registry.services import end_union_membership, start_union_membership
from workforce.unions import selectors
from workforce.unions.choices import ApplicationChannel, ApplicationKind, ApplicationStatus, OrganisationKind
from workforce.unions.models import MembershipApplication, Organisation
from workforce.unions.querysets import worker_key
from workforce.unions.services.scope import check_in_scope

if TYPE_CHECKING:
    from workforce.accounts.models import User


def _check_submitter(worker: Worker, organisation: Organisation, by_user: Any) -> None:
    """A worker applies for themself; an officer for a walk-in to an organisation in their scope."""
    if by_user is None:
        return
    if by_user.scope_kind == ScopeKind.SELF:
        if by_user.worker_id != worker.pk:
            raise ValidationError({"worker": _("只能为本人提交会籍申请。")})
        return
    check_in_scope(organisation, by_user)


def _check_admits(worker: Worker, organisation: Organisation, on: datetime.date) -> None:
    """The base union must be one that may admit ``worker``: one covering their employer, or the new-form
    union of their group."""
    if not organisation.is_base or not organisation.is_active:
        raise ValidationError({"organisation": _(
            "请选择存续的基层工会（企业工会、联合工会、区域性行业性工会或新就业形态工会）。")})
    if organisation.kind == OrganisationKind.NEW_FORM:
        if worker.new_employment_group != organisation.new_employment_group:
            raise ValidationError({"organisation": _("该工会只接收%(group)s加入。")
                                   % {"group": organisation.get_new_employment_group_display()}})
    elif not selectors.eligible_employers(worker, organisation, on):
        raise ValidationError({"organisation": _("该工会不覆盖该职工目前所在的单位，请选择其所在单位的基层工会。")})


def _lock_and_check_pending(worker: Worker) -> None:
    """Serialise a worker's applications (their row lock) and refuse a second pending one."""
    Worker.objects.select_for_update().filter(pk=worker.pk).values_list("pk", flat=True).get()
    if MembershipApplication.objects.filter(worker_key=worker_key(worker.pk),
                                            status=ApplicationStatus.PENDING).exists():
        raise ValidationError({"organisation": _("已有一份待审核的会籍申请，请等待工会审核，请勿重复提交。")})


def _create(worker: Worker, organisation: Organisation, kind: ApplicationKind, *, by_user: Any,
            source: ApplicationChannel, channel: Channel, on: datetime.date, note: str,
            from_organisation: Organisation | None = None) -> MembershipApplication:
    application = MembershipApplication(kind=kind, organisation=organisation, from_organisation=from_organisation,
                                        worker_ref=str(worker.pk), worker_key=worker_key(worker.pk),
                                        membership_ref="", channel=source, applied_on=on,
                                        note=(note or "").strip()[:500],
                                        submitted_by=by_user if by_user is not None and by_user.is_authenticated
                                        else None)
    application.full_clean(exclude=["worker_ref", "membership_ref", "worker_key"])
    application.save()
    record_change(application, ChangeAction.CREATE, acting_user=by_user, channel=channel,
                  after=snapshot(application), parent=organisation)
    return application


@transaction.atomic
def apply_to_join(worker: Worker, organisation: Organisation, by_user: User | None, *,
                  source: ApplicationChannel = ApplicationChannel.PORTAL, channel: Channel = Channel.PAGE,
                  on: datetime.date | None = None, note: str = "") -> MembershipApplication:
    """A membership application (入会) of ``worker`` to the base union ``organisation``, pending its review.

    ``by_user`` is the worker themself (the portal: ``source=PORTAL``) or an officer whose scope holds
    ``organisation`` (a walk-in: ``source=WALK_IN``); None for the system. Refused with a Chinese message
    (``ValidationError``, nothing written) when the union may not admit the worker (not their employer's, not
    their new-form group's), when they are a member already, or when an application of theirs is pending."""
    day = on or timezone.localdate()
    _check_submitter(worker, organisation, by_user)
    _lock_and_check_pending(worker)
    if selectors.open_membership(worker, day) is not None:
        raise ValidationError({"organisation": _("该职工已是工会会员；更换单位请申请转会。")})
    _check_admits(worker, organisation, day)
    return _create(worker, organisation, ApplicationKind.JOIN, by_user=by_user, source=source, channel=channel,
                   on=day, note=note)


@transaction.atomic
def apply_to_transfer(worker: Worker, organisation: Organisation, by_user: User | None, *,
                      source: ApplicationChannel = ApplicationChannel.PORTAL, channel: Channel = Channel.PAGE,
                      on: datetime.date | None = None, note: str = "") -> MembershipApplication:
    """A transfer (转会) of a member to the base union ``organisation`` (e.g. of their new employer),
    reviewed by that union. Refused unless ``worker`` is a member, the union admits them, it differs from the
    one they belong to and no application of theirs is pending."""
    day = on or timezone.localdate()
    _check_submitter(worker, organisation, by_user)
    _lock_and_check_pending(worker)
    entry = selectors.open_membership(worker, day)
    if entry is None:
        raise ValidationError({"organisation": _("该职工目前不是工会会员，请申请入会。")})
    current = selectors.organisation_of(worker, entry, day)
    if current is not None and current.pk == organisation.pk:
        raise ValidationError({"organisation": _("转入工会与现所在工会相同，无需转会。")})
    _check_admits(worker, organisation, day)
    return _create(worker, organisation, ApplicationKind.TRANSFER, by_user=by_user, source=source,
                   channel=channel, on=day, note=note, from_organisation=current)


@transaction.atomic
def apply_to_leave(worker: Worker, by_user: User | None, *, source: ApplicationChannel = ApplicationChannel.PORTAL,
                   channel: Channel = Channel.PAGE, on: datetime.date | None = None,
                   note: str = "") -> MembershipApplication:
    """A member's application to leave (退会), reviewed by the base union they belong to."""
    day = on or timezone.localdate()
    entry = selectors.open_membership(worker, day)
    if entry is None:
        raise ValidationError({"worker": _("该职工目前不是工会会员。")})
    organisation = selectors.organisation_of(worker, entry, day)
    if organisation is None:
        raise ValidationError({"worker": _("未找到该会籍所属的基层工会，请到所在工会现场办理。")})
    _check_submitter(worker, organisation, by_user)
    _lock_and_check_pending(worker)
    return _create(worker, organisation, ApplicationKind.LEAVE, by_user=by_user, source=source, channel=channel,
                   on=day, note=note)


def _locked_pending(application: MembershipApplication, acting_user: Any) -> MembershipApplication:
    check_in_scope(application.organisation, acting_user)
    locked: MembershipApplication = (MembershipApplication.objects.select_for_update()
                                     .select_related("organisation").get(pk=application.pk))
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError({"status": _("该申请已审核，不能重复审核。")})
    return locked


def _decide(application: MembershipApplication, status: ApplicationStatus, *, acting_user: Any, channel: Channel,
            on: datetime.date, reason: str) -> MembershipApplication:
    before = snapshot(application)
    application.status, application.decided_on, application.reason = status, on, reason
    application.decided_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    save_versioned(application, expected_version=None)
    old, new = diff(before, snapshot(application))
    record_change(application, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new,
                  parent=application.organisation)
    return application


@transaction.atomic
def approve_application(application: MembershipApplication, *, acting_user: User | None, channel: Channel,
                        on: datetime.date | None = None, reason: str = "") -> MembershipApplication:
    """Approve a pending application (by an officer whose scope holds its union) and write the worker's roll
    through the registry's membership services in the same transaction: a join starts a membership on ``on``
    (default today) through the worker's employer's union (none named for a new-form union), a transfer ends
    the old one the day before and starts the new one, a leave ends the membership on ``on``."""
    day = on or timezone.localdate()
    application = _locked_pending(application, acting_user)
    worker = Worker.objects.get(pk=application.worker_id)
    organisation = application.organisation
    entry = selectors.open_membership(worker, day)
    if application.kind == ApplicationKind.LEAVE:
        if entry is None:
            raise ValidationError({"status": _("该职工已不是工会会员，请不予批准并说明。")})
        membership = next(item for item in memberships_of(worker, None) if item.id == entry.id)
        end_union_membership(membership, day, acting_user=acting_user, channel=channel)
        application.membership_ref = str(entry.id)
        return _decide(application, ApplicationStatus.APPROVED, acting_user=acting_user, channel=channel, on=day,
                       reason=reason.strip())
    if application.kind == ApplicationKind.JOIN and entry is not None:
        raise ValidationError({"status": _("该职工已是工会会员，请不予批准并说明。")})
    if application.kind == ApplicationKind.TRANSFER and entry is None:
        raise ValidationError({"status": _("该职工已不是工会会员，无法转会，请不予批准并说明。")})
    _check_admits(worker, organisation, day)
    employer_ids = selectors.eligible_employers(worker, organisation, day) if organisation.covers_employers else []
    employer = Employer.objects.get(pk=employer_ids[0]) if employer_ids else None
    start = day
    if entry is not None:  # a transfer: the old membership ends the day before the new one starts
        membership = next(item for item in memberships_of(worker, None) if item.id == entry.id)
        last = day - datetime.timedelta(days=1)
        if last < entry.valid_from:
            start, last = entry.valid_from + datetime.timedelta(days=1), entry.valid_from
        end_union_membership(membership, last, acting_user=acting_user, channel=channel)
    # The registry's writer: its change-log row on the worker names the officer (the roll's value sealed).
    started = start_union_membership(worker, start, employer=employer, acting_user=acting_user, channel=channel)
    application.membership_ref = str(started.id)
    return _decide(application, ApplicationStatus.APPROVED, acting_user=acting_user, channel=channel, on=day,
                   reason=reason.strip())


@transaction.atomic
def refuse_application(application: MembershipApplication, *, acting_user: User | None, channel: Channel,
                       reason: str, on: datetime.date | None = None) -> MembershipApplication:
    """Refuse a pending application with a reason the worker is shown (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不予批准的理由。")})
    application = _locked_pending(application, acting_user)
    return _decide(application, ApplicationStatus.REFUSED, acting_user=acting_user, channel=channel,
                   on=on or timezone.localdate(), reason=reason[:500])
