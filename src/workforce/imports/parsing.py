"""Reading an employer's staff roster (花名册) upload: find the header, match columns by name, and yield
each data row with its values normalised and its problems listed, one row at a time.

The entry point is :func:`read_roster`. File-level refusals are :class:`RosterFileError` (the whole upload
is refused); cell-level problems are :class:`CellProblem` objects on each :class:`ParsedRow` (the row is
shown in the preview with its errors and warnings). All messages are Chinese and safe to show.

Streaming: rows are produced lazily and only the first rows (to find the header) are held, so a 1,000,000
row CSV is never in memory at once unless the caller collects it. Workbooks are read by python-calamine,
which holds one sheet's cells in native memory while its rows are yielded. Normalised values of columns
with few distinct values (dates, choices, yes/no, skill levels, occupations, employers' codes) are cached per
column.

The per-value normalisers (:func:`normalize_text`, :func:`parse_date`, :func:`parse_bool`,
:func:`parse_skill_level`, :func:`normalize_id_cell`, :func:`normalize_uscc_cell`,
:func:`normalize_phone_cell`, :func:`choice_value`) are plain functions that raise :class:`CellValueError`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, islice
from operator import call, itemgetter
from pathlib import Path

from django.utils import translation

from workforce.core.identifiers import IdentifierError, normalize_identifier, normalize_phone
from workforce.imports.columns import COLUMNS_BY_KEY, ROSTER_COLUMNS, Column
from workforce.imports.readers import (
    MB,
    MSG_EMPTY_FILE,
    XLS_FORMULA,
    RawSheet,
    RosterFileError,
    cell_text,
    check_safety,
    check_size,
    iter_csv_sheet,
    iter_workbook_sheets,
    scan_xlsx,
    sniff_format,
)

__all__ = [
    "CellProblem",
    "CellValueError",
    "ParsedRow",
    "RosterFileError",
    "RosterHeader",
    "check_safety",
    "choice_value",
    "find_header",
    "match_column",
    "normalize_id_cell",
    "normalize_phone_cell",
    "normalize_text",
    "normalize_uscc_cell",
    "parse_bool",
    "parse_date",
    "parse_skill_level",
    "read_roster",
    "sniff_format",
]

HEADER_SEARCH_ROWS = 30  # title rows and notes above the header are skipped, up to this many rows
HEAD_BYTES = 64 * 1024
_CACHE_LIMIT = 50_000  # distinct values remembered per column
_CACHED_KINDS = frozenset({"date", "bool", "choice", "skill_level", "occupation", "uscc"})
Synonyms = dict[str, tuple[tuple[str, str], ...]]  # column key -> (written, stored value) pairs
FOOTER_WORDS = ("合计", "总计", "小计", "共计", "制表人", "制表", "填表人", "填报人", "审核人", "审核", "负责人",
                "单位负责人", "填报日期", "制表日期", "备注", "注：", "注:", "说明")
_MEMO_TYPES = frozenset({str, datetime.date, datetime.datetime})  # cell types a memo may keep, see _Memo
_KEY_COLUMNS = frozenset({"id_number", "name"})  # a formula here is an error, elsewhere a warning
_ONLY_TEXT = {str}
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no.", "#"})  # row counters, not reported as unknown

MSG_NO_DATA = "文件中没有数据行"
MSG_EMPTY_WORKBOOK = "工作簿是空的：工作表中没有任何内容；请确认上传的是填写好的花名册"
MSG_EMPTY_CSV = "文件中没有任何内容；请确认上传的是填写好的花名册"
MSG_FOOTER = "表尾的合计/签字行（“{}”），不是职工数据，已跳过"
MSG_TOO_MANY_FIELDS = ("该行有 {} 个字段，多于表头的 {} 列，多出的“{}”没有读取："
                       "可能是某个单元格中含有未加引号的逗号{}")
MSG_TOO_FEW_FIELDS = ("该行只有 {} 个字段，少于表头的 {} 列，缺少的列按空白处理："
                      "可能是某个单元格中的换行未加引号，把一行断成了两行{}")
MSG_UNTERMINATED = "引号未闭合：从这一行起到“{}”的内容都被读进了一个单元格{}；请检查该行的引号"
MSG_REQUIRED = "必填项为空"
MSG_FORMULA = "单元格包含公式，已按公式文本读取，未计算"
MSG_XLS_FORMULA = "单元格包含公式（.xls 文件读不出公式文本，也不会计算它），请改为直接填写内容，或另存为 .xlsx 后上传"
MSG_ID_AS_NUMBER = "身份证号码被 Excel 存为数字，末尾数字已丢失，请将该列设为文本格式后重新填写"
MSG_USCC_AS_NUMBER = "统一社会信用代码被 Excel 存为数字，部分数字已丢失，请将该列设为文本格式后重新填写"
MSG_DATE_FORMAT = "日期格式无法识别：{}；请使用 2019-03-01 格式"
MSG_DATE_PARTIAL = "日期须包含年、月、日：{}；请使用 2019-03-01 格式"
MSG_SKILL = "技能等级无法识别：{}；可填 一级/高级技师、二级/技师、三级/高级工、四级/中级工、五级/初级工，或 1-5"


class CellValueError(ValueError):
    """A cell's value cannot be read as its column's kind. ``message`` is Chinese, ``str(e) == message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class CellProblem:
    """A problem with one cell: ``row`` is the spreadsheet row number as the user sees it, ``column`` the
    header text as in the file, ``value`` the cell's original text, ``message`` Chinese, ``severity``
    ``"error"`` (the row cannot be imported as it is) or ``"warning"``."""

    row: int
    column: str
    value: str
    message: str
    severity: str = "error"


