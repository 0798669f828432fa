"""Cross-cutting records: the change log, the access log and the optimistic-locking base model."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from workforce.core.choices import AccessEvent, ChangeAction, Channel
from workforce.core.clock import local_text


class VersionedModel(models.Model):
    """A model edited by people: ``version`` grows by one on every save through a service.

    Services compare the version a form or API client read with the stored one and refuse a stale
    write (see ``workforce.core.changelog.save_versioned``), so nobody silently overwrites another.
    """

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ChangeLogEntry(models.Model):
    """One create, update, delete or merge of a registry record, written in the same transaction.

    ``before``/``after`` hold the changed fields only, with sensitive values masked; a record created by
    a bulk import has one row naming the import and the file's row instead (``source_*``).
    """

    # Single-column indexes would repeat changelog_object and changelog_parent, and slow every write.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Text, because reference records have text keys (occupation 6-17-02-02, division 510402).
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    action = models.CharField(_("操作"), max_length=16, choices=ChangeAction.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True)  # kept when the user is deleted
    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # A related record (a spell, a certificate) is also shown on its parent's timeline.
    parent_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    parent_object_id = models.CharField(max_length=64, null=True, blank=True)
    # The kept document a change was read from (a roster import) and its row: for a record a bulk import
    # created, the row of the file is its first snapshot, and it also stands for the spell, membership
    # and certificate the row created (decision 0008).
    source_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    source_object_id = models.CharField(max_length=64, null=True, blank=True)
    source_row = models.PositiveIntegerField(_("行"), null=True, blank=True)
    # Not a column: the source document as the reader may see it, set by ``core.changelog.with_sources``.
    source: models.Model | None

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-time"], name="changelog_object"),
            models.Index(fields=["parent_content_type", "parent_object_id", "-time"], name="changelog_parent"),
        ]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class AccessLogEntry(models.Model):
    """A sign-in, failure, lockout, unmasking of sensitive data or export; searchable by the city admin."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    event = models.CharField(_("事件"), max_length=32, choices=AccessEvent.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    target = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("详情"), max_length=500, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["event", "-time"], name="accesslog_event")]
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")

    def __str__(self) -> str:
        return f"{local_text(self.time)} {self.username} {self.get_event_display()}"
