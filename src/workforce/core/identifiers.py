"""Validators for Chinese identifiers: resident ID numbers, USCC codes and phone numbers.

Pure Python, no Django. Error messages are in Chinese because they are shown to end users; every error is
an :class:`IdentifierError` (a ``ValueError``) whose ``message`` equals ``str(error)``.

Standards: GB 11643-1999 (公民身份号码, check digit ISO 7064 MOD 11-2), GB 32100-2015 (统一社会信用代码),
GB/T 2260 (行政区划代码, see ``data/README.md`` for the bundled historical table).
"""

from __future__ import annotations

import csv
import datetime
import random
import re
from dataclasses import dataclass
from functools import cache
from operator import mul
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_noop

from workforce.core.messages import Message

__all__ = [
    "IdNumberInfo",
    "IdentifierError",
    "id_check_digit",
    "is_valid_id_number",
    "is_valid_uscc",
    "known_division",
    "mask_id_number",
    "mask_phone",
    "normalize_identifier",
    "normalize_phone",
    "parse_id_number",
    "parse_uscc",
    "random_id_number",
    "random_uscc",
    "upgrade_legacy_id",
    "uscc_check_char",
]

_DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "historical_divisions.csv"

# First two digits of a valid division code: provinces, plus 81-83 (Hong Kong, Macao and Taiwan residents'
# residence permits).
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
VALID_PROVINCE_PREFIXES = frozenset(str(n) for low, high in _PROVINCE_RANGES for n in range(low, high + 1))
# The 2023 foreign permanent resident ID card: 9, the accepting province's two digits (any mainland
# province: 11-65), three digits of nationality, then birth date, sequence and check digit as GB 11643.
FOREIGN_PERMANENT_RESIDENT = "9"
_MAINLAND_PROVINCES = frozenset(code for code in VALID_PROVINCE_PREFIXES if int(code) <= 65)

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, ...
_ZERO_WEIGHT = ord("0") * sum(_ID_WEIGHTS)
_LAST_ID_CHARACTERS = frozenset("0123456789Xx")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_FIRST_CHARS = "123456789ANY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, ...
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code, used only by random_uscc

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_FLOAT_LIKE = re.compile(r"\d*\.\d*(?:E[+-]?\d+)?|\d+E[+-]?\d+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d)\d{8}|0[3-9]\d{2}\d{7,8}")

# Messages are core.messages.Message: Chinese text that can be shown translated, also when an importer
# stores it to be read later (issue 15 point 4). Callers showing one at once use core.messages.shown.
MSG_PRECISION_LOST = Message(gettext_noop(
    "数字精度丢失：该号码疑似被 Excel 转换为科学计数法或小数，部分数字已丢失，"
    "请将该列设置为文本格式后重新录入"))
MSG_ID_CHECK = Message(gettext_noop("身份证号码校验码错误，请核对号码"))
MSG_USCC_CHECK = Message(gettext_noop("统一社会信用代码校验码错误，请核对代码"))


