"""The roster import through the API: upload, poll the status, read the problems, commit, fetch the
report; who may do which, and that a refusal changes nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workforce.core.models import ChangeLogEntry
from workforce.imports import services
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.tests.test_services import ROWS, check, roster
from workforce.registry.models import Worker
from workforce.registry.tests.api_support import ANONYMOUS, client_as, registry_state

URL = "/api/imports/"
# ROWS[0] with a wrong check digit on the ID number.
BAD_ROW = [ROWS[0][0], "51040219850315123X", *ROWS[0][2:]]


def detail_url(roster_import: RosterImport, suffix: str = "") -> str:
    return f"{URL}{roster_import.pk}/{suffix}"


def state() -> dict:
    """The registry, the imports with their statuses and problems, and the files kept for them."""
    return {
        **registry_state(),
        "imports": list(RosterImport.objects.order_by("pk").values_list("pk", "status", "committed_by")),
        "problems": ImportProblem.objects.count(),
        "files": sorted(str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()),
    }


def assert_refused(response, expected: int, before: dict) -> None:
    assert response.status_code == expected, response.content
    assert state() == before


@pytest.fixture
def steel_import(personas) -> RosterImport:
    """The steel company's HR uploaded two new workers; the check found no problem."""
    return check(roster(ROWS), personas.steel_hr)


def upload(client, rows=ROWS, **fields):
    return client.post(URL, {"file": roster(rows), "mode": "upsert", **fields}, format="multipart")


# ---------------------------------------------------------------------------------------------- read


@pytest.mark.parametrize(("who", "status", "sees_it"), [
    (ANONYMOUS, 401, None),
    ("leader", 403, None),
    ("worker_user", 403, None),
    ("training_school", 403, None),
    ("union_officer", 403, None),
    ("steel_hr", 200, True),
    ("small_firm_hr", 200, False),
    ("dongqu_officer", 200, True),  # the steel company is in 东区
    ("miyi_officer", 200, False),
    ("city_admin", 200, True),
])
def test_list_shows_each_user_the_imports_of_their_scope(personas, steel_import, who, status, sees_it):
    response = client_as(personas, who).get(URL)

    assert response.status_code == status
    if sees_it is not None:
        body = response.json()
        assert [row["id"] for row in body["results"]] == ([steel_import.pk] if sees_it else [])
        assert (body["count"], body["count_is_exact"]) == (int(sees_it), True)


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401),
    ("leader", 403),
    ("worker_user", 403),
    ("training_school", 403),
    ("union_officer", 403),
    ("steel_hr", 200),
    ("small_firm_hr", 404),
    ("dongqu_officer", 200),
    ("miyi_officer", 404),
    ("city_admin", 200),
])
def test_detail_answers_within_scope_only(personas, steel_import, who, status):
    response = client_as(personas, who).get(detail_url(steel_import))

    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "未找到该记录（记录不存在，或不在您的数据范围内）。"}


def test_detail_shows_status_counts_progress_and_links(personas, steel_import):
    body = client_as(personas, "steel_hr").get(detail_url(steel_import)).json()

    base = f"http://testserver{URL}{steel_import.pk}/"
    assert body == {
        "id": steel_import.pk, "original_name": "roster.csv", "size": steel_import.size,
        "employer": personas.steel.pk, "employer_name": "攀钢集团有限公司", "uploaded_by_name": "steel-hr",
        "mode": "upsert", "roster_date": steel_import.roster_date.isoformat(), "status": "preview", "message": "",
        "counts": {"rows": 2, "create": 2, "update": 0, "unchanged": 0, "errors": 0, "error_cells": 0,
                   "warnings": 0, "flagged": 0, "notices": 1, "end": 0},  # no 政治面貌 column (issue 15)
        "can_commit": True, "can_commit_valid_rows": False, "created_at": body["created_at"],
        "checked_at": body["checked_at"], "committed_at": None, "file_purged_at": None,
        "links": {"self": base, "problems": f"{base}problems/", "commit": f"{base}commit/",
                  "report": f"{base}report/", "leavers": f"{base}leavers/",
                  "page": f"http://testserver/imports/{steel_import.pk}/"},
        "progress": {"rows": 2, "phase": "checking"}, "spells_to_end_count": 0,
    }


