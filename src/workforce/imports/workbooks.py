"""The workbooks of roster imports: the blank roster template (花名册模板) employers download and fill in,
and the error report (错误报告) that hands an upload back with its bad cells marked.

Both are written with xlsxwriter; every cell that came from a user goes through
:func:`workforce.core.exports.neutralise`, and strings are never turned into formulas, numbers or links.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import IO

import xlsxwriter
from django.utils import translation
from xlsxwriter.utility import xl_col_to_name

from workforce.core.exports import DANGEROUS_PREFIXES, neutralise
from workforce.imports.choices import ImportMode, Severity
from workforce.imports.columns import ROSTER_COLUMNS, YES_NO, Column
from workforce.reference.models import Occupation, SkillLevel

Output = str | IO[bytes]
"""Where a workbook goes: a file path or a binary file object."""

ROSTER_SHEET = "花名册"
INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
MESSAGE_HEADER = "问题说明"

TEMPLATE_ROWS = 10_000
"""Data rows (2..10001) that carry the template's drop-downs; column formats cover the whole column."""

# The importer's limits as the instructions state them; keep in step with the upload checks.
ROW_LIMIT = 1_000_000
SIZE_LIMIT_MB = 100

TEXT_KINDS = frozenset({"id_number", "phone", "uscc"})
TEXT_KEYS = frozenset({"certificate_number"})
"""Columns stored as text ('@') so Excel neither drops an ID's digits nor shows it as 5.1E+17."""

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMATS_ACCEPTED = "2019-03-01、2019/3/1、2019.3.1、2019年3月1日、20190301，或 Excel 的日期单元格"
INLINE_LIST_LIMIT = 255  # Excel refuses an inline drop-down list longer than 255 characters

ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
REQUIRED_FILL = "#FCE4D6"
HEADER_FILL = "#DDEBF7"

COMMENT_LIMIT = 5_000
"""Cell comments an error report carries at most: each costs memory until the file is closed and
Excel slows down badly with tens of thousands of them; the fills and the message column always
cover every problem."""

AUTHOR = "攀枝花产业工人队伍建设服务平台"
WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}

Problem = tuple[str, str]
"""One problem of a cell or row: ``(severity, message)``, severity being ``Severity.ERROR`` or
``Severity.WARNING``. A bare message string counts as an error."""


# ---------------------------------------------------------------------------------------------- template


def build_roster_template(output: Output, *, employer_name: str | None = None) -> None:
    """Write the roster template (.xlsx) to ``output``: the sheet 花名册 with the headers of
    ``ROSTER_COLUMNS`` (required ones filled and every rule in a header note), text and date column
    formats, a grey example row 2 to be deleted and drop-downs on rows 2..10001 for coded columns;
    the sheet 填写说明 with the instructions (naming ``employer_name`` when given); and the hidden
    sheet 代码表 holding the long drop-down lists (occupations, skill levels). Reads the active
    occupations and the skill levels from the reference tables."""
    lists = _code_lists()
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": "花名册模板", "author": AUTHOR, "company": employer_name or ""})
    roster = workbook.add_worksheet(ROSTER_SHEET)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    codes = workbook.add_worksheet(CODES_SHEET)
    sources = _write_code_sheet(workbook, codes, lists)
    _write_roster_sheet(workbook, roster, lists, sources)
    _write_instructions_sheet(workbook, instructions, lists, employer_name)
    codes.hide()
    roster.activate()
    workbook.close()


def _code_lists() -> dict[str, tuple[str, ...]]:
    """The drop-down values of every coded column, keyed by column key."""
    occupations = tuple(f"{code} {name}" for code, name in
                        Occupation.objects.filter(is_active=True).order_by("code").values_list("code", "name"))
    skill_levels = tuple(SkillLevel.objects.order_by("level").values_list("label", flat=True))
    lists: dict[str, tuple[str, ...]] = {}
    for column in ROSTER_COLUMNS:
        if column.kind == "choice":
            lists[column.key] = column.labels()
        elif column.kind == "bool":
            lists[column.key] = column.choices or YES_NO
        elif column.kind == "occupation":
            lists[column.key] = occupations
        elif column.kind == "skill_level":
            lists[column.key] = skill_levels
    return {key: values for key, values in lists.items() if values}


