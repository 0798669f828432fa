"""Tests for workforce.core.identifiers (pure Python, no Django needed)."""

from __future__ import annotations

import datetime
import random
import re
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workforce.core.identifiers import (
    USCC_CHARSET,
    VALID_PROVINCE_PREFIXES,
    IdentifierError,
    IdNumberInfo,
    id_check_digit,
    is_valid_id_number,
    is_valid_uscc,
    known_division,
    mask_id_number,
    mask_phone,
    normalize_identifier,
    normalize_phone,
    parse_id_number,
    parse_uscc,
    random_id_number,
    random_uscc,
    upgrade_legacy_id,
    uscc_check_char,
)

TODAY = datetime.date(2025, 6, 1)

# 510402 东区 (from 1983), born 1970-05-06, sequence 432 (even -> female).
# Check digit by hand: digits 5 1 0 4 0 2 1 9 7 0 0 5 0 6 4 3 2, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
# 35+9+0+20+0+8+2+9+42+0+0+45+0+30+32+12+4 = 248; 248 mod 11 = 6; (12 - 6) mod 11 = 6.
EAST_DISTRICT_1970 = "510402197005064326"
# GB 11643-1999's own examples.
STANDARD_X_EXAMPLE = "11010519491231002X"
STANDARD_1880_EXAMPLE = "440524188001010014"

ALL_USCC_FIRST_CHARS = "123456789ANY"


def _with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


def _raises(func, raw, fragment: str, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as excinfo:
        func(raw, **kwargs)
    assert fragment in excinfo.value.message
    assert str(excinfo.value) == excinfo.value.message
    return excinfo.value


# ------------------------------------------------------------------------------- strategies

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2024, 12, 31))
division_codes = st.one_of(
    st.sampled_from(["510400", "510402", "510403", "510411", "510420", "510421", "510422", "830000"]),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(sorted(VALID_PROVINCE_PREFIXES)),
        st.text(alphabet=string.digits, min_size=4, max_size=4),
    ),
)


@st.composite
def valid_id_numbers(draw) -> str:
    rng = draw(st.randoms(use_true_random=False))
    return random_id_number(
        rng,
        division_code=draw(division_codes),
        birth_date=draw(birth_dates),
        gender=draw(st.sampled_from("MF")),
    )


@st.composite
def valid_usccs(draw) -> str:
    rng = draw(st.randoms(use_true_random=False))
    return random_uscc(
        rng,
        division_code=draw(st.text(alphabet=string.digits, min_size=6, max_size=6)),
        first=draw(st.sampled_from(ALL_USCC_FIRST_CHARS)),
        second=draw(st.sampled_from(USCC_CHARSET)),
    )


# ------------------------------------------------------------------------------- normalisation


def test_it_normalises_full_width_digits_and_letters_to_ascii():
    assert normalize_identifier("５１０４０２ａｂＸｘ") == "510402ABXX"


def test_it_strips_zero_width_ideographic_and_no_break_spaces():
    raw = "\ufeff\u200b 510402\u00a0197005\u3000064326\u200c\u200d "
    assert normalize_identifier(raw) == EAST_DISTRICT_1970


def test_it_removes_inner_spaces_and_hyphens_and_upper_cases():
    assert normalize_identifier(" 510402-19700506 432x ") == "51040219700506432X"
    assert normalize_identifier("510402－19700506") == "51040219700506"


def test_it_normalises_none_to_an_empty_string():
    assert normalize_identifier(None) == ""


@given(st.text())
def test_normalisation_is_idempotent(raw):
    once = normalize_identifier(raw)
    assert normalize_identifier(once) == once


# ------------------------------------------------------------------------------- check digits


def test_it_computes_the_check_digit_of_the_standard_examples():
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    assert id_check_digit(EAST_DISTRICT_1970[:17]) == "6"


