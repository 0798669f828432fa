"""Roles, users and sign-in with throttling and temporary lockout."""

from __future__ import annotations

import datetime
import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import devices_for_user as devices_for
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.accounts.departments import DEPARTMENTS, find_department, official_name
from workforce.accounts.models import ApiToken, Department, EnrolmentCode, Role, User
from workforce.accounts.roles import ROLE_DEFINITIONS
from workforce.core.accesslog import client_ip, log_access
from workforce.core.changelog import diff, record_change, snapshot
from workforce.core.choices import AccessEvent, ChangeAction, Channel
from workforce.core.clock import local_iso
from workforce.core.models import AccessLogEntry

TOKEN_USE_PRECISION = datetime.timedelta(minutes=1)


class AuthenticationRefused(Exception):
    """An API token does not open the API; ``message`` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SignInError(Exception):
    """Sign-in refused; ``message`` is safe to show (it never says whether the username exists)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def ensure_roles() -> None:
    """Create or refresh the roles of ``roles.ROLE_DEFINITIONS``; idempotent."""
    for code, definition in ROLE_DEFINITIONS.items():
        role, _created = Role.objects.update_or_create(
            code=code,
            defaults={
                "name": str(code.label),
                "scope_kind": definition["scope_kind"],
                "requires_two_factor": definition.get("two_factor", True),
            },
        )
        permissions = []
        for name in definition["permissions"]:
            app_label, codename = name.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        role.permissions.set(permissions)
    for known in DEPARTMENTS:
        ensure_department(known.code, known.name)
    transaction.on_commit(cache.clear)  # RoleBackend caches each role's permissions


def ensure_department(code: str, name: str) -> Department:
    """The department ``code`` (which a document may call by a former name ``name``), created or renamed to
    its official name from ``accounts.departments``, with its former names; the one find-or-create of
    departments (the plan's loader uses it too)."""
    official, former = official_name(code, name)
    department: Department | None = find_department(Department, code, [official, *former])
    if department is None:
        return Department.objects.create(code=code, name=official, former_names=former)
    names = sorted((set(department.former_names) | set(former) | {department.name}) - {official})
    if (department.name, department.former_names) != (official, names):
        department.name, department.former_names = official, names
        department.save(update_fields=["name", "former_names"])
    return department


@dataclass(frozen=True)
class Lockout:
    """A refusal to check passwords: for ``username`` from ``ip_address`` until ``until``."""

    username: str
    ip_address: str | None
    until: datetime.datetime
    failures: int


def _pair_lockout(username: str, ip_address: str | None, now: datetime.datetime) -> Lockout | None:
    """The lockout of one username from one address: ``LOGIN_FAILURE_LIMIT`` failures since the pair's
    last success (or the administrator's last unlock of the username) lock it for ``LOGIN_LOCKOUT``, and
    every further failure doubles that, up to ``LOGIN_LOCKOUT_MAX``; failures older than twice
    ``LOGIN_LOCKOUT_MAX`` are forgotten."""
    since = now - 2 * settings.LOGIN_LOCKOUT_MAX
    entries = AccessLogEntry.objects.filter(username=username, time__gte=since)
    pair = entries.filter(ip_address=ip_address) if ip_address else entries.filter(ip_address__isnull=True)
    reset = (
        (pair.filter(event=AccessEvent.SIGN_IN) | entries.filter(event=AccessEvent.UNLOCKED))
        .aggregate(last=Max("time"))["last"]
    )
    failures = pair.filter(event=AccessEvent.SIGN_IN_FAILED, time__gt=reset or since).aggregate(
        count=Count("id"), last=Max("time"))
    excess = failures["count"] - settings.LOGIN_FAILURE_LIMIT
    if excess < 0:
        return None
    length = min(settings.LOGIN_LOCKOUT * 2 ** min(excess, 32), settings.LOGIN_LOCKOUT_MAX)
    until = failures["last"] + length
    return Lockout(username, ip_address, until, failures["count"]) if now <= until else None


def _address_lockout(ip_address: str | None, now: datetime.datetime) -> Lockout | None:
    """An address that failed four times ``LOGIN_FAILURE_LIMIT`` within ``LOGIN_LOCKOUT``, for whatever
    usernames, is refused for the rest of that window (one address may serve a whole office)."""
    if not ip_address:
        return None
    failures = AccessLogEntry.objects.filter(
        event=AccessEvent.SIGN_IN_FAILED, ip_address=ip_address, time__gte=now - settings.LOGIN_LOCKOUT,
    ).aggregate(count=Count("id"), first=Min("time"))
    if failures["count"] < 4 * settings.LOGIN_FAILURE_LIMIT:
        return None
    return Lockout("", ip_address, failures["first"] + settings.LOGIN_LOCKOUT, failures["count"])


