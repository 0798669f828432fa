"""Roster imports: each upload is kept with its file, who, when, counts and report (§14, §15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.clock import local_text
from workforce.core.files import encrypted_storage
from workforce.core.messages import render_stored, source_of
from workforce.imports.choices import CLOSABLE, ImportMode, ImportStatus, Severity
from workforce.imports.querysets import RosterImportQuerySet


def import_upload_path(instance: RosterImport, filename: str) -> str:
    # Stored under MEDIA_ROOT, outside the web root; served only through a scoped view.
    return f"imports/{instance.created_at:%Y/%m}/{instance.sha256[:16]}-{filename[-80:]}"


class RosterImport(models.Model):
    """One uploaded roster file and the result of checking and (once confirmed) importing it."""

    # Its change log notes the deletion of its file at the end of the retention period (imports.retention).
    CHANGELOG_FIELDS = ["file_purged_at"]

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    # The employer the roster belongs to: the HR user's own, or the single employer of a staff upload.
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="imports", verbose_name=_("用人单位"))
    # The district of the uploader's scope (district officers), for scoping the import records.
    district = models.ForeignKey("reference.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("区县"))
    mode = models.CharField(_("导入方式"), max_length=16, choices=ImportMode.choices, default=ImportMode.UPSERT)
    roster_date = models.DateField(_("花名册日期"), help_text=_("全员同步时，花名册中没有的在职职工以此日期办理离职"))
    # Sealed at rest with the field keys (core.files, decision 0011); emptied once the retention period
    # has passed (``file_purged_at``).
    file = models.FileField(_("文件"), upload_to=import_upload_path, max_length=300, storage=encrypted_storage)
    file_purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    message = models.CharField(_("说明"), max_length=500, blank=True)  # Chinese, as the job wrote it
    # What ``message`` was made from (``core.messages``): shown in the reader's language; None for text
    # written before issue 15 (shown as written, translated if the catalogue has it as it stands).
    message_source = models.JSONField(null=True, blank=True)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    # Spell ids that full-roster sync would end, shown for confirmation before commit.
    spells_to_end = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    checked_at = models.DateTimeField(_("检查完成时间"), null=True, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("确认人"))
    # Numbers the claims to commit: a commit job writes only while its claim is the current one, so a job
    # taken for dead (``leases``) and then retried can never commit twice.
    commit_attempt = models.PositiveIntegerField(default=0)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("import_roster", _("导入花名册"))]
        verbose_name = _("花名册导入")
        verbose_name_plural = _("花名册导入")

    def __str__(self) -> str:
        return f"{self.original_name}（{local_text(self.created_at)}）"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def message_text(self) -> str:
        """``message`` in the active language (``core.messages``)."""
        return render_stored(self.message, self.message_source)

    def set_message(self, message: str) -> None:
        """Keep ``message`` (a :class:`~workforce.core.messages.Message` or plain text) and its source."""
        self.message, self.message_source = str(message)[:500], source_of(message)

    @property
    def error_count(self) -> int:
        return int(self.counts.get("errors", 0))

    @property
    def has_problems(self) -> bool:
        """The check found errors, warnings or rows to verify: there is a marked report to read."""
        return any(self.counts.get(key) for key in ("error_cells", "warnings", "flagged", "notices"))

    @property
    def change_count(self) -> int:
        """What committing would change in the registry: new workers, updated ones and, for a full-roster
        sync, the employments it ends. Rows 无变化 change nothing."""
        counts = self.counts
        ended = int(counts.get("end", 0)) if self.mode == ImportMode.SYNC else 0
        return int(counts.get("create", 0)) + int(counts.get("update", 0)) + ended

    @property
    def can_commit(self) -> bool:
        """Checked without errors, with something to change (an identical re-import has nothing), and the
        file still kept; a failed commit wrote nothing (it is atomic), so it may be tried again."""
        return (self.status in (ImportStatus.PREVIEW, ImportStatus.FAILED) and self.error_count == 0
                and self.counts.get("rows", 0) > 0 and self.change_count > 0 and self.file_purged_at is None)

    @property
    def can_commit_valid_rows(self) -> bool:
        """Some rows have errors, others none and something to change: those may be committed alone
        (issue 14); like :attr:`can_commit`, again after a failed commit, and only while the file is kept."""
        return (self.status in (ImportStatus.PREVIEW, ImportStatus.FAILED) and self.error_count > 0
                and not self.counts.get("file_errors") and self.counts.get("rows", 0) > self.error_count
                and self.change_count > 0 and self.file_purged_at is None)

    @property
    def is_unchanged(self) -> bool:
        """Checked without errors, and every row already as the registry holds it: nothing to import."""
        return (self.status == ImportStatus.PREVIEW and self.error_count == 0 and self.counts.get("rows", 0) > 0
                and self.change_count == 0)

    @property
    def awaits_confirmation(self) -> bool:
        """The uploader's next step is 确认导入 (or 只导入没有错误的行): the one definition the import list and
        the home page count (issue 15 point 5)."""
        return self.can_commit or self.can_commit_valid_rows

    @property
    def check_failed(self) -> bool:
        """Refused, or checked with errors and nothing that may be imported, while the upload (and its
        report) is kept and nobody has closed it: the uploader has a file to correct."""
        if self.file_purged_at is not None:
            return False
        if self.status == ImportStatus.REFUSED:
            return True
        return self.status == ImportStatus.PREVIEW and self.error_count > 0 and not self.awaits_confirmation

    @property
    def can_close(self) -> bool:
        """Checked (or refused, or failed) and not committed: the uploader may close it unimported."""
        return self.status in CLOSABLE

    @property
    def status_text(self) -> str:
        """The status as people read it: a checked file that cannot be committed is not "awaiting
        confirmation"."""
        if self.status == ImportStatus.PREVIEW and self.can_commit_valid_rows:
            return _("检查完成，部分行有错误，可只导入没有错误的行")
        if self.status == ImportStatus.PREVIEW and not self.can_commit:
            if self.error_count:
                return _("检查完成，存在错误，不能导入")
            if self.is_unchanged:
                return _("检查完成，与登记库一致，无需导入")
            return _("检查完成，没有可导入的数据行")
        return self.get_status_display()


