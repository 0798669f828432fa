"""Password rules a government system needs beyond Django's defaults."""

from __future__ import annotations

import itertools
import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("密码须至少包含小写字母、大写字母、数字、符号中的三类。"), code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号中的三类。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message: Django 5.2 changed the message's msgid and its
    bundled zh_Hans catalogue still has the old one, so users would see English."""

    def get_error_message(self) -> str:
        return _("密码长度太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


# ------------------------------------------------------------------------ guessable passwords (issue 13)

# A shifted key typed without shift: "1QAZ@WSX" is walked like "1qaz2wsx".
UNSHIFTED = str.maketrans('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./")
# Letters written as look-alike digits or symbols ("P@ssw0rd").
LEET = str.maketrans("@4$5!10372", "aasiiloetz")
LEET_RUN = re.compile(r"(?<=[a-z])[@4$5!10372]+(?=[a-z])")
KEY_SEQUENCES = (
    "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",  # rows of the keyboard
    "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",  # its columns
    "abcdefghijklmnopqrstuvwxyz", "0123456789",
)
NEIGHBOURS = frozenset(
    pair for sequence in KEY_SEQUENCES for a, b in itertools.pairwise(sequence) for pair in ((a, b), (b, a))
)


def normalised(password: str) -> str:
    """Lower case, with look-alike characters *between letters* read as the letters they stand for
    ("P@ssw0rd1234" → "password1234": the trailing digits stay digits)."""
    lowered = password.lower()
    return LEET_RUN.sub(lambda match: match.group().translate(LEET), lowered)


def walked_characters(text: str, shortest: int = 3) -> int:
    """How many characters of ``text`` lie in runs of at least ``shortest`` keys that are neighbours on
    the keyboard (row or column, either way) or in the alphabet or digits."""
    covered, start = 0, 0
    for end in range(1, len(text) + 1):
        if end == len(text) or (text[end - 1], text[end]) not in NEIGHBOURS:
            if end - start >= shortest:
                covered += end - start
            start = end
    return covered


class KeyboardWalkValidator:
    """Refuses a password made mostly (half or more) of keyboard walks such as qwer, 1qaz@WSX or 1234."""

    def validate(self, password: str, user=None) -> None:
        text = password.lower().translate(UNSHIFTED)
        if password and 2 * walked_characters(text) >= len(text):
            raise ValidationError(self.get_help_text(), code="password_keyboard_walk")

    def get_help_text(self) -> str:
        return _("密码不能主要由键盘上相邻的按键或连续的字母、数字组成（如 qwer、1qaz、1234、abcd）。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, also after reading look-alike characters as letters,
    typing shifted keys unshifted and dropping the digits and symbols around the word ("P@ssw0rd!")."""

    SHORTEST_CORE = 5  # "admin"; shorter cores ("abc") are too often part of a good password

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower().strip()
        candidates = {lowered, lowered.translate(UNSHIFTED), normalised(password.strip())}
        for candidate in list(candidates):
            core = candidate.strip("`~!@#$%^&*()_+-=[]{}\\|;:'\",.<>/? 0123456789")
            if len(core) >= self.SHORTEST_CORE:
                candidates.add(core)
        if candidates & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")


# Names of the platform itself, and words of organisation names that name no organisation in particular.
PLATFORM_NAMES = ("攀枝花", "产业工人")
GENERIC_PREFIXES = ("攀枝花市", "攀枝花", "四川省")
GENERIC_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "工作人员", "人事专员",
                    "市", "区", "县", "局")
SHORTEST_FRAGMENT = 4  # letters: "miyi" (米易) counts, "hr" does not


def name_fragments(name: str) -> set[str]:
    """What of an organisation's or person's ``name`` a password must not contain: the name without its
    generic words ("攀钢集团有限公司" → "攀钢") in Chinese and in pinyin ("pangang"), and the pinyin of its
    first two characters ("仁和区小微机修店" → "renhe")."""
    from pypinyin import lazy_pinyin

    core = name.strip()
    for prefix in GENERIC_PREFIXES:
        if core.startswith(prefix) and len(core) > len(prefix):
            core = core.removeprefix(prefix)
    changed = True
    while changed:
        changed = False
        for suffix in GENERIC_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core, changed = core.removesuffix(suffix), True
    fragments = {core.lower()} if len(core) >= 2 else set()
    for part in (core, core[:2]):
        spelled = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(part)).lower())
        if len(spelled) >= SHORTEST_FRAGMENT:
            fragments.add(spelled)
    return {fragment for fragment in fragments if fragment}


def user_fragments(user) -> set[str]:
    """The username (whole and its longer parts), the person's name and the names of their employer,
    department, district and organisation, and the platform's names."""
    names = list(PLATFORM_NAMES)
    fragments: set[str] = set()
    if user is not None:
        username = (user.get_username() or "").lower()
        parts = re.split(r"[^a-z0-9]+", username)
        fragments |= {part for part in [re.sub(r"[^a-z0-9]", "", username), *parts] if len(part) >= SHORTEST_FRAGMENT}
        if len(username) >= 3:
            fragments.add(username)
        names.append(getattr(user, "display_name", ""))
        names.append(getattr(user, "organisation_name", ""))
        for relation in ("employer", "department", "district"):
            related = getattr(user, relation, None) if getattr(user, f"{relation}_id", None) else None
            if related is not None:
                names.append(related.name)
    for name in filter(None, names):
        fragments |= name_fragments(name)
    return fragments


class UserNamesValidator:
    """Refuses a password that contains the username, the person's name, the names of their employer,
    department or district, or the platform's (in Chinese or pinyin, also as "D0ngqu")."""

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        spelled = normalised(password)
        letters = re.sub(r"[^a-z\u4e00-\u9fff]", "", spelled)
        if any(fragment in text for fragment in user_fragments(user) for text in (lowered, spelled, letters)):
            raise ValidationError(self.get_help_text(), code="password_contains_name")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名、姓名，或所在单位、部门、区县及本平台的名称（含拼音）。")