class IdentifierError(ValueError):
    """An identifier failed validation. ``message`` is a Chinese, user-facing text; ``str(e) == message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IdNumberInfo:
    """A validated resident ID number and the facts encoded in it."""

    number: str  # normalised 18-character number, upper-case X
    division_code: str  # first 6 digits
    birth_date: datetime.date
    gender: str  # "M" or "F"
    warnings: tuple[str, ...]  # Chinese messages, e.g. unknown division code
    was_upgraded: bool  # True when the input was a 15-digit legacy number


# --------------------------------------------------------------------------------------------- helpers


def normalize_identifier(raw: str) -> str:
    """Return ``raw`` cleaned for identifier comparison.

    Removes zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and all whitespace (including NBSP and
    the ideographic space U+3000) and hyphens/dashes anywhere, converts full-width ASCII forms (０-９, Ａ-Ｚ,
    ａ-ｚ, ＋, ．, …) to ASCII and upper-cases the result. ``None`` gives ``""``; other non-strings are
    converted with ``str()`` first. Never raises.
    """
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = str(raw)
    if raw.isascii() and raw.isalnum():  # the common case, e.g. every clean ID number of a roster
        return raw.upper()
    out = []
    for ch in raw.translate(_ZERO_WIDTH):
        if "\uff01" <= ch <= "\uff5e":
            ch = chr(ord(ch) - 0xFEE0)
        if ch.isspace() or ch in _DASHES:
            continue
        out.append(ch)
    return "".join(out).upper()


def _looks_like_float(value: str) -> bool:
    """True for normalised text such as ``5.10402E+17`` or ``510402198001011234.0``."""
    return bool(_FLOAT_LIKE.fullmatch(value)) and any(c.isdigit() for c in value)


@cache
def _division_table() -> dict[str, tuple[tuple[str, int | None, int | None], ...]]:
    """Load ``historical_divisions.csv`` as ``code -> ((name, from_year, to_year), ...)``, oldest first."""
    table: dict[str, list[tuple[str, int | None, int | None]]] = {}
    with _DIVISIONS_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            start = int(row["valid_from_year"]) if row["valid_from_year"] else None
            end = int(row["valid_to_year"]) if row["valid_to_year"] else None
            table.setdefault(row["code"], []).append((row["name"], start, end))
    return {code: tuple(sorted(periods, key=lambda p: p[1] or 0)) for code, periods in table.items()}


def known_division(code: str) -> str | None:
    """Return the most recent name of a 6-digit division code that existed at any time, else ``None``.

    The lookup uses the bundled historical GB/T 2260 table, e.g. ``510400`` gives ``攀枝花市`` (渡口市 until
    1986) and ``510420`` gives ``市区`` (used before 1983).
    """
    periods = _division_table().get(normalize_identifier(code))
    return periods[-1][0] if periods else None


# --------------------------------------------------------------------------------------------- ID numbers


def id_check_digit(first17: str) -> str:
    """Return the GB 11643 (ISO 7064 MOD 11-2) check character, ``'0'``-``'9'`` or ``'X'``, for 17 digits.

    Raises :class:`IdentifierError` unless ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdentifierError(Message(gettext_noop("身份证号码本体码应为17位数字")))
    # The weighted sum over the ASCII codes, less the codes' share of "0": no int() per digit.
    total = sum(map(mul, first17.encode(), _ID_WEIGHTS)) - _ZERO_WEIGHT
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def upgrade_legacy_id(number15: str) -> str:
    """Convert a 15-digit legacy ID number to 18 digits (GB 11643): insert ``19`` before the 2-digit year
    and append the check digit. The input is normalised first; raises :class:`IdentifierError` unless it
    is then 15 digits. The birth date is not validated here (see :func:`parse_id_number`).
    """
    number = normalize_identifier(number15)
    if len(number) != 15 or not number.isascii() or not number.isdigit():
        raise IdentifierError(Message(gettext_noop("15位旧身份证号码应由15位数字组成")))
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_digit(first17)


def _check_id_characters(number: str) -> None:
    """Raise naming the first character that is not allowed in a 15- or 18-character ID number."""
    if number.isascii() and (number.isdigit() or (number[:-1].isdigit() and number[-1] == "X" and len(number) == 18)):
        return
    for pos, ch in enumerate(number, start=1):
        if ch.isascii() and ch.isdigit():
            continue
        if ch == "X" and pos == 18:
            continue
        only_digits = len(number) == 15
        raise IdentifierError(Message(
            gettext_noop("身份证号码第%(position)d位含有非法字符“%(character)s”（只能是数字）") if only_digits
            else gettext_noop("身份证号码第%(position)d位含有非法字符“%(character)s”（只能是数字，仅最后一位可以是X）"),
            position=pos, character=ch))


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumberInfo:
    """Validate a resident ID number (18 digits, or a 15-digit legacy number) and return its facts.

    The input is normalised with :func:`normalize_identifier` (lower-case ``x`` is accepted). Raises
    :class:`IdentifierError` for: empty input; float-looking input such as ``5.10402E+17`` (digits lost in
    Excel); a length other than 15/18; illegal characters; an invalid province prefix; a birth date that
    does not exist, lies after ``today`` (default: the current date) or before 1900-01-01; a wrong check
    digit. A 6-digit division code that is not in the historical table only adds a warning, because the
    code is given when the ID is issued and the table may be incomplete.
    """
    if type(raw) is str and len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[17] in _LAST_ID_CHARACTERS:
        number = raw.upper()  # a clean 18-character number (most of a roster): what the checks below let by
    else:
        number = normalize_identifier(raw)
        if not number:
            raise IdentifierError(Message(gettext_noop("身份证号码为空")))
        if _looks_like_float(number):
            raise IdentifierError(MSG_PRECISION_LOST)
        if len(number) not in (15, 18):
            raise IdentifierError(Message(gettext_noop("身份证号码长度应为18位（或15位旧号码），实际为%(length)d位"),
                                          length=len(number)))
        _check_id_characters(number)
    was_upgraded = len(number) == 15
    if was_upgraded:
        number = upgrade_legacy_id(number)

    foreigner = number[0] == FOREIGN_PERMANENT_RESIDENT and not was_upgraded
    if foreigner:
        province = number[1:3]
        if province not in _MAINLAND_PROVINCES:
            raise IdentifierError(Message(gettext_noop(
                "外国人永久居留身份证号码第2、3位“%(province)s”不是有效的受理地省级行政区划代码"), province=province))
    else:
        province = number[:2]
        if province not in VALID_PROVINCE_PREFIXES:
            raise IdentifierError(Message(gettext_noop("身份证号码前两位“%(province)s”不是有效的省级行政区划代码"),
                                          province=province))

    digits = number[6:14]
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdentifierError(Message(gettext_noop("身份证号码中的出生日期 %(date)s 不存在"), date=digits)) from None
    if birth_date > (today or timezone.localdate()):
        raise IdentifierError(Message(gettext_noop("身份证号码中的出生日期 %(date)s 晚于今天"),
                                      date=birth_date.isoformat()))
    if birth_date < _EARLIEST_BIRTH:
        raise IdentifierError(Message(gettext_noop("身份证号码中的出生日期 %(date)s 早于1900年1月1日"),
                                      date=birth_date.isoformat()))

    if not was_upgraded and number[17] != id_check_digit(number[:17]):
        raise IdentifierError(MSG_ID_CHECK)

    # A foreigner's card names the province that accepted it, not a county: its division is that province.
    division_code = f"{province}0000" if foreigner else number[:6]
    warnings: list[str] = []
    if not foreigner and division_code not in _division_table():
        warnings.append(Message(gettext_noop("行政区划代码 %(code)s 未在已知代码表中，请核实"), code=division_code))
    return IdNumberInfo(
        number=number,
        division_code=division_code,
        birth_date=birth_date,
        gender="M" if int(number[16]) % 2 else "F",
        warnings=tuple(warnings),
        was_upgraded=was_upgraded,
    )


