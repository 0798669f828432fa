"""Reading roster uploads: every kind of messy input the issue names, every refusal, and the properties
that any accepted date or padded ID number reads back to itself. Files are built in ``tmp_path`` with
the csv module, xlsxwriter and (when installed) xlwt; no database is used."""

from __future__ import annotations

import datetime
import random

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from workforce.core.identifiers import random_id_number
from workforce.imports.columns import COLUMNS_BY_KEY
from workforce.imports.parsing import (
    MSG_FORMULA,
    MSG_ID_AS_NUMBER,
    MSG_XLS_FORMULA,
    CellValueError,
    RosterFileError,
    check_safety,
    choice_value,
    find_header,
    match_column,
    normalize_id_cell,
    normalize_text,
    parse_bool,
    parse_date,
    parse_skill_level,
    sniff_format,
)
from workforce.imports.readers import detect_encoding, scan_xlsx, xlsx_formulas
from workforce.imports.tests.support import (
    HEADER,
    ID,
    ID2,
    MB,
    ROW,
    messages,
    ole2_with_streams,
    read,
    rewrite_zip,
    write_csv,
    write_xlsx,
)

# ------------------------------------------------------------------------------------------ CSV


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_is_read_in_utf8_utf8_with_bom_gbk_and_utf16(tmp_path, encoding):
    path = write_csv(tmp_path / "r.csv", [HEADER, ROW, ["李梅", ID2, "城镇户口", "2020/1/2"]], encoding=encoding)

    header, rows = read(path)

    assert header.headers == {"name": "姓名", "id_number": "公民身份号码", "hukou_type": "户口性质",
                              "start_date": "入职日期"}
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values == {"name": "张三", "id_number": ID, "hukou_type": "rural",
                              "start_date": datetime.date(2019, 3, 1)}
    assert rows[1].values["name"] == "李梅"
    assert rows[1].values["start_date"] == datetime.date(2020, 1, 2)
    assert rows[0].raw == dict(zip(["name", "id_number", "hukou_type", "start_date"], ROW, strict=True))


def test_gbk_is_detected_even_when_the_first_megabyte_is_ascii(tmp_path):
    filler = [["Zhang San", ID, "rural", "2019-03-01"]] * 40_000
    path = write_csv(tmp_path / "r.csv", [["name", "id number", "hukou", "start date"], *filler, ROW],
                     encoding="gb18030")
    assert path.stat().st_size > MB

    assert detect_encoding(path) == "gb18030"
    _, rows = read(path)
    assert rows[-1].values["name"] == "张三"


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separated_files_are_read(tmp_path, delimiter):
    path = write_csv(tmp_path / "r.csv", [HEADER, ROW], delimiter=delimiter)

    _, rows = read(path)

    assert rows[0].values["id_number"] == ID


def test_excel_sep_line_is_honoured_and_row_numbers_follow_it(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("sep=;\n" + ";".join(HEADER) + "\n" + ";".join(ROW) + "\n", encoding="utf-8")

    header, rows = read(path)

    assert header.row == 2
    assert rows[0].number == 3
    assert rows[0].values["name"] == "张三"


# ------------------------------------------------------------------------------------------ headers


def test_headers_are_matched_by_name_synonym_and_english_in_any_order(tmp_path):
    headers = ["start date", "  姓 名 ", "*身份证号", "户籍性质(必填)", "出生日期（yyyy-mm-dd）", "Mobile",
               "职业（工种）"]
    row = ["2019-03-01", "张三", ID, "农业户口", "1980-01-01", "13800001234", "6-17-02-02 炼钢工"]
    path = write_csv(tmp_path / "r.csv", [headers, row])

    header, rows = read(path)

    assert header.columns == {0: "start_date", 1: "name", 2: "id_number", 3: "hukou_type", 4: "birth_date",
                              5: "phone", 6: "occupation"}
    assert header.headers["id_number"] == "*身份证号"
    assert header.unknown == []
    assert rows[0].values == {"start_date": datetime.date(2019, 3, 1), "name": "张三", "id_number": ID,
                              "hukou_type": "rural", "birth_date": datetime.date(1980, 1, 1),
                              "phone": "13800001234", "occupation": "6-17-02-02 炼钢工"}


def test_unknown_columns_are_reported_not_fatal_and_row_counters_are_ignored(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["序号", *HEADER, "备注", "联系电话", "手机"], ["1", *ROW, "无", "", ""]])

    header, rows = read(path)

    assert header.unknown == ["备注"]
    assert header.duplicates == ["手机"]
    assert header.columns[6] == "phone"
    assert "备注" not in rows[0].values


