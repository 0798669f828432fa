"""The checked plan of an import, kept between the check and the commit so the commit need not read
and plan the whole file again.

A spill file holds one frame per batch: the staging rows of the new workers it creates
(``committing.NewWorkerRows``: ID numbers and phones already sealed, hashes, masks and summary columns
made, only the ids left to reserve) with the district and industry of their employers, and the parsed
rows that touch registered workers (re-planned at commit against the registry as it is then, since
those are the rows another change could have made stale). The first frame names the file, the day the
summary columns hold for, the database and the keys: a commit on another day, or after a key rotation,
plans the file again. Frames are encrypted and authenticated with the field-encryption keys: they hold
names and dates of birth, and they are unpickled, which must only ever be done with data this server
wrote.
"""

from __future__ import annotations

import datetime
import pickle
import struct
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from workforce.core.encryption import decrypt_bytes, encrypt_bytes, keys_fingerprint
from workforce.imports.parsing import CellProblem, ParsedRow

LENGTH = struct.Struct(">Q")
KEPT_FOR = datetime.timedelta(days=2)
FORMAT = 2  # frames of staging rows; format 1 (planned rows) is planned again


class StalePlan(Exception):
    """The checked plan no longer fits the registry (or is gone): plan the file again."""


def spill_path(roster_import) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "plans" / f"{roster_import.pk}.bin"


def _context(roster_import, day: datetime.date) -> dict:
    """What the frames are only valid for: this file, this day, this database and these keys."""
    return {"format": FORMAT, "sha256": roster_import.sha256, "day": day, "vendor": connection.vendor,
            "keys": keys_fingerprint()}


class SpillWriter:
    """Writes the frames of one check; ``discard`` removes what was written (a refused or faulty file).
    ``day`` is the day the staging rows' summary columns were computed for."""

    def __init__(self, roster_import, headers: dict[str, str], day: datetime.date):
        self.path = spill_path(roster_import)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("wb")
        self._frame(_context(roster_import, day) | {"headers": headers})

    def _frame(self, payload) -> None:
        token = encrypt_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        self.file.write(LENGTH.pack(len(token)))
        self.file.write(token)

    def add(self, staged: list[list], places: dict[int, tuple], others: list[ParsedRow]) -> None:
        """One batch: the staging rows of its new workers, their employers' (district, industry
        section), and the rows about registered workers (as plain tuples: slotted dataclasses pickle
        about twice as slowly)."""
        self._frame((staged, places, [
            (row.number, row.values, row.raw, [(p.row, p.column, p.value, p.message, p.severity) for p in row.problems])
            for row in others]))

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def read_spill(roster_import, day: datetime.date) -> tuple[dict[str, str], Iterator[tuple]]:
    """The headers and the batches (staging rows, employer places, parsed rows) of an import's checked
    plan; raises ``StalePlan`` when there is none for this very file, day, database and keys."""
    path = spill_path(roster_import)
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise StalePlan from None
    frames = _frames(file)
    try:
        first = next(frames)
    except (StopIteration, ValueError, pickle.UnpicklingError):
        file.close()
        raise StalePlan from None
    if not isinstance(first, dict) or first.get("headers") is None or (
            {key: first.get(key) for key in ("format", "sha256", "day", "vendor", "keys")}
            != _context(roster_import, day)):
        file.close()
        raise StalePlan
    return first["headers"], ((staged, places, _parsed_rows(others)) for staged, places, others in frames)


def _parsed_rows(packed: list[tuple]) -> list[ParsedRow]:
    """The parsed rows of a frame from the tuples ``SpillWriter.add`` packed them into."""
    return [ParsedRow(number, values, raw, [CellProblem(*problem) for problem in problems])
            for number, values, raw, problems in packed]


def _frames(file) -> Iterator:
    with file:
        while prefix := file.read(LENGTH.size):
            if len(prefix) != LENGTH.size:
                raise StalePlan
            token = file.read(LENGTH.unpack(prefix)[0])
            try:
                yield pickle.loads(decrypt_bytes(token))  # noqa: S301 - authenticated: written by this server
            except ValueError:
                raise StalePlan from None


def remove_spill(roster_import) -> None:
    spill_path(roster_import).unlink(missing_ok=True)


def remove_stale_spills(older_than: datetime.timedelta = KEPT_FOR) -> int:
    """Delete the plans of previews nobody committed within ``older_than``; returns how many.

    They hold ID numbers (sealed), so they are not kept longer than a preview is likely to wait; a
    commit after that plans the file again, which is slower but the same.
    """
    folder = Path(settings.MEDIA_ROOT) / "imports" / "plans"
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder.glob("*.bin"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