def current_lockout(username: str, ip_address: str | None) -> Lockout | None:
    """Why passwords for ``username`` from ``ip_address`` are not checked now, if they are not.

    Decision 0010: failures count per username *and* address, so a stranger elsewhere cannot lock the
    owner of an account out; the owner's own address is throttled with exponential backoff."""
    now = timezone.now()
    return _pair_lockout(username, ip_address, now) or _address_lockout(ip_address, now)


def lockouts_of(user: User) -> list[Lockout]:
    """The addresses from which ``user``'s username is locked out now (for the administrator's page)."""
    now = timezone.now()
    addresses = AccessLogEntry.objects.filter(
        event=AccessEvent.SIGN_IN_FAILED, username=user.username, time__gte=now - 2 * settings.LOGIN_LOCKOUT_MAX,
    ).order_by().values_list("ip_address", flat=True).distinct()
    found = (_pair_lockout(user.username, address, now) for address in addresses)
    return sorted(filter(None, found), key=lambda lockout: lockout.until)


@transaction.atomic
def unlock_user(user: User, *,
                acting_user: User | None, request: HttpRequest | None = None, channel: Channel = Channel.PAGE) -> None:
    """End every lockout of ``user``'s username (not an address's own throttle): the failures before
    now no longer count. Logged in the access log and in the user's change log."""
    log_access(AccessEvent.UNLOCKED, request=request, user=acting_user, username=user.username,
               target=f"user:{user.pk}")
    record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, note=_("解除登录锁定"))


def sign_in(request: HttpRequest, username: str, password: str) -> User:
    """Check the credentials and return the user, logging the attempt.

    While :func:`current_lockout` holds for the username and the client's address, the password is not
    even checked (so a right one does not get through either).
    """
    username = username.strip()
    lockout = current_lockout(username, client_ip(request))
    if lockout is not None:
        log_access(AccessEvent.LOCKED_OUT, request=request, username=username)
        minutes = max(1, math.ceil((lockout.until - timezone.now()).total_seconds() / 60))
        raise SignInError(_("登录失败次数过多，账号已临时锁定，请 %(minutes)d 分钟后再试。") % {"minutes": minutes})
    user = authenticate(request, username=username, password=password)
    if user is None:
        log_access(AccessEvent.SIGN_IN_FAILED, request=request, username=username)
        raise SignInError(_("用户名或密码不正确。"))
    log_access(AccessEvent.SIGN_IN, request=request, user=user)
    return user


# The field each scope kind needs (form field, attribute holding its value) and what to call it.
SCOPE_FIELDS: dict[str, tuple[str, str, Any]] = {
    ScopeKind.DISTRICT: ("district", "district_id", _lazy("区县")),
    ScopeKind.EMPLOYER: ("employer", "employer_id", _lazy("单位")),
    ScopeKind.SELF: ("worker", "worker_id", _lazy("职工档案")),
    ScopeKind.PROVIDER: ("organisation_name", "organisation_name", _lazy("机构名称")),
}


def validate_scope(user: User) -> None:
    """A role's scope must name what it refers to: a district officer needs a district, and so on.
    Scope fields a role does not use are cleared, so no stale scope lingers."""
    if user.role is None:
        raise ValidationError({"role": _("请选择角色。")})
    needed = SCOPE_FIELDS.get(user.role.scope_kind)
    if needed and not getattr(user, needed[1]):
        raise ValidationError({needed[0]: _("该角色须指定%(what)s。") % {"what": needed[2]}})
    if user.role.code == RoleCode.DEPARTMENT_OFFICER and user.department_id is None:
        raise ValidationError({"department": _("部门工作人员须指定部门。")})
    if user.role.scope_kind != ScopeKind.DISTRICT:
        user.district = None
    if user.role.scope_kind != ScopeKind.EMPLOYER:
        user.employer = None
    if user.role.scope_kind != ScopeKind.SELF:
        user.worker = None


@transaction.atomic
def create_user(username: str, password: str | None, *, role_code: str, acting_user: User | None = None,
                channel: Channel = Channel.SYSTEM, **scope: Any) -> User:
    """Create a user with a role and its scope fields (``district``, ``employer``, ``department``,
    ``worker``, ``organisation_name``, ``display_name``); a ``None`` password makes an account that
    cannot sign in until a password is set. The password must pass the password validators."""
    user = User(username=username, role=Role.objects.get(code=role_code), **scope)
    validate_scope(user)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_change(user, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(user))
    return user


# A change of any of these ends the user's API tokens: they were issued for what the user was.
TOKEN_BOUND_FIELDS = ("role", "department", "district", "employer", "worker", "organisation_name", "is_active")


