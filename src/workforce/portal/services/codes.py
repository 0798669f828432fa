"""One-time SMS codes: sending with rate limits, checking with lockout (decision 0019).

Every refusal is a :class:`CodeRefused` whose message is safe to show: it never says whether the phone
belongs to anyone.
"""

from __future__ import annotations

import datetime
import math
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import IdentifierError, normalize_phone
from workforce.core.messages import shown
from workforce.portal.models import SmsCode
from workforce.portal.sms import SmsNotSent, gateway

CODE_DIGITS = 6
HOUR = datetime.timedelta(hours=1)


class CodeRefused(Exception):
    """A code was not sent or not accepted; ``message`` is safe to show; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "code"):
        super().__init__(message)
        self.message = message
        self.field = field


def mobile_number(raw: str) -> str:
    """The 11-digit mainland mobile number of ``raw``, or ``CodeRefused`` (a landline cannot receive a code)."""
    try:
        phone = normalize_phone(raw)
    except IdentifierError as error:
        raise CodeRefused(shown(error.message), "phone") from None
    if len(phone) != 11 or not phone.startswith("1"):
        raise CodeRefused(_("请填写11位手机号码，验证码只能发送到手机。"), "phone")
    return phone


def _minutes_until(moment: datetime.datetime, now: datetime.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def lockout_of(phone_hash: str, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Until when the phone of ``phone_hash`` is locked out of codes, if it is now."""
    now = now or timezone.now()
    until: datetime.datetime | None = SmsCode.objects.filter(phone_hash=phone_hash, locked_until__gt=now).aggregate(
        until=Max("locked_until"))["until"]
    return until


def _refuse_if_locked(phone_hash: str, now: datetime.datetime) -> None:
    until = lockout_of(phone_hash, now)
    if until is not None:
        raise CodeRefused(_("验证码错误次数过多，该手机号码已暂时锁定，请 %(minutes)d 分钟后再试。") % {
            "minutes": _minutes_until(until, now)})


def send_code(raw_phone: str, purpose: str, *, ip_address: str | None, deliver: bool = True) -> SmsCode | None:
    """Send a new code for ``purpose`` to the phone ``raw_phone`` unless a limit holds (``CodeRefused``):
    the phone locked out, a code sent to it less than ``PORTAL_SMS_RESEND_SECONDS`` ago, ``PORTAL_SMS_PHONE_HOURLY``
    codes to it or ``PORTAL_SMS_ADDRESS_HOURLY`` from ``ip_address`` within the hour. Earlier unused codes of the
    phone and purpose stop working. With ``deliver=False`` (a password reset for a phone no login has) the limits
    count and a row is kept, but no message goes out, so the answer does not tell whether the phone is known."""
    phone = mobile_number(raw_phone)
    phone_hash = lookup_hash(phone)
    now = timezone.now()
    with transaction.atomic():
        _refuse_if_locked(phone_hash, now)
        recent = SmsCode.objects.filter(phone_hash=phone_hash, created_at__gt=now - HOUR)
        last = recent.aggregate(last=Max("created_at"))["last"]
        wait = datetime.timedelta(seconds=settings.PORTAL_SMS_RESEND_SECONDS)
        if last is not None and now < last + wait:
            seconds = max(1, math.ceil((last + wait - now).total_seconds()))
            raise CodeRefused(_("验证码发送过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": seconds}, "phone")
        if recent.count() >= settings.PORTAL_SMS_PHONE_HOURLY:
            oldest = recent.order_by("created_at").values_list("created_at", flat=True).first() or now
            raise CodeRefused(_("该手机号码获取验证码次数过多，请 %(minutes)d 分钟后再试。") % {
                "minutes": _minutes_until(oldest + HOUR, now)}, "phone")
        if ip_address and SmsCode.objects.filter(ip_address=ip_address, created_at__gt=now - HOUR).count() \
                >= settings.PORTAL_SMS_ADDRESS_HOURLY:
            raise CodeRefused(_("您所在网络获取验证码次数过多，请一小时后再试。"), "phone")
        code = "".join(secrets.choice("0123456789") for _digit in range(CODE_DIGITS))
        SmsCode.objects.filter(phone_hash=phone_hash, purpose=purpose, used_at__isnull=True).update(used_at=now)
        row = SmsCode.objects.create(
            phone_hash=phone_hash, purpose=purpose, code_hash=make_password(code), ip_address=ip_address,
            created_at=now, expires_at=now + datetime.timedelta(minutes=settings.PORTAL_SMS_CODE_MINUTES))
        if deliver:
            try:
                gateway().send_code(phone, code, purpose, settings.PORTAL_SMS_CODE_MINUTES)
            except SmsNotSent:
                transaction.set_rollback(True)
                raise CodeRefused(_("短信发送失败，请稍后再试。"), "phone") from None
    return row


def check_code(raw_phone: str, purpose: str, code: str) -> SmsCode:
    """The phone's current code for ``purpose`` if ``code`` is it, still unused and unexpired; else
    ``CodeRefused`` and, for a wrong code, one more failure (:func:`record_failure`). Does not use the code up:
    the caller does that with :func:`use_code` in the transaction of what the code allowed."""
    phone_hash = lookup_hash(mobile_number(raw_phone))
    now = timezone.now()
    _refuse_if_locked(phone_hash, now)
    row = SmsCode.objects.filter(phone_hash=phone_hash, purpose=purpose).order_by("-created_at", "-id").first()
    if row is None or row.used_at is not None:
        raise CodeRefused(_("请先获取短信验证码。"))
    if row.expires_at <= now:
        raise CodeRefused(_("验证码已过期，请重新获取。"))
    if not check_password("".join(code.split()), row.code_hash):
        record_failure(row)
        raise CodeRefused(_("验证码不正确，请核对短信中的6位数字。"))
    return row


def record_failure(row: SmsCode) -> None:
    """Count one failure against the code ``row`` (a wrong code, or a sign-up the registry does not match): at
    ``PORTAL_SMS_CODE_ATTEMPTS`` the code is void and its phone locked out for ``PORTAL_SMS_LOCKOUT``."""
    with transaction.atomic():
        SmsCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        row.refresh_from_db(fields=["failed_attempts"])
        if row.failed_attempts >= settings.PORTAL_SMS_CODE_ATTEMPTS:
            now = timezone.now()
            SmsCode.objects.filter(pk=row.pk).update(used_at=now, locked_until=now + settings.PORTAL_SMS_LOCKOUT)


def use_code(row: SmsCode) -> None:
    """Use the code ``row`` up (inside the caller's transaction); a code used meanwhile refuses."""
    if not SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise CodeRefused(_("请先获取短信验证码。"))
