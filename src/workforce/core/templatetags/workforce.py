"""Template filters of the platform: change-log rows, record kinds, skill levels and fact values.

Presentation only: they turn stored codes into the labels people read, never decide anything.
"""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from workforce.core.clock import local_text
from workforce.core.models import ChangeLogEntry

register = template.Library()

EMPTY = "—"
# Change-log keys that are not fields of the model they are recorded on.
EXTRA_LABELS = {"merged_from": gettext_lazy("合并来源")}
_skill_labels: dict[str, dict[int, str]] = {}


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(field: Any, name: str) -> str:
    # Reverse relations (a task's milestones) have no verbose_name: name them by their records' plural.
    if isinstance(field, models.ForeignObjectRel) and not isinstance(field.related_model, str):
        return str(field.related_model._meta.verbose_name_plural)
    verbose_name = getattr(field, "verbose_name", None)
    return str(verbose_name) if verbose_name else str(EXTRA_LABELS.get(name, name))


def _display(field: Any, value: Any) -> Any:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = getattr(field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _local_time(value)
    return value


def _local_time(value: str) -> str:
    # Rows written before times were stored in China time hold UTC ("…+00:00"): show them in China time too.
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    return local_text(moment)


@register.filter
def changes(entry: ChangeLogEntry) -> list[tuple[str, Any, Any]]:
    """The fields a change-log entry changed as ``(label, old, new)`` rows.

    Labels are the model fields' verbose names where the key is a field (else the key); coded values
    are shown by their choice labels, booleans as 是/否 and empty values as a dash.
    """
    model = entry.content_type.model_class() if entry.content_type_id else None
    before, after = entry.before or {}, entry.after or {}
    names = list(after) + [name for name in before if name not in after]
    rows = []
    for name in names:
        field = _field(model, name)
        old, new = _display(field, before.get(name)), _display(field, after.get(name))
        if old == new == EMPTY:  # e.g. the fields a new record left blank
            continue
        rows.append((_label(field, name), old, new))
    return rows


# Notes the importer stores in Chinese ("花名册导入 #2 第 2 行"), shown in the reader's language.
_IMPORT_NOTE = re.compile(r"^花名册导入 #(?P<number>\d+) 第 ?(?P<row>\d+) ?行$")  # not translated: a pattern


@register.filter
def note_text(note: str) -> str:
    """A change-log note in the reader's language: a note that is one of the catalogue's messages (the
    services write them through gettext, in the writer's language) or the importer's row note is
    translated; any other note is the user's own text and shown as written."""
    match = _IMPORT_NOTE.match(note)
    if match:
        return _("花名册导入 #%(number)s 第 %(row)s 行") % match.groupdict()
    return _(note) if note else note


@register.filter
def record_kind(entry: ChangeLogEntry) -> str:
    """The verbose name of the kind of record a change-log entry is about (e.g. 就业记录)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return str(model._meta.verbose_name) if model is not None else ""


@register.filter
def skill_level(level: int | str | None) -> str:
    """The label of a national skill level number (3 → 三级/高级工), in English for English pages."""
    if level is None or level == "":
        return EMPTY
    language = "en" if (get_language() or "").startswith("en") else "zh"
    if not _skill_labels:
        from workforce.reference.models import SkillLevel

        for number, label, name_en in SkillLevel.objects.values_list("level", "label", "name_en"):
            _skill_labels.setdefault("zh", {})[number] = label
            _skill_labels.setdefault("en", {})[number] = name_en
    return _skill_labels.get(language, {}).get(int(level), str(level))


@register.filter
def fact_value(fact: Any) -> Any:
    """The label of a time-varying fact's value, read from the choices of the field it records
    (a worker fact of kind ``hukou_type`` with value ``rural`` → 农村户口)."""
    owner = fact._meta.get_field("worker").related_model
    return _display(_field(owner, fact.kind), fact.value)


@register.filter
def occupation(value: Any) -> str:
    """An occupation as its code and name, the code kept on one line: on a phone's narrow table column
    "4-09-08-01" broke over four lines (issue 15, point 10). A dash when there is none."""
    if value is None:
        return EMPTY
    return format_html('<span class="nowrap">{}</span> {}', value.code, value.name)


@register.filter
def ids_for(form: Any, record: Any) -> Any:
    """``form`` with ids of its own for ``record`` (``id_rectification7_text``): a form shown once per row
    of a list would otherwise repeat the same ids on the page, and each label would name the first field."""
    own = copy.copy(form)
    own.auto_id = f"id_{record._meta.model_name}{record.pk}_%s"
    own._bound_fields_cache = {}  # bound fields made for the original's ids must not be reused
    return own
