"""Sign-up against the registry, self-registration and password reset (decision 0019)."""

from __future__ import annotations

import dataclasses

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.core.changelog import history_for
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.portal.choices import CodePurpose, RegistrationStatus
from workforce.portal.models import PortalProfile, SelfRegistration, SmsCode
from workforce.portal.services.signup import (
    SelfRegistrationData,
    SignUp,
    SignUpRefused,
    request_code,
    reset_password,
    sign_up,
    submit_self_registration,
)
from workforce.portal.tests.conftest import last_code

PASSWORD = "Bright-Kettle-Ridge-48"
STEEL_PHONE = "13800001234"  # the steel worker's phone in the registry (conftest personas)
STEEL_ID = "51040219800101123X"


@pytest.fixture
def steel_worker(personas):
    """The steel worker, without the login the personas gave them."""
    personas.worker_user.delete()
    return personas.steel_worker


def form(code: str, **changes) -> SignUp:
    data = {"id_number": STEEL_ID, "name": "张三", "phone": STEEL_PHONE, "code": code, "username": "zhangsan2026",
            "password": PASSWORD} | changes
    return SignUp(**data)


def code_for(outbox, phone=STEEL_PHONE, purpose=CodePurpose.SIGN_UP) -> str:
    request_code(phone, purpose, ip_address="10.1.1.1")
    return last_code(outbox, phone)


def test_sign_up_matching_the_registry_opens_a_worker_login(steel_worker, sms_outbox):
    user = sign_up(form(code_for(sms_outbox), id_number=STEEL_ID.lower()))
    assert (user.username, user.role.code, user.worker, user.display_name) == (
        "zhangsan2026", RoleCode.WORKER, steel_worker, "张三")
    assert user.check_password(PASSWORD)
    profile = PortalProfile.objects.get(user=user)
    assert (profile.phone, profile.phone_masked) == (STEEL_PHONE, "138****1234")
    logged = history_for(user).values_list("action", "object_repr")
    assert sorted(logged) == [("create", "张三"), ("create", "张三 138****1234")]
    assert SmsCode.objects.get().used_at is not None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": "张四"}, "name", "姓名与该身份证号码的登记信息不一致，请核对。"),
    ({"id_number": "510402199001011234"}, "id_number", "产业工人数据库中没有该身份证号码的登记"),
])
def test_sign_up_not_matching_the_registry_changes_nothing_and_counts_a_failure(steel_worker, sms_outbox, changes,
                                                                                field, message):
    code = code_for(sms_outbox)
    with pytest.raises(SignUpRefused, match=message) as refused:
        sign_up(form(code, **changes))
    assert refused.value.field == field
    assert refused.value.not_in_registry == (field == "id_number")
    assert not User.objects.filter(worker=steel_worker).exists() and not PortalProfile.objects.exists()
    row = SmsCode.objects.get()
    assert (row.failed_attempts, row.used_at) == (1, None)  # the code still serves (e.g. a self-registration)


def test_an_id_number_under_another_phone_is_refused_without_saying_whose(steel_worker, sms_outbox):
    other = "13911112222"
    with pytest.raises(SignUpRefused) as refused:
        sign_up(form(code_for(sms_outbox, other), phone=other))
    assert refused.value.field == "phone"
    assert refused.value.message == ("该身份证号码在登记库中绑定的是其他手机号码。请使用登记时的手机号码注册，"
                                     "或请用人单位人事部门、工会更正手机号码后再注册。")
    assert "1234" not in refused.value.message and "张" not in refused.value.message
    assert not User.objects.filter(worker=steel_worker).exists()


def test_registry_probes_lock_the_phone_out(settings, steel_worker, sms_outbox):
    code = code_for(sms_outbox)
    for _attempt in range(settings.PORTAL_SMS_CODE_ATTEMPTS):
        with pytest.raises(SignUpRefused, match="姓名"):
            sign_up(form(code, name="王五"))
    with pytest.raises(SignUpRefused, match="已暂时锁定"):
        sign_up(form(code))


def test_form_problems_cost_no_code(steel_worker, sms_outbox):
    code = code_for(sms_outbox)
    with pytest.raises(SignUpRefused, match="身份证号码校验码错误") as refused:
        sign_up(form(code, id_number="510402198001011231"))
    assert refused.value.field == "id_number"
    with pytest.raises(SignUpRefused) as refused:
        sign_up(form(code, password="123456"))
    assert refused.value.field == "password"
    with pytest.raises(SignUpRefused, match="该用户名已被使用") as refused:
        sign_up(form(code, username="ADMIN" if User.objects.filter(username="admin").exists() else "steel-hr"))
    assert SmsCode.objects.get().failed_attempts == 0


