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


@pytest.fixture
def two_employers(reference_data):
    steel = make_employer("攀钢集团有限公司", "915104002043502888", "510402", "31", Ownership.STATE_OWNED)
    mine = make_employer("米易县白马铁矿", "91510421MA6AR8KJ07", "510421", "08", Ownership.STATE_CONTROLLED)
    hire(steel, "51040219800101123X", "张三")
    hire(mine, "510421199002023340", "李梅")
    admin = create_user("admin", PASSWORD, role_code=RoleCode.CITY_ADMIN, display_name="市平台管理员")
    return steel, mine, TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)


def test_the_employer_filter_is_chosen_by_name_or_uscc(page, two_employers):
    """Issue 15: the worker list's employer filter is chosen by typing a name or USCC, not an internal number."""
    steel, mine, device = two_employers
    sign_in_in_browser(page, device, "/registry/workers/")
    results = page.locator("#results")
    results.get_by_text("李梅").wait_for()

    box = page.get_by_role("combobox", name="用人单位")
    box.fill("白马")
    option = page.get_by_role("option", name=re.compile("米易县白马铁矿"))
    option.wait_for()
    assert page.get_by_role("option", name=re.compile("攀钢")).count() == 0
    option.click()
    page.wait_for_url(re.compile(rf"employer={mine.pk}"))
    results.get_by_text("共 1 条").wait_for()
    assert results.get_by_text("李梅").count() == 1 and results.get_by_text("张三").count() == 0
    assert box.input_value() == "米易县白马铁矿"

    # By the start of the USCC, with the keyboard.
    box.fill("9151040020")
    page.get_by_role("option", name=re.compile("攀钢集团有限公司")).wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"employer={steel.pk}"))
    results.get_by_text("张三").wait_for()
    assert results.get_by_text("李梅").count() == 0

    # A reload shows the chosen employer by name; emptying the box lists everyone again.
    page.reload()
    assert page.get_by_role("combobox", name="用人单位").input_value() == "攀钢集团有限公司"
    page.get_by_role("combobox", name="用人单位").fill("")
    page.wait_for_url(re.compile(r"/registry/workers/\?$|/registry/workers/$|/registry/workers/\?[^e]*$"))
    results.get_by_text("李梅").wait_for()

    # The employment form on a worker's page chooses the employer the same way (no <select> of them all).
    zhang = results.get_by_role("link", name="张三")
    zhang.click()
    page.get_by_text("新增就业记录").click()
    form = page.locator("form", has=page.get_by_role("button", name="保存就业记录"))
    assert form.locator("select[name=employer]").count() == 0
    form.get_by_role("combobox", name="用人单位").fill("白马")
    form.get_by_role("option", name=re.compile("米易县白马铁矿")).click()
    form.get_by_label("入职日期").fill("2024-01-02")
    form.get_by_role("button", name="保存就业记录").click()
    page.get_by_text("就业记录已新增。").wait_for()
    spells = page.get_by_role("region", name="就业记录")
    assert spells.get_by_text("米易县白马铁矿").count() == 1 and spells.get_by_text("攀钢集团有限公司").count() == 1