def test_missing_required_column_refuses_the_file(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["姓名", "公民身份号码", "性别"], ["张三", ID, "男"]])

    with pytest.raises(RosterFileError) as refused:
        read(path)

    assert refused.value.message == "缺少必填列：户口性质、入职日期；请检查表头，可参照系统提供的花名册模板"


def test_title_rows_above_the_header_and_a_column_number_row_below_it_are_skipped(tmp_path):
    rows_in_file = [["攀枝花市某钢铁公司职工花名册", "", "", ""], ["填报日期：2024年5月", "", "", ""], [],
                    HEADER, ["1", "2", "3", "4"], ROW]
    path = write_csv(tmp_path / "r.csv", rows_in_file)

    header, rows = read(path)

    assert header.row == 4
    assert [row.number for row in rows] == [6]


def test_file_without_a_recognisable_header_is_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["a", "b"], ["1", "2"]])

    with pytest.raises(RosterFileError, match="未找到表头"):
        read(path)


def test_two_row_merged_government_header_in_xlsx(tmp_path):
    def build(workbook, sheet):
        sheet.merge_range(0, 0, 0, 5, "攀枝花市职工花名册")
        for column, text in enumerate(HEADER):
            sheet.merge_range(1, column, 2, column, text)
        sheet.merge_range(1, 4, 1, 6, "劳动合同")
        for column, text in enumerate(["类型", "起始日期", "终止日期"], start=4):
            sheet.write_string(2, column, text)
        for column, value in enumerate([*ROW, "固定期限", "2019-03-01", "2022-02-28"]):
            sheet.write_string(3, column, value)

    path = write_xlsx(tmp_path / "r.xlsx", [], build=build)

    header, rows = read(path)

    assert header.header_rows == 2
    assert header.row == 3
    assert header.columns == {0: "name", 1: "id_number", 2: "hukou_type", 3: "start_date", 4: "contract_type",
                              5: "contract_start", 6: "contract_end"}
    assert header.headers["contract_start"] == "劳动合同起始日期"
    assert rows[0].number == 4
    assert rows[0].values["contract_type"] == "fixed_term"
    assert rows[0].values["contract_end"] == datetime.date(2022, 2, 28)


def test_two_row_header_in_csv_continues_a_blank_extended_group():
    rows = [(1, [*HEADER, "劳动合同", "", "", "是否劳务派遣"]),
            (2, ["", "", "", "", "类型", "起始日期", "终止日期", ""]),
            (3, [*ROW, "固定期限", "2019-03-01", "", "否"])]

    header, data_start = find_header(rows)

    assert header.header_rows == 2
    assert data_start == 2
    assert [header.columns[index] for index in range(4, 8)] == [
        "contract_type", "contract_start", "contract_end", "is_dispatched"]


def test_group_row_above_the_header_is_combined_when_it_names_more_columns():
    rows = [(1, ["基本信息", "", "", "", "劳动合同", ""]),
            (2, [*HEADER, "类型", "起始日期"]),
            (3, [*ROW, "固定期限", "2019-03-01"])]

    header, data_start = find_header(rows, merged=[(1, 0, 1, 3), (1, 4, 1, 5)])

    assert header.header_rows == 2
    assert header.headers["contract_type"] == "劳动合同类型"
    assert header.headers["name"] == "姓名"
    assert data_start == 2


def test_data_row_under_a_header_is_not_taken_for_a_second_header_row():
    header, data_start = find_header([(1, HEADER), (2, ROW)])

    assert header.header_rows == 1
    assert data_start == 1


def test_column_matching_ignores_spacing_case_and_marks():
    assert match_column("ＩＤ Number") == "id_number"
    assert match_column("公民身份\n号码") == "id_number"
    assert match_column("入职日期*") == "start_date"
    assert match_column("工资") is None


# ------------------------------------------------------------------------------------------ values


def test_full_width_and_zero_width_characters_are_normalised(tmp_path):
    messy_id = "\u200b ５１０４０２１９８００１０１１２３ｘ\u3000"
    row = [" 张\u200b三 ", messy_id, " 农村户口\u3000", "２０１９－０３－０１"]
    path = write_csv(tmp_path / "r.csv", [HEADER, row])

    _, rows = read(path)

    assert rows[0].values == {"name": "张三", "id_number": ID, "hukou_type": "rural",
                              "start_date": datetime.date(2019, 3, 1)}
    assert rows[0].raw["id_number"] == messy_id
    assert rows[0].problems == []


