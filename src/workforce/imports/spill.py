"""The checked plan of an import, kept between the check and the commit so the commit need not read
and plan the whole file again.

A spill file holds one frame per batch: the rows that create new workers, planned (they are written
in bulk), and the parsed rows that touch registered workers (re-planned at commit against the registry
as it is then, since those are the rows another change could have made stale). Frames are encrypted
and authenticated with the field-encryption keys: the file holds ID numbers and phones, and it is
unpickled, which must only ever be done with data this server wrote.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from workforce.core.encryption import decrypt_bytes, encrypt_bytes
from workforce.imports.parsing import ParsedRow
from workforce.imports.planning import RowPlan

LENGTH = struct.Struct(">Q")


class StalePlan(Exception):
    """The checked plan no longer fits the registry (or is gone): plan the file again."""


def spill_path(roster_import) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "plans" / f"{roster_import.pk}.bin"


class SpillWriter:
    """Writes the frames of one check; ``discard`` removes what was written (a refused or faulty file)."""

    def __init__(self, roster_import, headers: dict[str, str]):
        self.path = spill_path(roster_import)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("wb")
        self._frame({"sha256": roster_import.sha256, "headers": headers})

    def _frame(self, payload) -> None:
        token = encrypt_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        self.file.write(LENGTH.pack(len(token)))
        self.file.write(token)

    def add(self, creates: list[RowPlan], others: list[ParsedRow]) -> None:
        for plan in creates:  # what the preview showed is in the database already
            plan.problems, plan.notes = [], []
        self._frame((creates, others))

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def read_spill(roster_import) -> tuple[dict[str, str], Iterator[tuple[list[RowPlan], list[ParsedRow]]]]:
    """The headers and the batches of an import's checked plan; raises ``StalePlan`` when there is none
    for this very file."""
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
    if first.get("sha256") != roster_import.sha256:
        file.close()
        raise StalePlan
    return first["headers"], frames


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
