"""Roles, users and sign-in with throttling and temporary lockout."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.accounts.models import Department, Role, User
from workforce.accounts.roles import ROLE_DEFINITIONS
from workforce.core.accesslog import client_ip, log_access
from workforce.core.changelog import diff, record_change, snapshot
from workforce.core.choices import AccessEvent, ChangeAction, Channel
from workforce.core.models import AccessLogEntry

# Departments the plan names most often as lead units; the supervision module adds the rest.
CORE_DEPARTMENTS = {
    "city-union": "市总工会",
    "hrss": "市人力资源社会保障局",
    "education": "市教育和体育局",
    "sasac": "市国资委",
    "organisation": "市委组织部",
    "economy": "市经济和信息化局",
    "finance": "市财政局",
}


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
                "name": code.label,
                "scope_kind": definition["scope_kind"],
                "requires_two_factor": definition.get("two_factor", True),
            },
        )
        permissions = []
        for name in definition["permissions"]:
            app_label, codename = name.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        role.permissions.set(permissions)
    for code, name in CORE_DEPARTMENTS.items():
        Department.objects.get_or_create(code=code, defaults={"name": name})
    transaction.on_commit(cache.clear)  # RoleBackend caches each role's permissions


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
def unlock_user(user: User, *, acting_user, request=None, channel: Channel = Channel.PAGE) -> None:
    """End every lockout of ``user``'s username (not an address's own throttle): the failures before
    now no longer count. Logged in the access log and in the user's change log."""
    log_access(AccessEvent.UNLOCKED, request=request, user=acting_user, username=user.username,
               target=f"user:{user.pk}")
    record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, note=_("解除登录锁定"))


def sign_in(request, username: str, password: str) -> User:
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
SCOPE_FIELDS = {
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
def create_user(username: str, password: str | None, *, role_code: str, acting_user=None,
                channel: Channel = Channel.SYSTEM, **scope) -> User:
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


@transaction.atomic
def update_user(user: User, changes: dict, *, acting_user, channel: Channel = Channel.PAGE) -> User:
    """Change a user's role, scope, name or active flag; logged in the change log."""
    before = snapshot(user)
    for key, value in changes.items():
        setattr(user, key, value)
    validate_scope(user)
    user.full_clean(exclude=["password"])
    user.save()
    old, new = diff(before, snapshot(user))
    if new:
        record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new)
    return user


@transaction.atomic
def set_user_password(user: User, password: str, *, acting_user, channel: Channel = Channel.PAGE) -> None:
    """Set a new password after the validators accept it; the change log notes it without the value."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record_change(user, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, note=_("重设密码"))