def test_a_wrong_code_refuses_before_the_registry_is_asked(steel_worker, sms_outbox):
    code = code_for(sms_outbox)
    with pytest.raises(SignUpRefused, match="验证码不正确") as refused:
        sign_up(form("000000" if code != "000000" else "111111", name="王五"))
    assert refused.value.field == "code"


def test_a_worker_with_a_login_cannot_sign_up_again(personas, sms_outbox):
    with pytest.raises(SignUpRefused, match="该职工已开通账号，请直接登录"):
        sign_up(form(code_for(sms_outbox)))
    assert User.objects.filter(worker=personas.steel_worker).count() == 1


def self_registration(code: str) -> SelfRegistrationData:
    signup = form(code, id_number="510402199001011234", name="赵六", phone="13922223333", username="zhaoliu")
    return SelfRegistrationData(sign_up=signup, hukou_type="rural", district_code="510402",
                                employer_name="攀钢集团有限公司", employer_uscc="915104002043502888")


def test_a_worker_not_in_the_registry_registers_themself_pending(personas, sms_outbox):
    registration = submit_self_registration(self_registration(code_for(sms_outbox, "13922223333")))
    assert (registration.status, registration.employer, registration.district_id, registration.username) == (
        RegistrationStatus.PENDING, personas.steel, "510402", "zhaoliu")
    assert registration.id_number_masked == "510402********1234" and registration.password_hash.startswith("md5$")
    assert not User.objects.filter(username="zhaoliu").exists()
    assert [entry.action for entry in history_for(registration)] == ["create"]
    SmsCode.objects.update(created_at="2026-01-01T00:00:00Z")  # past the resend interval
    again = self_registration(code_for(sms_outbox, "13922223333"))
    with pytest.raises(SignUpRefused, match="正在等待确认，请勿重复提交"):
        submit_self_registration(dataclasses.replace(again, sign_up=dataclasses.replace(again.sign_up,
                                                                                       username="zhaoliu2")))
    assert SmsCode.objects.filter(failed_attempts=1).count() == 1


def test_self_registration_of_a_registered_id_number_is_refused(personas, sms_outbox):
    code = code_for(sms_outbox, "13922223333")
    data = self_registration(code)
    with pytest.raises(SignUpRefused, match="已在产业工人数据库中，请直接注册"):
        submit_self_registration(dataclasses.replace(data, sign_up=form(code, phone="13922223333")))
    assert not SelfRegistration.objects.exists()


def test_password_reset_by_sms(personas, sms_outbox):
    user = sign_up_steel_worker(personas, sms_outbox)
    PortalProfile.objects.filter(user=user).update(verified_at="2026-01-01T00:00:00Z")
    SmsCode.objects.update(created_at="2026-01-01T00:00:00Z")  # past the resend interval
    new_password = "Another-Mill-Shift-77"
    reset_password(STEEL_PHONE, code_for(sms_outbox, purpose=CodePurpose.PASSWORD_RESET), new_password)
    user.refresh_from_db()
    assert user.check_password(new_password) and not user.check_password(PASSWORD)
    assert history_for(user).filter(note="重设密码").count() == 1


def test_a_reset_for_an_unknown_phone_sends_nothing_and_answers_as_a_wrong_code(db, sms_outbox):
    request_code("13977778888", CodePurpose.PASSWORD_RESET, ip_address=None)
    assert sms_outbox == [] and SmsCode.objects.count() == 1
    with pytest.raises(SignUpRefused, match="验证码不正确"):
        reset_password("13977778888", "123456", PASSWORD)


def test_no_id_number_reaches_the_logs(steel_worker, sms_outbox, caplog):
    sign_up(form(code_for(sms_outbox)))
    assert STEEL_ID not in caplog.text
    assert not AccessLogEntry.objects.filter(target__contains=STEEL_ID).exists()
    assert not ChangeLogEntry.objects.filter(after__icontains=STEEL_ID).exists()


def sign_up_steel_worker(personas, outbox) -> User:
    personas.worker_user.delete()
    return sign_up(form(code_for(outbox)))
