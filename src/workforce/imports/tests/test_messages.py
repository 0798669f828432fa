"""The importer's messages in both languages (issue 15 point 4): stored in Chinese with their msgid and
parameters, shown, exported and served in the reader's language; rows stored before keep reading."""

from __future__ import annotations

import datetime
import pickle

import pytest
from django.utils import translation

from workforce.core.messages import Message, render, render_stored, source_of
from workforce.imports.masking import masked_message
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.parsing import MSG_TEXT_LINE, MSG_TOO_MANY_FIELDS
from workforce.imports.tests.test_services import ROWS, check, roster

BAD_DATE = [[*ROWS[0][:5], "明年春天", *ROWS[0][6:]]]  # an 入职日期 that is no date


def test_a_message_is_its_chinese_text_and_remembers_its_source():
    where = Message(MSG_TEXT_LINE, line=7)
    message = Message(MSG_TOO_MANY_FIELDS, fields=5, width=4, extra="x", where=where)

    assert message == ("该行有 5 个字段，多于表头的 4 列，多出的“x”没有读取："
                       "可能是某个单元格中含有未加引号的逗号（文本第 7 行）")
    assert pickle.loads(pickle.dumps(message)).source() == message.source()  # noqa: S301 (our own bytes)
    with translation.override("en"):
        assert render(message.source()) == (
            "This row has 5 fields, more than the header's 4 columns; the extra “x” was not read: a cell may hold "
            "a comma without quotes (line 7 of the text)")
    with translation.override("zh-hans"):
        assert render(message.source()) == str(message)


def test_a_quoted_number_is_masked_in_the_text_and_in_the_parameters():
    message = masked_message(Message(MSG_TOO_MANY_FIELDS, fields=5, width=4, extra="51040219850315123X",
                                     where=""))

    assert "51040219850315123X" not in message and "510402********123X" in message
    assert "51040219850315123X" not in str(source_of(message))


def test_rows_stored_before_the_sources_keep_reading():
    with translation.override("en"):
        assert render_stored("必填项为空", None) == "Required value missing"  # in the catalogue as it stands
        assert render_stored("日期不存在：2019-13-01", None) == "日期不存在：2019-13-01"  # formatted: as written
        assert render_stored("", None) == ""


def test_a_checked_roster_shows_its_problems_in_the_readers_language(personas, sign_in):
    roster_import = check(roster(BAD_DATE), personas.steel_hr)
    problem = ImportProblem.objects.get(roster_import=roster_import, column="入职日期")
    client = sign_in(personas.steel_hr)

    english = client.get(f"/imports/{roster_import.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(f"/imports/{roster_import.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    exported = client.get(f"/imports/{roster_import.pk}/problems.csv", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get(f"/api/imports/{roster_import.pk}/problems/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert problem.message == "日期格式无法识别：明年春天；请使用 2019-03-01 格式"  # stored in Chinese
    assert problem.message_source == {"msgid": "日期格式无法识别：%(value)s；请使用 2019-03-01 格式",
                                      "params": {"value": "明年春天"}}
    assert "Date not recognised: 明年春天; write it as 2019-03-01" in english
    assert "日期格式无法识别" not in english
    assert "日期格式无法识别：明年春天；请使用 2019-03-01 格式" in chinese
    assert "Date not recognised: 明年春天" in b"".join(exported.streaming_content).decode("utf-8-sig")
    assert [row["message"] for row in api["results"] if row["column"] == "入职日期"] == [
        "Date not recognised: 明年春天; write it as 2019-03-01"]


def test_a_refused_file_says_why_in_the_readers_language(personas, sign_in):
    roster_import = check(roster([], header=["姓名", "公民身份号码", "户口性质", "入职日期"]), personas.steel_hr)
    client = sign_in(personas.steel_hr)

    english = client.get(f"/imports/{roster_import.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    api = client.get(f"/api/imports/{roster_import.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert roster_import.status == "refused" and roster_import.message == "文件中没有数据行"
    assert RosterImport.objects.get(pk=roster_import.pk).message_source == {"msgid": "文件中没有数据行", "params": {}}
    assert "The file has no data rows" in english and "文件中没有数据行" not in english
    assert api["message"] == "The file has no data rows"


def test_the_marked_report_carries_the_messages_in_the_sheets_language(personas, sign_in):
    import io

    import openpyxl

    roster_import = check(roster(BAD_DATE), personas.steel_hr)
    client = sign_in(personas.steel_hr)
    queued = client.get(f"/imports/{roster_import.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE="en")  # built by a job
    report = client.get(f"/imports/{roster_import.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE="en")

    # One report for everyone, in Chinese like the sheet it marks, whoever's request queued it.
    assert queued.status_code == 302
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active

    assert "日期格式无法识别：明年春天" in sheet.cell(row=2, column=sheet.max_column).value


def test_identity_problems_are_stored_translatable_and_shown_at_once_in_english(personas, sign_in):
    """The ID-number validators' messages (core.identifiers) and the identity checks' (birth date, gender)
    are stored by the importer with their sources, and a page showing one at once shows it translated."""
    wrong_digit = ROWS[0][1][:-1] + ("0" if ROWS[0][1][-1] != "0" else "1")
    roster_import = check(roster([[ROWS[0][0], wrong_digit, *ROWS[0][2:]]]), personas.steel_hr)
    problem = ImportProblem.objects.get(roster_import=roster_import, column="公民身份号码")

    assert problem.message == "身份证号码校验码错误，请核对号码"
    with translation.override("en"):
        assert problem.text == "The ID number's check digit is wrong; please check the number"

    from django.core.exceptions import ValidationError

    from workforce.core.choices import Channel
    from workforce.registry import services as registry_services

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        registry_services.hire_worker({"id_number": wrong_digit, "name": "王五", "hukou_type": "urban"},
                                      {"employer": personas.steel, "start_date": datetime.date(2020, 1, 1)},
                                      acting_user=None, channel=Channel.PAGE)
    assert refused.value.message_dict == {
        "id_number": ["The ID number's check digit is wrong; please check the number"]}