def _fits_inline(values: Sequence[str]) -> bool:
    return len(",".join(values)) <= INLINE_LIST_LIMIT and not any("," in value or '"' in value for value in values)


def _write_code_sheet(workbook, sheet, lists: dict[str, tuple[str, ...]]) -> dict[str, str | list[str]]:
    """Write every list as a column of 代码表 (header in row 1) and return each column's validation
    source: the inline list when it is short enough, else an absolute reference to the sheet."""
    bold = workbook.add_format({"bold": True})
    sources: dict[str, str | list[str]] = {}
    by_key = {column.key: column for column in ROSTER_COLUMNS}
    for index, (key, values) in enumerate(lists.items()):
        sheet.write_string(0, index, by_key[key].header, bold)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, index, value)
        sheet.set_column(index, index, max(12, min(40, max(len(value) for value in values) * 2)))
        letter = xl_col_to_name(index)
        reference = f"='{CODES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        sources[key] = list(values) if _fits_inline(values) else reference
    return sources


def _rule(column: Column, lists: dict[str, tuple[str, ...]]) -> str:
    """The accepted values or format of a column, in Chinese, for the header note and the instructions."""
    if column.kind == "id_number":
        return "18 位居民身份证号码（末位可为 X），文本格式"
    if column.kind == "uscc":
        return "18 位统一社会信用代码，文本格式"
    if column.kind == "phone":
        return "11 位手机号码，文本格式"
    if column.kind == "date":
        return f"日期，例如 {DATE_FORMATS_ACCEPTED}"
    if column.kind == "occupation":
        return "从下拉列表选择职业，或填写职业代码（如 6-17-02-02）或职业名称（如 炼钢工）"
    if column.kind == "skill_level":
        return "从下拉列表选择（" + "、".join(lists.get(column.key, ())) + "），也可只写 高级工 或 3"
    if column.kind in ("choice", "bool"):
        return "从下拉列表选择：" + "、".join(lists.get(column.key, column.labels()))
    if column.key in TEXT_KEYS:
        return "文本格式"
    return "文本"


def _note(column: Column, lists: dict[str, tuple[str, ...]]) -> str:
    parts = ["必填" if column.required else "选填", _rule(column, lists)]
    if column.help:
        parts.append(column.help)
    return "。\n".join(parts) + "。"


def _write_roster_sheet(workbook, sheet, lists, sources) -> None:
    header = {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    header_format = workbook.add_format({**header, "bg_color": HEADER_FILL})
    required_format = workbook.add_format({**header, "bg_color": REQUIRED_FILL, "font_color": "#C00000"})
    text_format = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": DATE_FORMAT})
    example = {"italic": True, "font_color": "#808080"}
    example_text = workbook.add_format({**example, "num_format": "@"})
    example_date = workbook.add_format({**example, "num_format": DATE_FORMAT})
    last_row = TEMPLATE_ROWS  # zero-based: rows 2..10001 of the sheet

    sheet.set_row(0, 32)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(ROSTER_COLUMNS):
        if column.kind in TEXT_KINDS or column.key in TEXT_KEYS:
            sheet.set_column(index, index, column.width, text_format)
        elif column.kind == "date":
            sheet.set_column(index, index, column.width, date_format)
        else:
            sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column.header, required_format if column.required else header_format)
        sheet.write_comment(0, index, _note(column, lists), {"author": AUTHOR, "x_scale": 2, "y_scale": 1.5})
        if column.example:
            if column.kind == "date":
                value = datetime.datetime.combine(datetime.date.fromisoformat(column.example), datetime.time())
                sheet.write_datetime(1, index, value, example_date)
            else:
                sheet.write_string(1, index, column.example, example_text)
        if column.key in sources:
            sheet.data_validation(1, index, last_row, index, _validation(column, sources[column.key], lists))
    sheet.write_comment(1, 0, "第 2 行是填写示例，请整行删除后再填写本单位职工。",
                        {"author": AUTHOR, "visible": True, "x_scale": 1.5})


def _validation(column: Column, source: str | list[str], lists: dict[str, tuple[str, ...]]) -> dict:
    """A list validation; occupations and skill levels also take other spellings, so a value not in
    the list only informs, while the other coded columns refuse it."""
    options = {"validate": "list", "source": source, "ignore_blank": True,
               "error_title": f"{column.header}填写有误"}
    if column.kind in ("occupation", "skill_level"):
        options.update(error_type="information",
                       error_message="该值不在下拉列表中。" + _rule(column, lists) + "；导入时将再次核对。")
    else:
        options.update(error_type="stop", error_message="请从下拉列表中选择。")
    return options