def test_an_import_not_yet_checked_has_no_counts_and_no_report(personas):
    roster_import = services.create_roster_import(roster(ROWS), user=personas.steel_hr)
    client = client_as(personas, "steel_hr")

    body = client.get(detail_url(roster_import)).json()
    report = client.get(detail_url(roster_import, "report/"))

    assert (body["status"], body["counts"], body["progress"], body["can_commit"]) == (
        "uploaded", {}, {"rows": 0, "phase": ""}, False)
    assert report.status_code == 409
    assert report.json() == {"detail": "该导入尚未检查完成或文件被拒绝，暂无问题报告。", "code": "no_report"}


def test_list_takes_the_same_number_of_queries_for_one_import_or_many(personas, steel_import):
    client = client_as(personas, "city_admin")
    client.get(URL)  # the user's permissions are cached from here on
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    check(roster(ROWS), personas.small_firm_hr)
    check(roster(ROWS), personas.miyi_officer)

    with CaptureQueriesContext(connection) as three:
        response = client.get(URL)

    assert len(response.json()["results"]) == 3
    assert len(three) == len(one) == 2  # the page of imports with employer and uploader, and the count


# ---------------------------------------------------------------------------------------------- problems


def test_problems_list_each_bad_cell_and_filter_by_severity(personas):
    formula = list(ROWS[1])
    formula[2] = '=HYPERLINK("x")'
    roster_import = check(roster([BAD_ROW, formula]), personas.steel_hr)
    client = client_as(personas, "steel_hr")

    everything = client.get(detail_url(roster_import, "problems/")).json()
    warnings = client.get(detail_url(roster_import, "problems/"), {"severity": "warning"}).json()

    assert [(p["row"], p["column"], p["severity"]) for p in everything["results"]] == [
        (2, "公民身份号码", "error"), (3, "手机号码", "warning"), (3, "手机号码", "error")]
    assert everything["results"][0]["value"] == "510402********123X"  # masked as the registry masks it
    assert everything["results"][0]["message"].startswith("身份证号码校验码错误")
    assert [(p["row"], p["value"], p["message"]) for p in warnings["results"]] == [
        (3, '=HYPERLINK("x")', "单元格包含公式，已按公式文本读取，未计算")]
    assert (warnings["count"], warnings["next"]) == (1, None)


def test_problems_of_an_import_out_of_scope_are_not_found(personas, steel_import):
    ImportProblem.objects.create(roster_import=steel_import, row=2, message="示例")

    response = client_as(personas, "small_firm_hr").get(detail_url(steel_import, "problems/"))

    assert response.status_code == 404


def test_an_unknown_severity_answers_400_in_chinese(personas, steel_import):
    response = client_as(personas, "steel_hr").get(detail_url(steel_import, "problems/"), {"severity": "fatal"})

    assert response.status_code == 400
    assert response.json() == {"severity": ["“fatal” 不是有效的选项。"]}


# ---------------------------------------------------------------------------------------------- upload


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401),
    ("leader", 403),
    ("worker_user", 403),
    ("training_school", 403),
    ("union_officer", 403),  # reads the registry city-wide, but does not import
    ("steel_hr", 201),
    ("small_firm_hr", 201),
    ("dongqu_officer", 201),
    ("miyi_officer", 201),
    ("city_admin", 201),
])
def test_who_may_upload_a_roster(personas, who, status):
    before = state()

    response = upload(client_as(personas, who))

    if status != 201:
        assert_refused(response, status, before)
        return
    assert response.status_code == 201
    roster_import = RosterImport.objects.get()
    assert roster_import.uploaded_by == getattr(personas, who)
    # Staff name the employer of every row; a file without that column is refused once (issue 14).
    expected = "preview" if who.endswith("_hr") else "refused"
    assert (response.json()["id"], response.json()["status"]) == (roster_import.pk, expected)
    assert response["Location"] == f"http://testserver{URL}{roster_import.pk}/"
    assert not Worker.objects.filter(name="王五").exists()  # checked, not imported