@dataclass(slots=True)
class ParsedRow:
    """One non-empty data row. ``values`` maps the key of every column present in the file to its
    normalised value (``str``, ``datetime.date``, ``bool``, ``int`` for ``skill_level``, or ``None`` when
    the cell is empty or has an error); columns absent from the file are absent from ``values``. ``raw``
    maps the same keys to the original cell text; ``problems`` lists the row's cell problems."""

    number: int
    values: dict[str, object]
    raw: dict[str, str]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class RosterHeader:
    """The matched header: ``columns`` file column index (0 = column A) -> column key; ``headers`` key ->
    header text as in the file; ``unknown`` header texts not recognised (to show as warnings);
    ``duplicates`` header texts naming a column already matched to the left (ignored, to show as
    warnings); ``missing_required`` the Chinese headers of required columns that are absent;
    ``header_rows`` 1, or 2 for a two-row (merged) header; ``row`` the number of its last row;
    ``sheet`` the worksheet name (``""`` for CSV); ``notices`` rows the reader skipped (a totals footer),
    appended while the rows are read."""

    columns: dict[int, str]
    headers: dict[str, str]
    unknown: list[str]
    missing_required: list[str]
    header_rows: int = 1
    duplicates: list[str] = field(default_factory=list)
    row: int = 1
    sheet: str = ""
    width: int = 0  # cells in the header row, blank ones included (a CSV record should have as many)
    notices: list[tuple[int, str]] = field(default_factory=list)  # (row, message): rows skipped, filled as read


# ------------------------------------------------------------------------------------------ text

_TEXT_TABLE: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TEXT_TABLE.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad")))
_TEXT_TABLE[0x3000] = 0x20
_TEXT_TABLE[0x00A0] = 0x20


def normalize_text(value: object) -> str | None:
    """Return a cell as clean text, or None when blank: full-width ASCII forms (０-９, Ａ-Ｚ, （, …) become
    ASCII, zero-width characters and soft hyphens are removed, surrounding whitespace (including the
    ideographic space U+3000) is stripped and internal runs of whitespace become one space."""
    text = value if type(value) is str else cell_text(value)
    clean = " ".join((text if text.isascii() else text.translate(_TEXT_TABLE)).split())
    if not clean:
        return None
    return text if clean == text else clean  # the original object when clean: shared with ParsedRow.raw


def _compact(value: object) -> str:
    """Normalised text with all whitespace removed (for codes, choices and dates)."""
    text = normalize_text(value)
    return text.replace(" ", "") if text else ""


# ------------------------------------------------------------------------------------------ dates

_EARLIEST = datetime.date(1900, 1, 1)
_LATEST = datetime.date(2100, 12, 31)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 = 1900-03-01; Excel counts a fictitious 1900-02-29
_EXCEL_EPOCH_1904 = datetime.date(1904, 1, 1)
_MAX_SERIAL = (_LATEST - _EXCEL_EPOCH).days
_TIME = r"(?:[T\s]*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})" + _TIME)
_DATE_PARTIAL = re.compile(r"\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*月?)?|\d{6}|\d{4}年")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def _checked_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellValueError(f"日期不存在：{shown}") from None
    if not _EARLIEST <= result <= _LATEST:
        raise CellValueError(f"日期超出范围：{result.isoformat()}（应在1900年至2100年之间）")
    return result


def _serial_date(serial: float, date1904: bool, shown: str) -> datetime.date:
    whole = int(serial)
    if date1904:
        return _checked_date_from(_EXCEL_EPOCH_1904 + datetime.timedelta(days=whole))
    if whole == 60:
        raise CellValueError(f"日期不存在：{shown}（Excel 序列号 60 对应不存在的 1900-02-29）")
    if whole < 60:
        whole += 1  # before the fictitious leap day the epoch is one day later
    return _checked_date_from(_EXCEL_EPOCH + datetime.timedelta(days=whole))


def _checked_date_from(result: datetime.date) -> datetime.date:
    return _checked_date(result.year, result.month, result.day, result.isoformat())