@given(st.text("0123456789", min_size=17, max_size=17))
def test_the_check_digit_is_iso_7064_mod_11_2(first17):
    total = sum(int(digit) * pow(2, 17 - position, 11) for position, digit in enumerate(first17))
    assert id_check_digit(first17) == "0123456789X"[(12 - total % 11) % 11]


@given(st.text("0123456789", min_size=17, max_size=17), st.sampled_from("0123456789Xx"))
def test_a_clean_number_is_judged_as_the_same_number_written_with_spaces(first17, last):
    """The fast path for clean 18-character numbers gives what the full normalisation gives."""

    def outcome(raw):
        try:
            return parse_id_number(raw, today=TODAY)
        except IdentifierError as error:
            return error.message

    assert outcome(first17 + last) == outcome(f" {first17[:6]} {first17[6:]}{last} ")

@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1101051949123100A"])
def test_it_refuses_to_compute_a_check_digit_for_anything_but_17_digits(bad):
    with pytest.raises(IdentifierError):
        id_check_digit(bad)


# ------------------------------------------------------------------------------- ID numbers: valid


def test_it_parses_a_real_format_panzhihua_number():
    info = parse_id_number(EAST_DISTRICT_1970, today=TODAY)
    assert info == IdNumberInfo(
        number=EAST_DISTRICT_1970,
        division_code="510402",
        birth_date=datetime.date(1970, 5, 6),
        gender="F",
        warnings=(),
        was_upgraded=False,
    )


def test_it_accepts_a_division_code_created_after_the_birth_year_without_warning():
    # 510402 东区 only exists from 1983; the code is given when the ID is issued, not at birth.
    info = parse_id_number(EAST_DISTRICT_1970, today=TODAY)
    assert info.birth_date.year == 1970
    assert info.warnings == ()


@pytest.mark.parametrize(
    ("number", "division", "gender"),
    [
        ("510420196503120018", "510420", "M"),  # 市区, a code used before 1983
        ("510400198507090024", "510400", "F"),  # 渡口市 until 1986, 攀枝花市 since 1987
        ("830000199001011234", "830000", "M"),  # Taiwan residents' residence permit
    ],
)
def test_it_accepts_historical_and_special_division_codes_without_warning(number, division, gender):
    info = parse_id_number(number, today=TODAY)
    assert (info.division_code, info.gender, info.warnings) == (division, gender, ())


def _with_check_digit(first17: str) -> str:
    return first17 + id_check_digit(first17)


@pytest.mark.parametrize(("first17", "province"), [
    ("95184019880315001", "51"),  # accepted in Sichuan, nationality 840, born 1988-03-15
    ("91125019900101002", "11"),  # accepted in Beijing
    ("96539219750630003", "65"),  # accepted in Xinjiang
])
def test_it_accepts_the_2023_foreign_permanent_resident_card_of_any_province(first17, province):
    info = parse_id_number(_with_check_digit(first17), today=TODAY)
    assert info.division_code == f"{province}0000"
    assert info.birth_date == datetime.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    assert info.warnings == ()


@pytest.mark.parametrize("first17", ["99984019880315001", "90084019880315001", "98184019880315001"])
def test_it_refuses_a_foreign_permanent_resident_card_whose_province_does_not_exist(first17):
    with pytest.raises(IdentifierError, match="受理地省级行政区划代码"):
        parse_id_number(_with_check_digit(first17), today=TODAY)


def test_it_accepts_an_upper_case_x_check_digit():
    info = parse_id_number(STANDARD_X_EXAMPLE, today=TODAY)
    assert info.number == STANDARD_X_EXAMPLE
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.gender == "F"


def test_it_accepts_a_lower_case_x_check_digit_and_upper_cases_it():
    assert parse_id_number("11010519491231002x", today=TODAY).number == STANDARD_X_EXAMPLE


def test_it_accepts_full_width_and_zero_width_decorated_input():
    raw = "\u200b５１０４０２　１９７００５０６　４３２６\ufeff"
    assert parse_id_number(raw, today=TODAY).number == EAST_DISTRICT_1970
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY).number == STANDARD_X_EXAMPLE


