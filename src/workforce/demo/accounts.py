"""The demo logins: one per role, linked to the registry's demo data (``workforce demo-users``); safe to run
again, a login already there is brought back to its role, scope and password through the services."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.accounts.models import Department, Role, User
from workforce.accounts.services import create_user, set_user_password, update_user
from workforce.core.choices import Channel
from workforce.demo.parts import DEMO_PASSWORD, DemoContext, DemoPart
from workforce.reference.models import Division
from workforce.registry.choices import Ownership
from workforce.registry.memberships import members_of
from workforce.registry.models import Employer, Worker

SCOPE_FIELDS = ("department", "district", "employer", "worker", "organisation_name")


@dataclass(frozen=True)
class DemoLogin:
    """A demo login: its role, the name shown, and how to find the record its scope refers to."""

    username: str
    role: str
    display_name: str
    scope: str = ""  # department code, division code, or one of the special lookups below


DEMO_LOGINS = (
    DemoLogin("admin", RoleCode.CITY_ADMIN, "市平台管理员"),
    DemoLogin("union", RoleCode.DEPARTMENT_OFFICER, "市总工会工作人员", "department:city-union"),
    DemoLogin("hrss", RoleCode.DEPARTMENT_OFFICER, "市人社局工作人员", "department:hrss"),
    DemoLogin("dongqu", RoleCode.DISTRICT_OFFICER, "东区工作人员", "district:510402"),
    DemoLogin("miyi", RoleCode.DISTRICT_OFFICER, "米易县工作人员", "district:510421"),
    DemoLogin("pangang-hr", RoleCode.ENTERPRISE_HR, "攀钢人力资源部", "employer:pangang"),
    DemoLogin("smallfirm-hr", RoleCode.ENTERPRISE_HR, "小微企业人事专员", "employer:small"),
    DemoLogin("school", RoleCode.TRAINING_PROVIDER, "攀枝花技师学院", "organisation:攀枝花技师学院"),
    DemoLogin("worker", RoleCode.WORKER, "", "worker:pangang"),
    DemoLogin("leader", RoleCode.LEADER, "市领导"),
    DemoLogin("ducha", RoleCode.SUPERVISION_OFFICE, "改革督查室工作人员"),
    # Their posts (东区总工会; the largest Pangang company's union) are given by the unions part (decision 0018).
    DemoLogin("union-dongqu", RoleCode.DISTRICT_UNION_OFFICER, "东区总工会工作人员"),
    DemoLogin("union-base", RoleCode.BASE_UNION_OFFICER, "攀钢基层工会干部"),
    # Made one of the body's staff by the skills demo (demo/skills.py).
    DemoLogin("appraisal", RoleCode.APPRAISAL_BODY, "攀钢技能等级认定中心", "organisation:攀钢技能等级认定中心"),
)


def largest_pangang_employer() -> Employer | None:
    """The Pangang (攀钢) company with the most staff today."""
    return Employer.objects.filter(name__startswith="攀钢集团").order_by("-headcount", "pk").first()


def small_private_firm() -> Employer | None:
    """A small private firm with a handful of staff, the same one on every run over the same data."""
    firms = Employer.objects.filter(ownership=Ownership.PRIVATE, is_above_scale=False).order_by("pk")
    return firms.filter(headcount__range=(5, 30)).first() or firms.filter(headcount__gt=0).first()


def pangang_worker(user: User | None) -> Worker | None:
    """A worker at the largest Pangang company with a certificate, union card and phone, not yet linked
    to another login; the one ``user`` already has if it still qualifies."""
    employer = largest_pangang_employer()
    if employer is None:
        return None
    candidates = Worker.objects.filter(current_employer=employer, is_active=True).order_by("pk")
    if user is not None and user.worker_id and candidates.filter(pk=user.worker_id).exists():
        return user.worker
    free = candidates.filter(user__isnull=True)
    # The union card is in the sealed roll (decision 0009): the first member among the few hundred qualifying.
    qualifying = free.filter(current_skill_level__isnull=False).exclude(phone_hash="")
    first = Worker.objects.filter(pk__in=list(qualifying.values_list("pk", flat=True)[:500]))
    member = next(iter(members_of(first, None)), None)
    return (qualifying.filter(pk=member).first() if member else None) or free.first()


def resolve_scope(login: DemoLogin, user: User | None) -> dict | None:
    """The scope fields of ``login``, or ``None`` when the record it needs does not exist (no demo data)."""
    kind, _, key = login.scope.partition(":")
    scope: dict = {"department": None, "district": None, "employer": None, "worker": None, "organisation_name": ""}
    if kind == "department":
        scope["department"] = Department.objects.get(code=key)
    elif kind == "district":
        scope["district"] = Division.objects.get(code=key)
    elif kind == "employer":
        scope["employer"] = largest_pangang_employer() if key == "pangang" else small_private_firm()
        if scope["employer"] is None:
            return None
    elif kind == "organisation":
        scope["organisation_name"] = key
    elif kind == "worker":
        scope["worker"] = pangang_worker(user)
        if scope["worker"] is None:
            return None
    return scope


@transaction.atomic
def ensure_demo_login(login: DemoLogin, password: str = DEMO_PASSWORD) -> tuple[User | None, bool]:
    """Create or refresh one demo login (role, scope, password). Returns ``(user, created)``, or
    ``(None, False)`` when its scope needs demo data that is missing."""
    user = User.objects.filter(username=login.username).first()
    scope = resolve_scope(login, user)
    if scope is None:
        return None, False
    display_name = login.display_name or scope["worker"].name
    if login.role == RoleCode.ENTERPRISE_HR and login.scope == "employer:small":
        display_name = f"{scope['employer'].name}人事专员"[:50]
    if user is None:
        return create_user(login.username, password, role_code=login.role, display_name=display_name,
                           **scope), True
    update_user(user, {"role": Role.objects.get(code=login.role), "display_name": display_name, "is_active": True,
                       **scope}, acting_user=None, channel=Channel.SYSTEM)
    if not user.check_password(password):
        set_user_password(user, password, acting_user=None, channel=Channel.SYSTEM)
    return user, False


def describe_scope(user: User) -> str:
    """A short Chinese description of what the user's scope refers to."""
    if user.department_id:
        return user.department.name
    if user.district_id:
        return user.district.name
    if user.employer_id:
        return user.employer.name
    if user.worker_id:
        employer = user.worker.current_employer
        return f"{user.worker.name}（{employer.name if employer else '无在职单位'}）"
    if user.organisation_name:
        return user.organisation_name
    if user.scope_kind == ScopeKind.UNION:  # a union officer: their post (decision 0018)
        from workforce.unions.models import Officer

        post = Officer.objects.filter(user=user).select_related("organisation").first()
        if post is not None:
            return post.organisation.name
    return user.role.get_scope_kind_display() if user.role_id else ""


def ensure_demo_logins(password: str = DEMO_PASSWORD) -> tuple[int, int, list[str]]:
    """Create or refresh every demo login: ``(created, refreshed, skipped usernames)``."""
    created = refreshed = 0
    skipped = []
    for login in DEMO_LOGINS:
        user, is_new = ensure_demo_login(login, password)
        if user is None:
            skipped.append(login.username)
        elif is_new:
            created += 1
        else:
            refreshed += 1
    return created, refreshed, skipped


def build(context: DemoContext) -> str:
    created, refreshed, skipped = ensure_demo_logins(context.password)
    line = f"demo logins: {created} created, {refreshed} refreshed (password {context.password})"
    return line + (f"; skipped, no demo data for {', '.join(skipped)}" if skipped else "")


PART = DemoPart("accounts", build, after=("registry",))
