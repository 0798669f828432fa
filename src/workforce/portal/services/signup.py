"""Sign-up against the registry, self-registration and password reset by SMS (decision 0019).

The order of checks keeps the registry from being an oracle: the form's own checks first (which change nothing and
cost no code), then the SMS code, then the registry; every registry mismatch counts as a wrong code, so a phone can
probe at most ``PORTAL_SMS_CODE_ATTEMPTS`` identities per code before it is locked out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.accounts.services import create_user, set_user_password
from workforce.core.changelog import record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import IdentifierError, mask_id_number, mask_phone, parse_id_number, parse_uscc
from workforce.core.messages import shown
from workforce.portal.choices import CodePurpose, RegistrationStatus
from workforce.portal.models import PortalProfile, SelfRegistration, SmsCode
from workforce.portal.services.codes import CodeRefused, check_code, mobile_number, record_failure, send_code, use_code
from workforce.reference.models import Division
from workforce.registry.choices import HukouType
from workforce.registry.models import Employer, Worker


class SignUpRefused(Exception):
    """Sign-up, self-registration or a reset refused; ``message`` is safe to show, ``field`` names the form field
    (``None``: the whole form). ``not_in_registry`` says the worker may register themself instead."""

    def __init__(self, message: str, field: str | None = None, *, not_in_registry: bool = False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.not_in_registry = not_in_registry


@dataclass(frozen=True)
class SignUp:
    """What a worker types to sign up: who they are, the phone and its code, and the login they want."""

    id_number: str
    name: str
    phone: str
    code: str
    username: str
    password: str


def _refused(error: CodeRefused) -> SignUpRefused:
    return SignUpRefused(error.message, error.field)


def _id_number(raw: str) -> str:
    try:
        return parse_id_number(raw).number
    except IdentifierError as error:
        raise SignUpRefused(shown(error.message), "id_number") from None


def _check_login(username: str, password: str) -> str:
    """The wanted username, stripped, if free (no login and no pending self-registration has it) and the password
    passes the validators; else ``SignUpRefused``."""
    username = username.strip()
    if not username:
        raise SignUpRefused(_("请填写用户名。"), "username")
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise SignUpRefused(error.messages[0], "username") from None
    taken = User.objects.filter(username__iexact=username).exists() or SelfRegistration.objects.filter(
        username__iexact=username, status=RegistrationStatus.PENDING).exists()
    if taken:
        raise SignUpRefused(_("该用户名已被使用，请换一个。"), "username")
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise SignUpRefused(" ".join(error.messages), "password") from None
    return username


def _same_name(given: str, registered: str) -> bool:
    return "".join(given.split()) == "".join(registered.split())


def request_code(raw_phone: str, purpose: str, *, ip_address: str | None) -> SmsCode | None:
    """Send a code for sign-up, or for a password reset (delivered only when a login has the phone, so the answer
    is the same either way); ``SignUpRefused`` when a limit holds."""
    try:
        if purpose == CodePurpose.PASSWORD_RESET:
            known = PortalProfile.objects.filter(phone_hash=lookup_hash(mobile_number(raw_phone))).exists()
            return send_code(raw_phone, purpose, ip_address=ip_address, deliver=known)
        return send_code(raw_phone, purpose, ip_address=ip_address)
    except CodeRefused as error:
        raise _refused(error) from None


def sign_up(data: SignUp, *, channel: Channel = Channel.PAGE) -> User:
    """Open a worker's login: the ID number must be in the registry under the same name, the phone (proved by its
    code) must be the registry's phone when the registry has one, and the worker must have no login yet. Creates the
    worker-role user bound to the worker (``accounts.services.create_user``, with its change-log row) and the
    portal profile holding the verified phone (its own row). ``SignUpRefused`` otherwise, changing nothing but the
    code's failure count."""
    number = _id_number(data.id_number)
    if not data.name.strip():
        raise SignUpRefused(_("请填写姓名。"), "name")
    try:
        phone = mobile_number(data.phone)
    except CodeRefused as error:
        raise _refused(error) from None
    username = _check_login(data.username, data.password)
    try:
        code = check_code(phone, CodePurpose.SIGN_UP, data.code)
    except CodeRefused as error:
        raise _refused(error) from None
    worker = Worker.objects.filter(id_number_hash=lookup_hash(number), is_active=True).first()
    phone_hash = lookup_hash(phone)
    problem = None
    if worker is None:
        problem = SignUpRefused(_("产业工人数据库中没有该身份证号码的登记。您可以提交自助登记，由用人单位人事部门、"
                                  "所在区县或工会确认后开通账号。"), "id_number", not_in_registry=True)
    elif not _same_name(data.name, worker.name):
        problem = SignUpRefused(_("姓名与该身份证号码的登记信息不一致，请核对。"), "name")
    elif worker.phone_hash and worker.phone_hash != phone_hash:
        problem = SignUpRefused(_("该身份证号码在登记库中绑定的是其他手机号码。请使用登记时的手机号码注册，"
                                  "或请用人单位人事部门、工会更正手机号码后再注册。"), "phone")
    if problem is not None:
        record_failure(code)
        raise problem
    assert worker is not None
    if User.objects.filter(worker=worker).exists():
        raise SignUpRefused(_("该职工已开通账号，请直接登录；忘记密码可通过短信验证码重设。"))
    if PortalProfile.objects.filter(phone_hash=phone_hash).exists():
        raise SignUpRefused(_("该手机号码已绑定其他账号，请直接登录或重设密码。"), "phone")
    with transaction.atomic():
        use_code(code)
        user = create_user(username, data.password, role_code=RoleCode.WORKER, worker=worker,
                           display_name=worker.name, acting_user=None, channel=channel)
        _bind_phone(user, phone, acting_user=user, channel=channel)
    return user