def parse_date(value: object, *, date1904: bool = False) -> datetime.date | None:
    """Return the date in a cell, or None when blank.

    Accepts date and datetime cells; text ``2019-03-01``, ``2019-3-1``, ``2019/3/1``, ``2019.3.1``,
    ``2019年3月1日``, ``20190301`` (full-width digits too, an optional time such as ``00:00:00`` ignored);
    Excel serial numbers (1900 date system with its fictitious 1900-02-29 at serial 60, or the 1904 system
    when ``date1904``), as numbers or as 5-digit text; numbers such as ``20190301``. Raises
    :class:`CellValueError` for a year or a year and month only (``2019``, ``2019年3月``), a date that does
    not exist, a date outside 1900-01-01..2100-12-31, and anything else.
    """
    kind = type(value)
    if kind is datetime.date:
        return _checked_date_from(value)  # type: ignore[arg-type]
    if kind is datetime.datetime:
        return _checked_date_from(value.date())  # type: ignore[union-attr]
    if kind is int or kind is float:
        return _numeric_date(value, date1904)  # type: ignore[arg-type]
    if kind is not str:
        raise CellValueError(MSG_DATE_FORMAT.format(cell_text(value)))
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():  # type: ignore[arg-type,index]
        try:
            return _checked_date_from(datetime.date.fromisoformat(value))  # type: ignore[arg-type]
        except ValueError:
            pass  # e.g. 2019-02-30, reported below with the text as written
    text = normalize_text(value)
    if text is None:
        return None
    match = _DATE_SEPARATED.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match:
        return _checked_date(int(match[1]), int(match[2]), int(match[3]), text)
    if _SERIAL_TEXT.fullmatch(text) and float(text) <= _MAX_SERIAL:
        return _serial_date(float(text), date1904, text)
    if _DATE_PARTIAL.fullmatch(text):
        raise CellValueError(MSG_DATE_PARTIAL.format(text))
    raise CellValueError(MSG_DATE_FORMAT.format(text))


def _numeric_date(number: float, date1904: bool) -> datetime.date:
    shown = cell_text(number)
    if 19000101 <= number <= 21001231 and float(number).is_integer():
        digits = str(int(number))
        return _checked_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
    if 1900 <= number <= 2100:
        raise CellValueError(MSG_DATE_PARTIAL.format(shown))  # a year typed as a number
    if 1 <= number < _MAX_SERIAL + 1:
        return _serial_date(number, date1904, shown)
    raise CellValueError(MSG_DATE_FORMAT.format(shown))


# ------------------------------------------------------------------------------------------ names

NAME_MAX = 50  # registry.Worker.name
_DOTS = {ord(dot): "·" for dot in "•．・‧∙⋅･・●"}  # look-alike middle dots (minority and foreign names)
_IDEOGRAPH = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME = re.compile(rf"[{_IDEOGRAPH}]+(?:·[{_IDEOGRAPH}]+)*|[A-Za-z]+(?:[ ·'.-][A-Za-z]+)*")
_CJK_SPACES = re.compile(rf"(?<=[{_IDEOGRAPH}·]) (?=[{_IDEOGRAPH}·])")
MSG_NAME_CHARS = "姓名只能由汉字组成（少数民族姓名用间隔号“·”分隔），或由英文字母组成：{}"
MSG_NAME_LONG = "姓名过长：{} 个字符，最多 {} 个"
MSG_TOO_LONG = "内容过长：{} 个字符，最多 {} 个"
PHONE_MAX = 20  # registry.Worker.phone_masked
# The common name: two to four Chinese characters of the basic block, nothing to fold or check further.
_PLAIN_NAME = re.compile("[\u4e00-\u9fff]{2,4}")


def normalize_name(value: object) -> str | None:
    """Return a name cell cleaned and checked, or None when blank: :func:`normalize_text`'s folding
    (full-width spaces too), look-alike dots (• ． ・ …) made the middle dot ``·``, spaces between
    Chinese characters removed (``张  三``). Accepts Chinese characters of every CJK block (䶮, 𠮷) with
    ``·`` between parts (``阿依古丽·买买提``), or Latin letters. Raises :class:`CellValueError` for
    anything else (digits, markup, other punctuation) and for more than ``NAME_MAX`` characters."""
    if type(value) is str and _PLAIN_NAME.fullmatch(value):
        return value
    text = normalize_text(value)
    if text is None:
        return None
    if not text.isascii():
        text = _CJK_SPACES.sub("", text.translate(_DOTS).replace(" · ", "·"))
    if len(text) > NAME_MAX:
        raise CellValueError(MSG_NAME_LONG.format(len(text), NAME_MAX))
    if _NAME.fullmatch(text) is None:
        raise CellValueError(MSG_NAME_CHARS.format(text[:NAME_MAX]))
    return text


# ------------------------------------------------------------------------------------------ yes/no, levels

_BOOLEANS = {
    **dict.fromkeys(("是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对", "有", "已签", "已签订", "签订", "已签署",
                     "已入会", "会员"), True),
    **dict.fromkeys(("否", "n", "no", "false", "f", "0", "×", "✗", "✘", "x", "错", "无", "未签", "未签订", "没签",
                     "未入会", "非会员", "不是"), False),
}
MSG_BOOL = "无法识别“{}”：可填 是/否、有/无、已签/未签、Y/N、√/×、1/0、TRUE/FALSE"


