"""Roles, users and sign-in with throttling and temporary lockout."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.models import Department, Role, User
from workforce.accounts.roles import ROLE_DEFINITIONS
from workforce.core.accesslog import client_ip, log_access
from workforce.core.choices import AccessEvent
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


@transaction.atomic
def create_user(username: str, password: str | None, *, role_code: str, **scope) -> User:
    """Create a user with a role and its scope fields (``district``, ``employer``, ``department``,
    ``worker``, ``display_name``); a ``None`` password makes an account that cannot sign in yet."""
    user = User(username=username, role=Role.objects.get(code=role_code), **scope)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