def _write_instructions_sheet(workbook, sheet, lists, employer_name: str | None) -> None:
    title = workbook.add_format({"bold": True, "font_size": 14})
    heading = workbook.add_format({"bold": True, "font_size": 11, "bg_color": HEADER_FILL})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    required = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000", "bold": True})
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 60)

    row = 0

    def line(text: str, cell_format=wrap) -> None:
        nonlocal row
        sheet.write_string(row, 0, text, cell_format)
        row += 1

    line("攀枝花市产业工人队伍基础数据库 职工花名册 填写说明", title)
    if employer_name:
        line(f"用人单位：{neutralise(employer_name)}")
    row += 1
    line("一、用途", heading)
    for text in (
        "本花名册用于用人单位向平台报送本单位职工信息，实现产业工人队伍基础数据库的动态管理"
        "（《攀枝花市产业工人队伍建设改革工作方案》第14条“动态管理服务”、第15条“结构清晰、数据准确、动态管理”）。",
        "职工入职、离职、签订或变更劳动合同、取得技能等级证书等情况发生变化后，请更新花名册并重新上传。",
    ):
        line(text)
    row += 1
    line("二、各列填写要求（标浅红色底、红字的列为必填；表头单元格的批注里也有本说明）", heading)
    for index, text in enumerate(("列名", "是否必填", "可填写的值 / 格式", "说明")):
        sheet.write_string(row, index, text, heading)
    row += 1
    for column in ROSTER_COLUMNS:
        sheet.write_string(row, 0, column.header, required if column.required else wrap)
        sheet.write_string(row, 1, "必填" if column.required else "选填", required if column.required else wrap)
        sheet.write_string(row, 2, _rule(column, lists), wrap)
        sheet.write_string(row, 3, column.help, wrap)
        row += 1
    row += 1
    line("三、填写注意事项", heading)
    notes = (
        "1. 表头（第 1 行）请勿修改、合并或删除；列的顺序可以调整，不用的选填列可以删除。",
        "2. 第 2 行为灰色斜体的填写示例，请整行删除后再填写，否则示例人员会被当作本单位职工导入。",
        "3. 公民身份号码、手机号码、统一社会信用代码、证书编号必须以文本填写：模板中这些列已设为“文本”格式；"
        "如从其他表格粘贴，请使用“选择性粘贴-数值”，或先把该列设为“文本”格式，也可在号码前加英文单引号 '。"
        "身份证号码被 Excel 显示为 5.1E+17 或末尾变成 000 时，号码已经丢失，须重新录入。",
        f"4. 日期可填写 {DATE_FORMATS_ACCEPTED}。",
        "5. 带下拉箭头的列请从列表中选择；职业和技能等级也可以填写代码或名称，导入时核对。",
        "6. 每位职工一行，同一文件中同一身份证号码只能出现一次。",
        "7. 上传文件可以是 .xlsx、.xls 或 .csv（UTF-8 或 GBK 编码）；"
        f"一个文件最多 {ROW_LIMIT:,} 行、不超过 {SIZE_LIMIT_MB} MB。",
    )
    for text in notes:
        line(text)
    row += 1
    line("四、导入方式", heading)
    with translation.override("zh-hans"):
        upsert, sync = str(ImportMode.UPSERT.label), str(ImportMode.SYNC.label)
    for text in (
        f"{upsert}：新增花名册中的新职工，更新已有职工的信息；花名册中没有的职工保持不变。",
        f"{sync}：花名册应为本单位全部在职职工。花名册中没有的在职职工，将按花名册日期办理离职，"
        "提交前须确认名单。",
    ):
        line(text)
    row += 1
    line("五、检查与确认", heading)
    for text in (
        "上传后平台先逐行检查并显示预览（新增、更新、无变化、有错误的行数，以及全员同步时将办理离职的职工名单）；"
        "在预览中确认之前，不导入任何数据。",
        "有错误时可下载错误报告：出错的单元格标红（提示标黄），最后一列“问题说明”列出该行全部问题；"
        "在错误报告中直接修改后可以重新上传（“问题说明”列不会被导入）。",
        "导入要么全部成功，要么不做任何修改。重复导入同一文件不会产生任何变化。",
    ):
        line(text)


