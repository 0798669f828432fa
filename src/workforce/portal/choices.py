"""Codes of the portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    """What a one-time SMS code is for; a code of one purpose never serves another."""

    SIGN_UP = "sign_up", _("注册")
    PASSWORD_RESET = "password_reset", _("重设密码")


class RegistrationStatus(models.TextChoices):
    """Where a self-registration (自助登记) stands."""

    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未通过")
