"""The values of a roster's cells: one plain function per kind of column (text, dates, names, yes/no,
skill levels, ID numbers, credit codes, phones, choices), each returning the normalised value, ``None`` for
a blank cell, or raising :class:`CellValueError` with a Chinese message. ``parsing`` applies them row by row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache, partial

from django.utils import translation
from django.utils.translation import gettext_noop

from workforce.core.identifiers import IdentifierError, normalize_identifier, normalize_phone
from workforce.core.messages import Message
from workforce.imports.columns import COLUMNS_BY_KEY, Column
from workforce.imports.readers import cell_text

MSG_ID_AS_NUMBER = Message(gettext_noop("身份证号码被 Excel 存为数字，末尾数字已丢失，请将该列设为文本格式后重新填写"))
MSG_USCC_AS_NUMBER = Message(gettext_noop(
    "统一社会信用代码被 Excel 存为数字，部分数字已丢失，请将该列设为文本格式后重新填写"))
MSG_PHONE = Message(gettext_noop("手机号码格式不正确"))
MSG_DATE_FORMAT = gettext_noop("日期格式无法识别：%(value)s；请使用 2019-03-01 格式")
MSG_DATE_PARTIAL = gettext_noop("日期须包含年、月、日：%(value)s；请使用 2019-03-01 格式")
MSG_DATE_MISSING = gettext_noop("日期不存在：%(value)s")
MSG_DATE_RANGE = gettext_noop("日期超出范围：%(value)s（应在1900年至2100年之间）")
MSG_DATE_SERIAL_60 = gettext_noop("日期不存在：%(value)s（Excel 序列号 60 对应不存在的 1900-02-29）")
MSG_SKILL = gettext_noop(
    "技能等级无法识别：%(value)s；可填 一级/高级技师、二级/技师、三级/高级工、四级/中级工、五级/初级工，或 1-5")
MSG_CHOICE = gettext_noop("“%(value)s”不是有效的%(header)s，可填：%(accepted)s")
MSG_CHOICE_ALSO = gettext_noop("%(labels)s，也可写作 %(aliases)s")
MSG_CHOICE_ALSO_MORE = gettext_noop("%(labels)s，也可写作 %(aliases)s等")


class CellValueError(ValueError):
    """A cell's value cannot be read as its column's kind. ``message`` is Chinese (a :class:`Message`, so
    it can be shown translated), ``str(e) == message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
_DATE_SEPARATED = re.compile(  # not translated: a pattern
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})" + _TIME)
_DATE_PARTIAL = re.compile(r"\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*月?)?|\d{6}|\d{4}年")  # not translated: a pattern
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def _checked_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellValueError(Message(MSG_DATE_MISSING, value=shown)) from None
    if not _EARLIEST <= result <= _LATEST:
        raise CellValueError(Message(MSG_DATE_RANGE, value=result.isoformat()))
    return result


def _serial_date(serial: float, date1904: bool, shown: str) -> datetime.date:
    whole = int(serial)
    if date1904:
        return _checked_date_from(_EXCEL_EPOCH_1904 + datetime.timedelta(days=whole))
    if whole == 60:
        raise CellValueError(Message(MSG_DATE_SERIAL_60, value=shown))
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
        raise CellValueError(Message(MSG_DATE_FORMAT, value=cell_text(value)))
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
        raise CellValueError(Message(MSG_DATE_PARTIAL, value=text))
    raise CellValueError(Message(MSG_DATE_FORMAT, value=text))


def _numeric_date(number: float, date1904: bool) -> datetime.date:
    shown = cell_text(number)
    if 19000101 <= number <= 21001231 and float(number).is_integer():
        digits = str(int(number))
        return _checked_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
    if 1900 <= number <= 2100:
        raise CellValueError(Message(MSG_DATE_PARTIAL, value=shown))  # a year typed as a number
    if 1 <= number < _MAX_SERIAL + 1:
        return _serial_date(number, date1904, shown)
    raise CellValueError(Message(MSG_DATE_FORMAT, value=shown))


# ------------------------------------------------------------------------------------------ names

NAME_MAX = 50  # registry.Worker.name
_DOTS = {ord(dot): "·" for dot in "•．・‧∙⋅･・●"}  # look-alike middle dots (minority and foreign names)
_IDEOGRAPH = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME = re.compile(rf"[{_IDEOGRAPH}]+(?:·[{_IDEOGRAPH}]+)*|[A-Za-z]+(?:[ ·'.-][A-Za-z]+)*")
_CJK_SPACES = re.compile(rf"(?<=[{_IDEOGRAPH}·]) (?=[{_IDEOGRAPH}·])")
MSG_NAME_CHARS = gettext_noop("姓名只能由汉字组成（少数民族姓名用间隔号“·”分隔），或由英文字母组成：%(value)s")
MSG_NAME_LONG = gettext_noop("姓名过长：%(length)d 个字符，最多 %(limit)d 个")
MSG_TOO_LONG = gettext_noop("内容过长：%(length)d 个字符，最多 %(limit)d 个")
PHONE_MAX = 20  # registry.Worker.phone_masked
# The common name: two to four Chinese characters of the basic block, nothing to fold or check further.
_PLAIN_NAME = re.compile("[\u4e00-\u9fff]{2,4}")  # not translated: a pattern


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
        raise CellValueError(Message(MSG_NAME_LONG, length=len(text), limit=NAME_MAX))
    if _NAME.fullmatch(text) is None:
        raise CellValueError(Message(MSG_NAME_CHARS, value=text[:NAME_MAX]))
    return text