def parse_bool(value: object) -> bool | None:
    """Return a yes/no cell as a bool, or None when blank: 是/否, 有/无, 已签/已签订/未签, Y/N, yes/no,
    true/false, 1/0, √/× (any case, full-width too) and Excel TRUE/FALSE cells. Raises
    :class:`CellValueError` naming the accepted values otherwise."""
    if type(value) is bool:
        return value  # type: ignore[return-value]
    if type(value) is float and value.is_integer():  # type: ignore[union-attr]
        value = int(value)  # type: ignore[arg-type]
    text = _compact(value).lower()
    if not text:
        return None
    try:
        return _BOOLEANS[text]
    except KeyError:
        raise CellValueError(MSG_BOOL.format(text)) from None


_SKILL_TITLES = {"高级技师": 1, "技师": 2, "高级工": 3, "中级工": 4, "初级工": 5, "高级": 3, "中级": 4, "初级": 5}
_SKILL_GRADES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_SKILL_PREFIXES = ("国家职业资格", "职业资格", "职业技能等级", "技能等级", "等级")
_SKILL_LEVEL = re.compile(r"([1-5一二三四五])级?")
_SKILL_SPLIT = re.compile(r"[/\\、|,;]")


def parse_skill_level(value: object) -> int | None:
    """Return a national vocational skill level 1-5 (1 = 一级/高级技师 … 5 = 五级/初级工), or None when
    blank. Accepts ``三级/高级工``, ``三级``, ``高级工``, ``3``, ``３``, ``3级``, ``国家职业资格三级`` and
    numbers; both halves of ``三级/高级工`` must agree. Raises :class:`CellValueError` otherwise."""
    if type(value) in (int, float) and float(value).is_integer() and 1 <= value <= 5:  # type: ignore[operator,arg-type]
        return int(value)  # type: ignore[call-overload]
    text = _compact(value)
    if not text:
        return None
    levels = set()
    for part in _SKILL_SPLIT.split(text):
        for prefix in _SKILL_PREFIXES:
            part = part.removeprefix(prefix)
        part = part.removesuffix("证书")
        match = _SKILL_LEVEL.fullmatch(part)
        if match:
            levels.add(_SKILL_GRADES.get(match[1]) or int(match[1]))
        elif part in _SKILL_TITLES:
            levels.add(_SKILL_TITLES[part])
        elif part:
            raise CellValueError(MSG_SKILL.format(text))
    if len(levels) != 1:
        raise CellValueError(MSG_SKILL.format(text))
    return levels.pop()


# ------------------------------------------------------------------------------------------ identifiers

_FLOAT_TEXT = re.compile(r"\d*\.?\d*E[+-]?\d+|\d+\.\d*")


def _number_cell_text(value: object, message: str) -> str:
    """The digits of a numeric cell holding a code; refuse numbers of 16 or more digits (Excel keeps 15
    significant digits, so the rest were lost) and fractions."""
    number = float(value)  # type: ignore[arg-type]
    if not number.is_integer() or abs(number) >= 1e15:
        raise CellValueError(message)
    return str(int(number))


def normalize_id_cell(value: object) -> str | None:
    """Return a resident ID number cell normalised (:func:`normalize_identifier`: full-width, spaces and
    zero-width characters, lower-case ``x``), or None when blank. It is not validated here (the caller
    uses ``parse_id_number``, which also upgrades 15-digit numbers). Raises :class:`CellValueError` for a
    number of 16+ digits or text in scientific or decimal notation: Excel stored the ID as a number and
    its last digits are lost."""
    if type(value) is str and value.isascii() and value.isalnum():
        # what normalize_identifier gives for clean ASCII, ten times faster (and digits stay the same object)
        return value if value.isdigit() else value.upper()
    if type(value) in (int, float):
        return _number_cell_text(value, MSG_ID_AS_NUMBER)
    text = normalize_identifier(value if type(value) is str else cell_text(value))
    if not text:
        return None
    if _FLOAT_TEXT.fullmatch(text):
        raise CellValueError(MSG_ID_AS_NUMBER)
    return text


def normalize_uscc_cell(value: object) -> str | None:
    """Return a unified social credit code cell normalised like :func:`normalize_id_cell` (not validated;
    the caller uses ``parse_uscc``), or None when blank; numbers and scientific notation are refused."""
    if type(value) in (int, float):
        return _number_cell_text(value, MSG_USCC_AS_NUMBER)
    text = normalize_identifier(value if type(value) is str else cell_text(value))
    if not text:
        return None
    if _FLOAT_TEXT.fullmatch(text):
        raise CellValueError(MSG_USCC_AS_NUMBER)
    return text


def normalize_phone_cell(value: object) -> str | None:
    """Return a phone number as digits (``normalize_phone``: ``+86``, dashes and spaces removed), or None
    when blank. A number cell is fine (11 digits fit Excel's precision). Raises :class:`CellValueError`
    with the validator's message for anything that is not a mobile or landline number."""
    if type(value) in (int, float):
        value = _number_cell_text(value, "手机号码格式不正确")
    text = value if type(value) is str else cell_text(value)
    if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1" and text[1] in "3456789":
        return text  # a clean mobile number, what normalize_phone would return
    if not text.strip():
        return None
    try:
        phone = normalize_phone(text)
    except IdentifierError as error:
        raise CellValueError(error.message) from None
    if len(phone) > PHONE_MAX:
        raise CellValueError(MSG_TOO_LONG.format(len(phone), PHONE_MAX))
    return phone


