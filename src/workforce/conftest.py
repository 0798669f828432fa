"""Shared test fixtures: reference data once per session, and named personas (STYLE.md) so that a
permission test reads as a sentence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import Department, User
from workforce.accounts.services import create_user, ensure_roles
from workforce.core.choices import Channel
from workforce.reference.models import Division, Industry
from workforce.reference.services import load_reference_data
from workforce.registry import services
from workforce.registry.choices import Ownership
from workforce.registry.models import Employer, Worker

PASSWORD = "Str0ng!Passw0rd"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()
        ensure_roles()


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INDICATOR_COLUMNS_DIR = tmp_path / "indicator-columns"
    from django.core.cache import cache

    cache.clear()  # cached role permissions must not outlive the test that set them up
    from workforce.indicators.storage import forget_columns

    # Nor the indicators' columns held by the process (the registry's filters read them too): after a
    # rollback the next test can reach the same stamp with other data.
    forget_columns()
    yield
    # A request in English (Accept-Language, the language cookie) leaves English active in the thread, and
    # every later test would read the interface in English: each test starts in the default language.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once():
    """Background jobs run inside the request in tests, as a huey consumer would run them later."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@dataclass
class Personas:
    """The people of the tests: who they are is in the name."""

    city_admin: User
    union_officer: User
    dongqu_officer: User
    miyi_officer: User
    steel_hr: User
    small_firm_hr: User
    training_school: User
    leader: User
    worker_user: User
    steel: Employer
    small_firm: Employer
    miyi_mine: Employer
    steel_worker: Worker
    miyi_worker: Worker


def make_employer(name: str, uscc: str, district: str, industry: str, ownership: str, **extra) -> Employer:
    return services.register_employer(
        {"uscc": uscc, "name": name, "district": Division.objects.get(code=district),
         "industry": Industry.objects.get(code=industry), "ownership": ownership, **extra},
        acting_user=None, channel=Channel.SYSTEM)


def hire(employer: Employer, id_number: str, name: str, start=datetime.date(2019, 3, 1), **worker) -> Worker:
    # The test people state their political status (群众 unless told): the services' own default is not stated.
    worker_data = {"id_number": id_number, "name": name, "hukou_type": worker.pop("hukou_type", "urban"),
                   "political_status": worker.pop("political_status", "masses"), **worker}
    employed, _created = services.hire_worker(
        worker_data, {"employer": employer, "start_date": start}, acting_user=None, channel=Channel.SYSTEM)
    return employed


@pytest.fixture
def personas(db) -> Personas:
    steel = make_employer("攀钢集团有限公司", "915104002043502888", "510402", "31", Ownership.STATE_OWNED,
                          is_above_scale=True)
    small_firm = make_employer("攀枝花市仁和区小微机修店", "92510411MA62G1XW34", "510411", "43", Ownership.PRIVATE)
    miyi_mine = make_employer("米易县白马铁矿", "91510421MA6AR8KJ07", "510421", "08", Ownership.STATE_CONTROLLED)
    steel_worker = hire(steel, "51040219800101123X", "张三", phone="13800001234")
    miyi_worker = hire(miyi_mine, "510421199002023340", "李梅", hukou_type="rural")
    union = Department.objects.get(code="city-union")

    def user(username, role, **scope):
        return create_user(username, PASSWORD, role_code=role, **scope)

    return Personas(
        city_admin=user("admin", RoleCode.CITY_ADMIN, display_name="市平台管理员"),
        union_officer=user("union", RoleCode.DEPARTMENT_OFFICER, department=union),
        dongqu_officer=user("dongqu", RoleCode.DISTRICT_OFFICER, district=Division.objects.get(code="510402")),
        miyi_officer=user("miyi", RoleCode.DISTRICT_OFFICER, district=Division.objects.get(code="510421")),
        steel_hr=user("steel-hr", RoleCode.ENTERPRISE_HR, employer=steel),
        small_firm_hr=user("small-hr", RoleCode.ENTERPRISE_HR, employer=small_firm),
        training_school=user("school", RoleCode.TRAINING_PROVIDER, organisation_name="攀枝花技师学院"),
        leader=user("leader", RoleCode.LEADER),
        worker_user=user("zhangsan", RoleCode.WORKER, worker=steel_worker),
        steel=steel, small_firm=small_firm, miyi_mine=miyi_mine,
        steel_worker=steel_worker, miyi_worker=miyi_worker,
    )


@pytest.fixture
def sign_in(client):
    """Sign ``user`` in on the test client, with two-factor verification passed for staff roles."""

    def _sign_in(user: User):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return _sign_in


@pytest.fixture
def reference_data(transactional_db):
    """Reference data and roles for tests that run in real transactions (live server): those tests
    flush the database afterwards, so they cannot rely on the session's copy."""
    load_reference_data()
    ensure_roles()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (Playwright cannot download browsers here)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous and safe, so Django's guard against ORM use inside an event loop is relaxed.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def sign_in_in_browser(page, device, path: str) -> None:
    """Open ``path`` in the browser and sign in as the owner of the TOTP ``device`` (password, then the
    code that staff roles must give), ending on ``path``."""
    import re

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The same person may sign in twice within one TOTP step; a code is accepted once, so forget the last.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto(page.base_url + path)
    page.get_by_label("用户名").fill(device.user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("动态口令").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def sign_in_context(context, user: User, base_url: str) -> None:
    """Give the browser ``context`` a signed-in session of ``user`` (two-factor passed for staff roles)
    without going through the sign-in pages: for tests that visit many pages as many people."""
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.needs_two_factor:
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    # Generous: `make test` runs the SQLite and PostgreSQL suites side by side on two cores, and a page
    # that answers in a second alone has taken over 15 s with both suites' browsers and servers busy.
    context.set_default_timeout(45_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()
