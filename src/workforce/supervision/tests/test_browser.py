"""End to end in headless Chromium: a department officer files a quarterly report with an attachment, the
lead department sends it back, it is resubmitted and accepted, and it appears in the annual report."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import Department
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD, sign_in_in_browser
from workforce.supervision.models import ProgressReport
from workforce.supervision.periods import period_containing
from workforce.supervision.services.plans import ensure_seed_plan
from workforce.supervision.services.reports import do_start_reporting, open_reports

pytestmark = pytest.mark.browser


@pytest.fixture
def quarter(reference_data):
    plan = ensure_seed_plan()
    today = timezone.localdate()
    devices = {}
    for username, role, code in [("admin", RoleCode.CITY_ADMIN, None), ("sasac", RoleCode.DEPARTMENT_OFFICER, "sasac"),
                                 ("union", RoleCode.DEPARTMENT_OFFICER, "city-union"),
                                 ("leader", RoleCode.LEADER, None)]:
        scope = {"department": Department.objects.get(code=code)} if code else {}
        user = create_user(username, PASSWORD, role_code=role, display_name=username, **scope)
        devices[username] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    do_start_reporting(plan, today, frequency="quarterly", acting_user=devices["admin"].user)
    open_reports(plan, today)
    report = ProgressReport.objects.get(measure__number=6, department__code="sasac")
    return report, devices, period_containing("quarterly", today).label




def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.context.clear_cookies()


def test_a_quarterly_report_is_sent_back_resubmitted_accepted_and_reported(page, quarter, tmp_path):
    report, devices, label = quarter
    evidence = tmp_path / "职代会会议纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% minutes of the workers' congress\n")

    # The 市国资委 officer finds the report the department owes and files it with evidence.
    sign_in_in_browser(page, devices["sasac"], "/supervision/departments/sasac/")
    row = page.locator("#reports tr", has_text="§6 健全民主监督机制")
    row.get_by_role("link", name=label).click()
    page.wait_for_url(re.compile(rf"/supervision/reports/{report.pk}/$"))
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    page.locator("#attachments").get_by_role("link", name="职代会会议纪要.pdf").wait_for()
    page.get_by_label("进展情况").fill("本季度推动12家国有企业召开职代会。")
    page.get_by_role("button", name="保存并报送").click()
    page.get_by_text("报告已报送，等待审核。").wait_for()
    assert page.locator("#report-status").inner_text() == "待审核"
    sign_out(page)

    # The lead department (市总工会) finds it in its inbox and sends it back with a comment.
    sign_in_in_browser(page, devices["union"], "/supervision/inbox/")
    page.locator("#to-review").get_by_role("link").first.click()
    page.get_by_label("退回修改").check()
    page.get_by_label("审核说明").fill("请补充厂务公开情况。")
    page.get_by_role("button", name="提交审核意见").click()
    page.get_by_text("报告已退回修改。").wait_for()
    sign_out(page)

    # The officer sees it returned, revises and resubmits.
    sign_in_in_browser(page, devices["sasac"], "/supervision/inbox/")
    page.locator("#returned").get_by_role("link").first.click()
    page.locator("#versions").get_by_text("请补充厂务公开情况。").wait_for()
    page.get_by_label("进展情况").fill("本季度推动12家国有企业召开职代会，全部实行厂务公开。")
    page.get_by_role("button", name="保存并报送").click()
    page.get_by_text("报告已报送，等待审核。").wait_for()
    sign_out(page)

    # The lead department accepts it.
    sign_in_in_browser(page, devices["union"], f"/supervision/reports/{report.pk}/")
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核意见").click()
    page.get_by_text("报告已通过。").wait_for()
    versions = page.locator("#versions")
    assert versions.get_by_text("第 1 版").count() == 1 and versions.get_by_text("第 2 版").count() == 1
    sign_out(page)

    # A city leader downloads the annual report: the accepted text is in it.
    sign_in_in_browser(page, devices["leader"], "/supervision/")
    with page.expect_download() as download:
        page.locator("#annual-report").get_by_role("button", name="下载 Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    texts = dict(book["报告内容"].iter_rows(min_row=5, values_only=True))  # under the title and office
    assert "全部实行厂务公开" in texts[f"§6 健全民主监督机制 · 市国资委 · {label}"]


def test_the_measure_page_draws_the_timeline_of_its_tasks(page, quarter):
    from workforce.supervision.models import Measure
    from workforce.supervision.services.roadmap import DeadlineInput, do_add_milestone, do_create_task

    _report, devices, _label = quarter
    six = Measure.objects.get(number=6)
    today = timezone.localdate()
    task = do_create_task(six, Department.objects.get(code="sasac"), {
        "title": "国企职代会全覆盖", "start_date": today.replace(day=1), "due_date": today.replace(month=12, day=31)},
        acting_user=devices["admin"].user)
    do_add_milestone(task, "出台方案", DeadlineInput(due_date=today), acting_user=devices["admin"].user)
    sign_in_in_browser(page, devices["sasac"], f"/supervision/measures/{six.pk}/")
    page.locator('[data-gantt][data-drawn="true"] canvas').first.wait_for()
    assert page.locator("#lead-departments").inner_text() == "市总工会"
