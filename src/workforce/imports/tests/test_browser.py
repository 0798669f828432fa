"""End to end in headless Chromium: an employer's HR downloads the template, uploads a roster with a
mistake, reads the report, uploads the corrected file, commits it and finds the workers; and confirms
the leavers of a full-roster sync."""


import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.choices import RoleCode
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD, hire, make_employer, sign_in_in_browser
from workforce.imports.tests.test_services import HEADER, ROWS
from workforce.registry.choices import Ownership
from workforce.registry.models import Worker

pytestmark = pytest.mark.browser


def write_roster(path, rows):
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def steel_hr(reference_data):
    steel = make_employer("攀钢集团有限公司", "915104002043502888", "510402", "31", Ownership.STATE_OWNED)
    hr = create_user("steel-hr", PASSWORD, role_code=RoleCode.ENTERPRISE_HR, employer=steel)
    return hr, TOTPDevice.objects.create(user=hr, name="phone", confirmed=True)


def test_hr_fixes_a_roster_from_the_report_and_imports_it(page, steel_hr, tmp_path):
    _hr, device = steel_hr
    sign_in_in_browser(page, device, "/imports/")

    with page.expect_download() as template:
        page.get_by_role("link", name="下载花名册模板").click()
    assert template.value.suggested_filename.endswith(".xlsx")

    # A roster whose first ID number has a wrong check digit.
    broken = [[ROWS[0][0], ROWS[0][1][:-1] + ("0" if ROWS[0][1][-1] != "0" else "1"), *ROWS[0][2:]], ROWS[1]]
    page.get_by_role("link", name="上传花名册").click()
    page.get_by_label("花名册文件").set_input_files(str(write_roster(tmp_path / "花名册.csv", broken)))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_text("身份证号码校验码错误").first.wait_for()
    assert page.get_by_role("button", name="确认导入").count() == 0
    with page.expect_download() as report:
        page.get_by_role("link", name="下载问题报告").click()
    assert report.value.suggested_filename.endswith("问题报告.xlsx")
    assert not Worker.objects.filter(name="王五").exists()

    # The corrected file passes the check and is committed.
    page.goto(page.base_url + "/imports/upload/")
    page.get_by_label("花名册文件").set_input_files(str(write_roster(tmp_path / "花名册-改.csv", ROWS)))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入：新增 2 人").wait_for()

    page.get_by_role("link", name="查看职工").click()
    page.locator("#results").get_by_text("王五").wait_for()
    assert page.locator("#results").get_by_text("赵六").count() == 1


def test_hr_confirms_the_leavers_of_a_full_roster_sync(page, steel_hr, tmp_path):
    hr, device = steel_hr
    leaver = hire(hr.employer, "51040219800101123X", "张三")
    sign_in_in_browser(page, device, "/imports/upload/")

    page.get_by_label("花名册文件").set_input_files(str(write_roster(tmp_path / "花名册.csv", ROWS)))
    page.get_by_label("全员同步").check()
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_text("以下 1 名在职职工不在本次花名册中").wait_for()
    assert page.locator(".leavers").get_by_text("张三").count() == 1
    with page.expect_download() as leavers:
        page.get_by_role("link", name="导出离职名单 Excel").click()
    assert leavers.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("button", name="确认导入").click()  # not confirmed: refused with a message
    page.get_by_text("请先确认名单").wait_for()
    assert leaver.spells.get().end_date is None
    page.get_by_label("我已核对离职名单").check()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("办理离职 1 人").wait_for()
    assert leaver.spells.get().end_date is not None


def test_hr_imports_the_good_rows_of_an_everyday_roster_then_the_fixed_rest(page, steel_hr, tmp_path):
    """Issue 14: a plain HR roster with one bad row; the good rows go in first, the rest after the fix."""
    import io

    import openpyxl

    from workforce.imports.tests.test_everyday_rosters import GOOD, HR_HEADER, person

    def write(path, rows):
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            import csv

            writer = csv.writer(handle)
            writer.writerow(HR_HEADER)
            writer.writerows(rows)
        return path

    _hr, device = steel_hr
    sign_in_in_browser(page, device, "/imports/upload/")
    typo = person("刘3强", "51040219870707123")  # a digit typed into the name
    page.get_by_label("花名册文件").set_input_files(str(write(tmp_path / "花名册.csv", [*GOOD, typo])))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="只导入没有错误的行").click()
    page.get_by_text("已导入：新增 3 人").wait_for()
    with page.expect_download() as report:
        page.get_by_role("link", name="下载问题报告").click()
    sheet = openpyxl.load_workbook(io.BytesIO(report.value.path().read_bytes())).active
    messages = [sheet.cell(row=row, column=sheet.max_column).value or "" for row in range(2, sheet.max_row + 1)]
    assert any("姓名只能由汉字组成" in message for message in messages)
    assert not Worker.objects.filter(name__startswith="刘").exists()

    fixed = person("刘三强", "51040219870707123")
    page.goto(page.base_url + "/imports/upload/")
    page.get_by_label("花名册文件").set_input_files(str(write(tmp_path / "花名册-改.csv", [*GOOD, fixed])))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入：新增 1 人").wait_for()

    page.get_by_role("link", name="查看职工").click()
    for name in ("王小明", "阿依古丽·买买提", "李䶮", "刘三强"):
        page.locator("#results").get_by_text(name).first.wait_for()


def test_the_problem_list_follows_a_failed_check_without_a_reload(page, steel_hr, tmp_path, settings):
    """Issue 15 point 1: the page of an import being checked polls; when the check fails, the problem
    list, its count and the report link appear with the status, in the same page (no reload)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workforce.imports import services

    settings.IMPORT_POLL_SECONDS = 1
    hr, device = steel_hr
    broken = [[ROWS[0][0], ROWS[0][1][:-1] + ("0" if ROWS[0][1][-1] != "0" else "1"), *ROWS[0][2:]]]
    path = write_roster(tmp_path / "花名册.csv", broken)
    upload = SimpleUploadedFile("花名册.csv", path.read_bytes(), content_type="text/csv")
    roster_import = services.create_roster_import(upload, user=hr)  # queued: not checked yet
    sign_in_in_browser(page, device, f"/imports/{roster_import.pk}/")
    page.get_by_text("正在检查，发现的问题将在检查完成后列出。").wait_for()
    page.evaluate("window.notReloaded = true")

    services.check_roster_import(roster_import)  # the background job, while the page is open

    problems = page.locator("#import-state table")
    problems.get_by_text("身份证号码校验码错误").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_text("检查完成，存在错误，不能导入").count() == 1
    assert page.get_by_text("没有发现问题").count() == 0
    assert page.get_by_role("link", name="下载问题报告").count() == 1
    assert page.get_by_role("button", name="确认导入").count() == 0
