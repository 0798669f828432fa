"""The roster import pages: template, upload, preview with problems, commit, report, scope."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.core.models import AccessLogEntry
from workforce.imports import reports
from workforce.imports.models import RosterImport
from workforce.imports.tests.test_services import ROWS, roster
from workforce.registry.models import Worker


def test_anyone_signed_in_downloads_the_template_with_its_instructions(personas, sign_in):
    response = sign_in(personas.steel_hr).get("/imports/template.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert response.status_code == 200
    assert workbook.sheetnames[:2] == ["花名册", "填写说明"]
    assert workbook["花名册"]["B1"].value == "公民身份号码"


def test_hr_uploads_previews_and_commits(personas, sign_in):
    client = sign_in(personas.steel_hr)

    response = client.post("/imports/upload/", {"file": roster(ROWS), "mode": "upsert"})
    roster_import = RosterImport.objects.get()
    page = client.get(f"/imports/{roster_import.pk}/").content.decode()

    assert response.status_code == 302
    assert "检查完成，待确认导入" in page and "确认导入" in page
    assert not Worker.objects.filter(name="王五").exists()

    client.post(f"/imports/{roster_import.pk}/commit/")

    roster_import.refresh_from_db()
    assert roster_import.status == "committed"
    assert Worker.objects.filter(name="王五", current_employer=personas.steel).exists()
    assert "已导入：新增 2 人" in client.get(f"/imports/{roster_import.pk}/").content.decode()


def test_an_upload_with_errors_shows_them_and_offers_the_marked_copy(personas, sign_in):
    client = sign_in(personas.steel_hr)
    bad = [[*ROWS[0][:1], "51040219850315123X", *ROWS[0][2:]]]
    client.post("/imports/upload/", {"file": roster(bad), "mode": "upsert"})
    roster_import = RosterImport.objects.get()
    assert reports.report_path(roster_import).exists()  # the check job built it

    page = client.get(f"/imports/{roster_import.pk}/").content.decode()
    report = client.get(f"/imports/{roster_import.pk}/report.xlsx")
    refused = client.post(f"/imports/{roster_import.pk}/commit/")

    assert "身份证号码校验码错误" in page and "检查完成，存在错误，不能导入" in page
    assert "检查完成，存在错误，不能导入" in client.get("/imports/").content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert sheet.cell(row=1, column=sheet.max_column).value == "问题说明"
    assert "身份证号码校验码错误" in sheet.cell(row=2, column=sheet.max_column).value
    assert refused.status_code == 302
    assert not Worker.objects.filter(name="王五").exists()


def test_an_empty_file_is_refused_at_upload(personas, sign_in):
    response = sign_in(personas.steel_hr).post(
        "/imports/upload/", {"file": SimpleUploadedFile("roster.csv", b""), "mode": "upsert"})

    assert "提交的是空文件。" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_imports_are_visible_only_within_scope(personas, sign_in):
    sign_in(personas.steel_hr).post("/imports/upload/", {"file": roster(ROWS), "mode": "upsert"})
    roster_import = RosterImport.objects.get()

    assert sign_in(personas.small_firm_hr).get(f"/imports/{roster_import.pk}/").status_code == 404
    assert sign_in(personas.miyi_officer).get(f"/imports/{roster_import.pk}/").status_code == 404
    assert sign_in(personas.dongqu_officer).get(f"/imports/{roster_import.pk}/").status_code == 200
    assert sign_in(personas.city_admin).get(f"/imports/{roster_import.pk}/file").status_code == 200
    assert sign_in(personas.leader).get("/imports/upload/").status_code == 403


def test_a_full_roster_sync_lists_its_leavers_exports_them_and_reports_them_ended(personas, sign_in):
    client = sign_in(personas.steel_hr)
    client.post("/imports/upload/", {"file": roster(ROWS), "mode": "sync", "roster_date": "2024-06-30"})
    roster_import = RosterImport.objects.get()

    preview = client.get(f"/imports/{roster_import.pk}/").content.decode()
    exported = client.get(f"/imports/{roster_import.pk}/leavers.csv")
    lines = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    client.post(f"/imports/{roster_import.pk}/commit/", {"confirm_sync": "on"})
    done = client.get(f"/imports/{roster_import.pk}/").content.decode()

    assert "以下 1 名在职职工不在本次花名册中" in preview and "张三（510402********123X）" in preview
    assert f"/imports/{roster_import.pk}/leavers.xlsx" in preview
    assert lines == ["姓名,公民身份号码,入职日期,职业,离职日期", "张三,510402********123X,2019-03-01,,2024-06-30"]
    assert "办理离职 1 人" in done and "已办理离职" in done
    assert AccessLogEntry.objects.filter(target=f"import:{roster_import.pk}/leavers.csv").exists()


def test_a_sync_that_ends_nobody_needs_no_confirmation(personas, sign_in):
    client = sign_in(personas.steel_hr)
    everyone = [["张三", "51040219800101123X", "", "城镇户口", "", "2019-03-01", "", "", "", "", ""]]
    client.post("/imports/upload/", {"file": roster(everyone), "mode": "sync"})
    roster_import = RosterImport.objects.get()

    preview = client.get(f"/imports/{roster_import.pk}/").content.decode()
    client.post(f"/imports/{roster_import.pk}/commit/")

    assert "无人需要办理离职" in preview and "confirm_sync" not in preview
    assert "下载问题报告" not in preview  # no problem, nothing to mark up
    roster_import.refresh_from_db()
    assert roster_import.status == "committed" and roster_import.counts["committed"]["ended"] == 0


def test_the_leavers_of_an_import_out_of_scope_are_not_found(personas, sign_in):
    sign_in(personas.steel_hr).post("/imports/upload/", {"file": roster(ROWS), "mode": "sync"})
    roster_import = RosterImport.objects.get()

    assert sign_in(personas.small_firm_hr).get(f"/imports/{roster_import.pk}/leavers.csv").status_code == 404