def test_text_keeps_one_space_inside_and_none_for_blank():
    assert normalize_text("  阿依古丽\u3000 买买提  ") == "阿依古丽 买买提"
    assert normalize_text("\u200b \u00a0") is None
    assert normalize_text("ＡＢＣ－１２３") == "ABC-123"


@pytest.mark.parametrize("text", ["2019-03-01", "2019-3-1", "2019/3/1", "2019.3.1", "2019年3月1日", "20190301",
                                  "2019 年 3 月 1 日", "2019-03-01 00:00:00", "2019/03/01T08:30", "43525",
                                  "２０１９．３．１"])
def test_every_accepted_date_spelling_reads_as_the_same_date(text):
    assert parse_date(text) == datetime.date(2019, 3, 1)


@pytest.mark.parametrize(("value", "message"), [
    ("2019年3月", "日期须包含年、月、日：2019年3月；请使用 2019-03-01 格式"),
    ("2019-03", "日期须包含年、月、日：2019-03；请使用 2019-03-01 格式"),
    ("2019", "日期须包含年、月、日：2019；请使用 2019-03-01 格式"),
    (2019.0, "日期须包含年、月、日：2019；请使用 2019-03-01 格式"),
    ("3/1/2019", "日期格式无法识别：3/1/2019；请使用 2019-03-01 格式"),
    ("下个月", "日期格式无法识别：下个月；请使用 2019-03-01 格式"),
    ("2019-02-30", "日期不存在：2019-02-30"),
    ("1899-12-31", "日期超出范围：1899-12-31（应在1900年至2100年之间）"),
    ("2101-01-01", "日期超出范围：2101-01-01（应在1900年至2100年之间）"),
    (60, "日期不存在：60（Excel 序列号 60 对应不存在的 1900-02-29）"),
])
def test_unreadable_dates_are_refused_with_a_clear_message(value, message):
    with pytest.raises(CellValueError) as refused:
        parse_date(value)
    assert refused.value.message == message


def test_excel_serial_numbers_follow_the_1900_and_1904_date_systems():
    assert parse_date(1) == datetime.date(1900, 1, 1)
    assert parse_date(59) == datetime.date(1900, 2, 28)
    assert parse_date(61) == datetime.date(1900, 3, 1)
    assert parse_date(43525.75) == datetime.date(2019, 3, 1)
    assert parse_date(20190301) == datetime.date(2019, 3, 1)
    assert parse_date(42063, date1904=True) == datetime.date(2019, 3, 1)


def test_xlsx_date_cells_serial_numbers_and_text_dates_all_read(tmp_path):
    def build(workbook, sheet):
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_datetime(1, 3, datetime.datetime(2019, 3, 1), date_format)
        sheet.write_number(2, 3, 43525)
        sheet.write_string(3, 3, "2019年3月1日")
        sheet.write_datetime(4, 3, datetime.datetime(2019, 3, 1, 8, 30), date_format)

    rows = [HEADER] + [["张三", ID, "农村户口", None]] * 4
    path = write_xlsx(tmp_path / "r.xlsx", rows, build=build)

    _, parsed = read(path)

    assert [row.values["start_date"] for row in parsed] == [datetime.date(2019, 3, 1)] * 4
    assert [row.raw["start_date"] for row in parsed] == ["2019-03-01", "43525", "2019年3月1日", "2019-03-01 08:30:00"]


def test_id_number_stored_by_excel_as_a_number_is_refused_with_the_reason(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ["张三", 5.10402198001011e17, "农村户口", "2019-03-01"]])

    _, rows = read(path)

    assert rows[0].values["id_number"] is None
    assert rows[0].raw["id_number"] == "510402198001011000"
    assert messages(rows[0]) == [("公民身份号码", MSG_ID_AS_NUMBER, "error")]


@pytest.mark.parametrize("text", ["5.10402E+17", "5.10402198001011E+17", "510402198001011000.0",
                                  "５．１０４０２Ｅ＋１７"])
def test_id_number_in_scientific_notation_text_is_refused(text):
    with pytest.raises(CellValueError) as refused:
        normalize_id_cell(text)
    assert refused.value.message == MSG_ID_AS_NUMBER


