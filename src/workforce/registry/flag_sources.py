"""Where the list filters on masked attributes may read today's flags of every worker at once (decision 0009).

The hukou type and the union roll are encrypted with no lookup column, so the filters ``hukou``, ``migrant``,
``union`` and ``union_member_on`` cannot ask the database; decrypting every listed worker's value costs about 2
µs a worker per request. Another app that keeps these flags decrypted and current in memory (the indicators'
columns, decision 0006) registers a provider here in its ``AppConfig.ready``; the registry calls it without
importing that app. A provider answers None when it cannot answer for the registry as it is now without a whole
load (nothing held, or held columns that cannot be brought up to date cheaply); the filters then decrypt in
Python as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Protocol


class WorkerFlagSets(Protocol):
    """Today's masked flags of every worker of the registry as it is at the time of the call. Ids ascending."""

    def rural_hukou(self) -> list[int]:
        """The workers whose recorded hukou type (``Worker.hukou_type``) is rural."""

    def migrants(self, on: datetime.date) -> list[int]:
        """The migrant workers on ``on`` (``services.facts.migrants_among`` over every worker: rural hukou
        and a spell covering the day at an employer outside agriculture)."""

    def union_members(self, on: datetime.date) -> list[int]:
        """The workers holding a union membership (any union) on ``on``: a period of their union roll
        (``Worker.union_roll``) covering the day."""


_providers: list[Callable[[], WorkerFlagSets | None]] = []


def register_flag_provider(provider: Callable[[], WorkerFlagSets | None]) -> None:
    """Add ``provider`` (called once per filtered list; None when it cannot answer now). Idempotent."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_flag_provider(provider: Callable[[], WorkerFlagSets | None]) -> None:
    if provider in _providers:
        _providers.remove(provider)


def current_flag_sets() -> WorkerFlagSets | None:
    """The flags of the first provider that can answer for the registry as it is now, else None."""
    for provider in _providers:
        sets = provider()
        if sets is not None:
            return sets
    return None
