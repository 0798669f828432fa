"""Union memberships read from the workers' sealed rolls (``registry.union_roll``, decision 0009), scoped.

There is no table of memberships: a membership is a period of its worker's roll. The pages, the API and the
services handle it as a ``Membership``; who may know of which follows decision 0002: an enterprise's HR knows
membership in their own enterprise's union (or with no union named) only, never one elsewhere, nor that one
exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from workforce.accounts.choices import ScopeKind
from workforce.registry.union_roll import RollEntry, decode_roll, rolls_by_id, rolls_of

if TYPE_CHECKING:
    from workforce.registry.models import Employer, Worker


@dataclass
class Membership:
    """One period of a worker's union roll, as the pages, the API and the services handle it."""

    id: int
    worker: Worker
    employer_id: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    employer: Employer | None = field(default=None, repr=False)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def worker_id(self) -> int:
        return self.worker.pk

    @property
    def version(self) -> int:
        """1 while open, 2 once ended (as the rows counted their saves; a roll keeps no count of its own)."""
        return 1 if self.valid_to is None else 2

    @property
    def entry(self) -> RollEntry:
        return RollEntry(self.id, self.employer_id, self.valid_from, self.valid_to)

    def __str__(self) -> str:
        return f"{self.valid_from}–{self.valid_to or ''}"


def unions_seen_by(user: Any) -> set[int | None] | None:
    """The unions (by employer id; None: no union named) whose memberships ``user`` may know of; None for all.
    An enterprise's HR knows their own enterprise's union only (decision 0009)."""
    if user is not None and getattr(user, "scope_kind", None) == ScopeKind.EMPLOYER:
        return {user.employer_id, None}
    return None


def seen_entries(plaintext: str, user: Any) -> list[RollEntry]:
    """The periods of a roll ``user`` may know of (``user`` None: every period), oldest first."""
    unions = unions_seen_by(user)
    return [entry for entry in decode_roll(plaintext) if unions is None or entry.employer_id in unions]


def _with_employers(memberships: list[Membership]) -> list[Membership]:
    from workforce.registry.models import Employer

    wanted = {membership.employer_id for membership in memberships if membership.employer_id is not None}
    employers = Employer.objects.in_bulk(wanted) if wanted else {}
    for membership in memberships:
        membership.employer = employers.get(membership.employer_id) if membership.employer_id else None
    return memberships


def memberships_of(worker: Worker, user: Any = None, *, plaintext: str | None = None) -> list[Membership]:
    """The memberships of ``worker`` that ``user`` may know of (None: all), newest first as the rows were
    ordered, with ``employer`` loaded. ``plaintext``: the roll as read under a lock, else the worker's."""
    if plaintext is None:
        plaintext = rolls_by_id([worker.pk]).get(worker.pk, "")
    memberships = [Membership(entry.id, worker, entry.employer_id, entry.valid_from, entry.valid_to)
                   for entry in seen_entries(plaintext, user)]
    memberships.sort(key=lambda membership: (membership.valid_from, membership.id), reverse=True)
    return _with_employers(memberships)


def find_membership(user: Any, pk: int, *, worker_id: int | None = None) -> Membership | None:
    """The membership ``pk`` if ``user`` may see its worker and know of it, else None. Its worker is found by
    reading the rolls of the workers in ``user``'s scope (``worker_id``, a hint a page gives, first)."""
    from workforce.registry.models import Worker

    visible = Worker.objects.visible_to(user)
    candidates: Iterable[tuple[int, str]] = ()
    if worker_id is not None:
        candidates = rolls_of(visible.filter(pk=worker_id))
    for found in (candidates, rolls_of(visible)):
        for worker_pk, plaintext in found:
            marker = f"{pk},"
            if marker not in plaintext:
                continue
            for entry in seen_entries(plaintext, user):
                if entry.id == pk:
                    worker = Worker.objects.get(pk=worker_pk)
                    return _with_employers([Membership(entry.id, worker, entry.employer_id, entry.valid_from,
                                                       entry.valid_to)])[0]
    return None


def members_among(worker_ids: Iterable[int], user: Any, on: datetime.date | None = None) -> set[int]:
    """The workers of ``worker_ids`` who are union members on ``on`` (default today) as ``user`` may know it
    (None: any union), from their rolls in one query."""
    day = on or timezone.localdate()
    rolls = rolls_by_id(list(worker_ids))
    return {pk for pk, plaintext in rolls.items()
            if any(entry.holds_on(day) for entry in seen_entries(plaintext, user))}


def members_of(workers: Any, user: Any, on: datetime.date | None = None) -> list[int]:
    """The workers of the queryset ``workers`` who are union members on ``on`` as ``user`` may know it: every
    roll of the queryset decrypted, a batch at a time (an enterprise's HR: their own staff, few)."""
    day = on or timezone.localdate()
    return [pk for pk, plaintext in rolls_of(workers)
            if any(entry.holds_on(day) for entry in seen_entries(plaintext, user))]


def is_member(worker: Worker, on: datetime.date | None = None) -> bool:
    """Whether ``worker`` holds a membership (any union) on ``on`` (default today), from their roll."""
    return worker.pk in members_among([worker.pk], None, on)


def held_on(workers: Any, on: datetime.date) -> dict[int, list[RollEntry]]:
    """The periods covering ``on`` of every roll of the queryset ``workers`` (workers holding none are left out),
    a batch at a time: the union officers' member lists read the rolls of the workers their unions cover in
    bulk (decision 0018). Every union's periods: the caller decides which union's are its own."""
    held: dict[int, list[RollEntry]] = {}
    for pk, plaintext in rolls_of(workers):
        entries = [entry for entry in decode_roll(plaintext) if entry.holds_on(on)]
        if entries:
            held[pk] = entries
    return held


def entries_by_id(worker_ids: Iterable[int]) -> dict[int, list[RollEntry]]:
    """Every period of the rolls of ``worker_ids`` (one query, one bulk decryption), oldest first."""
    return {pk: decode_roll(plaintext) for pk, plaintext in rolls_by_id(list(worker_ids)).items()}