def test_id_number_lower_case_x_is_upper_cased_and_15_digits_kept_for_later():
    assert normalize_id_cell("51040219800101123x") == ID
    assert normalize_id_cell("510402-800101-123") == "510402800101123"
    assert normalize_id_cell(510402800101123.0) == "510402800101123"
    assert normalize_id_cell("") is None


def test_phone_numbers_are_digits_even_from_number_cells(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [[*HEADER, "手机号码"], [*ROW, 13800001234], [*ROW, "+86 138-0000-1235"],
                                          [*ROW, "12345"]])

    _, rows = read(path)

    assert [row.values["phone"] for row in rows] == ["13800001234", "13800001235", None]
    bad_phone = "手机号码格式不正确：应为11位手机号码，或带区号的固定电话（如0812-3334455）"
    assert messages(rows[2]) == [("手机号码", bad_phone, "error")]


@pytest.mark.parametrize(("value", "expected"), [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("YES", True), ("no", False), ("true", True),
    ("False", False), ("1", True), ("0", False), ("√", True), ("×", False), ("１", True), (True, True),
    (0.0, False), ("", None), ("  ", None),
])
def test_yes_no_values(value, expected):
    assert parse_bool(value) is expected


def test_unknown_yes_no_value_is_an_error():
    with pytest.raises(CellValueError, match="可填 是/否、有/无、已签/未签"):
        parse_bool("可能")


@pytest.mark.parametrize(("value", "expected"), [
    ("三级/高级工", 3), ("三级", 3), ("高级工", 3), ("3", 3), ("３", 3), (3.0, 3), ("3级", 3), ("一级/高级技师", 1),
    ("技师", 2), ("国家职业资格四级", 4), ("初级工", 5), ("五级 / 初级工", 5), ("", None),
])
def test_skill_levels_in_every_spelling(value, expected):
    assert parse_skill_level(value) == expected


@pytest.mark.parametrize("value", ["六级", "三级/技师", "专家", 7])
def test_unrecognised_or_contradictory_skill_levels_are_errors(value):
    with pytest.raises(CellValueError, match="技能等级无法识别"):
        parse_skill_level(value)


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("hukou_type", "农村户口", "rural"), ("hukou_type", "rural", "rural"), ("hukou_type", "Rural hukou", "rural"),
    ("hukou_type", "非农业户口", "urban"), ("gender", "女", "F"), ("gender", "m", "M"),
    ("education", "大学本科", "bachelor"), ("contract_type", "无固定期限", "open_ended"),
    ("new_employment_group", "不属于", ""), ("new_employment_group", "快递员", "courier"),
])
def test_choices_accept_label_english_value_and_common_aliases(key, value, expected):
    assert choice_value(COLUMNS_BY_KEY[key], value) == expected


def test_unknown_choice_lists_the_accepted_labels():
    with pytest.raises(CellValueError) as refused:
        choice_value(COLUMNS_BY_KEY["hukou_type"], "外籍")
    assert refused.value.message == ("“外籍”不是有效的户口性质，可填：城镇户口、农村户口，也可写作 "
                                     "农业户口、农业、农村、农业家庭户口、非农业户口、非农业、非农、城镇、城市户口、"
                                     "非农业家庭户口")


def test_required_cell_left_empty_is_an_error_and_blank_rows_are_skipped(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, ["张三", "", "农村户口", "2019-03-01"], ["", "", "", ""],
                                          [" ", "\u3000", "", ""], ["李梅", ID2, "城镇户口", "2019-13-01"]])

    _, rows = read(path)

    assert [row.number for row in rows] == [2, 5]
    assert messages(rows[0]) == [("公民身份号码", "必填项为空", "error")]
    assert messages(rows[1]) == [("入职日期", "日期不存在：2019-13-01", "error")]


# ------------------------------------------------------------------------------------------ formulas