# ------------------------------------------------------------------------------------------ error report


def build_error_report(
    output: Output,
    *,
    headers: Sequence[str] | Sequence[Sequence[str]],
    rows: Iterable[tuple[int, Sequence[object]]],
    problems: dict[tuple[int, int], list[Problem | str]],
    row_messages: dict[int, list[Problem | str]],
    header_rows: int = 1,
) -> None:
    """Write a copy of an uploaded sheet with its problems marked, streamed in constant memory.

    ``headers`` is the header row as uploaded, or a list of header rows when the header spans
    several rows; it is written on rows 1..``header_rows`` (a single header row goes on the last
    of them, directly above the data). ``rows`` yields ``(row number, values)`` in ascending order,
    the row number being the 1-based row of the upload (so it must exceed ``header_rows``); each
    row lands on the same row number, so the user fixes the file and uploads it again. Values
    beyond the header's width are dropped. ``problems`` maps ``(row number, 0-based column index)``
    to that cell's problems; ``row_messages`` maps a row number to problems of the whole row
    (a :data:`Problem` is ``(severity, message)``; a bare string is an error). A cell with an error
    is filled red, one with only warnings yellow, and carries its messages as a note (for the first
    :data:`COMMENT_LIMIT` cells). The last column, 问题说明, lists every message of the row joined
    by "；", cell messages first as "header：message", warnings marked 【提示】. Rows without
    problems are kept, unmarked. Problems of rows not in ``rows`` are ignored.
    """
    header_lines = _header_lines(headers, header_rows)
    width = max((len(line) for line in header_lines), default=0)
    names = [next((str(line[index]) for line in reversed(header_lines)
                   if index < len(line) and line[index] not in (None, "")), xl_col_to_name(index))
             for index in range(width)]
    cells_by_row: dict[int, list[int]] = defaultdict(list)
    for row_number, column_index in problems:
        cells_by_row[row_number].append(column_index)

    workbook = xlsxwriter.Workbook(output, {**WORKBOOK_OPTIONS, "constant_memory": True})
    workbook.set_properties({"title": "错误报告", "author": AUTHOR})
    sheet = workbook.add_worksheet(ROSTER_SHEET)
    formats = _Formats(workbook)
    header_format = workbook.add_format({"bold": True, "border": 1, "bg_color": HEADER_FILL, "text_wrap": True})
    message_header = workbook.add_format({"bold": True, "border": 1, "bg_color": ERROR_FILL, "font_color": "#9C0006"})
    for index, name in enumerate(names):
        sheet.set_column(index, index, max(8, min(30, len(name) * 2 + 2)))
    sheet.set_column(width, width, 60, formats.get(None, "wrap"))
    sheet.freeze_panes(header_rows, 0)

    first_header_row = header_rows - len(header_lines)
    for offset, line in enumerate(header_lines):
        row_index = first_header_row + offset
        for index, value in enumerate(line):
            if value not in (None, ""):
                sheet.write_string(row_index, index, _text(neutralise(value)), header_format)
        if offset == 0:
            sheet.write_string(row_index, width, MESSAGE_HEADER, message_header)

    comments = 0
    previous = header_rows
    writer = _CellWriter(sheet, formats)
    for row_number, values in rows:
        if row_number <= previous:
            raise ValueError(f"row {row_number} is not after row {previous}: rows must ascend below the header")
        previous = row_number
        row_index = row_number - 1
        marked_columns = cells_by_row.get(row_number)
        if marked_columns is None:
            writer.plain_row(row_index, values[:width])
        else:
            marked = {index: _problems(problems[row_number, index]) for index in sorted(marked_columns)
                      if index < width}
            count = min(width, max(len(values), max(marked, default=-1) + 1))
            for index in range(count):
                cell_problems = marked.get(index)
                severity = _worst(cell_problems) if cell_problems else None
                writer.value(row_index, index, values[index] if index < len(values) else None, severity)
                if cell_problems and comments < COMMENT_LIMIT:
                    comments += 1
                    sheet.write_comment(row_index, index, "\n".join(message for _, message in cell_problems),
                                        {"author": AUTHOR, "x_scale": 1.8})
        own = _problems(row_messages.get(row_number, ()))
        if marked_columns is None and not own:
            continue
        found = [(index, problem) for index, cell_problems in marked.items() for problem in cell_problems] \
            if marked_columns is not None else []
        messages = [_label(severity, f"{names[index]}：{message}") for index, (severity, message) in found]
        messages += [_label(severity, message) for severity, message in own]
        if messages:
            worst = _worst([*(problem for _, problem in found), *own])
            sheet.write_string(row_index, width, "；".join(messages), formats.get(worst, "wrap"))
    workbook.close()


