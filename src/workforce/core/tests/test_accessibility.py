"""Every page of every demo login in headless Chromium, at a desktop's width and at a phone's 390 px
(issue 15, point 10 and Accessibility).

axe-core (from npm, served from static/vendor) checks each page against WCAG 2.0-2.2 A and AA; on the
phone, the page must not scroll sideways, the navigation must be folded behind the menu button, a table
wider than the screen must scroll inside its own focusable, labelled region and no column may be
squeezed to a character or two a line. The pages are found as a user finds them: by following each
login's links from its home page, one page per URL pattern and role. One live server, one data set made
by the demo commands, and one browser context per login and screen size keep it fast.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.models import User
from workforce.accounts.services import issue_enrolment_code
from workforce.conftest import sign_in_context
from workforce.core.choices import Channel
from workforce.demo.accounts import DEMO_LOGINS
from workforce.demo.parts import DEMO_PASSWORD
from workforce.demo.supervision import DEMO_OFFICERS
from workforce.supervision.services.plans import ensure_seed_plan

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
MAX_PAGES_PER_LOGIN = 80  # a guard against a crawl that runs away; the busiest login has about 40 patterns
# Links that download a file or answer JSON rather than show a page (routes with a "." or <fmt> are
# exports and are left out as well).
NOT_PAGES = {"imports:original_file", "supervision:attachment_download", "schema", "favicon", "healthz"}
# Pages that show everyone the same thing (but the navigation): checked for the first login only.
SAME_FOR_EVERYONE = {"docs", "reference:list", "reference:edit", "accounts:tokens"}

# Rows past the 25th of a table come from the same template as the ones before: left out, for speed.
AXE_RUN = """async (tags) => {
  const context = {exclude: [["tbody > tr:nth-child(n+26)"]]};
  const result = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ") + (v.nodes.length > 3 ? ", …" : ""));
}"""

PHONE_LAYOUT = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways (${root.scrollWidth} px wide on a ${root.clientWidth} px screen)`);
  }
  const toggle = document.querySelector("[data-menu-toggle]");
  const menu = document.getElementById("site-menu");
  if (menu && !(toggle && toggle.checkVisibility())) problems.push("no menu button");
  if (menu && menu.checkVisibility()) problems.push("the navigation is not folded behind the menu button");
  const name = (element) => element.id ? `#${element.id}` :
    (element.closest("[id]") ? `table in #${element.closest("[id]").id}` : element.tagName.toLowerCase());
  for (const table of document.querySelectorAll("main table")) {
    let scroller = table.parentElement;
    while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) {
      scroller = scroller.parentElement;
    }
    const room = scroller ? scroller.clientWidth : root.clientWidth;
    if (table.offsetWidth > room + 1 && !(scroller && scroller.tabIndex === 0 &&
        scroller.getAttribute("role") === "region" && scroller.getAttribute("aria-label"))) {
      problems.push(`${name(table)} is wider than the screen outside a focusable, labelled scroll region`);
    }
    // Chinese text breaks after any character: a column left too narrow shows one or two a line.
    for (const cell of [...table.querySelectorAll("th, td")].slice(0, 200)) {
      const text = cell.innerText.trim();
      const style = getComputedStyle(cell);
      if (text.length < 4 || style.writingMode.startsWith("vertical") || !cell.checkVisibility()) continue;
      const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (width < 3 * parseFloat(style.fontSize)) {
        problems.push(`${name(table)}: "${text.slice(0, 12)}" is squeezed into ${Math.round(width)} px`);
        break;
      }
    }
  }
  return problems;
}"""


def axe_source() -> str:
    path = finders.find("vendor/axe.min.js")
    if not path:
        pytest.fail("static/vendor/axe.min.js is missing: run `make assets` (it copies axe-core from npm).")
    return path


