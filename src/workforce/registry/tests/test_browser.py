"""End to end in headless Chromium: sign in with TOTP, find a worker by ID number, open the record,
edit a field and see the edit on the history timeline."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.choices import RoleCode
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD, hire, make_employer, sign_in_in_browser
from workforce.registry.choices import Ownership

pytestmark = pytest.mark.browser


@pytest.fixture
def registry_with_admin(reference_data):
    steel = make_employer("攀钢集团有限公司", "915104002043502888", "510402", "31", Ownership.STATE_OWNED)
    worker = hire(steel, "51040219800101123X", "张三", phone="13800001234")
    hire(steel, "510421199002023340", "李梅")
    admin = create_user("admin", PASSWORD, role_code=RoleCode.CITY_ADMIN, display_name="市平台管理员")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return worker, device


def test_admin_finds_a_worker_by_id_edits_and_sees_the_history(page, registry_with_admin):
    worker, device = registry_with_admin
    sign_in_in_browser(page, device, "/registry/workers/")  # with the TOTP step that staff roles must pass

    # Search by the full ID number: the list narrows to one worker, shown masked.
    page.get_by_label("姓名 / 身份证号 / 手机号").fill("51040219800101123X")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"q=~"))  # the number travels sealed, never in the URL (issue 13)
    assert "51040219800101123X" not in page.url
    results = page.locator("#results")
    results.get_by_text("510402********123X").wait_for()
    assert results.get_by_text("李梅").count() == 0

    # Open the record.
    results.get_by_role("link", name="张三").click()
    page.wait_for_url(re.compile(rf"/registry/workers/{worker.pk}/$"))
    assert page.get_by_text("51040219800101123X").count() == 0

    # Edit a field and find the change on the history timeline.
    page.get_by_role("link", name="编辑").first.click()
    page.get_by_label("姓名").fill("张三丰")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/registry/workers/{worker.pk}/$"))
    timeline = page.locator(".timeline")
    timeline.get_by_text("张三丰").first.wait_for()
    assert timeline.get_by_text("张三").count() >= 1
    worker.refresh_from_db()
    assert worker.name == "张三丰"
