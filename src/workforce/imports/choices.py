"""Codes of roster imports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    UPSERT = "upsert", _("新增/更新")
    SYNC = "sync", _("全员同步")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传，等待检查")
    CHECKING = "checking", _("正在检查")
    REFUSED = "refused", _("文件被拒绝")
    PREVIEW = "preview", _("检查完成，待确认导入")
    COMMITTING = "committing", _("正在导入")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("导入失败，未做任何修改")
    CANCELLED = "cancelled", _("已关闭，未导入")


# An import whose job is queued or at work: its files are in use and its page follows the job.
RUNNING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.COMMITTING)
# An import its uploader may close unimported (``services.close_roster_import``): nothing is running and
# nothing was written.
CLOSABLE = (ImportStatus.PREVIEW, ImportStatus.REFUSED, ImportStatus.FAILED)
# An import whose job holds a lease (``leases``): at work, not merely queued.
LEASED = (ImportStatus.CHECKING, ImportStatus.COMMITTING)


class RowAction(models.TextChoices):
    CREATE = "create", _("新增职工")
    UPDATE = "update", _("更新")
    UNCHANGED = "unchanged", _("无变化")
    ERROR = "error", _("有错误")


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("提示")
    NOTICE = "notice", _("说明")  # what the import did with a value (a 15-digit ID upgraded, a footer skipped)
