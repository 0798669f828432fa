"""Password rules a government system needs beyond Django's defaults."""

from __future__ import annotations

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
