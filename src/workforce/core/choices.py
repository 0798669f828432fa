"""Codes shared by every app: change-log actions, channels and access-log events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    MERGE = "merge", _("合并")


class Channel(models.TextChoices):
    """Through which door a change came in."""

    PAGE = "page", _("页面")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    SYSTEM = "system", _("系统")


class AccessEvent(models.TextChoices):
    SIGN_IN = "sign_in", _("登录成功")
    SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号临时锁定")
    UNLOCKED = "unlocked", _("解除登录锁定")
    SIGN_OUT = "sign_out", _("退出登录")
    TWO_FACTOR_FAILED = "two_factor_failed", _("动态口令错误")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("动态口令验证通过")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("绑定动态口令设备")
    ENROLMENT_CODE_FAILED = "enrolment_code_failed", _("绑定码错误")
    TOKEN_ISSUED = "token_issued", _("签发接口令牌")
    UNMASK = "unmask", _("查看完整敏感信息")
    EXPORT = "export", _("导出数据")
