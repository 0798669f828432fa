"""What the worker's portal home shows: their applications and notices (decision 0019)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.models import User
from workforce.portal.choices import RegistrationStatus
from workforce.portal.models import SelfRegistration


@dataclass(frozen=True)
class Application:
    """One of the worker's requests as the home lists it, whichever app keeps it."""

    kind: str  # what it is, e.g. 自助登记, 入会申请
    status: str  # its state, as its app names it
    submitted_at: datetime.datetime
    url: str = ""  # its page, when it has one


def applications_of(user: User) -> list[Application]:
    """The worker's applications, newest first.

    The place where the union applications and cases of issue 18 join: the ``unions`` (入会/转会) and ``cases``
    (诉求) apps each add their rows here through their own scoped service; the portal keeps no copy of them.
    Today it lists the worker's self-registration and their union applications (入会、转会、退会).
    """
    from workforce.unions.models import MembershipApplication

    rows = [Application(kind=_("自助登记"), status=str(registration.get_status_display()),
                        submitted_at=registration.submitted_at)
            for registration in SelfRegistration.objects.visible_to(user)]
    if user.has_perm("unions.view_membershipapplication"):
        rows += [Application(kind=str(application.get_kind_display()), status=str(application.get_status_display()),
                             submitted_at=_start_of(application.applied_on))
                 for application in MembershipApplication.objects.visible_to(user)]
    return sorted(rows, key=lambda row: row.submitted_at, reverse=True)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Notice:
    """A message for the worker on their home."""

    text: str
    time: datetime.datetime | None = None


def notices_for(user: User) -> list[Notice]:
    """What the worker should know: how their login was opened and with which phone (to spot a stranger's sign-up)."""
    notices = []
    profile = getattr(user, "portal_profile", None)
    if profile is not None:
        text = _("您的账号已绑定手机 %(phone)s，可用短信验证码重设密码。") % {"phone": profile.phone_masked}
        notices.append(Notice(text, profile.verified_at))
    for registration in SelfRegistration.objects.visible_to(user).filter(status=RegistrationStatus.CONFIRMED):
        notices.append(Notice(_("您的自助登记已确认，已录入产业工人数据库。"), registration.decided_at))
    return notices
