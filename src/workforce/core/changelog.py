"""Writing the change log and saving versioned records (optimistic locking).

Services call these inside their transaction, so the trail and the change commit or roll back together
(STYLE.md: no signals for audit).
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from workforce.core.choices import ChangeAction, Channel
from workforce.core.clock import local_iso
from workforce.core.models import ChangeLogEntry


class StaleRecordError(Exception):
    """The record changed since the editor read it; their write is refused."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("该记录已被他人修改，请刷新后基于最新内容重新编辑。"))
        self.message = str(self.args[0])


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return local_iso(value)  # China time with its offset, as the history shows it
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The values of the fields the model lists in ``CHANGELOG_FIELDS``, JSON-ready.

    Sensitive fields are listed by their masked twin (``id_number_masked``), never in plaintext.
    """
    values = {}
    for name in instance.CHANGELOG_FIELDS:  # type: ignore[attr-defined]
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            related = getattr(instance, name)
            values[name] = str(related) if related is not None else None
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


_source: contextvars.ContextVar[tuple[models.Model, int] | None] = contextvars.ContextVar("change_source",
                                                                                        default=None)


@contextmanager
def changes_from(source: models.Model, row: int) -> Iterator[None]:
    """Name ``source`` (a kept document, e.g. a roster import) and its ``row`` on every change-log row
    the services write inside the block: an importer wraps each row's service calls in it."""
    token = _source.set((source, row))
    try:
        yield
    finally:
        _source.reset(token)


def current_source() -> tuple[models.Model, int] | None:
    """The document and row that ``changes_from`` names for the changes made now, if any."""
    return _source.get()


def source_fields(source: models.Model | None, row: int | None) -> dict[str, Any]:
    """The ``source_*`` columns of a change-log row read from ``row`` of ``source``."""
    if source is None:
        return {"source_content_type": None, "source_object_id": None, "source_row": None}
    return {"source_content_type": ContentType.objects.get_for_model(source), "source_object_id": str(source.pk),
            "source_row": row}


def with_sources(entries: Iterable[ChangeLogEntry], user: Any) -> list[ChangeLogEntry]:
    """``entries`` as a list, each with ``source``: the document it was read from when ``user`` may see
    it (through the model's ``visible_to``), else ``None``; so a history links to the import file only
    for those who may open it."""
    entries = list(entries)
    wanted: dict[int, set[str | None]] = {}
    for entry in entries:
        entry.source = None
        if entry.source_content_type_id:
            wanted.setdefault(entry.source_content_type_id, set()).add(entry.source_object_id)
    found: dict[tuple[int, str | None], models.Model] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        manager = model._default_manager if model is not None else None
        if manager is None or not hasattr(manager, "visible_to"):
            continue
        for record in manager.visible_to(user).filter(pk__in=ids):
            found[(type_id, str(record.pk))] = record
    for entry in entries:
        if entry.source_content_type_id:
            entry.source = found.get((entry.source_content_type_id, entry.source_object_id))
    return entries


MASKED_VALUE = "***"


def masked_values(instance: models.Model, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` with those of the model's ``CHANGELOG_MASKED`` fields replaced by ``MASKED_VALUE`` (an
    empty one too: a blank political status is "not stated", a value like the others, issue 15; only a missing
    one, None, stays): the row says the field changed, never to what (decision 0009). Snapshots keep the values
    in memory, so ``diff`` still sees a change."""
    masked = getattr(instance, "CHANGELOG_MASKED", ())
    if not values or not masked:
        return values
    return {key: MASKED_VALUE if key in masked and value is not None else value for key, value in values.items()}


def change_entry(
    instance: models.Model,
    action: ChangeAction,
    *,
    acting_user: Any,
    channel: Channel,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    parent: models.Model | None = None,
) -> ChangeLogEntry:
    """The change-log row for ``instance``, not saved yet (``record_change`` saves one; bulk services
    save many at once)."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    before, after = (masked_values(instance, values) for values in (before, after))
    return ChangeLogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        action=action,
        channel=channel,
        user=user,
        user_name=user.get_username() if user else "",
        before=before or {},
        after=after or {},
        note=note[:500],
        parent_content_type=ContentType.objects.get_for_model(parent) if parent is not None else None,
        parent_object_id=parent.pk if parent is not None else None,
        **source_fields(*(_source.get() or (None, None))),
    )


def record_change(instance: models.Model, action: ChangeAction, **details: Any) -> ChangeLogEntry:
    """Write one change-log row for ``instance`` (``details`` as ``change_entry`` takes them); call inside
    the service's transaction."""
    entry = change_entry(instance, action, **details)
    entry.save(force_insert=True)
    return entry


def record_update(instance: models.Model, before: dict[str, Any], *, acting_user: Any, channel: Channel,
                  parent: models.Model | None = None) -> bool:
    """Write an UPDATE row with the fields of ``instance`` that differ from ``before`` (its snapshot taken
    before the change), or nothing when none does; True when a row was written."""
    old, new = diff(before, snapshot(instance))
    if new:
        record_change(instance, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old,
                      after=new, parent=parent)
    return bool(new)


def save_versioned(instance: models.Model, *, expected_version: int | None) -> None:
    """Save ``instance`` if its stored version is still ``expected_version``, bumping the version.

    Raises :class:`StaleRecordError` otherwise. ``expected_version=None`` skips the check (used by
    importers that hold the row lock themselves). Must run inside ``transaction.atomic``.
    """
    assert transaction.get_connection().in_atomic_block, "save_versioned needs a transaction"
    model = type(instance)
    stored = model._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if expected_version is not None and stored != expected_version:
        raise StaleRecordError()
    instance.version = stored + 1  # type: ignore[attr-defined]
    instance.save()


def history_for(instance: models.Model) -> models.QuerySet[ChangeLogEntry]:
    """Change-log rows of ``instance`` and of the records that name it as their parent, newest first."""
    content_type = ContentType.objects.get_for_model(instance)
    return ChangeLogEntry.objects.filter(
        models.Q(content_type=content_type, object_id=instance.pk)
        | models.Q(parent_content_type=content_type, parent_object_id=instance.pk)
    ).select_related("content_type")