def page_key(path: str, role: str) -> tuple[str, str] | None:
    """What a page is checked once for: its role and URL pattern (any role for pages the same for
    everyone); None for a download, an API answer or a path outside the site."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in NOT_PAGES or "fmt" in match.kwargs or "." in match.route:
        return None
    if path.startswith("/api/") and match.view_name != "docs":
        return None
    return ("*" if match.view_name in SAME_FOR_EVERYONE else role, match.route)


def site_links(page, host: str) -> Iterator[str]:
    """The paths (with their query) of the page's links to other pages of the site."""
    for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
        parts = urlsplit(href)
        if parts.netloc == host and parts.scheme in ("http", "https"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def check(page, *, phone: bool) -> list[str]:
    problems = page.evaluate(AXE_RUN, WCAG_TAGS)
    if phone:
        problems += page.evaluate(PHONE_LAYOUT)
    duplicates = page.evaluate("""() => { const seen = new Set(), twice = new Set();
      document.querySelectorAll("[id]").forEach(e => seen.has(e.id) ? twice.add(e.id) : seen.add(e.id));
      return [...twice]; }""")
    problems += [f"the id {name!r} is used twice" for name in duplicates]
    return problems


def visit(page, base_url: str, path: str) -> list[str]:
    response = page.goto(base_url + path)
    if response is None or response.status >= 400:
        return [f"answered {response.status if response else 'nothing'}"]
    return []


def crawl(page, base_url: str, role: str, checked: set, report) -> list[str]:
    """Visit the pages reachable from the home page, checking each not checked yet (``page_key``);
    returns their paths."""
    host = urlsplit(base_url).netloc
    queue, queued = ["/"], {"/"}
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_LOGIN:
        path = queue.pop(0)
        key = page_key(urlsplit(path).path, role)
        if key is None or key in checked:
            continue
        checked.add(key)
        visited.append(path)
        report(path, visit(page, base_url, path) or check(page, phone=False))
        for link in site_links(page, host):
            if link not in queued and page_key(urlsplit(link).path, role) is not None:
                queued.add(link)
                queue.append(link)
    return visited


@pytest.fixture
def demo_site(reference_data, settings):
    """The data of `make demo` on a small scale: demo employers and workers, one login per role, the
    supervision demo, and a roster import with problems (its page lists them)."""
    from workforce.imports.tests.test_services import check as check_roster
    from workforce.imports.tests.test_services import roster

    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    ensure_seed_plan()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("demo_data", workers=150, seed=2018, **quiet)
    call_command("demo_users", **quiet)
    call_command("supervision_demo", **quiet)
    from django.utils import timezone

    from workforce.demo.skills import ensure_skills_demo

    ensure_skills_demo(timezone.localdate())  # bodies, sessions in every state, candidates, certificates
    hr = User.objects.get(username="pangang-hr")
    check_roster(roster([["王五", "51040219850315123X", "12345", "火星户口", "不存在的工种", "2021-13-01",
                          "", "", "", "", ""]]), hr)
    return [login.username for login in DEMO_LOGINS] + [username for username, _name, _code in DEMO_OFFICERS]


def test_every_page_of_every_demo_login_passes_axe_and_fits_a_phone(browser, live_server, demo_site):
    base_url = live_server.url
    axe = axe_source()
    problems: list[str] = []
    counts: dict[str, int] = {}

    def new_page(size: str, user: User | None = None):
        context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
        context.set_default_timeout(45_000)
        context.add_init_script(path=axe)
        if user is not None:
            sign_in_context(context, user, base_url)
        return context, context.new_page()

    def reporter(who: str, size: str):
        def report(path: str, found: list[str]) -> None:
            counts[size] = counts.get(size, 0) + 1
            problems.extend(f"{who} · {size} · {path}: {problem}" for problem in found)
        return report

    # The pages of signing in: the form, the two-factor step (a staff login with a device) and the two
    # steps of enrolling a device (one without: its enrolment code, then the QR code).
    admin, officer = User.objects.get(username="admin"), User.objects.get(username=DEMO_OFFICERS[0][0])
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)

    def password_step(page, user: User) -> None:
        page.goto(base_url + "/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()

    for size in SIZES:
        phone = size == "phone"
        context, page = new_page(size)
        report = reporter("anonymous", size)
        report("/accounts/login/", visit(page, base_url, "/accounts/login/") or check(page, phone=phone))
        password_step(page, admin)
        page.get_by_label("动态口令").wait_for()
        report("/accounts/two-factor/", check(page, phone=phone))
        context.clear_cookies()
        _enrolment, code = issue_enrolment_code(officer, acting_user=None, channel=Channel.SYSTEM)
        password_step(page, officer)
        page.get_by_label("绑定码").fill(code)
        report("/accounts/two-factor/enrol/", check(page, phone=phone))
        page.get_by_role("button", name="下一步").click()
        page.locator(".qr-code svg").wait_for()
        report("/accounts/two-factor/enrol/ (QR code)", check(page, phone=phone))
        context.close()
    device.delete()

    # Each login's pages, found at desktop width and checked again on the phone.
    checked: set = set()
    for username in demo_site:
        user = User.objects.select_related("role").get(username=username)
        role = user.role.code
        context, page = new_page("desktop", user)
        paths = crawl(page, base_url, role, checked, reporter(username, "desktop"))
        context.close()
        context, page = new_page("phone", user)
        report = reporter(username, "phone")
        for path in paths:
            report(path, visit(page, base_url, path) or check(page, phone=True))
        context.close()

    print(f"pages checked: {counts}")  # shown with -s: what the crawl covered
    assert counts["desktop"] >= 90 and counts["phone"] == counts["desktop"]
    assert problems == [], "\n".join(problems)


@pytest.fixture
def admin_user(reference_data, personas):
    """The city administrator of the personas, in a live-server (transactional) test."""
    return personas.city_admin


def open_as(browser, live_server, user, size: str, *, javascript: bool = True):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], java_script_enabled=javascript)
    context.set_default_timeout(45_000)
    sign_in_context(context, user, live_server.url)
    page = context.new_page()
    page.base_url = live_server.url
    return context, page