def test_it_accepts_an_int_from_a_spreadsheet_cell():
    assert parse_id_number(510402197005064326, today=TODAY).number == EAST_DISTRICT_1970


def test_it_warns_but_accepts_an_unknown_division_code():
    number = "510499198001011239"
    info = parse_id_number(number, today=TODAY)
    assert info.warnings == ("行政区划代码 510499 未在已知代码表中，请核实",)
    assert is_valid_id_number(number)


def test_it_upgrades_a_15_digit_number():
    # 510402 800101 123 -> 510402 19800101 123 + check.
    # By hand: digits 5 1 0 4 0 2 1 9 8 0 0 1 0 1 1 2 3 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
    # 35+9+0+20+0+8+2+9+48+0+0+9+0+5+8+8+6 = 167; 167 mod 11 = 2; (12 - 2) mod 11 = 10 -> "X".
    assert upgrade_legacy_id("510402800101123") == "51040219800101123X"
    info = parse_id_number("510402800101123", today=TODAY)
    assert info.number == "51040219800101123X"
    assert info.was_upgraded is True
    assert info.birth_date == datetime.date(1980, 1, 1)
    assert info.gender == "M"


def test_it_refuses_to_upgrade_anything_but_15_digits():
    with pytest.raises(IdentifierError):
        upgrade_legacy_id("51040280010112")
    with pytest.raises(IdentifierError):
        upgrade_legacy_id("51040280010112X")


# ------------------------------------------------------------------------------- ID numbers: errors


@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u3000\ufeff", None])
def test_it_rejects_empty_input(raw):
    _raises(parse_id_number, raw, "身份证号码为空")


@pytest.mark.parametrize(("raw", "length"), [("51040219700506", 14), ("5104021970050643261", 19), ("5", 1)])
def test_it_rejects_a_wrong_length_and_says_the_length_found(raw, length):
    _raises(parse_id_number, raw, f"实际为{length}位")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("51040219700506A326", "第15位含有非法字符“A”"),
        ("5104021970050X4326", "第14位含有非法字符“X”"),
        ("51040280010112X", "第15位含有非法字符“X”"),
        ("51040219700506432*", "第18位含有非法字符“*”"),
    ],
)
def test_it_rejects_non_digit_characters_naming_the_position(raw, fragment):
    _raises(parse_id_number, raw, fragment, today=TODAY)


@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "30", "47", "55", "60", "70", "84"])
def test_it_rejects_an_invalid_province_code(prefix):
    _raises(
        parse_id_number,
        _with_check(prefix + "040219800101123"),
        f"前两位“{prefix}”不是有效的省级行政区划代码",
    )


def test_it_rejects_a_birth_date_that_does_not_exist():
    _raises(parse_id_number, _with_check("51040219990230123"), "出生日期 19990230 不存在", today=TODAY)
    _raises(parse_id_number, _with_check("51040219801301123"), "出生日期 19801301 不存在", today=TODAY)


def test_it_rejects_a_birth_date_in_the_future():
    number = _with_check("51040220240102123")
    _raises(parse_id_number, number, "2024-01-02 晚于今天", today=datetime.date(2024, 1, 1))
    assert parse_id_number(number, today=datetime.date(2024, 1, 2)).birth_date == datetime.date(2024, 1, 2)


def test_it_rejects_a_birth_date_before_1900():
    _raises(parse_id_number, STANDARD_1880_EXAMPLE, "1880-01-01 早于1900年1月1日", today=TODAY)


def test_it_rejects_a_wrong_check_digit_without_revealing_the_expected_one():
    error = _raises(parse_id_number, "510402197005064320", "校验码错误", today=TODAY)
    assert not re.search(r"[0-9X]", error.message)
    assert not is_valid_id_number("11010519491231002")  # too short, missing X
    assert not is_valid_id_number("110105194912310021")