def is_valid_id_number(raw: str) -> bool:
    """Return True when :func:`parse_id_number` accepts ``raw`` (warnings allowed), False otherwise."""
    try:
        parse_id_number(raw)
    except IdentifierError:
        return False
    return True


def random_id_number(
    rng: random.Random, *, division_code: str, birth_date: datetime.date, gender: str
) -> str:
    """Return a valid 18-character ID number for demo data: the given division and birth date, random
    sequence digits, a 17th digit that is odd for ``gender="M"`` and even for ``"F"``, and a correct check
    digit. Raises ``ValueError`` for a division code that is not 6 digits or a gender other than M/F.
    """
    if len(division_code) != 6 or not division_code.isascii() or not division_code.isdigit():
        raise ValueError(f"division_code must be 6 digits, got {division_code!r}")
    if gender not in ("M", "F"):
        raise ValueError(f"gender must be 'M' or 'F', got {gender!r}")
    sequence = f"{rng.randrange(100):02d}" + rng.choice("13579" if gender == "M" else "02468")
    first17 = division_code + birth_date.strftime("%Y%m%d") + sequence
    return first17 + id_check_digit(first17)


# --------------------------------------------------------------------------------------------- USCC


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a USCC.

    Each character's value is its index in ``0123456789ABCDEFGHJKLMNPQRTUWXY``; weights are ``3**i mod 31``;
    the check value is ``31 - (sum mod 31)`` with 31 mapped to 0. Raises :class:`IdentifierError` unless
    ``first17`` has 17 characters from that set.
    """
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise IdentifierError(Message(gettext_noop(
            "统一社会信用代码前17位应由数字和大写字母（不含I、O、Z、S、V）组成")))
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def parse_uscc(raw: str) -> str:
    """Validate a unified social credit code (统一社会信用代码, GB 32100-2015); return it normalised.

    Layout: 1 registration-authority code (1-9, A, N or Y), 1 institution-type code, 6-digit division
    code (not checked against the table), 9-character organisation code, 1 check character. Raises
    :class:`IdentifierError` with a Chinese message for: empty input, Excel-mangled numbers, wrong length,
    an illegal character (naming it and its position), a bad first character, or a wrong check character.
    """
    code = normalize_identifier(raw)
    if not code:
        raise IdentifierError(Message(gettext_noop("统一社会信用代码为空")))
    # A real code may read like a number in scientific notation ("105104000000000E57"); only text that
    # cannot be a code at all is taken for one Excel mangled.
    if _looks_like_float(code) and not (len(code) == 18 and all(c in USCC_CHARSET for c in code)):
        raise IdentifierError(MSG_PRECISION_LOST)
    if len(code) != 18:
        raise IdentifierError(Message(gettext_noop("统一社会信用代码长度应为18位，实际为%(length)d位"),
                                      length=len(code)))
    for pos, ch in enumerate(code, start=1):
        if ch not in USCC_CHARSET:
            raise IdentifierError(Message(gettext_noop(
                "统一社会信用代码第%(position)d位含有非法字符“%(character)s”（只能是数字或大写字母，不含I、O、Z、S、V）"),
                position=pos, character=ch))
    if code[0] not in USCC_FIRST_CHARS:
        raise IdentifierError(Message(gettext_noop(
            "统一社会信用代码第1位（登记管理部门代码）“%(character)s”无效，应为1-9、A、N或Y"), character=code[0]))
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            raise IdentifierError(Message(gettext_noop(
                "统一社会信用代码第%(position)d位应为数字（第3-8位为行政区划代码），实际为“%(character)s”"),
                position=pos, character=code[pos - 1]))
    if code[17] != uscc_check_char(code[:17]):
        raise IdentifierError(MSG_USCC_CHECK)
    return code


def is_valid_uscc(raw: str) -> bool:
    """Return True when :func:`parse_uscc` accepts ``raw``, False otherwise."""
    try:
        parse_uscc(raw)
    except IdentifierError:
        return False
    return True


def _org_code_check_char(first8: str) -> str:
    """GB 11714 organisation-code check character for 8 characters (digits: 0-9, letters: A=10 ... Z=35)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def random_uscc(rng: random.Random, *, division_code: str, first: str = "9", second: str = "1") -> str:
    """Return a valid USCC for demo data: ``first`` + ``second`` + ``division_code`` + a random
    organisation code (with its own GB 11714 check character, as real codes have) + the check character.
    Raises ``ValueError`` for a first character outside 1-9/A/N/Y, a second character outside the USCC
    character set, or a division code that is not 6 digits.
    """
    if len(first) != 1 or first not in USCC_FIRST_CHARS:
        raise ValueError(f"first must be one of {USCC_FIRST_CHARS!r}, got {first!r}")
    if len(second) != 1 or second not in USCC_CHARSET:
        raise ValueError(f"second must be a USCC character, got {second!r}")
    if len(division_code) != 6 or not division_code.isascii() or not division_code.isdigit():
        raise ValueError(f"division_code must be 6 digits, got {division_code!r}")
    org8 = "".join(rng.choice(USCC_CHARSET) for _ in range(8))
    first17 = first + second + division_code + org8 + _org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