def test_xlsx_formulas_are_read_as_their_text_and_flagged(tmp_path):
    def build(workbook, sheet):
        sheet.write_formula(1, 0, '="张"&"三"', None, "张三")
        sheet.write_formula(1, 4, "=UPPER(\"x\")", None, "X")
        sheet.write_formula(1, 3, "=DATE(2019,3,1)", None, 43525)

    path = write_xlsx(tmp_path / "r.xlsx", [[*HEADER, "证书编号"], [None, ID, "农村户口", None]], build=build)

    _, rows = read(path)

    row = rows[0]
    assert row.values["name"] is None  # a formula is not a name
    assert row.values["certificate_number"] == '=UPPER("x")'
    assert row.values["start_date"] is None
    assert messages(row) == [
        ("姓名", MSG_FORMULA, "error"),
        ("姓名", "姓名只能由汉字组成（少数民族姓名用间隔号“·”分隔），或由英文字母组成：=\"张\"&\"三\"", "error"),
        ("入职日期", MSG_FORMULA, "warning"),
        ("入职日期", "日期格式无法识别：=DATE(2019,3,1)；请使用 2019-03-01 格式", "error"),
        ("证书编号", MSG_FORMULA, "warning"),
    ]


def test_shared_formulas_are_found_in_the_sheet_xml(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="2"><c r="E2"><f t="shared" ref="E2:E3" si="0">A2&amp;B2'
        b'</f><v>1</v></c></row><row r="3"><c r="E3"><f t="shared" si="0"/><v>2</v></c></row></sheetData>'
        b"</worksheet>"
    )
    rewrite_zip(path, {"xl/worksheets/sheet1.xml": sheet})

    assert scan_xlsx(path) == {"xl/worksheets/sheet1.xml"}
    assert xlsx_formulas(path, "xl/worksheets/sheet1.xml") == {2: {4: "=A2&B2"}, 3: {4: "=A2&B2"}}


def test_csv_text_starting_with_equals_is_flagged_like_a_formula(tmp_path):
    path = write_csv(tmp_path / "r.csv", [[*HEADER, "发证机构"], [*ROW, "=HYPERLINK(\"http://x\")"]])

    _, rows = read(path)

    assert rows[0].values["certificate_issuer"] == '=HYPERLINK("http://x")'
    assert messages(rows[0]) == [("发证机构", MSG_FORMULA, "warning")]


# ------------------------------------------------------------------------------------------ workbooks


def test_hidden_sheets_and_sheets_without_a_header_are_passed_over(tmp_path):
    path = tmp_path / "r.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    notes = workbook.add_worksheet("填表说明")
    notes.write_string(0, 0, "请按模板填写")
    hidden = workbook.add_worksheet("旧表")
    for column, text in enumerate(HEADER):
        hidden.write_string(0, column, text)
    hidden.write_row(1, 0, ["旧人", ID2, "城镇户口", "2000-01-01"])
    roster = workbook.add_worksheet("花名册")
    roster.activate()
    hidden.hide()
    for column, text in enumerate(HEADER):
        roster.write_string(2, column + 1, text)
    roster.write_row(3, 1, ROW)
    workbook.close()

    header, rows = read(path)

    assert header.sheet == "花名册"
    assert header.columns == {1: "name", 2: "id_number", 3: "hukou_type", 4: "start_date"}
    assert [(row.number, row.values["name"]) for row in rows] == [(4, "张三")]


