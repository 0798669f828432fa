"""Dated facts written when a record's time-varying attribute changes (decision 0004): one rule for workers'
facts (hukou, education…) and employers' attributes (district, industry, ownership, above scale)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import timezone

from workforce.registry.models import EmployerAttributeFact, WorkerFact

ONE_DAY = datetime.timedelta(days=1)


def record_dated_changes(model: type[WorkerFact] | type[EmployerAttributeFact], owner: dict[str, Any],
                         key: str, changes: dict[str, tuple[str | None, str]], effective_on: datetime.date,
                         known_since: Callable[[], datetime.date]) -> None:
    """For each attribute ``changes`` names (``key`` value → (old, new); old None for a new record), close
    its open fact on the day before ``effective_on`` and open one with the new value from that day (a change
    on the day the open fact began corrects it instead).

    A record may have no facts of an attribute (bulk imports write none, decision 0008; an employer has
    none before its first change): its own field then holds on every day. On the first change the old
    value becomes a fact from the day the record is first known (``known_since``) to the day before, so
    that days before the change keep their answer; a change effective from then on is a correction."""
    since = None
    for attribute, (old_value, new_value) in changes.items():
        if old_value == new_value:
            continue
        facts = model._default_manager.filter(**owner, **{key: attribute})
        current = facts.filter(valid_to__isnull=True).first()
        if current and current.valid_from >= effective_on:
            current.value = new_value  # a correction on the day the fact began
            current.save(update_fields=["value"])
            continue
        if current:
            current.valid_to = effective_on - ONE_DAY
            current.save(update_fields=["valid_to"])
        elif old_value is not None and not facts.exists():
            since = since or known_since()
            if since >= effective_on:
                continue  # a correction from the start: the record's value holds throughout
            model._default_manager.create(**owner, **{key: attribute}, value=old_value, valid_from=since,
                                 valid_to=effective_on - ONE_DAY)
        model._default_manager.create(**owner, **{key: attribute}, value=new_value, valid_from=effective_on)


def first_known(spells: models.QuerySet[Any], created_at: datetime.datetime | None) -> datetime.date:
    """The first day the registry knows of a worker or an employer: the earliest start of ``spells`` (theirs),
    or the record's registration."""
    first_start = spells.order_by("start_date").values_list("start_date", flat=True).first()
    registered = timezone.localdate(created_at) if created_at else timezone.localdate()
    return min(first_start, registered) if first_start else registered