# ------------------------------------------------------------------------------------- masking, phones


def mask_id_number(number: str) -> str:
    """Mask an ID number for display: first 6 and last 4 characters kept, the rest ``*``
    (``510402********1234`` for 18 characters). Numbers of 10 characters or fewer keep only the last 2.
    The input is normalised first; it is not validated.
    """
    value = normalize_identifier(number)
    if len(value) > 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def normalize_phone(raw: str) -> str:
    """Return a phone number as digits only: an 11-digit mainland mobile (``1[3-9]`` + 9 digits) or a
    landline with its area code (``0812-3334455`` -> ``08123334455``).

    The input is normalised with :func:`normalize_identifier` (parentheses are also dropped); a ``+86``,
    ``0086`` or bare ``86`` country prefix is removed (a landline then gets its leading 0 back). Raises
    :class:`IdentifierError` for anything else.
    """
    value = normalize_identifier(raw).replace("(", "").replace(")", "")
    if not value:
        raise IdentifierError(Message(gettext_noop("手机号码为空")))
    for prefix in ("+86", "0086", "86"):
        rest = value[len(prefix) :]
        if value.startswith(prefix) and len(rest) >= 10 and rest.isdigit():
            value = rest if rest.startswith(("0", "1")) else "0" + rest
            break
    if value.isascii() and (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        return value
    raise IdentifierError(Message(gettext_noop(
        "手机号码格式不正确：应为11位手机号码，或带区号的固定电话（如0812-3334455）")))


def mask_phone(phone: str) -> str:
    """Mask a phone number for display: first 3 and last 4 digits kept (``138****5678``). Numbers shorter
    than 7 characters keep only the last 2. Valid numbers are normalised with :func:`normalize_phone` first
    (so ``+86`` is dropped); anything else is masked as given after :func:`normalize_identifier`.
    """
    if len(phone) == 11 and phone[0] == "1" and phone.isascii() and phone.isdigit():
        value = phone  # a mobile number already normalised (importers mask many of them)
    else:
        try:
            value = normalize_phone(phone)
        except IdentifierError:
            value = normalize_identifier(phone)
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]