class ImportProblem(models.Model):
    """A problem with one cell (or row) of an upload, with the spreadsheet's row number and header."""

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("行"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    # As the registry shows them: ID numbers and phones masked (``imports.masking``), never in full.
    value = models.CharField(_("值"), max_length=200, blank=True)
    message = models.CharField(_("问题"), max_length=500)  # Chinese, masked (``imports.masking``)
    # What ``message`` was made from, shown in the reader's language (as ``RosterImport.message_source``).
    message_source = models.JSONField(null=True, blank=True)
    severity = models.CharField(_("级别"), max_length=8, choices=Severity.choices, default=Severity.ERROR)

    class Meta:
        ordering = ["roster_import", "row", "id"]
        indexes = [models.Index(fields=["roster_import", "severity", "row"], name="importproblem_import")]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"

    @property
    def text(self) -> str:
        """The problem in the active language: the page, the exports, the API and the marked report."""
        return render_stored(self.message, self.message_source)


class RosterSynonym(models.Model):
    """Another way of writing a coded roster value (户口性质 ``农转非`` for 城镇户口, an occupation's short
    name for its code), added by the administrator to the built-in ones (``parsing.CHOICE_ALIASES``);
    read by every check and commit (``synonyms.synonyms_for_import``). Reference data, not personal."""

    column = models.CharField(_("列"), max_length=32)
    text = models.CharField(_("写法"), max_length=100)
    value = models.CharField(_("对应的值"), max_length=32)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    CHANGELOG_FIELDS = ["column", "text", "value"]

    class Meta:
        ordering = ["column", "text"]
        constraints = [models.UniqueConstraint(fields=["column", "text"], name="rostersynonym_unique_text")]
        verbose_name = _("花名册取值写法")
        verbose_name_plural = _("花名册取值写法")

    def __str__(self) -> str:
        return f"{self.column}: {self.text} → {self.value}"