@pytest.mark.parametrize(
    "raw",
    [
        "5.10402E+17",
        "5.10402198001011234E17",
        "510402198001011234.0",
        "5E17",
        "５.１０４０２Ｅ＋１７",
        "5.10402e+17",
    ],
)
def test_it_refuses_numbers_mangled_by_excel(raw):
    _raises(parse_id_number, raw, "数字精度丢失", today=TODAY)
    _raises(parse_id_number, raw, "文本格式", today=TODAY)


def test_it_refuses_a_float_from_a_spreadsheet_cell():
    _raises(parse_id_number, 5.10402197005064326e17, "数字精度丢失", today=TODAY)


def test_identifier_error_is_a_value_error_with_a_message():
    error = IdentifierError("身份证号码为空")
    assert isinstance(error, ValueError)
    assert error.message == str(error) == "身份证号码为空"


# ------------------------------------------------------------------------------- ID numbers: properties


@settings(deadline=None)
@given(st.randoms(use_true_random=False), division_codes, birth_dates, st.sampled_from("MF"))
def test_generated_numbers_round_trip(rng, division, birth_date, gender):
    number = random_id_number(rng, division_code=division, birth_date=birth_date, gender=gender)
    info = parse_id_number(number, today=TODAY)
    assert (info.number, info.division_code, info.birth_date, info.gender) == (
        number,
        division,
        birth_date,
        gender,
    )
    assert info.was_upgraded is False
    assert bool(info.warnings) == (known_division(division) is None)


@settings(deadline=None)
@given(valid_id_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_substitution_is_detected(number, index, replacement):
    assume(number[index] != replacement)
    changed = number[:index] + replacement + number[index + 1 :]
    assert not is_valid_id_number(changed)


@settings(deadline=None)
@given(valid_id_numbers(), st.integers(0, 16))
def test_any_swap_of_two_adjacent_different_characters_is_detected(number, index):
    assume(number[index] != number[index + 1])
    swapped = number[:index] + number[index + 1] + number[index] + number[index + 2 :]
    assert not is_valid_id_number(swapped)


@settings(deadline=None)
@given(valid_id_numbers())
def test_downgrading_and_upgrading_a_20th_century_number_gives_it_back(number):
    assume(number[6:8] == "19")
    assert upgrade_legacy_id(number[:6] + number[8:17]) == number


def test_random_id_number_sets_the_gender_digit():
    rng = random.Random(7)
    for _ in range(50):
        male = random_id_number(rng, division_code="510402", birth_date=datetime.date(1990, 1, 1), gender="M")
        female = random_id_number(
            rng, division_code="510402", birth_date=datetime.date(1990, 1, 1), gender="F"
        )
        assert int(male[16]) % 2 == 1
        assert int(female[16]) % 2 == 0


@pytest.mark.parametrize(("division", "gender"), [("51040", "M"), ("51040A", "M"), ("510402", "X")])
def test_random_id_number_rejects_bad_arguments(division, gender):
    with pytest.raises(ValueError):
        random_id_number(
            random.Random(1), division_code=division, birth_date=datetime.date(1990, 1, 1), gender=gender
        )


# ------------------------------------------------------------------------------- divisions


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("510000", "四川省"),
        ("510400", "攀枝花市"),
        ("510402", "东区"),
        ("510403", "西区"),
        ("510411", "仁和区"),
        ("510420", "市区"),
        ("510421", "米易县"),
        ("510422", "盐边县"),
        ("513400", "凉山彝族自治州"),
        ("110105", "朝阳区"),
    ],
)
def test_it_knows_current_and_historical_division_codes(code, name):
    assert known_division(code) == name


@pytest.mark.parametrize("code", ["510499", "999999", "", "51040"])
def test_it_returns_none_for_unknown_division_codes(code):
    assert known_division(code) is None