# ------------------------------------------------------------------------------------------ choices

# Common ways of writing a choice beyond its label, English label and stored value.
CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "gender": {"男性": "M", "女性": "F"},
    "hukou_type": {
        "农业户口": "rural", "农业": "rural", "农村": "rural", "农业家庭户口": "rural",
        "非农业户口": "urban", "非农业": "urban", "非农": "urban", "城镇": "urban", "城市户口": "urban",
        "非农业家庭户口": "urban",
    },
    "education": {
        "小学": "primary", "中等专业学校": "vocational", "中等职业学校": "vocational",
        "职业高中": "vocational", "中技": "vocational", "高级中学": "senior", "普高": "senior", "初级中学": "junior",
        "中专": "vocational", "技校": "vocational", "技工学校": "vocational",
        "职高": "vocational", "中职": "vocational", "大专": "college", "高职": "college", "专科": "college",
        "大学专科": "college", "大学本科": "bachelor", "硕士": "postgraduate", "博士": "postgraduate",
        "硕士研究生": "postgraduate", "博士研究生": "postgraduate",
    },
    "political_status": {
        "党员": "cpc_member", "预备党员": "cpc_probationary", "团员": "cyl_member",
        "民主党派成员": "other_party",
    },
    "contract_type": {
        "固定期限劳动合同": "fixed_term", "无固定期限劳动合同": "open_ended",
        "以完成一定工作任务为期限的劳动合同": "task_based", "完成一定工作任务": "task_based",
    },
    "new_employment_group": {"否": "", "无": ""},
}


def _token(text: str) -> str:
    return _compact(text).lower()


@cache
def _choice_table(key: str, extra: tuple[tuple[str, str], ...] = ()) -> tuple[dict[str, str], str]:
    """Accepted token -> stored value for a choice column, and the Chinese labels for error messages;
    ``extra`` holds the administrator's synonyms (``imports.RosterSynonym``), which never override a
    label or built-in alias."""
    column = COLUMNS_BY_KEY[key]
    assert column.choice_enum is not None
    table: dict[str, str] = {}
    for language in ("en", "zh-hans"):  # Chinese last so that it wins any clash
        with translation.override(language):
            for value, label in column.choice_enum.choices:
                table[_token(str(label))] = value
    for value in column.choice_enum.values:
        if value:
            table.setdefault(_token(value), value)
    aliases = [alias for alias, value in (*CHOICE_ALIASES.get(key, {}).items(), *extra) if value]
    for alias, value in (*CHOICE_ALIASES.get(key, {}).items(), *extra):
        table.setdefault(_token(alias), value)
    accepted = "、".join(column.labels())
    if aliases:
        shown = "、".join(aliases[:20]) + ("等" if len(aliases) > 20 else "")
        accepted += f"，也可写作 {shown}"
    return table, accepted


def choice_value(column: Column, value: object, extra: tuple[tuple[str, str], ...] = ()) -> str | None:
    """Return the stored value of a choice cell (``农村户口`` -> ``rural``), or None when blank. Accepts
    the Chinese label, the English label, the stored value itself (any case) and the aliases in
    :data:`CHOICE_ALIASES`. Raises :class:`CellValueError` listing the accepted labels otherwise."""
    text = _token(value)  # type: ignore[arg-type]
    if not text:
        return None
    table, labels = _choice_table(column.key, extra)
    try:
        return table[text]
    except KeyError:
        raise CellValueError(f"“{normalize_text(value)}”不是有效的{column.header}，可填：{labels}") from None


def _limited_text(limit: int, value: object) -> str | None:
    """:func:`normalize_text`, refused past ``limit`` characters (the registry's column would refuse it
    at the commit, with no row number)."""
    text = normalize_text(value)
    if text is not None and len(text) > limit:
        raise CellValueError(MSG_TOO_LONG.format(len(text), limit))
    return text


def _parser(column: Column, date1904: bool, extra: tuple[tuple[str, str], ...] = ()) -> Callable[[object], object]:
    if column.max_length:
        return partial(_limited_text, column.max_length)
    if column.kind == "date":
        return partial(parse_date, date1904=date1904)
    if column.kind == "choice":
        return partial(choice_value, column, extra=extra)
    return {
        "name": normalize_name,
        "id_number": normalize_id_cell,
        "uscc": normalize_uscc_cell,
        "phone": normalize_phone_cell,
        "bool": parse_bool,
        "skill_level": parse_skill_level,
    }.get(column.kind, normalize_text)


# ------------------------------------------------------------------------------------------ headers

_REQUIRED_MARKS = re.compile(r"^\*+|\*+$|\((?:必填|选填|必填项)\)$")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|〔.*?〕")


def _header_token(text: str) -> str:
    return _REQUIRED_MARKS.sub("", _token(text))


@cache
def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in ROSTER_COLUMNS:
        for name in (column.header, *column.synonyms, column.key):
            table.setdefault(_header_token(name), column.key)
    return table


