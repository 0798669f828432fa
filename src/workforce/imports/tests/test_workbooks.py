"""The roster template and the error report, read back with openpyxl."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from workforce.imports import workbooks
from workforce.imports.columns import ROSTER_COLUMNS
from workforce.imports.workbooks import build_error_report, build_roster_template
from workforce.reference.models import Occupation

HEADERS = [column.header for column in ROSTER_COLUMNS]
LETTER = {column.key: openpyxl.utils.get_column_letter(index) for index, column in enumerate(ROSTER_COLUMNS, 1)}
INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture
def template(db):
    output = io.BytesIO()
    build_roster_template(output, employer_name="攀钢集团有限公司")
    output.seek(0)
    return openpyxl.load_workbook(output)


def validations_by_column(sheet) -> dict[str, object]:
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_col == cell_range.max_col
            found[openpyxl.utils.get_column_letter(cell_range.min_col)] = (validation, str(cell_range))
    return found


def column_dimension(sheet, key: str):
    """The <col> entry covering a column: xlsxwriter groups neighbours with the same width and format."""
    index = [column.key for column in ROSTER_COLUMNS].index(key) + 1
    return next(dimension for dimension in sheet.column_dimensions.values() if dimension.min <= index <= dimension.max)


def error_report(**arguments) -> openpyxl.Workbook:
    output = io.BytesIO()
    build_error_report(output, **{"problems": {}, "row_messages": {}, **arguments})
    output.seek(0)
    return openpyxl.load_workbook(output)


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


# ---------------------------------------------------------------------------------------------- template


def test_template_sheets_are_roster_instructions_and_hidden_codes(template):
    assert template.sheetnames == ["花名册", "填写说明", "代码表"]
    assert template.active.title == "花名册"
    assert template["代码表"].sheet_state == "hidden"


def test_template_headers_are_the_roster_columns_in_order(template):
    sheet = template["花名册"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])


def test_template_required_headers_are_filled_and_every_header_carries_its_rule(template):
    sheet = template["花名册"]
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        header = sheet.cell(1, index)
        assert (fill(header) == "FFFCE4D6") is column.required, column.header
        assert header.comment.text.startswith("必填" if column.required else "选填")
        assert column.help in header.comment.text


def test_template_column_widths_come_from_the_columns(template):
    sheet = template["花名册"]
    for column in ROSTER_COLUMNS:
        assert column_dimension(sheet, column.key).width == pytest.approx(column.width, abs=1)


def test_template_identifier_columns_are_text_and_date_columns_are_dates(template):
    sheet = template["花名册"]
    for key in ("id_number", "phone", "employer_uscc", "certificate_number"):
        assert column_dimension(sheet, key).number_format == "@", key
    for key in ("birth_date", "start_date", "end_date", "contract_start", "contract_end", "union_joined_on",
                "certificate_issued_on"):
        assert column_dimension(sheet, key).number_format == "yyyy-mm-dd", key
    assert column_dimension(sheet, "name").number_format == "General"


def test_template_example_row_is_grey_italic_and_says_to_delete_it(template):
    sheet = template["花名册"]
    example = {column.key: sheet[f"{LETTER[column.key]}2"] for column in ROSTER_COLUMNS}
    assert example["name"].value == "张三"
    assert example["id_number"].value == "510402199001010012"
    assert example["id_number"].data_type == "s"
    assert example["id_number"].number_format == "@"
    assert example["start_date"].value == datetime.datetime(2019, 3, 1)
    assert example["occupation"].value == "6-17-02-02 炼钢工"
    assert example["end_date"].value is None
    assert example["name"].font.i
    assert example["name"].font.color.rgb == "FF808080"
    assert "删除" in example["name"].comment.text
    assert sheet.max_row == 2


def test_template_drop_downs_cover_the_coded_columns_on_rows_2_to_10001(template):
    found = validations_by_column(template["花名册"])
    coded = {column.key for column in ROSTER_COLUMNS
             if column.kind in ("choice", "bool", "occupation", "skill_level")}
    assert set(found) == {LETTER[key] for key in coded}
    for key in coded:
        validation, cell_range = found[LETTER[key]]
        assert validation.type == "list"
        assert cell_range == f"{LETTER[key]}2:{LETTER[key]}10001"
        assert validation.errorTitle == f"{ROSTER_COLUMNS[list(LETTER).index(key)].header}填写有误"


def test_template_choice_and_yes_no_drop_downs_refuse_other_values(template):
    found = validations_by_column(template["花名册"])
    gender, _ = found[LETTER["gender"]]
    assert gender.formula1 == '"男,女"'
    assert gender.errorStyle in (None, "stop")  # "stop" is the default and left out of the file
    assert gender.showErrorMessage
    assert gender.error == "请从下拉列表中选择。"
    signed, _ = found[LETTER["is_contract_signed"]]
    assert signed.formula1 == '"是,否"'
    hukou, _ = found[LETTER["hukou_type"]]
    assert hukou.formula1 == '"城镇户口,农村户口"'


def test_template_occupation_drop_down_lists_the_code_sheet_and_accepts_other_names(template):
    found = validations_by_column(template["花名册"])
    occupation, _ = found[LETTER["occupation"]]
    count = Occupation.objects.filter(is_active=True).count()
    assert count == 299
    codes = template["代码表"]
    column = next(cell.column_letter for cell in codes[1] if cell.value == "职业")
    assert occupation.formula1 == f"'代码表'!${column}$2:${column}${count + 1}"
    assert occupation.errorStyle == "information"
    values = [cell.value for cell in codes[column][1:] if cell.value]
    assert len(values) == count
    assert "6-17-02-02 炼钢工" in values


def test_template_skill_level_drop_down_offers_the_five_levels_and_accepts_other_spellings(template):
    found = validations_by_column(template["花名册"])
    skill, _ = found[LETTER["skill_level"]]
    assert skill.formula1 == '"一级/高级技师,二级/技师,三级/高级工,四级/中级工,五级/初级工"'
    assert skill.errorStyle == "information"


def test_instructions_explain_every_column_the_formats_limits_and_modes(template):
    text = "\n".join(str(cell.value) for row in template["填写说明"].iter_rows() for cell in row if cell.value)
    for header in HEADERS:
        assert header in text
    for phrase in ("用人单位：攀钢集团有限公司", "第14条", "第15条", "文本", "2019/3/1", ".xlsx", ".xls", ".csv",
                   "UTF-8", "GBK", "1,000,000 行", "100 MB", "新增/更新", "全员同步",
                   "花名册中没有的在职职工，将按花名册日期办理离职", "提交前须确认名单",
                   "在预览中确认之前，不导入任何数据", "重复导入同一文件不会产生任何变化"):
        assert phrase in text, phrase


def test_instructions_say_which_columns_are_required(template):
    sheet = template["填写说明"]
    required = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value in HEADERS}
    assert required == {column.header: "必填" if column.required else "选填" for column in ROSTER_COLUMNS}


def test_template_neutralises_the_employer_name(db, tmp_path):
    path = tmp_path / "template.xlsx"
    build_roster_template(str(path), employer_name=INJECTION)
    sheet = openpyxl.load_workbook(path)["填写说明"]
    assert sheet["A2"].value == "用人单位：'" + INJECTION
    assert sheet["A2"].data_type == "s"


# ------------------------------------------------------------------------------------------ error report


def test_error_report_reproduces_the_header_and_adds_the_message_column():
    sheet = error_report(headers=["姓名", "公民身份号码", "入职日期"], rows=[(2, ["张三", "51040219800101123X", None])])
    assert [cell.value for cell in sheet.active[1]] == ["姓名", "公民身份号码", "入职日期", "问题说明"]
    assert sheet.active.freeze_panes == "A2"


def test_error_report_highlights_exactly_the_cells_with_problems():
    rows = [(2, ["张三", "51040219800101124X", "2019-03-01"]),
            (3, ["李梅", "510421199002023340", "2019-13-01"]),
            (4, ["王五", "510402198001011238", "2020-01-01"])]
    problems = {(2, 1): ["公民身份号码校验位不正确"], (3, 2): [("warning", "入职日期无法识别，已忽略")],
                (4, 0): [("warning", "姓名含空格"), ("error", "姓名过长")]}
    sheet = error_report(headers=["姓名", "公民身份号码", "入职日期"], rows=rows, problems=problems).active
    colours = {(cell.row, cell.column - 1): fill(cell) for row in sheet.iter_rows(min_row=2, max_col=3) for cell in row}
    assert {key: colour for key, colour in colours.items() if colour} == {
        (2, 1): "FFFFC7CE", (3, 2): "FFFFEB9C", (4, 0): "FFFFC7CE"}
    assert sheet["B2"].comment.text == "公民身份号码校验位不正确"
    assert sheet["A4"].comment.text == "姓名含空格\n姓名过长"
    assert sheet["A3"].comment is None


def test_error_report_message_column_joins_the_messages_of_the_row():
    rows = [(2, ["张三", "51040219800101124X", None]), (3, ["李梅", "510421199002023340", "2019-03-01"])]
    problems = {(2, 1): ["公民身份号码校验位不正确"], (2, 2): ["必填"], (2, 0): [("warning", "姓名含空格")]}
    row_messages = {2: ["同一文件中第 7 行的公民身份号码相同"], 3: [("warning", "该职工已在其他单位在职")]}
    sheet = error_report(headers=["姓名", "公民身份号码", "入职日期"], rows=rows, problems=problems,
                         row_messages=row_messages).active
    assert sheet["D2"].value == ("【提示】姓名：姓名含空格；公民身份号码：公民身份号码校验位不正确；入职日期：必填；"
                                 "同一文件中第 7 行的公民身份号码相同")
    assert fill(sheet["D2"]) == "FFFFC7CE"
    assert sheet["D3"].value == "【提示】该职工已在其他单位在职"
    assert fill(sheet["D3"]) == "FFFFEB9C"
    assert fill(sheet["C2"]) == "FFFFC7CE"  # an empty cell with a problem is still marked


def test_error_report_keeps_rows_without_problems_on_their_upload_row_numbers():
    rows = [(2, ["张三", "1"]), (5, ["李梅", "2"]), (6, ["王五", "3"])]
    sheet = error_report(headers=["姓名", "编号"], rows=rows, problems={(5, 1): ["错误"]}).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_col=3)] == [
        ["张三", "1", None], [None, None, None], [None, None, None], ["李梅", "2", "编号：错误"], ["王五", "3", None]]
    assert fill(sheet["A2"]) is None
    assert fill(sheet["B6"]) is None


def test_error_report_neutralises_formulas_in_data_and_header_cells():
    sheet = error_report(headers=["姓名", "+备注"], rows=[(2, [INJECTION, "@SUM(A1)"])],
                         problems={(2, 0): ["姓名含非法字符"]}).active
    assert sheet["A2"].value == "'" + INJECTION
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "'@SUM(A1)"
    assert sheet["B1"].value == "'+备注"


def test_error_report_keeps_dates_numbers_and_long_digit_strings():
    rows = [(2, [datetime.date(2019, 3, 1), datetime.datetime(2019, 3, 1, 8, 30), 12, 510402198001011238, True,
                 "510402198001011238", 1.5])]
    sheet = error_report(headers=list("ABCDEFG"), rows=rows).active
    values = [cell.value for cell in sheet[2]][:7]
    assert values == [datetime.datetime(2019, 3, 1), datetime.datetime(2019, 3, 1, 8, 30), 12, "510402198001011238",
                      "是", "510402198001011238", 1.5]
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["F2"].number_format == "@"


def test_error_report_reproduces_a_two_row_header():
    headers = [["职工基本信息", None, "用工信息"], ["姓名", "公民身份号码", "入职日期"]]
    rows = [(3, ["张三", "51040219800101124X", "2019-03-01"])]
    sheet = error_report(headers=headers, rows=rows, problems={(3, 1): ["公民身份号码校验位不正确"]},
                         header_rows=2).active
    assert [cell.value for cell in sheet[1]] == ["职工基本信息", None, "用工信息", "问题说明"]
    assert [cell.value for cell in sheet[2]] == ["姓名", "公民身份号码", "入职日期", None]
    assert sheet["D3"].value == "公民身份号码：公民身份号码校验位不正确"
    assert fill(sheet["B3"]) == "FFFFC7CE"
    assert sheet.freeze_panes == "A3"


def test_error_report_puts_a_single_header_row_directly_above_the_data():
    sheet = error_report(headers=["姓名"], rows=[(3, ["张三"])], header_rows=2).active
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == [None, "姓名", "张三"]


def test_error_report_refuses_rows_out_of_order():
    with pytest.raises(ValueError, match="ascend"):
        error_report(headers=["姓名"], rows=[(3, ["张三"]), (2, ["李梅"])])
    with pytest.raises(ValueError, match="ascend"):
        error_report(headers=["姓名"], rows=[(1, ["张三"])])


def test_error_report_stops_adding_notes_after_the_limit_but_still_marks_cells(monkeypatch):
    monkeypatch.setattr(workbooks, "COMMENT_LIMIT", 2)
    rows = [(number, [f"职工{number}"]) for number in range(2, 7)]
    problems = {(number, 0): ["姓名有误"] for number in range(2, 7)}
    sheet = error_report(headers=["姓名"], rows=rows, problems=problems).active
    assert [sheet.cell(number, 1).comment is not None for number in range(2, 7)] == [True, True, False, False, False]
    assert all(fill(sheet.cell(number, 1)) == "FFFFC7CE" for number in range(2, 7))
    assert all(sheet.cell(number, 2).value == "姓名：姓名有误" for number in range(2, 7))


def test_the_template_example_row_passes_the_importers_own_checks(personas, tmp_path):
    """Issue 15 point 14: the example row must agree with itself (the ID number's birth date, gender and
    checksum, the codes): only the rule that refuses the example row itself stops it."""
    from workforce.imports.parsing import read_roster
    from workforce.imports.planning import RosterPlanner

    path = tmp_path / "template.xlsx"
    with open(path, "wb") as handle:
        build_roster_template(handle, employer_name=personas.steel.name)
    header, rows = read_roster(path, path.name)
    rows = list(rows)
    assert [row.number for row in rows] == [2]
    assert rows[0].problems == []
    planner = RosterPlanner(user=personas.steel_hr, headers=header.headers, roster_date=datetime.date(2026, 12, 1))
    [as_example] = planner.plan(rows)
    assert [problem.message for problem in as_example.problems] == ["这是模板中的示例行，请删除后重新上传。"]

    rows[0].values["name"] = "李四"  # the same row, no longer the example: nothing else is wrong with it
    [plan] = RosterPlanner(user=personas.steel_hr, headers=header.headers,
                           roster_date=datetime.date(2026, 12, 1)).plan(rows)
    assert [(problem.column, problem.message) for problem in plan.problems if problem.severity == "error"] == []
    assert plan.identity.birth_date == datetime.date(1990, 1, 1)
    assert plan.action == "create"