# ------------------------------------------------------------------------------- USCC


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # widely published public example
        "91110000600037341L",
        "91510400MA62A1B2CM",
        "12510400MB12345670",
        "N2510402MF0000012Y",
        "Y1510411MH1234560R",
        "A1510421MJ9876543M",
        "105104000000000E57",  # digits, an E, digits: reads like scientific notation but is a valid code
    ],
)
def test_it_accepts_known_good_usccs(code):
    assert parse_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]
    assert is_valid_uscc(code)


def test_it_normalises_a_uscc_before_validating():
    assert parse_uscc(" 91350100-m000100-y43\u200b") == "91350100M000100Y43"
    assert parse_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "统一社会信用代码为空"),
        ("91350100M000100Y4", "长度应为18位，实际为17位"),
        ("91350100M000100Y431", "实际为19位"),
        ("91350100M0001I0Y43", "第14位含有非法字符“I”"),
        ("91350100M000100O43", "第16位含有非法字符“O”"),
        ("S1350100M000100Y43", "第1位含有非法字符“S”"),
        ("91350100M000100Y4#", "第18位含有非法字符“#”"),
        ("01350100M000100Y43", "第1位（登记管理部门代码）“0”无效"),
        ("B1350100M000100Y43", "第1位（登记管理部门代码）“B”无效"),
        ("9135010AM000100Y43", "第8位应为数字"),
        ("91350100M000100Y44", "统一社会信用代码校验码错误"),
        ("9.13501E+17", "数字精度丢失"),
    ],
)
def test_it_rejects_bad_usccs_with_a_specific_message(raw, fragment):
    _raises(parse_uscc, raw, fragment)
    assert not is_valid_uscc(raw)


@settings(deadline=None)
@given(
    st.randoms(use_true_random=False), st.sampled_from(ALL_USCC_FIRST_CHARS), st.sampled_from(USCC_CHARSET)
)
def test_random_uscc_is_valid_for_every_registration_authority(rng, first, second):
    code = random_uscc(rng, division_code="510400", first=first, second=second)
    assert parse_uscc(code) == code
    assert code[:8] == first + second + "510400"


@pytest.mark.parametrize("first", ALL_USCC_FIRST_CHARS)
def test_random_uscc_defaults_and_every_first_character_are_valid(first):
    rng = random.Random(first)
    assert is_valid_uscc(random_uscc(rng, division_code="510402", first=first))
    assert random_uscc(rng, division_code="510402").startswith("91510402")


@settings(deadline=None)
@given(valid_usccs(), st.integers(0, 17), st.sampled_from(USCC_CHARSET + "IOSVZ"))
def test_any_single_character_substitution_in_a_uscc_is_detected(code, index, replacement):
    assume(code[index] != replacement)
    assert not is_valid_uscc(code[:index] + replacement + code[index + 1 :])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"division_code": "510400", "first": "0"},
        {"division_code": "510400", "first": "B"},
        {"division_code": "510400", "second": "I"},
        {"division_code": "51040A"},
    ],
)
def test_random_uscc_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        random_uscc(random.Random(1), **kwargs)


# ------------------------------------------------------------------------------- masking, phones


def test_it_masks_an_id_number():
    assert mask_id_number("510402198001011234") == "510402********1234"
    assert mask_id_number("510402800101123") == "510402*****1123"
    assert mask_id_number("12345") == "***45"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("＋８６１３８１２３４５６７８", "13812345678"),
        ("0812-3334455", "08123334455"),
        ("(0812) 33344556", "081233344556"),
        ("010-12345678", "01012345678"),
        ("+86 812 3334455", "08123334455"),
    ],
)
def test_it_normalises_mobile_and_landline_numbers(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12812345678", "1381234567", "138123456789", "3334455", "0812-333", "abc", "95588", "+1 2025550123"],
)
def test_it_rejects_malformed_phone_numbers(raw):
    _raises(normalize_phone, raw, "手机号码格式不正确")


def test_it_rejects_an_empty_phone_number():
    _raises(normalize_phone, " ", "手机号码为空")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0812-3334455", "081****4455"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_it_masks_phone_numbers(raw, expected):
    assert mask_phone(raw) == expected