def match_column(header_text: str) -> str | None:
    """Return the key of the roster column a header names, or None. Matching ignores whitespace (also
    inside: ``姓 名``), case, full-width forms, a ``*`` or ``(必填)`` mark, and, failing that, bracketed
    notes such as ``出生日期（yyyy-mm-dd）``."""
    table = _header_table()
    token = _header_token(header_text)
    if not token:
        return None
    found = table.get(token)
    if found is None:
        stripped = _BRACKETED.sub("", token)
        found = table.get(stripped) if stripped and stripped != token else None
    return found


def _header_cells(cells: list) -> list[str]:
    return [" ".join(cell_text(cell).split()) if cell != "" else "" for cell in cells]


Mapping = list[tuple[int, str, str | None]]  # (column index, header text, key or None)


def _single(cells: list[str]) -> Mapping:
    return [(index, text, match_column(text) if text else None) for index, text in enumerate(cells)]


def _combined(top: list[str], bottom: list[str], spans: dict[int, str], fill_forward: bool) -> Mapping:
    """Header texts of a two-row header: under a merged (or, without merge information, a blank-extended)
    top cell, try the top text followed by the lower cell (``劳动合同`` + ``类型``), else the lower cell."""
    mapping: Mapping = []
    group = ""
    for index in range(max(len(top), len(bottom))):
        upper = top[index] if index < len(top) else ""
        lower = bottom[index] if index < len(bottom) else ""
        if upper:
            group = upper
        prefix = upper or (group if fill_forward else spans.get(index, ""))
        if not lower:
            mapping.append((index, upper, match_column(upper) if upper else None))
            continue
        if prefix:
            key = match_column(prefix + lower)
            if key is not None:
                mapping.append((index, prefix + lower, key))
                continue
        mapping.append((index, lower, match_column(lower)))
    return mapping


def _score(mapping: Mapping) -> int:
    return len({key for _, _, key in mapping if key is not None})


def find_header(
    rows: list[tuple[int, list]], merged: Iterable[tuple[int, int, int, int]] = ()
) -> tuple[RosterHeader, int] | None:
    """Find the header among the first rows of a sheet: the first row naming at least two known columns,
    combined with the row below it (or above it) when that matches more columns, as with a two-row
    government-style header whose top row has merged cells (``劳动合同`` over ``类型``/``起始日期``).
    ``merged`` is :attr:`RawSheet.merged`; without it (CSV) a blank top cell continues the text to its
    left. Returns the header and the position in ``rows`` of the first row after it, or None."""
    texts = [(number, _header_cells(cells)) for number, cells in rows]
    merged = list(merged)
    position = next((i for i, (_, cells) in enumerate(texts) if _score(_single(cells)) >= 2), None)
    if position is None:
        return None
    number, cells = texts[position]

    def spans(row_number: int) -> dict[int, str]:
        top = next(row_cells for n, row_cells in texts if n == row_number)
        return {
            column: top[first_col] if first_col < len(top) else ""
            for first_row, first_col, _, last_col in merged
            if first_row == row_number and last_col > first_col
            for column in range(first_col, last_col + 1)
        }

    options = [(_single(cells), 1, position + 1)]
    if position + 1 < len(texts) and texts[position + 1][0] == number + 1:
        below = texts[position + 1][1]
        options.append((_combined(cells, below, spans(number), not merged), 2, position + 2))
    if position > 0 and texts[position - 1][0] == number - 1 and any(texts[position - 1][1]):
        above = texts[position - 1][1]
        options.append((_combined(above, cells, spans(number - 1), not merged), 2, position + 1))
    mapping, header_rows, data_start = max(options, key=lambda option: _score(option[0]))

    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, text, key in mapping:
        if not text:
            continue
        if key is None:
            if _header_token(text) not in IGNORED_HEADERS:
                unknown.append(text)
        elif key in headers:
            duplicates.append(text)
        else:
            columns[index] = key
            headers[key] = text
    missing = [column.header for column in ROSTER_COLUMNS if column.required and column.key not in headers]
    header = RosterHeader(
        columns=columns, headers=headers, unknown=unknown, missing_required=missing, header_rows=header_rows,
        duplicates=duplicates, row=rows[data_start - 1][0],
        width=max(len(cells) for _, cells in rows[data_start - header_rows:data_start]),
    )
    return header, data_start


def _is_numbering_row(cells: list) -> bool:
    """True for a row of column numbers (1, 2, 3, …) that government forms put under the header."""
    numbers = []
    for cell in cells:
        if cell == "":
            continue
        text = _compact(cell).strip("()")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# ------------------------------------------------------------------------------------------ rows


class _Flagged:
    """A converted cell that has problems: ``value`` (None after an error) and ``problems``, a tuple of
    ``(message, severity)``. Plain values are returned bare, so the common case allocates nothing."""

    __slots__ = ("problems", "value")

    def __init__(self, value: object, problems: tuple[tuple[str, str], ...]) -> None:
        self.value = value
        self.problems = problems