def test_xls_workbook_is_read(tmp_path):
    import xlwt
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("花名册")
    for column, text in enumerate(HEADER):
        sheet.write_merge(0, 1, column, column, text)
    sheet.write_merge(0, 0, 4, 5, "劳动合同")
    sheet.write(1, 4, "类型")
    sheet.write(1, 5, "起始日期")
    sheet.write(2, 0, "张三")
    sheet.write(2, 1, 5.10402198001011e17)
    sheet.write(2, 2, "农村户口")
    sheet.write(2, 3, datetime.date(2019, 3, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    sheet.write(2, 4, "固定期限")
    sheet.write(2, 5, 43525)
    workbook.save(str(tmp_path / "upload.bin"))

    header, rows = read(tmp_path / "upload.bin", "花名册.xls")

    assert header.header_rows == 2
    assert rows[0].values["start_date"] == datetime.date(2019, 3, 1)
    assert rows[0].values["contract_start"] == datetime.date(2019, 3, 1)
    assert rows[0].values["contract_type"] == "fixed_term"
    assert messages(rows[0]) == [("公民身份号码", MSG_ID_AS_NUMBER, "error")]


def test_xls_formula_cells_are_refused_since_their_text_cannot_be_read(tmp_path):
    import xlwt
    workbook = xlwt.Workbook()
    workbook.add_sheet("说明").write(0, 0, "请按模板填写")
    sheet = workbook.add_sheet("花名册")
    for column, text in enumerate([*HEADER, "发证机构"]):
        sheet.write(0, column, text)
    for column, value in enumerate(ROW):
        sheet.write(1, column, value)
    sheet.write(1, 4, xlwt.Formula('"人社"&"局"'))
    sheet.write(2, 0, xlwt.Formula('"张"&"三"'))
    for column, value in enumerate(ROW[1:], 1):
        sheet.write(2, column, ID2 if column == 1 else value)
    workbook.save(str(tmp_path / "r.xls"))

    _, rows = read(tmp_path / "r.xls")

    assert [messages(row) for row in rows] == [[("发证机构", MSG_XLS_FORMULA, "error")],
                                                [("姓名", MSG_XLS_FORMULA, "error")]]
    assert rows[0].values["certificate_issuer"] is None and rows[1].values["name"] is None


def test_ole2_content_is_sniffed_as_xls():
    assert sniff_format(ole2_with_streams("Workbook"), "花名册.XLS") == "xls"


def test_xlsx_named_xls_is_read_by_its_content(tmp_path):
    path = write_xlsx(tmp_path / "upload.xls", [HEADER, ROW])

    _, rows = read(path, "花名册.xls")

    assert rows[0].values["id_number"] == ID


# ------------------------------------------------------------------------------------------ properties


_SERIAL_EPOCH = datetime.date(1899, 12, 30)


def _excel_serial(day: datetime.date) -> int:
    serial = (day - _SERIAL_EPOCH).days
    return serial - 1 if day < datetime.date(1900, 3, 1) else serial  # Excel's fictitious 1900-02-29


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@settings(deadline=None)
@given(day=st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
       spelling=st.sampled_from(["iso", "short", "slash", "dot", "chinese", "compact", "serial", "number",
                                 "date cell", "datetime cell", "full width"]),
       padding=st.sampled_from(["", " ", "\u3000", "\u200b", "\t"]))
def test_any_date_in_any_accepted_spelling_reads_back_to_itself(day, spelling, padding):
    y, m, d = day.year, day.month, day.day
    value: object = {
        "iso": day.isoformat(), "short": f"{y}-{m}-{d}", "slash": f"{y}/{m}/{d}", "dot": f"{y}.{m}.{d}",
        "chinese": f"{y}年{m}月{d}日", "compact": f"{y:04d}{m:02d}{d:02d}", "full width": _full_width(day.isoformat()),
        "serial": float(_excel_serial(day)), "number": float(f"{y:04d}{m:02d}{d:02d}"), "date cell": day,
        "datetime cell": datetime.datetime(y, m, d, 13, 45),
    }[spelling]
    if spelling == "serial" and 1900 <= value <= 2100:  # type: ignore[operator]
        value = day.isoformat()  # serials 1900-2100 (days in 1905) are read as a year, and refused
    if isinstance(value, str):
        value = padding + value + padding

    assert parse_date(value) == day


@settings(deadline=None)
@given(seed=st.integers(0, 2**32), birth=st.dates(datetime.date(1900, 1, 1), datetime.date(2024, 12, 31)),
       gender=st.sampled_from("MF"), data=st.data())
def test_any_padded_full_width_valid_id_normalises_to_the_canonical_one(seed, birth, gender, data):
    canonical = random_id_number(random.Random(seed), division_code="510402", birth_date=birth, gender=gender)
    messy = []
    for ch in canonical.lower():
        messy.append(_full_width(ch) if data.draw(st.booleans()) else ch)
        messy.append(data.draw(st.sampled_from(["", "", "\u200b", "\u3000", " ", "\ufeff", "\u00a0"])))
    text = data.draw(st.sampled_from(["", " ", "\u3000"])) + "".join(messy)

    assert normalize_id_cell(text) == canonical


def test_check_safety_accepts_a_sound_workbook_given_as_bytes(tmp_path):
    data = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW]).read_bytes()

    assert check_safety(data, "xlsx", max_bytes=10 * MB) is None
    with pytest.raises(RosterFileError, match="超过上限"):
        check_safety(data, "xlsx", max_bytes=100)



def test_date_cells_of_a_workbook_are_remembered_and_never_mixed_with_numbers():
    from workforce.imports.parsing import _converter

    convert = _converter(COLUMNS_BY_KEY["start_date"], date1904=False)
    day, moment = datetime.date(2019, 3, 1), datetime.datetime(2019, 3, 1, 8, 30)

    assert [convert(day), convert(moment), convert(day), convert(43525.0), convert(43525)] == [day] * 5
    assert convert.__self__ == {day: day, moment: day}  # serial numbers are converted each time