def test_the_phone_menu_is_a_button_that_opens_closes_and_answers_the_keyboard(browser, live_server,
                                                                               admin_user):
    context, page = open_as(browser, live_server, admin_user, "phone")
    page.goto(page.base_url + "/")
    toggle = page.get_by_role("button", name="菜单")
    nav = page.get_by_role("navigation", name="主导航")
    assert toggle.get_attribute("aria-expanded") == "false" and toggle.get_attribute("aria-controls") == "site-menu"
    assert not nav.is_visible()

    # Keyboard only: the skip link, the brand, then the menu button; Enter opens it.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="职工").is_visible()
    assert page.get_by_role("button", name="退出").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('site-menu').contains(document.activeElement)")

    # Escape closes it and gives the focus back to the button; a click opens it, and the next page starts closed.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    toggle.click()
    nav.get_by_role("link", name="职工").click()
    page.wait_for_url(page.base_url + "/registry/workers/")
    assert not page.get_by_role("navigation", name="主导航").is_visible()
    context.close()

    # At desktop width there is no menu button: the navigation is always shown.
    context, page = open_as(browser, live_server, admin_user, "desktop")
    page.goto(page.base_url + "/")
    assert not page.get_by_role("button", name="菜单").is_visible()
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="职工").is_visible()
    context.close()


def test_without_javascript_the_phone_shows_the_navigation_and_no_dead_button(browser, live_server,
                                                                             admin_user):
    context, page = open_as(browser, live_server, admin_user, "phone", javascript=False)
    page.goto(page.base_url + "/")
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="职工").is_visible()
    assert not page.locator("[data-menu-toggle]").is_visible()
    context.close()


def test_form_fields_get_the_same_focus_ring_as_links(browser, live_server, admin_user):
    context, page = open_as(browser, live_server, admin_user, "desktop")
    page.goto(page.base_url + "/registry/workers/")
    ring = """() => { const s = getComputedStyle(document.activeElement);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow]; }"""
    page.keyboard.press("Tab")  # the skip link
    link = page.evaluate(ring)
    page.locator("main input[type=search], main input[type=text]").first.focus()
    field = page.evaluate(ring)
    page.locator("main select").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a select reached by keyboard
    select = page.evaluate(ring)
    assert link[0] == "solid" and link[1] == "3px"
    assert field == link and select == link
    context.close()