def _bind_phone(user: User, phone: str, *, acting_user: User | None, channel: Channel) -> PortalProfile:
    profile = PortalProfile.objects.create(user=user, phone=phone, phone_hash=lookup_hash(phone),
                                           phone_masked=mask_phone(phone), verified_at=timezone.now())
    record_change(profile, ChangeAction.CREATE, acting_user=acting_user, channel=channel, parent=user,
                  after=snapshot(profile), note=_("短信验证手机号码"))
    return profile


@dataclass(frozen=True)
class SelfRegistrationData:
    """A sign-up of a worker not yet in the registry, with where they work (for who confirms it)."""

    sign_up: SignUp
    hukou_type: str
    district_code: str
    employer_name: str
    employer_uscc: str = ""


def submit_self_registration(data: SelfRegistrationData) -> SelfRegistration:
    """Keep a pending self-registration (its code used up; the chosen password kept hashed). Refused when the ID
    number is in the registry (sign up instead) or already has a pending self-registration: both only after the
    code was checked, and counted against it, as the sign-up's registry checks are."""
    form = data.sign_up
    number = _id_number(form.id_number)
    if not form.name.strip():
        raise SignUpRefused(_("请填写姓名。"), "name")
    if data.hukou_type not in HukouType.values:
        raise SignUpRefused(_("请选择户口性质。"), "hukou_type")
    district = Division.objects.filter(code=data.district_code, parent_id="510400").first()
    if district is None:
        raise SignUpRefused(_("请选择工作所在区县。"), "district")
    if not data.employer_name.strip():
        raise SignUpRefused(_("请填写用人单位名称。"), "employer_name")
    employer = None
    if data.employer_uscc.strip():
        try:
            employer = Employer.objects.filter(uscc=parse_uscc(data.employer_uscc)).first()
        except IdentifierError as error:
            raise SignUpRefused(shown(error.message), "employer_uscc") from None
    try:
        phone = mobile_number(form.phone)
    except CodeRefused as error:
        raise _refused(error) from None
    username = _check_login(form.username, form.password)
    try:
        code = check_code(phone, CodePurpose.SIGN_UP, form.code)
    except CodeRefused as error:
        raise _refused(error) from None
    # Only behind a valid code, and counted as a failure: otherwise the form would tell anyone which ID numbers
    # the registry holds.
    id_hash = lookup_hash(number)
    if Worker.objects.filter(id_number_hash=id_hash).exists():
        record_failure(code)
        raise SignUpRefused(_("该身份证号码已在产业工人数据库中，请直接注册。"), "id_number")
    if SelfRegistration.objects.filter(id_number_hash=id_hash, status=RegistrationStatus.PENDING).exists():
        record_failure(code)
        raise SignUpRefused(_("该身份证号码的自助登记正在等待确认，请勿重复提交。"), "id_number")
    with transaction.atomic():
        use_code(code)
        registration = SelfRegistration.objects.create(
            id_number=number, id_number_hash=id_hash, id_number_masked=mask_id_number(number),
            name=form.name.strip(), hukou_type=data.hukou_type, phone=phone, phone_hash=lookup_hash(phone),
            phone_masked=mask_phone(phone), username=username, password_hash=make_password(form.password),
            district=district, employer=employer, employer_name=data.employer_name.strip()[:200],
            submitted_at=timezone.now())
        record_change(registration, ChangeAction.CREATE, acting_user=None, channel=Channel.PAGE,
                      after=snapshot(registration))
    return registration


def reset_password(raw_phone: str, code: str, password: str, *, channel: Channel = Channel.PAGE) -> User:
    """Set a new password for the login bound to the phone, proved by its code. A phone no login has answers as a
    wrong code does (and counts as one). The old password and the login's API tokens stop working."""
    try:
        phone = mobile_number(raw_phone)
        row = check_code(phone, CodePurpose.PASSWORD_RESET, code)
    except CodeRefused as error:
        raise _refused(error) from None
    profile = PortalProfile.objects.select_related("user").filter(phone_hash=lookup_hash(phone)).first()
    if profile is None or not profile.user.is_active:
        record_failure(row)
        raise SignUpRefused(_("验证码不正确，请核对短信中的6位数字。"), "code")
    user = profile.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise SignUpRefused(" ".join(error.messages), "password") from None
    with transaction.atomic():
        use_code(row)
        set_user_password(user, password, acting_user=user, channel=channel)
        before = snapshot(profile)
        profile.verified_at = timezone.now()
        profile.save(update_fields=["verified_at"])
        record_update(profile, before, acting_user=user, channel=channel, parent=user)
    return user
