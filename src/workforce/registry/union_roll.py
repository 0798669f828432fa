"""A worker's union roll: every period of their trade-union membership, sealed in one padded token in the
worker's own row (``Worker.union_roll``, decision 0009).

A table of membership rows says who is a member by a row's mere existence; a roll written for every worker
(an empty one too) and filled to a whole number of ``ROLL_BLOCK`` bytes shows a dump one token of one length
a worker, whatever it holds. The plaintext is ``VERSION`` then one entry per period,
``id,employer id,valid from,valid to`` (ids and ISO dates; an empty employer or end date stays empty),
separated by ``;``. The version prefix keeps an empty roll non-empty, so that it is sealed too.

The rolls are the record of union membership: no table lists memberships. A membership's id comes from a
one-row counter and lives in its worker's roll; ``registry.memberships`` reads them as ``Membership`` objects.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Iterator
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast

from workforce.core.encryption import decrypt, decrypt_many, encrypt_many, looks_sealed, padded

VERSION = "r1:"
# Bytes the plaintext is filled to (a multiple of them): six periods of typical ids fit one block, more than the
# demo registry's workers ever held, so a longer roll (and its longer token) is rare.
ROLL_BLOCK = 256
BATCH = 2000


class RollEntry(NamedTuple):
    """One period of membership (dates inclusive; open while ``valid_to`` is None)."""

    id: int
    employer_id: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None

    def holds_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


def encode_roll(entries: Iterable[RollEntry]) -> str:
    """The plaintext of a roll (unpadded: the field pads it)."""
    return VERSION + ";".join(
        f"{entry.id},{entry.employer_id or ''},{entry.valid_from.isoformat()},"
        f"{entry.valid_to.isoformat() if entry.valid_to else ''}"
        for entry in sorted(entries, key=lambda entry: (entry.valid_from, entry.id)))


def roll_fields(plaintext: str) -> list[list[str]]:
    """The periods of a roll's plaintext as their texts (id, employer id, valid from, valid to), oldest first,
    for bulk readers that convert them themselves; an empty value (a worker written before rolls) is an
    empty roll."""
    if not plaintext:
        return []
    if not plaintext.startswith(VERSION):
        raise ValueError("not a union roll")
    body = plaintext[len(VERSION):]
    return [part.split(",") for part in body.split(";")] if body else []


def decode_roll(plaintext: str) -> list[RollEntry]:
    """The periods of a roll's plaintext, oldest first."""
    return [RollEntry(int(pk), int(employer) if employer else None, datetime.date.fromisoformat(start),
                      datetime.date.fromisoformat(end) if end else None)
            for pk, employer, start, end in roll_fields(plaintext)]


def empty_roll() -> str:
    """The plaintext of a roll with no period (the field seals it like any other)."""
    return VERSION


def holds_on(plaintext: str, day: datetime.date, employer_ids: Collection[int | None] | None = None) -> bool:
    """Whether the roll ``plaintext`` has a period covering ``day`` (through one of ``employer_ids``'s unions,
    if given: what an enterprise's HR may know)."""
    return any(entry.holds_on(day) and (employer_ids is None or entry.employer_id in employer_ids)
               for entry in decode_roll(plaintext))


def raw_tokens(workers: QuerySet) -> QuerySet:
    """``(id, sealed roll)`` of ``workers``, the tokens as stored (no decryption per row): bulk readers
    decrypt them with ``decrypt_many``."""
    return workers.order_by().annotate(roll_token=Cast("union_roll", TextField())).values_list("pk", "roll_token")


def rolls_of(workers: QuerySet, batch: int = BATCH) -> Iterator[tuple[int, str]]:
    """``(id, roll plaintext)`` of every worker of ``workers``, decrypted a batch at a time."""
    last = 0
    while chunk := list(raw_tokens(workers.filter(pk__gt=last)).order_by("pk")[:batch]):
        last = chunk[-1][0]
        yield from zip((pk for pk, _token in chunk), decrypt_many([token or "" for _pk, token in chunk]),
                       strict=True)


def rolls_by_id(worker_ids: Collection[int]) -> dict[int, str]:
    """The roll plaintexts of ``worker_ids`` (a batch: one query, one bulk decryption)."""
    from workforce.core.bulk import one_parameter
    from workforce.registry.models import Worker

    rows = list(raw_tokens(Worker.objects.filter(pk__in=one_parameter(Worker._meta.pk, list(worker_ids)))))
    return dict(zip((pk for pk, _token in rows), decrypt_many([token or "" for _pk, token in rows]), strict=True))


def seal_rolls(plaintexts: list[str]) -> list[str]:
    """The tokens of the rolls ``plaintexts`` as the field writes them (filled to whole blocks)."""
    from workforce.registry.models import Worker

    field = Worker._meta.get_field("union_roll")
    return encrypt_many([field.plaintext_of(plaintext) for plaintext in plaintexts])


def write_roll(worker_id: int, entries: Iterable[RollEntry]) -> str:
    """Store ``entries`` as the roll of ``worker_id`` (call under the worker's row lock); returns the plaintext."""
    from workforce.registry.models import Worker

    plaintext = encode_roll(entries)
    Worker.objects.filter(pk=worker_id).update(union_roll=plaintext)  # the field seals and fills it
    return plaintext


def next_membership_ids(count: int = 1) -> list[int]:
    """``count`` new membership ids from the one-row counter (``MembershipSequence``): not a table of
    memberships, so nothing in it says whose they are. Inside the writer's transaction (the counter's row
    stays locked until it ends)."""
    from workforce.registry.models import MembershipSequence

    if count <= 0:
        return []
    with transaction.atomic():
        if not MembershipSequence._default_manager.filter(pk=1).update(last_id=F("last_id") + count):
            MembershipSequence._default_manager.create(pk=1, last_id=count)
        last = MembershipSequence._default_manager.values_list("last_id", flat=True).get(pk=1)
    return list(range(last - count + 1, last + 1))


# A change-log row about a membership names it sealed (which membership, through which union), filled to one
# length: the viewer's scope decides whether the row is shown (an enterprise's HR: their own union's), and a
# dump sees only that the worker's roll changed (decision 0009).
REFERENCE_VERSION = "m1:"
REFERENCE_BLOCK = 64


def seal_reference(entry: RollEntry) -> str:
    """The sealed reference to ``entry`` a change-log row keeps as the masked value of ``union_roll``."""
    return encrypt_many([padded(f"{REFERENCE_VERSION}{entry.id},{entry.employer_id or ''}", REFERENCE_BLOCK)])[0]


def open_references(tokens: list[str]) -> list[tuple[int, int | None] | None]:
    """(membership id, union's employer id) of each sealed reference; None for a value that is not one (a
    row masked before references were kept)."""
    opened: list[tuple[int, int | None] | None] = []
    for token in tokens:
        try:
            text = decrypt(token) if looks_sealed(token) else ""
        except ValueError:
            text = ""
        if not text.startswith(REFERENCE_VERSION):
            opened.append(None)
            continue
        pk, employer = text[len(REFERENCE_VERSION):].split(",")
        opened.append((int(pk), int(employer) if employer else None))
    return opened