@transaction.atomic
def update_user(user: User, changes: dict[str, Any], *,
                acting_user: User | None, channel: Channel = Channel.PAGE) -> User:
    """Change a user's role, scope, name or active flag; logged in the change log. A change of role,
    scope or active flag revokes the user's API tokens."""
    before = snapshot(user)
    for key, value in changes.items():
        setattr(user, key, value)
    validate_scope(user)
    user.full_clean(exclude=["password"])
    user.save()
    old, new = diff(before, snapshot(user))
    if new:
        record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new)
    if any(field in new for field in TOKEN_BOUND_FIELDS):
        reason = _("停用账号") if "is_active" in new and not user.is_active else _("角色或数据范围变更")
        revoke_user_tokens(user, reason=reason, acting_user=acting_user, channel=channel)
    return user


@transaction.atomic
def set_user_password(user: User, password: str, *, acting_user: User | None, channel: Channel = Channel.PAGE) -> None:
    """Set a new password after the validators accept it; the change log notes it without the value."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, note=_("重设密码"))
    revoke_user_tokens(user, reason=_("重设密码"), acting_user=acting_user, channel=channel)


# ------------------------------------------------------------------------------------ API tokens


def hash_token_key(key: str) -> str:
    """The stored form of a token key: its SHA-256 (a key is 160 random bits, so no slow hash is needed
    to keep a dump of the table from opening the API)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User, *, name: str = "", is_two_factor_verified: bool, request: HttpRequest | None = None,
                    channel: Channel = Channel.PAGE) -> tuple[ApiToken, str]:
    """Issue a token to ``user`` and return it with its key, which is not kept and cannot be shown
    again. The user's tokens beyond ``API_TOKENS_PER_USER`` are revoked, oldest first."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[:8], key_hash=hash_token_key(key),
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME, is_two_factor_verified=is_two_factor_verified)
    log_access(AccessEvent.TOKEN_ISSUED, request=request, user=user, target=f"token:{token.pk}")
    record_change(token, ChangeAction.CREATE, acting_user=user, channel=channel, parent=user,
                  after={"name": token.name, "prefix": token.prefix, "expires_at": local_iso(token.expires_at)},
                  note=_("签发接口令牌"))
    surplus = list(user.api_tokens.active().order_by("-created_at", "-id")[settings.API_TOKENS_PER_USER:])
    for old in surplus:
        revoke_api_token(old, reason=_("超出令牌数量上限"), acting_user=None, channel=Channel.SYSTEM)
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *,
                     reason: str, acting_user: User | None, channel: Channel = Channel.PAGE) -> None:
    """Revoke one token (no effect on one already revoked); logged on the token's user's history."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoke_reason = timezone.now(), reason[:100]
    token.save(update_fields=["revoked_at", "revoke_reason"])
    record_change(token, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, parent=token.user,
                  after={"revoked_at": local_iso(token.revoked_at), "revoke_reason": token.revoke_reason},
                  note=_("吊销接口令牌"))


@transaction.atomic
def revoke_user_tokens(user: User, *, reason: str, acting_user: User | None, channel: Channel = Channel.PAGE) -> int:
    """Revoke every token of ``user`` still in force; one change-log row on the user names how many."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoke_reason=reason[:100])
    if count:
        record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                      note=_("吊销全部接口令牌（%(count)d 个）：%(reason)s") % {"count": count, "reason": reason})
    return count


def authenticate_token(key: str) -> ApiToken:
    """The token of ``key`` if it opens the API now, else ``AuthenticationRefused`` with a message to
    show. Marks the token as used (at most once a minute, so reads do not all write)."""
    token: ApiToken | None = (ApiToken.objects.select_related("user", "user__role")
                              .filter(key_hash=hash_token_key(key)).first())
    now = timezone.now()
    if token is None or token.revoked_at is not None:
        raise AuthenticationRefused(_("令牌无效。"))
    if token.expires_at <= now:
        raise AuthenticationRefused(_("令牌已过期，请重新申请。"))
    if not token.user.is_active:
        raise AuthenticationRefused(_("用户已停用或已删除。"))
    if settings.REQUIRE_TWO_FACTOR_FOR_STAFF and token.user.needs_two_factor and not token.is_two_factor_verified:
        raise AuthenticationRefused(_("该令牌签发时未经动态口令验证，请提供动态口令重新申请令牌。"))
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --------------------------------------------------------------------------- TOTP enrolment codes

ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or copied by hand
ENROLMENT_CODE_LENGTH = 12  # about 59 bits


def normalised_enrolment_code(text: str) -> str:
    """The code as issued, from what a user typed: any case, with or without the dashes and spaces."""
    return "".join(char for char in text.upper() if char not in "- ")


@transaction.atomic
def issue_enrolment_code(user: User, *,
                         acting_user: User | None, channel: Channel = Channel.PAGE) -> tuple[EnrolmentCode, str]:
    """Issue a one-time code with which ``user`` may enrol a TOTP device (a first one, or a new phone),
    and return it with the code, which is kept only hashed. Earlier unused codes of the user stop working."""
    code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _position in range(ENROLMENT_CODE_LENGTH))
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
    enrolment = EnrolmentCode.objects.create(
        user=user, code_hash=make_password(code), expires_at=timezone.now() + settings.TOTP_ENROLMENT_CODE_LIFETIME,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                  note=_("签发动态口令绑定码，有效至 %(until)s") % {
                      "until": timezone.localtime(enrolment.expires_at).strftime("%Y-%m-%d %H:%M")})
    return enrolment, "-".join(code[start:start + 4] for start in range(0, ENROLMENT_CODE_LENGTH, 4))


def usable_enrolment_code(user: User) -> EnrolmentCode | None:
    """The user's unused, unexpired enrolment code, if the administrator issued one."""
    return EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first()