# ------------------------------------------------------------------------------------------ yes/no, levels

_BOOLEANS = {  # not translated: the ways rosters write yes and no
    **dict.fromkeys(("是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对", "有", "已签", "已签订", "签订", "已签署",
                     "已入会", "会员"), True),
    **dict.fromkeys(("否", "n", "no", "false", "f", "0", "×", "✗", "✘", "x", "错", "无", "未签", "未签订", "没签",
                     "未入会", "非会员", "不是"), False),
}
MSG_BOOL = gettext_noop("无法识别“%(value)s”：可填 是/否、有/无、已签/未签、Y/N、√/×、1/0、TRUE/FALSE")


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
        raise CellValueError(Message(MSG_BOOL, value=text)) from None


# not translated: the ways rosters write skill levels
_SKILL_TITLES = {"高级技师": 1, "技师": 2, "高级工": 3, "中级工": 4, "初级工": 5, "高级": 3, "中级": 4, "初级": 5}
_SKILL_GRADES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}  # not translated: roster words
_SKILL_PREFIXES = (  # not translated: roster words
    "国家职业资格", "职业资格", "职业技能等级", "技能等级", "等级")
_SKILL_LEVEL = re.compile(r"([1-5一二三四五])级?")  # not translated: a pattern
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
        part = part.removesuffix("证书")  # not translated: a roster word
        match = _SKILL_LEVEL.fullmatch(part)
        if match:
            levels.add(_SKILL_GRADES.get(match[1]) or int(match[1]))
        elif part in _SKILL_TITLES:
            levels.add(_SKILL_TITLES[part])
        elif part:
            raise CellValueError(Message(MSG_SKILL, value=text))
    if len(levels) != 1:
        raise CellValueError(Message(MSG_SKILL, value=text))
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
    return _code_cell(value, MSG_ID_AS_NUMBER)


def normalize_uscc_cell(value: object) -> str | None:
    """Return a unified social credit code cell normalised like :func:`normalize_id_cell` (not validated;
    the caller uses ``parse_uscc``), or None when blank; numbers and scientific notation are refused."""
    return _code_cell(value, MSG_USCC_AS_NUMBER)


def _code_cell(value: object, as_number: str) -> str | None:
    """An identifier cell (ID number, credit code) normalised, or None when blank; ``as_number`` is raised
    for a cell Excel stored as a number (its last digits are lost)."""
    if type(value) in (int, float):
        return _number_cell_text(value, as_number)
    text = normalize_identifier(value if type(value) is str else cell_text(value))
    if not text:
        return None
    if _FLOAT_TEXT.fullmatch(text):
        raise CellValueError(as_number)
    return text


def normalize_phone_cell(value: object) -> str | None:
    """Return a phone number as digits (``normalize_phone``: ``+86``, dashes and spaces removed), or None
    when blank. A number cell is fine (11 digits fit Excel's precision). Raises :class:`CellValueError`
    with the validator's message for anything that is not a mobile or landline number."""
    if type(value) in (int, float):
        value = _number_cell_text(value, MSG_PHONE)
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
        raise CellValueError(Message(MSG_TOO_LONG, length=len(phone), limit=PHONE_MAX))
    return phone


# ------------------------------------------------------------------------------------------ choices

# Common ways of writing a choice beyond its label, English label and stored value.
CHOICE_ALIASES: dict[str, dict[str, str]] = {  # not translated: roster words
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
    "post_category": {
        "一线": "front_line", "一线工人": "front_line", "一线员工": "front_line", "生产一线": "front_line",
        "一线岗位": "front_line", "生产工人": "front_line", "工人": "front_line",
        "专技人员": "technical", "专业技术": "technical", "专业技术岗": "technical", "技术人员": "technical",
        "专业技术岗位": "technical",
        "管理": "management", "管理岗": "management", "管理岗位": "management",
        "不详": "", "未知": "",
    },
}


def _token(text: str) -> str:
    return _compact(text).lower()


@cache
def _choice_table(key: str, extra: tuple[tuple[str, str], ...] = ()) -> tuple[dict[str, str], str | Message]:
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
    accepted: str | Message = "、".join(column.labels())
    if aliases:
        accepted = Message(MSG_CHOICE_ALSO_MORE if len(aliases) > 20 else MSG_CHOICE_ALSO, labels=accepted,
                           aliases="、".join(aliases[:20]))
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
        raise CellValueError(Message(MSG_CHOICE, value=normalize_text(value), header=column.header,
                                     accepted=labels)) from None


def _limited_text(limit: int, value: object) -> str | None:
    """:func:`normalize_text`, refused past ``limit`` characters (the registry's column would refuse it
    at the commit, with no row number)."""
    text = normalize_text(value)
    if text is not None and len(text) > limit:
        raise CellValueError(Message(MSG_TOO_LONG, length=len(text), limit=limit))
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