def _converter(column: Column, date1904: bool, synonyms: Synonyms | None = None) -> Callable[[object], object]:
    """A function from a raw cell to its normalised value, or to a :class:`_Flagged` when the cell has an
    error or starts with ``=`` (a formula's text). Columns of few distinct values get a memo in front."""
    parse = _parser(column, date1904, (synonyms or {}).get(column.key, ()))
    formula = ((MSG_FORMULA, "error" if column.key in _KEY_COLUMNS else "warning"),)
    xls_formula = ((MSG_XLS_FORMULA, "error"),)

    def convert(cell: object) -> object:
        if cell == "":
            return None
        if cell == XLS_FORMULA:
            return _Flagged(None, xls_formula)
        try:
            value = parse(cell)
        except CellValueError as error:
            if type(cell) is str and cell[0] == "=":
                return _Flagged(None, (*formula, (error.message, "error")))
            return _Flagged(None, ((error.message, "error"),))
        if type(cell) is str and cell[0] == "=":
            return _Flagged(value, formula)
        return value

    if column.kind in _CACHED_KINDS:
        return _Memo(convert).__getitem__
    return convert


class _Memo(dict):
    """Converted values by raw cell, up to ``_CACHE_LIMIT`` of them; a hit is one C-level dict lookup.
    Only text and date cells (a workbook's date columns) are remembered: ``True == 1 == 1.0`` would mix
    up numbers and booleans, while a date equals no text, number or datetime."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[object], object]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, cell: object) -> object:
        value = self.convert(cell)
        if type(cell) in _MEMO_TYPES and len(self) < _CACHE_LIMIT:
            self[cell] = value
        return value


def _tuple_getter(items: list) -> Callable[[object], tuple]:
    """itemgetter that always returns a tuple (itemgetter of one item returns the bare item)."""
    if len(items) == 1:
        return lambda container: (container[items[0]],)  # type: ignore[index]
    return itemgetter(*items) if items else (lambda container: ())


def _footer_text(cells: list) -> str | None:
    """The text of a totals or signature row under the data (``合计 50人``, ``制表人：…``), else None."""
    first = next((normalize_text(cell) for cell in cells if cell != "" and normalize_text(cell)), None)
    if first and first.replace(" ", "").startswith(FOOTER_WORDS):
        return " ".join(text for text in (normalize_text(cell) for cell in cells if cell != "") if text)[:100]
    return None


def _looks_like_id(value: object) -> bool:
    return value is not None and sum(character.isdigit() for character in str(value)) >= 15


def _record_problems(number: int, cells: list, header: RosterHeader, sheet: RawSheet) -> list[CellProblem]:
    """A CSV record whose number of fields differs from the header's, or with an unclosed quote, at the
    record's own row (and text line, when a quoted line break shifted them apart)."""
    line = sheet.lines.get(number)
    where = f"（文本第 {line} 行）" if line else ""
    unclosed = next((cell for cell in cells if "\n" in cell and ("," in cell or "\t" in cell)), None)
    if unclosed is not None:
        return [CellProblem(number, "", "", MSG_UNTERMINATED.format(unclosed.rsplit("\n", 1)[-1][:30], where))]
    extra = [cell for cell in cells[header.width:] if cell.strip()]
    if extra:
        return [CellProblem(number, "", "", MSG_TOO_MANY_FIELDS.format(len(cells), header.width, ",".join(extra)[:60],
                                                                      where))]
    if len(cells) < header.width:
        return [CellProblem(number, "", "", MSG_TOO_FEW_FIELDS.format(len(cells), header.width, where), "warning")]
    return []