def check_enrolment_code(user: User, text: str, *, request: HttpRequest | None = None) -> EnrolmentCode:
    """The user's enrolment code if ``text`` is it; otherwise ``ValidationError`` (logged). After
    ``LOGIN_FAILURE_LIMIT`` wrong codes since it was issued, the code no longer works."""
    enrolment = usable_enrolment_code(user)
    refused = ValidationError(_("绑定码不正确或已失效，请联系管理员重新签发。"), code="invalid")
    if enrolment is None:
        log_access(AccessEvent.ENROLMENT_CODE_FAILED, request=request, user=user)
        raise refused
    failures = AccessLogEntry.objects.filter(
        event=AccessEvent.ENROLMENT_CODE_FAILED, user=user, time__gte=enrolment.issued_at).count()
    if failures >= settings.LOGIN_FAILURE_LIMIT or not check_password(normalised_enrolment_code(text),
                                                                       enrolment.code_hash):
        log_access(AccessEvent.ENROLMENT_CODE_FAILED, request=request, user=user)
        raise refused
    return enrolment


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def new_unconfirmed_device(user: User) -> TOTPDevice:
    """A new TOTP device for ``user`` to scan, replacing any unconfirmed one; only
    :func:`enrol_totp_device` confirms it, with an enrolment code. Noted in the user's change log (a new
    secret was made, though it opens nothing until confirmed)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    record_change(user, ChangeAction.UPDATE, acting_user=user, channel=Channel.PAGE,
                  note=_("生成待绑定的动态口令设备"))
    return device


def unconfirmed_device(user: User) -> TOTPDevice:
    """The device the user is enrolling: the unconfirmed one shown before, or a new one."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first() or new_unconfirmed_device(user)


@transaction.atomic
def verify_two_factor(user: User, token: str, *, request: HttpRequest | None = None) -> TOTPDevice | None:
    """The user's confirmed device if ``token`` is its current code, else ``None``; logged either way.
    Verifying moves the device's counter and throttle (django-otp saves them), hence a service."""
    device = confirmed_device(user)
    if device is not None and device.verify_token(token):
        log_access(AccessEvent.TWO_FACTOR_VERIFIED, request=request, user=user)
        return device
    log_access(AccessEvent.TWO_FACTOR_FAILED, request=request, user=user)
    return None


@transaction.atomic
def enrol_totp_device(user: User, enrolment: EnrolmentCode, device: TOTPDevice, token: str, *,
                      request: HttpRequest | None = None) -> bool:
    """Confirm ``device`` (unconfirmed, the user's) if ``token`` is its current code and the enrolment
    code is still usable: it replaces the user's other devices, and the code is used up. Returns
    whether the device was enrolled; logged either way."""
    usable = EnrolmentCode.objects.select_for_update().filter(
        pk=enrolment.pk, user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first()
    if usable is None or device.user_id != user.pk or not device.verify_token(token):
        log_access(AccessEvent.TWO_FACTOR_FAILED, request=request, user=user)
        return False
    usable.used_at = timezone.now()
    usable.save(update_fields=["used_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    for other in devices_for(user, confirmed=None):
        if other.persistent_id != device.persistent_id:
            other.delete()
    log_access(AccessEvent.TWO_FACTOR_ENROLLED, request=request, user=user)
    record_change(user, ChangeAction.UPDATE, acting_user=user, channel=Channel.PAGE, note=_("绑定动态口令设备"))
    return True
