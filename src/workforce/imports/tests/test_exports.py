"""Exports of the import list and of an import's problems: the user's scope, cells that stay text,
and a row in the access log for every export."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry
from workforce.imports.models import RosterImport
from workforce.imports.tests.test_services import ROWS, check, roster

LIST_HEADER = ["上传时间", "文件名", "用人单位", "上传人", "导入方式", "状态", "数据行", "新增职工", "更新", "无变化",
               "有错误的行"]
PROBLEM_HEADER = ["行", "列", "值", "问题", "级别"]
FORMULA_WARNING = "单元格包含公式，已按公式文本读取，未计算"
PHONE_ERROR = "手机号码格式不正确：应为11位手机号码，或带区号的固定电话（如0812-3334455）"
NO_POLITICAL_COLUMN = ("本文件没有“政治面貌”列：新登记的 1 名职工的政治面貌按“未填报”登记，"
                       "不计为群众，也不计入党员比例。")


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def exports_logged() -> list[tuple]:
    return list(AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).values_list("user", "target", "detail"))


@pytest.fixture
def steel_import(personas) -> RosterImport:
    """The steel company's roster: 赵六's phone cell holds a formula, so it is both warned and wrong."""
    formula = list(ROWS[1])
    formula[2] = '=HYPERLINK("x")'
    return check(roster([ROWS[0], formula], name="攀钢花名册.csv"), personas.steel_hr)


@pytest.fixture
def small_firm_import(personas) -> RosterImport:
    return check(roster(ROWS, name="小微花名册.csv"), personas.small_firm_hr)


# ---------------------------------------------------------------------------------------------- import list


@pytest.mark.parametrize(("who", "files"), [
    ("steel_hr", ["攀钢花名册.csv"]),
    ("small_firm_hr", ["小微花名册.csv"]),
    ("dongqu_officer", ["攀钢花名册.csv"]),  # the small firm is in 仁和区
    ("miyi_officer", []),
    ("city_admin", ["小微花名册.csv", "攀钢花名册.csv"]),  # newest first
])
def test_import_list_export_holds_the_imports_of_the_users_scope(personas, sign_in, steel_import,
                                                                 small_firm_import, who, files):
    user = getattr(personas, who)

    response = sign_in(user).get("/imports/export.csv")

    rows = read_csv(response)
    assert rows[0] == LIST_HEADER
    assert [row[1] for row in rows[1:]] == files
    assert exports_logged() == [(user.pk, "imports.csv", "")]


def test_import_list_export_has_one_row_per_upload_with_its_counts(personas, sign_in, steel_import):
    response = sign_in(personas.steel_hr).get("/imports/export.csv")

    uploaded_at = timezone.localtime(steel_import.created_at).strftime("%Y-%m-%d %H:%M")
    assert read_csv(response)[1:] == [
        [uploaded_at, "攀钢花名册.csv", "攀钢集团有限公司", "steel-hr", "新增/更新",
         "检查完成，部分行有错误，可只导入没有错误的行", "2", "1", "0", "0", "1"]]


def test_import_list_exports_to_xlsx(personas, sign_in, steel_import):
    response = sign_in(personas.city_admin).get("/imports/export.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == LIST_HEADER
    assert [cell.value for cell in sheet[2]][1:] == ["攀钢花名册.csv", "攀钢集团有限公司", "steel-hr", "新增/更新",
                                                     "检查完成，部分行有错误，可只导入没有错误的行", 2, 1, 0, 0, 1]
    assert exports_logged() == [(personas.city_admin.pk, "imports.xlsx", "")]


@pytest.mark.parametrize("who", ["leader", "worker_user", "training_school", "union_officer"])
def test_users_who_cannot_see_imports_cannot_export_them(personas, sign_in, steel_import, who):
    response = sign_in(getattr(personas, who)).get("/imports/export.csv")

    assert response.status_code == 403
    assert exports_logged() == []


def test_an_export_in_another_format_is_not_found(personas, sign_in, steel_import):
    client = sign_in(personas.city_admin)

    assert client.get("/imports/export.pdf").status_code == 404
    assert client.get(f"/imports/{steel_import.pk}/problems.pdf").status_code == 404
    assert exports_logged() == []


# ---------------------------------------------------------------------------------------------- problems


def test_problem_export_lists_every_problem_with_formulas_kept_as_text(personas, sign_in, steel_import):
    response = sign_in(personas.steel_hr).get(f"/imports/{steel_import.pk}/problems.csv")

    rows = read_csv(response)
    assert rows[0] == PROBLEM_HEADER
    assert rows[1:] == [
        ["1", "政治面貌", "", NO_POLITICAL_COLUMN, "说明"],  # issue 15: its new worker is not stated
        ["3", "手机号码", "'=HYPERLINK(\"x\")", FORMULA_WARNING, "提示"],
        ["3", "手机号码", "'=HYPERLINK(\"x\")", PHONE_ERROR, "错误"],
    ]
    assert exports_logged() == [(personas.steel_hr.pk, f"import:{steel_import.pk}/problems.csv", "")]


def test_problem_export_keeps_the_severity_filter_and_writes_xlsx(personas, sign_in, steel_import):
    response = sign_in(personas.dongqu_officer).get(f"/imports/{steel_import.pk}/problems.xlsx?severity=error")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        PROBLEM_HEADER,
        [3, "手机号码", "'=HYPERLINK(\"x\")", PHONE_ERROR, "错误"],
    ]
    assert exports_logged() == [(personas.dongqu_officer.pk, f"import:{steel_import.pk}/problems.xlsx",
                                 "severity=error")]


@pytest.mark.parametrize("who", ["small_firm_hr", "miyi_officer"])
def test_problems_of_another_employers_import_are_not_found(personas, sign_in, steel_import, who):
    response = sign_in(getattr(personas, who)).get(f"/imports/{steel_import.pk}/problems.csv")

    assert response.status_code == 404
    assert exports_logged() == []


# ---------------------------------------------------------------------------------------------- pages


def test_the_pages_offer_the_exports(personas, sign_in, steel_import):
    client = sign_in(personas.steel_hr)

    listing = client.get("/imports/").content.decode()
    detail = client.get(f"/imports/{steel_import.pk}/?severity=warning").content.decode()

    assert 'href="/imports/export.xlsx"' in listing and 'href="/imports/export.csv"' in listing
    assert f'href="/imports/{steel_import.pk}/problems.xlsx?severity=warning"' in detail
    assert f'href="/imports/{steel_import.pk}/problems.csv?severity=warning"' in detail