def test_upload_answers_201_with_the_checked_import(personas):
    response = upload(client_as(personas, "steel_hr"), roster_date="2024-06-30")

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["mode"], body["roster_date"], body["employer"], body["can_commit"]) == (
        "preview", "upsert", "2024-06-30", personas.steel.pk, True)
    assert (body["counts"]["rows"], body["counts"]["create"], body["counts"]["errors"]) == (2, 2, 0)
    assert body["links"]["self"] == f"http://testserver{URL}{body['id']}/"


@pytest.mark.parametrize(("fields", "errors"), [
    ({"file": SimpleUploadedFile("roster.csv", b"")}, {"file": ["提交的是空文件。"]}),
    ({}, {"file": ["没有提交任何文件。"]}),
    ({"mode": "replace"}, {"mode": ["“replace” 不是有效的选项。"]}),
    ({"roster_date": "2024-13-01"}, {"roster_date": ["日期格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。"]}),
])
def test_a_bad_upload_answers_400_in_chinese_and_keeps_nothing(personas, fields, errors):
    before = state()
    data = {"file": roster(ROWS), "mode": "upsert", **fields}
    if not fields:
        del data["file"]

    response = client_as(personas, "steel_hr").post(URL, data, format="multipart")

    assert response.json() == errors
    assert_refused(response, 400, before)


def test_an_unreadable_file_is_refused_with_the_reason(personas):
    client = client_as(personas, "steel_hr")

    body = client.post(URL, {"file": SimpleUploadedFile("roster.pdf", b"%PDF-1.4 not a roster")},
                       format="multipart").json()

    assert body["status"] == "refused" and body["message"] != ""
    assert client.get(body["links"]["report"]).status_code == 409


# ---------------------------------------------------------------------------------------------- commit


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401),
    ("leader", 403),
    ("worker_user", 403),
    ("training_school", 403),
    ("union_officer", 403),
    ("steel_hr", 202),
    ("small_firm_hr", 404),
    ("dongqu_officer", 202),
    ("miyi_officer", 404),
    ("city_admin", 202),
])
def test_who_may_commit_an_import(personas, steel_import, who, status):
    before = state()

    response = client_as(personas, who).post(detail_url(steel_import, "commit/"), {}, format="json")

    if status != 202:
        assert_refused(response, status, before)
        return
    assert response.status_code == 202
    steel_import.refresh_from_db()
    assert (steel_import.status, steel_import.committed_by) == ("committed", getattr(personas, who))
    assert response.json()["status"] == "committed"
    assert Worker.objects.filter(name="王五", current_employer=personas.steel).exists()


def test_an_import_is_committed_only_once(personas, steel_import):
    client = client_as(personas, "steel_hr")
    client.post(detail_url(steel_import, "commit/"), {}, format="json")
    before = state()

    again = client.post(detail_url(steel_import, "commit/"), {}, format="json")

    assert again.json() == {"detail": "该导入正在进行或已经完成。",
                            "code": "commit_refused"}
    assert_refused(again, 409, before)