def _header_lines(headers, header_rows: int) -> list[Sequence[object]]:
    if header_rows < 1:
        raise ValueError("header_rows must be at least 1")
    nested = bool(headers) and all(isinstance(line, list | tuple) for line in headers)
    lines = list(headers) if nested else [headers]
    if len(lines) > header_rows:
        raise ValueError(f"{len(lines)} header rows given but header_rows is {header_rows}")
    return lines


def _problems(found: Iterable[Problem | str]) -> list[Problem]:
    return [(Severity.ERROR, problem) if isinstance(problem, str) else (problem[0], str(problem[1]))
            for problem in found]


def _worst(found: Iterable[Problem]) -> str:
    return Severity.ERROR if any(severity == Severity.ERROR for severity, _ in found) else Severity.WARNING


def _label(severity: str, message: str) -> str:
    return message if severity == Severity.ERROR else f"【提示】{message}"


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


class _Formats:
    """xlsxwriter formats by (severity, kind), made on first use: kind is text, number, date,
    datetime or wrap (the message column)."""

    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self.made: dict[tuple[str | None, str], object] = {}

    def get(self, severity: str | None, kind: str):
        key = (severity, kind)
        if key not in self.made:
            options: dict[str, object] = {}
            if severity == Severity.ERROR:
                options.update(bg_color=ERROR_FILL, font_color="#9C0006")
            elif severity is not None:
                options.update(bg_color=WARNING_FILL, font_color="#9C5700")
            options.update({"text": {"num_format": "@"}, "date": {"num_format": DATE_FORMAT},
                            "datetime": {"num_format": DATETIME_FORMAT}, "wrap": {"text_wrap": True},
                            "number": {}}[kind])
            self.made[key] = self.workbook.add_format(options)
        return self.made[key]


class _CellWriter:
    """Writes uploaded values as what they were: dates, numbers Excel holds exactly, or neutralised
    text (kept as text, so a re-upload reads the same characters). Unmarked cells, nearly all of a
    report, take a short path: this loop is most of the report's time."""

    EXCEL_EPOCH = datetime.date(1899, 12, 30)
    FIRST_SERIAL_DATE = datetime.date(1900, 3, 1)  # before it Excel's 1900 leap-year bug shifts serials

    def __init__(self, sheet, formats: _Formats) -> None:
        self.sheet = sheet
        self.formats = formats
        self.text = formats.get(None, "text")
        self.date = formats.get(None, "date")

    def plain_row(self, row: int, values: Sequence[object]) -> None:
        write_string, write_number = self.sheet.write_string, self.sheet.write_number
        text, date, epoch, first = self.text, self.date, self.EXCEL_EPOCH, self.FIRST_SERIAL_DATE
        for column, raw in enumerate(values):
            kind = type(raw)
            if kind is str:
                if raw:
                    write_string(row, column, "'" + raw if raw.startswith(DANGEROUS_PREFIXES) else raw, text)
            elif kind is datetime.date and raw >= first:
                write_number(row, column, (raw - epoch).days, date)
            elif raw is not None:
                self.value(row, column, raw, None)

    def value(self, row: int, column: int, raw: object, severity: str | None) -> None:
        sheet, formats = self.sheet, self.formats
        value = neutralise(raw)
        if isinstance(value, datetime.datetime):
            kind = "date" if value.time() == datetime.time() else "datetime"
            sheet.write_datetime(row, column, value.replace(tzinfo=None), formats.get(severity, kind))
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, formats.get(severity, "date"))
        elif (isinstance(value, int) and abs(value) < 10**15) or (isinstance(value, float) and math.isfinite(value)):
            sheet.write_number(row, column, value, formats.get(severity, "number"))
        elif value == "":
            if severity is not None:
                sheet.write_blank(row, column, None, formats.get(severity, "text"))
        else:
            sheet.write_string(row, column, str(value), formats.get(severity, "text"))
