"""A worker's union roll: every period of their trade-union membership, sealed in one padded token in the
worker's own row (``Worker.union_roll``, decision 0009).

A table of membership rows says who is a member by a row's mere existence; a roll written for every worker
(an empty one too) and filled to a whole number of ``ROLL_BLOCK`` bytes shows a dump one token of one length
a worker, whatever it holds. The plaintext is ``VERSION`` then one entry per period,
``id,employer id,valid from,valid to`` (ids and ISO dates; an empty employer or end date stays empty),
separated by ``;``. The version prefix keeps an empty roll non-empty, so that it is sealed too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection

from workforce.core.encryption import encrypt_many

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


def rolls_from_rows(worker_ids: list[int]) -> dict[int, str]:
    """The roll plaintext of each of ``worker_ids`` from their membership rows (an empty roll for none)."""
    from workforce.registry.models import UnionMembership

    entries: dict[int, list[RollEntry]] = {worker_id: [] for worker_id in worker_ids}
    for worker_id, pk, employer_id, start, end in UnionMembership.objects.filter(worker_id__in=worker_ids).values_list(
            "worker_id", "id", "employer_id", "valid_from", "valid_to"):
        entries[worker_id].append(RollEntry(pk, employer_id, start, end))
    return {worker_id: encode_roll(rows) for worker_id, rows in entries.items()}


def write_union_rolls(worker_ids: Iterable[int]) -> dict[int, str]:
    """Rewrite the sealed rolls of ``worker_ids`` from their membership rows, in batches; every worker gets a
    token, an empty roll too. Returns the plaintexts written, by worker id."""
    from workforce.registry.models import Worker

    field = Worker._meta.get_field("union_roll")
    quote = connection.ops.quote_name
    # Names come from the model, values are parameters.
    sql = (f"UPDATE {quote(Worker._meta.db_table)} SET {quote(field.column or field.name)} = %s "  # noqa: S608
           f"WHERE {quote('id')} = %s")
    worker_ids = sorted(set(worker_ids))
    written = {}
    for start in range(0, len(worker_ids), BATCH):
        rolls = rolls_from_rows(worker_ids[start:start + BATCH])
        tokens = encrypt_many([field.plaintext_of(roll) for roll in rolls.values()])
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[token, worker_id] for worker_id, token in zip(rolls, tokens, strict=True)])
        written.update(rolls)
    return written