def test_full_roster_sync_is_committed_only_once_the_leavers_are_confirmed(personas):
    client = client_as(personas, "steel_hr")
    created = client.post(URL, {"file": roster(ROWS), "mode": "sync", "roster_date": "2024-06-30"},
                          format="multipart").json()
    assert (created["spells_to_end_count"], created["counts"]["end"]) == (1, 1)  # 张三 is not on the roster
    leavers = client.get(created["links"]["leavers"]).json()
    assert [(leaver["name"], leaver["id_number_masked"], leaver["end_date"]) for leaver in leavers["results"]] == [
        ("张三", "510402********123X", "2024-06-30")]
    commit_url = created["links"]["commit"]
    before = state()

    unconfirmed = client.post(commit_url, {"confirm_sync": False}, format="json")

    assert unconfirmed.json() == {
        "detail": "全员同步会为花名册中没有的在职职工办理离职，请先确认名单。", "code": "commit_refused"}
    assert_refused(unconfirmed, 409, before)

    confirmed = client.post(commit_url, {"confirm_sync": True}, format="json")

    assert (confirmed.status_code, confirmed.json()["status"]) == (202, "committed")
    assert confirmed.json()["counts"]["committed"]["ended"] == 1
    spell = personas.steel_worker.spells.get()
    assert spell.end_date.isoformat() == "2024-06-30"


def test_a_commit_body_that_is_not_a_boolean_answers_400(personas, steel_import):
    before = state()

    response = client_as(personas, "steel_hr").post(detail_url(steel_import, "commit/"), {"confirm_sync": "maybe"},
                                                    format="json")

    assert response.json() == {"confirm_sync": ["必须是有效的布尔值。"]}
    assert_refused(response, 400, before)


# ---------------------------------------------------------------------------------------------- end to end


def test_an_hr_imports_a_roster_through_the_api_fixing_a_bad_row_first(personas):
    client = client_as(personas, "steel_hr")

    first = upload(client, rows=[BAD_ROW, ROWS[1]]).json()
    problems = client.get(first["links"]["problems"], {"severity": "error"}).json()["results"]
    refused = client.post(first["links"]["commit"], {}, format="json")
    report = client.get(first["links"]["report"])

    assert (first["status"], first["counts"]["errors"], first["can_commit"], first["can_commit_valid_rows"]) == (
        "preview", 1, False, True)
    assert [(p["row"], p["column"]) for p in problems] == [(2, "公民身份号码")]
    assert problems[0]["message"].startswith("身份证号码校验码错误")
    assert (refused.status_code, refused.json()["detail"]) == (
        409, "部分行存在错误：可以只导入没有错误的行（有错误的行留在问题报告中，修改后重新上传），"
             "或修改后重新上传整个文件。")
    assert not Worker.objects.filter(name__in=["王五", "赵六"]).exists()
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert sheet.cell(row=1, column=sheet.max_column).value == "问题说明"
    assert "身份证号码校验码错误" in sheet.cell(row=2, column=sheet.max_column).value

    fixed = upload(client, rows=ROWS).json()
    committed = client.post(fixed["links"]["commit"], {}, format="json")
    polled = client.get(fixed["links"]["self"]).json()

    assert (fixed["status"], fixed["can_commit"], committed.status_code) == ("preview", True, 202)
    assert (polled["status"], polled["counts"]["committed"]) == (
        "committed", {"created": 2, "updated": 0, "unchanged": 0})
    assert polled["progress"] == {"rows": 2, "phase": "done"}
    workers = Worker.objects.filter(name__in=["王五", "赵六"], current_employer=personas.steel)
    assert workers.count() == 2
    assert set(ChangeLogEntry.objects.filter(content_type__model="worker", object_id__in=[
        str(pk) for pk in workers.values_list("pk", flat=True)]).values_list("action", "channel", "user")) == {
        ("create", "import", personas.steel_hr.pk)}


# ---------------------------------------------------------------------------------------------- guards


def test_api_views_read_imports_only_through_visible_to():
    """STYLE.md: scoping lives in one place; the API never reaches an import's rows another way."""
    source = (Path(__file__).resolve().parents[1] / "api" / "views.py").read_text(encoding="utf-8")

    assert re.findall(r"\.objects\.(?!visible_to\()\w+", source) == []


def test_schema_describes_the_import_api(db):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/").content.decode()

    for path in ("/api/imports/:", "/api/imports/{id}/:", "/api/imports/{id}/problems/:",
                 "/api/imports/{id}/commit/:", "/api/imports/{id}/report/:"):
        assert path in schema
