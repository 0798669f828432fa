"""On a phone (390 px): a worker signs up with the code the demo's SMS file holds and lands on the portal home;
the navigation is one line behind the menu button; axe finds nothing (decision 0019)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from workforce.conftest import sign_in_context
from workforce.portal.sms import last_code_in_file

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id}: ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")));
}"""
# The header is one line on a phone: the brand and the menu button side by side, the navigation folded.
HEADER = """() => {
  const header = document.querySelector(".site-header").getBoundingClientRect();
  const brand = document.querySelector(".brand").getBoundingClientRect();
  const toggle = document.querySelector("[data-menu-toggle]").getBoundingClientRect();
  return {height: header.height, sameLine: Math.abs((brand.top + brand.bottom) - (toggle.top + toggle.bottom)) < 8};
}"""


def phone_context(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(45_000)
    axe = finders.find("vendor/axe.min.js")
    assert axe, "axe-core is missing: run make assets"
    context.add_init_script(path=axe)
    return context


def assert_phone_page(page) -> None:
    assert page.evaluate(AXE_RUN, WCAG_TAGS) == []
    header = page.evaluate(HEADER)
    assert header["sameLine"] and header["height"] < 72, header
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    toggle = page.get_by_role("button", name="菜单")
    nav = page.get_by_role("navigation", name="主导航")
    assert not nav.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
    toggle.click()


def test_a_worker_signs_up_on_a_phone_with_the_sms_code_and_lands_on_the_portal(
        browser, live_server, reference_data, personas, settings, tmp_path):
    settings.PORTAL_SMS_BACKEND = "workforce.portal.sms.FileBackend"
    settings.PORTAL_SMS_FILE = tmp_path / "outbox.txt"
    personas.worker_user.delete()  # 张三 of the steel company has no login yet
    context = phone_context(browser)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="职工注册").click()
    page.get_by_label("手机号码").fill("13800001234")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送").wait_for()
    assert_phone_page(page)
    code = last_code_in_file("13800001234")
    assert code is not None
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("身份证号码").fill("51040219800101123X")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("用户名").fill("zhangsan-phone")
    page.get_by_label("设置密码").fill("Bright-Kettle-Ridge-48")
    page.get_by_label("再次输入密码").fill("Bright-Kettle-Ridge-48")
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_url(live_server.url + "/portal/")
    page.get_by_role("heading", name="电子会员卡").wait_for()
    assert page.get_by_role("heading", name="张三，您好").is_visible()
    assert_phone_page(page)
    context.close()


def test_a_reviewer_on_a_phone_has_the_one_line_header_and_the_registrations(
        browser, live_server, reference_data, personas):
    context = phone_context(browser)
    sign_in_context(context, personas.union_officer, live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/portal/registrations/")
    page.get_by_role("heading", name="职工自助登记").wait_for()
    assert_phone_page(page)
    context.close()
