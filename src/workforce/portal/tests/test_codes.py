"""SMS code limits: expiry, wrong-code lockout, too-frequent requests, per-address limit (decision 0019)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from workforce.portal.choices import CodePurpose
from workforce.portal.models import SmsCode
from workforce.portal.services.codes import CodeRefused, check_code, send_code, use_code
from workforce.portal.tests.conftest import last_code

pytestmark = pytest.mark.django_db
PHONE = "13900001111"
NOW = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC)


def test_a_code_is_sent_hashed_and_checks_once(sms_outbox):
    send_code(PHONE, CodePurpose.SIGN_UP, ip_address="10.0.0.1")
    code = last_code(sms_outbox, PHONE)
    row = SmsCode.objects.get()
    assert len(code) == 6 and code not in row.code_hash and PHONE not in row.phone_hash
    assert check_code(PHONE, CodePurpose.SIGN_UP, code) == row
    use_code(row)
    with pytest.raises(CodeRefused, match="请先获取短信验证码"):
        check_code(PHONE, CodePurpose.SIGN_UP, code)


def test_a_code_of_one_purpose_does_not_serve_another(sms_outbox):
    send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    with pytest.raises(CodeRefused, match="请先获取短信验证码"):
        check_code(PHONE, CodePurpose.PASSWORD_RESET, last_code(sms_outbox, PHONE))


def test_an_expired_code_is_refused(settings, sms_outbox):
    with time_machine.travel(NOW, tick=False):
        send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    with (time_machine.travel(NOW + datetime.timedelta(minutes=settings.PORTAL_SMS_CODE_MINUTES, seconds=1)),
          pytest.raises(CodeRefused, match="验证码已过期，请重新获取。")):
            check_code(PHONE, CodePurpose.SIGN_UP, last_code(sms_outbox, PHONE))


def test_a_second_request_within_the_resend_interval_is_refused(sms_outbox):
    with time_machine.travel(NOW, tick=False):
        send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    with (time_machine.travel(NOW + datetime.timedelta(seconds=20), tick=False),
          pytest.raises(CodeRefused, match="验证码发送过于频繁，请 40 秒后再试。")):
            send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    assert len(sms_outbox) == 1 and SmsCode.objects.count() == 1


def test_the_hourly_limit_per_phone(settings, sms_outbox):
    for minute in range(settings.PORTAL_SMS_PHONE_HOURLY):
        with time_machine.travel(NOW + datetime.timedelta(minutes=2 * minute), tick=False):
            send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    with (time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False),
          pytest.raises(CodeRefused, match="该手机号码获取验证码次数过多，请 30 分钟后再试。")):
            send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    assert len(sms_outbox) == settings.PORTAL_SMS_PHONE_HOURLY + 1


def test_the_hourly_limit_per_address(settings, sms_outbox):
    settings.PORTAL_SMS_ADDRESS_HOURLY = 3
    with time_machine.travel(NOW, tick=False):
        for number in range(3):
            send_code(f"1390000200{number}", CodePurpose.SIGN_UP, ip_address="10.0.0.9")
        with pytest.raises(CodeRefused, match="您所在网络获取验证码次数过多"):
            send_code("13900002009", CodePurpose.SIGN_UP, ip_address="10.0.0.9")
        send_code("13900002009", CodePurpose.SIGN_UP, ip_address="10.0.0.10")
    assert len(sms_outbox) == 4


def test_wrong_codes_lock_the_phone_out(settings, sms_outbox):
    with time_machine.travel(NOW, tick=False):
        send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
        right = last_code(sms_outbox, PHONE)
        wrong = "000000" if right != "000000" else "111111"
        for _attempt in range(settings.PORTAL_SMS_CODE_ATTEMPTS):
            with pytest.raises(CodeRefused, match="验证码不正确"):
                check_code(PHONE, CodePurpose.SIGN_UP, wrong)
        # Locked: the right code does not get through, and no new code is sent.
        with pytest.raises(CodeRefused, match="已暂时锁定，请 30 分钟后再试"):
            check_code(PHONE, CodePurpose.SIGN_UP, right)
        with pytest.raises(CodeRefused, match="已暂时锁定"):
            send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    assert len(sms_outbox) == 1
    with time_machine.travel(NOW + settings.PORTAL_SMS_LOCKOUT + datetime.timedelta(seconds=1), tick=False):
        send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
        assert check_code(PHONE, CodePurpose.SIGN_UP, last_code(sms_outbox, PHONE)).used_at is None


def test_a_landline_cannot_get_a_code(sms_outbox):
    with pytest.raises(CodeRefused, match="请填写11位手机号码") as refused:
        send_code("0812-3334455", CodePurpose.SIGN_UP, ip_address=None)
    assert refused.value.field == "phone" and sms_outbox == [] and not SmsCode.objects.exists()


def test_the_file_backend_writes_the_code_for_the_demo(settings, tmp_path):
    from workforce.portal.sms import last_code_in_file

    settings.PORTAL_SMS_BACKEND = "workforce.portal.sms.FileBackend"
    settings.PORTAL_SMS_FILE = tmp_path / "sms" / "outbox.txt"
    send_code(PHONE, CodePurpose.SIGN_UP, ip_address=None)
    code = last_code_in_file(PHONE)
    assert code is not None and len(code) == 6
    assert check_code(PHONE, CodePurpose.SIGN_UP, code).expires_at > timezone.now()
    assert "验证码是" + code in settings.PORTAL_SMS_FILE.read_text(encoding="utf-8")
