"""Roles, users and sign-in with throttling and temporary lockout."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
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


def recent_failures(username: str, ip_address: str | None) -> int:
    """Failed sign-ins for this username, or from this address, within the lockout window since the
    last successful sign-in of the username."""
    since = timezone.now() - settings.LOGIN_LOCKOUT
    last_success = (
        AccessLogEntry.objects.filter(event=AccessEvent.SIGN_IN, username=username, time__gte=since)
        .order_by("-time").values_list("time", flat=True).first()
    )
    by_name = AccessLogEntry.objects.filter(
        event=AccessEvent.SIGN_IN_FAILED, username=username, time__gte=last_success or since
    ).count()
    by_address = 0
    if ip_address:
        by_address = AccessLogEntry.objects.filter(
            event=AccessEvent.SIGN_IN_FAILED, ip_address=ip_address, time__gte=since
        ).count()
        by_address //= 4  # one address may serve a whole office: allow it four times as many tries
    return max(by_name, by_address)


def sign_in(request, username: str, password: str) -> User:
    """Check the credentials and return the user, logging the attempt.

    After ``LOGIN_FAILURE_LIMIT`` failures in ``LOGIN_LOCKOUT`` the username (and a noisy address) is
    locked out for the rest of the window, even with the right password.
    """
    username = username.strip()
    if recent_failures(username, client_ip(request)) >= settings.LOGIN_FAILURE_LIMIT:
        log_access(AccessEvent.LOCKED_OUT, request=request, username=username)
        minutes = int(settings.LOGIN_LOCKOUT.total_seconds() // 60)
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
