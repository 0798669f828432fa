"""End to end in headless Chromium on a phone-sized screen: a worker opens their skills page, registers for an
open session and sees their ladder."""

from __future__ import annotations

import datetime
import re

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD, hire, make_employer, sign_in_context
from workforce.core.choices import Channel
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry.choices import CertificateKind, Ownership
from workforce.registry.services import add_certificate
from workforce.skills import services
from workforce.skills.choices import BodyKind
from workforce.skills.models import Candidate
from workforce.skills.seed import seed_rules
from workforce.skills.tests.conftest import occupation_code

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_session(reference_data):
    seed_rules()
    steel = make_employer("攀钢集团有限公司", "915104002043502888", "510402", "31", Ownership.STATE_OWNED)
    worker = hire(steel, "51040219800101123X", "张三")
    user = create_user("zhangsan", PASSWORD, role_code=RoleCode.WORKER, worker=worker)
    occupation = Occupation.objects.get(code=occupation_code())
    add_certificate(worker, {"kind": CertificateKind.SKILL_LEVEL, "occupation": occupation,
                             "level": SkillLevel.objects.get(level=5), "number": "OLD-1",
                             "issuer": "攀枝花市职业技能鉴定中心",
                             "issued_on": datetime.date(2015, 6, 1)}, acting_user=None, channel=Channel.SYSTEM)
    body = services.create_body({"name": "攀钢技能等级认定中心", "kind": BodyKind.ENTERPRISE, "employer": steel,
                                 "accredited_from": datetime.date(2019, 1, 1),
                                 "accredited_until": datetime.date.today() + datetime.timedelta(days=400),
                                 "certificate_prefix": "PG"}, [(occupation, SkillLevel.objects.get(level=4))],
                                acting_user=None, channel=Channel.SYSTEM)
    session = services.create_session({"body": body, "occupation": occupation,
                                       "level": SkillLevel.objects.get(level=4),
                                       "date": datetime.date.today() + datetime.timedelta(days=20),
                                       "venue": "攀钢培训中心", "quota": 10}, acting_user=None, channel=Channel.SYSTEM)
    services.advance_session(session, expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    return user, session


def test_worker_on_a_phone_registers_for_an_open_session_and_sees_the_ladder(browser, live_server, open_session):
    user, session = open_session
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(45_000)
    sign_in_context(context, user, live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="我的技能").first.click()
    page.wait_for_url(re.compile(r"/skills/me/$"))
    ladder = page.locator("#skill-ladder")
    ladder.get_by_text("五级/初级工").first.wait_for()
    assert ladder.get_by_text("截至").count() == 1
    # No sideways scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name=f"报名 {session}").click()
    page.wait_for_url(re.compile(r"/skills/me/$"))
    page.get_by_text("报名成功").wait_for()
    registrations = page.locator("#my-registrations")
    registrations.get_by_text("需持有五级证书满 4 年：持有 2015-06-01 起").wait_for()
    assert Candidate.objects.get().worker_id == user.worker_id
    assert page.locator("#open-sessions").get_by_role("button").count() == 0
    context.close()
