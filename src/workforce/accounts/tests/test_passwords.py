"""Password rules beyond length and character classes (issue 13, point 12): keyboard walks, the user's
and their organisation's names, and common passwords also when dressed up with look-alike characters."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from workforce.accounts.models import User
from workforce.accounts.services import set_user_password
from workforce.conftest import PASSWORD
from workforce.demo.parts import DEMO_PASSWORD

COMMON = "这个密码太常见了。"
WALK = "密码不能主要由键盘上相邻的按键或连续的字母、数字组成（如 qwer、1qaz、1234、abcd）。"
NAMES = "密码不能包含用户名、姓名，或所在单位、部门、区县及本平台的名称（含拼音）。"


def refusals(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return refused.value.messages


@pytest.mark.parametrize(("password", "messages"), [
    ("P@ssw0rd1234", [COMMON]),
    ("P@$$w0rd!2024", [COMMON]),
    ("1qaz@WSX3edc", [COMMON, WALK]),
    ("qwer1234!Abc", [WALK]),
    ("Zxc123!@#abc", [WALK]),
    ("Asdf;lkj0987", [WALK]),
    ("Panzhihua@2024", [NAMES]),
    ("攀枝花Abc!2024x", [NAMES]),
])
def test_guessable_passwords_are_refused_in_chinese(db, password, messages):
    assert refusals(password) == messages


def test_the_username_inside_the_password_is_refused(db):
    dongqu = User(username="dongqu")

    assert refusals("Dongqu@123456", dongqu) == [WALK, NAMES]
    assert refusals("D0ngqu!Spring7", dongqu) == [NAMES]
    assert validate_password("D0ngqu!Spring7", User(username="miyi")) is None


def test_the_names_of_the_employer_and_district_are_refused(personas):
    assert refusals("Pangang#Spring7", personas.steel_hr) == [NAMES]  # 攀钢集团有限公司
    assert refusals("攀钢#Spring2026", personas.steel_hr) == [NAMES]
    assert refusals("Renhe#Spring2026", personas.small_firm_hr) == [NAMES]  # 攀枝花市仁和区小微机修店
    assert refusals("Miyi#Spring2026x", personas.miyi_officer) == [NAMES]  # 米易县
    assert validate_password("Miyi#Spring2026x", personas.dongqu_officer) is None


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD, "Tr0ub4dor&3horse", "Xk9#tiger#2024Q"])
def test_good_passwords_still_pass(personas, password):
    assert validate_password(password, personas.steel_hr) is None


def test_an_administrator_cannot_reset_a_password_to_the_username(personas):
    old_hash = personas.dongqu_officer.password

    with pytest.raises(ValidationError) as refused:
        set_user_password(personas.dongqu_officer, "Dongqu@Spring7", acting_user=personas.city_admin)

    assert refused.value.message_dict == {"password": [NAMES]}
    personas.dongqu_officer.refresh_from_db()
    assert personas.dongqu_officer.password == old_hash
