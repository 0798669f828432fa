"""Confirming or refusing a self-registration (自助登记), by whom its scope allows (decision 0019)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.accounts.services import create_user
from workforce.core.changelog import record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.portal.choices import RegistrationStatus
from workforce.portal.models import PortalProfile, SelfRegistration
from workforce.portal.querysets import REVIEW_PERMISSION
from workforce.registry.models import Worker
from workforce.registry.services import register_worker


def _pending_for(registration: SelfRegistration, acting_user: User) -> SelfRegistration:
    """The registration, locked, if ``acting_user`` may review it and it is still pending."""
    if not acting_user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    locked: SelfRegistration | None = (SelfRegistration.objects.visible_to(acting_user).select_for_update()
                                       .filter(pk=registration.pk).first())
    if locked is None:
        raise PermissionDenied
    if locked.status != RegistrationStatus.PENDING:
        raise ValidationError(_("该自助登记已处理，不能再次处理。"))
    return locked


@transaction.atomic
def confirm_self_registration(registration: SelfRegistration, *, acting_user: User, note: str = "",
                              channel: Channel = Channel.PAGE) -> SelfRegistration:
    """Confirm: register the worker (or take the worker registered meanwhile under the same ID number and name),
    open their worker login with the password they chose and bind their verified phone. Change-log rows on the
    worker, the user, the profile and the registration. ``PermissionDenied`` out of scope; ``ValidationError``
    when it was decided already, the username or phone was taken meanwhile, or the registry has the ID number
    under another name."""
    registration = _pending_for(registration, acting_user)
    worker = Worker.objects.filter(id_number_hash=registration.id_number_hash, is_active=True).first()
    if worker is not None and "".join(worker.name.split()) != "".join(registration.name.split()):
        raise ValidationError(_("该身份证号码已在登记库中登记为其他姓名，请核实后处理。"))
    if worker is not None and User.objects.filter(worker=worker).exists():
        raise ValidationError(_("该职工已开通账号，无需确认；请退回并说明。"))
    if User.objects.filter(username__iexact=registration.username).exists():
        raise ValidationError(_("申请人选择的用户名已被占用，请退回并请其重新提交。"))
    if PortalProfile.objects.filter(phone_hash=registration.phone_hash).exists():
        raise ValidationError(_("申请人的手机号码已绑定其他账号，请退回并说明。"))
    if worker is None:
        worker = register_worker({"id_number": registration.id_number, "name": registration.name,
                                  "phone": registration.phone, "hukou_type": registration.hukou_type},
                                 acting_user=acting_user, channel=channel)
    user = create_user(registration.username, None, role_code=RoleCode.WORKER, worker=worker,
                       display_name=worker.name, acting_user=acting_user, channel=channel)
    user.password = registration.password_hash  # chosen by the worker at self-registration, kept hashed
    user.save(update_fields=["password"])
    profile = PortalProfile.objects.create(user=user, phone=registration.phone, phone_hash=registration.phone_hash,
                                           phone_masked=registration.phone_masked,
                                           verified_at=registration.submitted_at)
    record_change(profile, ChangeAction.CREATE, acting_user=acting_user, channel=channel, parent=user,
                  after=snapshot(profile), note=_("自助登记确认，绑定短信验证的手机号码"))
    return _decide(registration, RegistrationStatus.CONFIRMED, note, acting_user=acting_user, channel=channel,
                   user=user)


@transaction.atomic
def refuse_self_registration(registration: SelfRegistration, *, acting_user: User, reason: str,
                             channel: Channel = Channel.PAGE) -> SelfRegistration:
    """Refuse with a reason the applicant is shown; nothing is registered and the chosen username is free again."""
    if not reason.strip():
        raise ValidationError({"note": _("请填写不予确认的原因，申请人会看到。")})
    registration = _pending_for(registration, acting_user)
    return _decide(registration, RegistrationStatus.REFUSED, reason, acting_user=acting_user, channel=channel)


def _decide(registration: SelfRegistration, status: str, note: str, *, acting_user: User, channel: Channel,
            user: User | None = None) -> SelfRegistration:
    before = snapshot(registration)
    registration.status = status
    registration.decision_note = note.strip()[:500]
    registration.decided_at = timezone.now()
    registration.decided_by = acting_user
    registration.user = user
    registration.save()
    record_update(registration, before, acting_user=acting_user, channel=channel)
    return registration
