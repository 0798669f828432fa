"""The checked plan of an import, kept between the check and the commit so the commit need not read
and plan the whole file again.

A spill file holds one frame per batch: the rows that create new workers, planned (they are written
in bulk), and the parsed rows that touch registered workers (re-planned at commit against the registry
as it is then, since those are the rows another change could have made stale). Frames are encrypted
and authenticated with the field-encryption keys: the file holds ID numbers and phones, and it is
unpickled, which must only ever be done with data this server wrote.
"""

from __future__ import annotations

import datetime
import pickle
import struct
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from workforce.core.encryption import decrypt_bytes, encrypt_bytes
from workforce.core.identifiers import IdNumberInfo
from workforce.imports.choices import RowAction
from workforce.imports.parsing import ParsedRow
from workforce.imports.planning import RowPlan
from workforce.registry.models import Employer

LENGTH = struct.Struct(">Q")
KEPT_FOR = datetime.timedelta(days=2)


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
        # Plain tuples pickle several times faster than dataclasses; problems and notes were reported.
        self._frame(([(plan.number, _identity_fields(plan.identity), plan.id_hash, plan.worker_values,
                       plan.employer.pk, plan.spell_values, plan.membership_from, plan.certificate)
                      for plan in creates], others))

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
    employers: dict[int, Employer] = {}
    return first["headers"], ((_plans(packed, employers), others) for packed, others in frames)


def _identity_fields(info: IdNumberInfo) -> tuple:
    return (info.number, info.division_code, info.birth_date, info.gender, info.warnings, info.was_upgraded)


def _plans(packed: list[tuple], employers: dict[int, Employer]) -> list[RowPlan]:
    """Row plans of new workers from their packed form; ``StalePlan`` if an employer has gone."""
    wanted = {row[4] for row in packed} - employers.keys()
    if wanted:
        employers |= Employer.objects.in_bulk(wanted)
        if wanted - employers.keys():
            raise StalePlan
    return [RowPlan(number=number, action=RowAction.CREATE, identity=IdNumberInfo(*identity), id_hash=id_hash,
                    worker_values=worker_values, employer=employers[employer], spell_values=spell_values,
                    membership_from=membership_from, certificate=certificate)
            for number, identity, id_hash, worker_values, employer, spell_values, membership_from, certificate
            in packed]


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