def _rows_of(
    rows: Iterator[tuple[int, list]],
    header: RosterHeader,
    sheet: RawSheet,
    max_rows: int,
    synonyms: Synonyms,
) -> Iterator[ParsedRow]:
    """Normalise each non-empty data row (one where a known column has a value or an error). Written for
    speed: the mapped cells are picked in C (itemgetter) and each goes through one converter call. A
    totals footer is skipped (``header.notices``); a CSV record with more or fewer fields than the
    header has a problem of its own."""
    indices = sorted(header.columns)
    keys = tuple(header.columns[index] for index in indices)
    width = len(keys)
    converters = tuple(_converter(COLUMNS_BY_KEY[key], sheet.date1904, synonyms) for key in keys)
    csv_width = header.width if sheet.cells_are_text else 0
    headers = header.headers
    required = tuple((key, headers[key]) for key in keys if COLUMNS_BY_KEY[key].required)
    pick_required = _tuple_getter([key for key, _ in required])
    pick = _tuple_getter(indices)
    contiguous = indices == list(range(width))  # every column known and in place: use the row itself
    need = indices[-1] + 1
    padding = [""] * need
    formulas = sheet.formulas()
    is_text = sheet.cells_are_text
    count = 0
    for number, cells in rows:
        fields = len(cells)
        if len(cells) < need:
            cells = cells + padding[len(cells) :]
        if formulas and number in formulas:
            cells = list(cells)
            for index, formula in formulas[number].items():
                if index < need:
                    cells[index] = formula
        picked = cells if contiguous and len(cells) == width else pick(cells)
        if picked.count("") == width:
            continue
        converted = list(map(call, converters, picked))
        problems: list[CellProblem] | None = None
        failed: set[str] | None = None
        if _Flagged in map(type, converted):
            problems = []
            failed = set()
            for position, value in enumerate(converted):
                if type(value) is _Flagged:
                    key = keys[position]
                    text = cell_text(picked[position])
                    for message, severity in value.problems:
                        problems.append(CellProblem(number, headers[key], text, message, severity))
                        if severity == "error":
                            failed.add(key)
                    converted[position] = value.value
        elif converted.count(None) == width:
            continue  # only blanks and spaces
        else:
            problems = []
        values = dict(zip(keys, converted, strict=False))
        if csv_width and (fields != csv_width or (number in sheet.lines and any("\n" in cell for cell in cells))):
            problems.extend(_record_problems(number, cells[:fields], header, sheet))
        if None in pick_required(values):
            footer = _footer_text(cells) if not _looks_like_id(values.get("id_number")) else None
            if footer is not None:
                header.notices.append((number, MSG_FOOTER.format(footer)))
                continue
            for key, header_text in required:
                if values[key] is None and (failed is None or key not in failed):
                    problems.append(CellProblem(number, header_text, "", MSG_REQUIRED))
        if count == 0 and _is_numbering_row(cells):
            continue
        count += 1
        if count > max_rows:
            raise RosterFileError(f"数据行超过上限 {max_rows:,} 行；请拆分为多个文件后分批上传")
        if is_text or set(map(type, picked)) == _ONLY_TEXT:
            raw = dict(zip(keys, picked, strict=True))
        else:
            raw = dict(zip(keys, [cell if type(cell) is str else cell_text(cell) for cell in picked], strict=True))
        yield ParsedRow(number, values, raw, problems)


def _open_sheets(path: Path, fmt: str, formula_members: set[str]) -> Iterator[RawSheet]:
    if fmt == "csv":
        yield iter_csv_sheet(path)
    else:
        yield from iter_workbook_sheets(path, fmt, formula_members=formula_members)


def read_roster(
    path: str | Path,
    filename: str,
    *,
    max_rows: int = 1_000_000,
    max_bytes: int = 100 * MB,
    max_uncompressed_bytes: int = 200 * MB,
    synonyms: Synonyms | None = None,
) -> tuple[RosterHeader, Iterator[ParsedRow]]:
    """Open an uploaded roster and return its header and a lazy iterator of its non-empty data rows.

    ``filename`` is the name the user gave (its extension is checked against the content, see
    :func:`sniff_format`). The file is checked (:func:`check_safety`) before any parser opens it. The
    header is looked for in the first 30 rows of the first visible worksheet that has one (see
    :func:`find_header`); rows above it are titles, a row of column numbers right below it is skipped.
    Raises :class:`RosterFileError` before returning for: an empty or unsafe file, a wrong or unsupported
    type, no header, missing required columns, no data rows. The iterator raises
    :class:`RosterFileError` when the file's data rows pass ``max_rows`` (or a CSV turns out to be
    undecodable further on): the caller must be consuming it before anything is committed, which holds
    since rows are committed only after the preview has read them all.

    Formulas: ``.xlsx`` formula cells give their formula text (``=A1&B1``), never a computed value, with
    a warning (an error in the name and ID number columns); so does any text starting with ``=``. For
    ``.xls`` formula cells are not detected and calamine's cached result is read.

    ``synonyms`` adds the administrator's ways of writing coded values (``imports.synonyms``).
    """
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        raise RosterFileError(MSG_EMPTY_FILE)
    fmt = sniff_format(head, filename)
    formula_members: set[str] = set()
    if fmt == "xlsx":  # check_safety's checks, keeping what the zip scan learnt about formulas
        check_size(path, max_bytes=max_bytes)
        formula_members = scan_xlsx(path, max_uncompressed_bytes=max_uncompressed_bytes)
    else:
        check_safety(path, fmt, max_bytes=max_bytes)

    saw_rows = False
    for sheet in _open_sheets(path, fmt, formula_members):
        first_rows = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
        saw_rows = saw_rows or any(any(cell != "" for cell in cells) for _, cells in first_rows)
        found = find_header(first_rows, sheet.merged)
        if found is not None:
            break
    else:
        if not saw_rows:
            raise RosterFileError(MSG_EMPTY_CSV if fmt == "csv" else MSG_EMPTY_WORKBOOK)
        raise RosterFileError(
            f"未找到表头：前 {HEADER_SEARCH_ROWS} 行中没有包含“姓名”“公民身份号码”等列名的行；"
            "请使用系统提供的花名册模板"
        )
    header, data_start = found
    header.sheet = sheet.name
    if header.missing_required:
        raise RosterFileError(
            f"缺少必填列：{'、'.join(header.missing_required)}；请检查表头，可参照系统提供的花名册模板"
        )
    parsed = _rows_of(chain(first_rows[data_start:], sheet.rows), header, sheet, max_rows, synonyms or {})
    first = next(parsed, None)
    if first is None:
        raise RosterFileError(MSG_NO_DATA)
    return header, chain((first,), parsed)
