"""The registry as columns in memory, and what holds on one day (docs/decisions/0006-indicators.md).

``RegistryColumns.load()`` reads (through ``loading``) the dated tables the indicators need (spells,
certificates with a level, union memberships, hukou and political-status facts, employers and their
governance facts) once, as numpy columns, kept per process until the registry changes (``registry_stamp``);
after a change, ``RegistryColumns.updated`` reads again only the rows of the workers it touched. ``Day`` answers
"who is employed where, with what, on this day" with vectorised comparisons over those columns: a
date costs milliseconds instead of one query per indicator per district. Which columns are current, and
keeping them on the disk between processes, is ``storage``.

The rules are those of the registry (docs/decisions/0004-facts-over-time.md): periods are inclusive at
both ends, an empty end is open; a worker's employer on a day is their *main* spell, the one covering
the day that started last (ties: the later row), as ``services.facts.summarise`` decides; merged
(inactive) worker records are left out everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import numpy as np
from django.db.models import Max

from workforce.core.encryption import decrypt_bytes, encrypt_bytes
from workforce.indicators.loading import (
    FACT_KINDS,
    FRONT_LINE_POST,
    HISTORY_ATTRIBUTES,
    WORKER_STAMP,
    changes_since,
    differing_facts,
    employer_columns,
    high_skill_levels,
    is_non_farm,
    is_non_public,
    is_state,
    positions,
    read_employer_facts,
    read_employer_history,
    read_employers,
    read_worker_flags,
    registry_stamp,
    run_all,
    set_worker_flags,
    worker_table_columns,
    worker_table_readers,
)
from workforce.registry.choices import (
    STORED_TRUE,
    EmployerAttribute,
)
from workforce.registry.models import (
    Worker,
)

# The tables of rows that belong to one worker, by the prefix of their fields (``TABLE_FIELDS``).
WORKER_TABLES = ("spell", "contract", "cert", "member", "hukou", "party")
# Strings (or None) per employer, and per dated employer attribute value.
LIST_FIELDS = ("employer_district", "employer_section", "employer_ownership", "history_value")

logger = logging.getLogger(__name__)


@dataclass
class RegistryColumns:
    """The dated registry as columns. Worker-indexed arrays are indexed by worker id; employers by their
    position in ``employer_ids`` (sorted). The tables of a worker's rows (``WORKER_TABLES``) are sorted by
    worker."""

    stamp: tuple
    high_levels: tuple  # the skill levels ``cert_high`` counts as high-skilled
    worker_count: int  # length of worker-indexed arrays (max id + 1)
    is_active: np.ndarray
    is_rural_default: np.ndarray  # hukou of the record, for days no hukou fact covers
    is_party_default: np.ndarray
    is_party_unstated_default: np.ndarray  # political status not stated on the record (issue 15)
    # spells, sorted by (worker, start, id): the last covering spell of a worker is their main spell
    spell_worker: np.ndarray
    spell_employer: np.ndarray
    spell_start: np.ndarray
    spell_end: np.ndarray
    # the skill level the employer's roster reported on the spell, unverified (decision 0013): 0 none, 1 a level
    # below the high-skilled ones, 2 a high-skilled level
    spell_reported: np.ndarray
    # the post category on the spell: its position in ``loading.POST_CATEGORIES`` (0 unknown, 1 front line …)
    spell_post: np.ndarray
    # labour contracts (decision 0020), by worker: the days each shares with its spell (``loading.contract_columns``);
    # one with unknown dates spans its spell's and is not ``contract_known``
    contract_worker: np.ndarray
    contract_start: np.ndarray
    contract_end: np.ndarray
    contract_known: np.ndarray
    # certificates with a skill level
    cert_worker: np.ndarray
    cert_start: np.ndarray
    cert_end: np.ndarray
    cert_high: np.ndarray
    member_worker: np.ndarray
    member_start: np.ndarray
    member_end: np.ndarray
    hukou_worker: np.ndarray
    hukou_start: np.ndarray
    hukou_end: np.ndarray
    hukou_rural: np.ndarray
    party_worker: np.ndarray
    party_start: np.ndarray
    party_end: np.ndarray
    party_member: np.ndarray
    party_unstated: np.ndarray  # the fact's status is not stated (blank)
    employer_ids: np.ndarray
    employer_district: list[str]
    employer_section: list[str]
    employer_ownership: list[str]
    employer_is_state: np.ndarray
    employer_is_non_public: np.ndarray
    employer_is_above_scale: np.ndarray
    employer_is_non_farm: np.ndarray
    employer_is_enterprise: np.ndarray  # legal-person kind 企业 (issue 16): the same on every day
    fact_employer: np.ndarray
    fact_kind: np.ndarray  # index into FACT_KINDS
    fact_independent: np.ndarray
    fact_start: np.ndarray
    fact_end: np.ndarray
    # Dated employer attributes (district, industry as its section, ownership, above scale ``true``/``false``):
    # on a day a covering row overrides the employer's own value above (``Day.employer_district`` …).
    history_employer: np.ndarray
    history_attribute: np.ndarray  # index into HISTORY_ATTRIBUTES
    history_start: np.ndarray
    history_end: np.ndarray
    history_value: list[str]
    # Brought up to date from older columns by ``updated`` (not a whole load): replaced by the whole load of
    # the same stamp once the background job has written it (``current_columns``).
    provisional: bool = False

    @classmethod
    def load(cls, stamp: tuple | None = None, high_levels: list[int] | None = None) -> RegistryColumns:
        """Read the columns from the database: one query per table, several at a time (``run_all``).
        The dated tables are read before the workers and employers they refer to, so every id they hold
        is known; a change made while loading changes the stamp, and the next request loads again."""
        stamp = stamp if stamp is not None else registry_stamp()
        high_levels = high_levels if high_levels is not None else high_skill_levels()
        dated = run_all({**worker_table_readers(high_levels), "facts": read_employer_facts,
                          "history": read_employer_history})
        records = run_all({
            "employers": read_employers,
            "last_worker": lambda: Worker.objects.aggregate(m=Max("id"))["m"] or 0,
            # Only the workers whose flags are not the common case: merged, rural hukou, party member, status not
            # stated.
            "flagged": read_worker_flags,
        })
        size = records["last_worker"] + 1
        flags = {"is_active": np.ones(size, dtype=bool), "is_rural_default": np.zeros(size, dtype=bool),
                 "is_party_default": np.zeros(size, dtype=bool),
                 "is_party_unstated_default": np.zeros(size, dtype=bool)}
        set_worker_flags(flags, records["flagged"])
        dated["worker_facts"] = differing_facts(dated["worker_facts"], flags)
        employers = employer_columns(records["employers"], dated["facts"], dated["history"])
        tables = worker_table_columns(dated, flags["is_active"], employers["employer_ids"])
        return cls(stamp=stamp, high_levels=tuple(high_levels), worker_count=size, **flags, **employers, **tables)

    def updated(self, stamp: tuple, high_levels: list[int]) -> RegistryColumns | None:
        """These columns brought to ``stamp`` by reading again only the rows of the workers that changed
        since their own stamp (and the employers, when any changed): the cost of the change, not of the
        registry. None when a whole load is needed instead: the high-skilled levels changed, rows went
        missing that the change log does not name, or more than ``MAX_UPDATE_SHARE`` of the workers
        changed. The result is ``provisional`` (see ``current_columns``)."""
        if tuple(high_levels) != self.high_levels:
            return None
        changes = changes_since(self.stamp, stamp, limit=max(MIN_UPDATE_LIMIT,
                                                              int(self.worker_count * MAX_UPDATE_SHARE)))
        if changes is None:
            return None
        workers, employers_changed = changes
        if not len(workers) and not employers_changed:  # e.g. a supervision record: the change log is shared
            return dataclasses.replace(self, stamp=stamp, provisional=True)
        size = max(self.worker_count, (stamp[WORKER_STAMP] or 0) + 1, int(workers[-1]) + 1 if len(workers) else 0)
        flags = {}
        for name in WORKER_FIELDS:
            flag = np.full(size, name == "is_active", dtype=bool)
            flag[:self.worker_count] = getattr(self, name)
            flag[workers] = name == "is_active"  # as if none were flagged: the query below sets them
            flags[name] = flag
        set_worker_flags(flags, read_worker_flags(workers))
        if employers_changed:
            employers = employer_columns(read_employers(), read_employer_facts(), read_employer_history())
            kept_employer = positions(employers["employer_ids"], self.employer_ids[self.spell_employer])
        else:
            employers = {name: getattr(self, name) for name in EMPLOYER_FIELDS}
            kept_employer = self.spell_employer
        dated = {name: read() for name, read in worker_table_readers(high_levels, workers).items()}
        dated["worker_facts"] = differing_facts(dated["worker_facts"], flags)
        changed = worker_table_columns(dated, flags["is_active"], employers["employer_ids"])
        is_changed = np.zeros(size, dtype=bool)
        is_changed[workers] = True
        tables = {}
        for table in WORKER_TABLES:  # the other workers' rows, then the changed ones', in worker order
            kept = ~is_changed[getattr(self, f"{table}_worker")]
            worker = np.concatenate((getattr(self, f"{table}_worker")[kept], changed[f"{table}_worker"]))
            order = np.argsort(worker, kind="stable")
            for name in TABLE_FIELDS[table]:
                old = kept_employer if name == "spell_employer" else getattr(self, name)
                tables[name] = np.concatenate((old[kept], changed[name]))[order]
        return dataclasses.replace(self, stamp=stamp, worker_count=size, provisional=True, **flags, **employers,
                                   **tables)

    @property
    def generation(self) -> tuple:
        """What figures computed from these columns are cached under: the stamp, and whether they were brought
        up to date (the whole load of the same stamp replaces them, and its figures must replace theirs)."""
        return (*self.stamp, self.provisional)

    def has_history(self, attribute: str) -> bool:
        """Whether any employer's ``attribute`` changed over time (else today's value holds on every day)."""
        return bool((self.history_attribute == HISTORY_ATTRIBUTES.index(attribute)).any())

    @property
    def employer_count(self) -> int:
        return len(self.employer_ids)

    def save(self, path: Path) -> None:
        """Write the columns to ``path`` atomically: a temporary file in the same folder, then renamed over
        ``path``, so a reader never sees half a file. The file is an .npz sealed whole with the field key
        (``encrypt_bytes``): its flags say who is of rural hukou, a party or a union member (decision 0009)."""
        arrays = {field.name: getattr(self, field.name) for field in fields(self)
                  if isinstance(getattr(self, field.name), np.ndarray)}
        arrays["_meta"] = np.array(json.dumps({
            "stamp": list(self.stamp), "high_levels": list(self.high_levels), "worker_count": self.worker_count,
            **{name: getattr(self, name) for name in LIST_FIELDS}}))
        path.parent.mkdir(parents=True, exist_ok=True)
        plain = io.BytesIO()
        np.savez(plain, **arrays)
        sealed = encrypt_bytes(plain.getvalue())
        del plain
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.stem, suffix=".tmp", delete=False) as file:
            try:
                file.write(sealed)
                file.flush()
                os.fsync(file.fileno())
            except BaseException:
                Path(file.name).unlink(missing_ok=True)
                raise
        os.replace(file.name, path)

    @classmethod
    def read(cls, path: Path, stamp: tuple | None) -> RegistryColumns | None:
        """The columns written to ``path``, or None when there is no such file, it is unreadable, or it
        holds the registry at another stamp than ``stamp`` (the database is the source of truth); with
        ``stamp`` None, at whatever stamp the file holds (``updated`` then brings them up to date)."""
        try:
            plain = io.BytesIO(decrypt_bytes(path.read_bytes()))
            with np.load(plain, allow_pickle=False) as stored:
                meta = json.loads(str(stored["_meta"]))
                if stamp is not None and tuple(meta["stamp"]) != tuple(stamp):
                    return None
                arrays = {name: stored[name] for name in stored.files if name != "_meta"}
        except FileNotFoundError:
            return None
        # A damaged file, or one sealed with a key no longer configured, is read again from the database.
        except (OSError, ValueError, KeyError) as error:
            logger.warning("indicator columns %s unreadable: %s", path, error)
            return None
        try:
            values = {name: meta[name] for name in LIST_FIELDS}
            return cls(stamp=tuple(meta["stamp"]), high_levels=tuple(meta["high_levels"]),
                       worker_count=meta["worker_count"], **values, **arrays)
        except (TypeError, KeyError) as error:  # written by another version of this class
            logger.warning("indicator columns %s do not fit: %s", path, error)
            return None

    def day(self, on: datetime.date) -> Day:
        return Day(self, on)

    def of_workers(self, workers: np.ndarray, tables: tuple[str, ...] = WORKER_TABLES) -> RegistryColumns:
        """The columns of ``workers`` (ascending, distinct ids) only, renumbered 0, 1, … in that order (so
        every table keeps its order); employers are unchanged. A worker's own measures depend on their own
        rows only, so they are the same here as in the whole registry. Costs the rows found, not the table.
        Only ``tables`` are gathered (those a measure reads, ``tables_read``); the others are left empty."""
        changes: dict = {name: getattr(self, name)[workers] for name in WORKER_FIELDS}
        for table in WORKER_TABLES:
            if table not in tables:
                changes.update({name: getattr(self, name)[:0] for name in TABLE_FIELDS[table]})
                continue
            offsets = self._row_offsets[table]
            first = offsets[workers]
            counts = offsets[workers + 1] - first
            starts = np.cumsum(counts) - counts  # where each worker's rows start among those found
            rows = np.arange(int(counts.sum())) + np.repeat(first - starts, counts)
            for name in TABLE_FIELDS[table]:
                changes[name] = getattr(self, name)[rows]
            changes[f"{table}_worker"] = np.repeat(np.arange(len(workers), dtype=np.int32), counts)
        return dataclasses.replace(self, worker_count=len(workers), **changes)

    def tables_read(self, measure: Callable[[Day], object]) -> tuple[str, ...]:
        """The tables of a worker's rows (``WORKER_TABLES``) that ``measure`` reads, found by running it on
        the columns of a few workers and recording which fields it asks for: a series then gathers and
        follows only those (``figures.monthly_counts``)."""
        recorder = _FieldRecorder(self.of_workers(np.arange(min(self.worker_count, 100))))
        measure(Day(recorder, datetime.date.today()))
        return tuple(table for table in WORKER_TABLES
                     if any(name.startswith(f"{table}_") for name in recorder.names))

    @cached_property
    def _row_offsets(self) -> dict[str, np.ndarray]:
        """Per table of a worker's rows: where each worker's rows start (worker-indexed, one more at the end
        for the end of the last), computed once per columns the first time a table is asked for."""
        return _Offsets(self)

    def changing_workers(self, days: list[datetime.date], tables: tuple[str, ...] = WORKER_TABLES
                         ) -> list[np.ndarray]:
        """For each of ``days`` (ascending) after the first, the workers with a row (of ``tables``) that covers
        it and not the day before in the list, or the other way round (ascending, distinct): the only workers
        whose measures (reading those tables) can differ between the two days (rows that cover neither may
        add some: only time)."""
        numbers = np.array([day.toordinal() for day in days], dtype=np.int32)
        # Which of ``days`` a date falls before, by table lookup over the days they span (a row's dates
        # outside it are clipped to its ends, where the answer is the same): no search per row.
        base, span = int(numbers[0]) - 1, int(numbers[-1] - numbers[0]) + 2
        every_day = np.arange(base, base + span + 1, dtype=np.int32)
        left, right = (np.searchsorted(numbers, every_day, side=side).astype(np.int16) for side in ("left", "right"))
        months, workers = [], []
        for table in tables:
            start, end = getattr(self, f"{table}_start"), getattr(self, f"{table}_end")
            worker = getattr(self, f"{table}_worker")
            first = left[np.clip(start - base, 0, span)]  # first day the row covers
            after = right[np.clip(end - base, 0, span)]  # first day after those it covers
            for month in (first, after):
                inside = (month > 0) & (month < len(numbers))
                months.append(month[inside])
                workers.append(worker[inside])
        month, worker = np.concatenate(months), np.concatenate(workers)
        order = np.argsort(month, kind="stable")
        bounds = np.searchsorted(month[order], np.arange(1, len(numbers) + 1))
        marked = np.zeros(self.worker_count, dtype=bool)  # one flag array, cleared after each day's workers

        def distinct(found: np.ndarray) -> np.ndarray:
            marked[found] = True
            ids = np.flatnonzero(marked)
            marked[ids] = False
            return ids

        return [distinct(worker[order[bounds[m - 1]:bounds[m]]]) for m in range(1, len(numbers))]

class _Offsets(dict):
    """``RegistryColumns._row_offsets``: a table's offsets made when first looked up."""

    def __init__(self, columns: RegistryColumns):
        super().__init__()
        self._columns = columns

    def __missing__(self, table: str) -> np.ndarray:
        worker = getattr(self._columns, f"{table}_worker")
        self[table] = offsets = np.concatenate(([0], np.cumsum(np.bincount(worker,
                                                                           minlength=self._columns.worker_count))))
        return offsets

class _FieldRecorder:
    """Columns that note which of their fields are read (``RegistryColumns.tables_read``)."""

    def __init__(self, columns: RegistryColumns):
        self._columns = columns
        self.names: set[str] = set()

    def __getattr__(self, name: str):
        self.names.add(name)
        return getattr(self._columns, name)

# The worker-indexed arrays, and the tables of rows that belong to one worker (by the prefix of their fields).
WORKER_FIELDS = ("is_active", "is_rural_default", "is_party_default", "is_party_unstated_default")
TABLE_FIELDS = {table: [field.name for field in fields(RegistryColumns) if field.name.startswith(f"{table}_")]
                for table in WORKER_TABLES}

EMPLOYER_FIELDS = tuple(field.name for field in fields(RegistryColumns)
                        if field.name.startswith(("employer_", "fact_", "history_")))
# ``updated`` reads the changed workers again unless they are more than this share of the registry (or
# than this number in a small one): then one whole load costs less than one query per changed worker.
MAX_UPDATE_SHARE = 0.2
MIN_UPDATE_LIMIT = 10_000

def _covering(start: np.ndarray, end: np.ndarray, day: int) -> np.ndarray:
    return (start <= day) & (end >= day)

class Day:
    """What holds on one day. Worker measures are arrays aligned with ``workers`` (the active workers
    employed on the day, ascending id); employer measures are arrays over all employers."""

    def __init__(self, columns: RegistryColumns, on: datetime.date):
        self.columns = columns
        self.on = on
        self.number = on.toordinal()

    def _flags(self, worker: np.ndarray, start: np.ndarray, end: np.ndarray, where=None) -> np.ndarray:
        """A worker-indexed flag: the worker has a row covering the day (and satisfying ``where``)."""
        covering = _covering(start, end, self.number)
        if where is not None:
            covering &= where
        flags = np.zeros(self.columns.worker_count, dtype=bool)
        flags[worker[covering]] = True
        return flags

    @cached_property
    def _spells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of the spells covering the day (of active workers), and the run boundaries."""
        c = self.columns
        covering = np.flatnonzero(_covering(c.spell_start, c.spell_end, self.number))  # active workers' only
        worker = c.spell_worker[covering]
        change = worker[1:] != worker[:-1]
        run_start = np.concatenate(([True], change)) if len(worker) else np.zeros(0, dtype=bool)
        run_end = np.concatenate((change, [True])) if len(worker) else np.zeros(0, dtype=bool)
        return covering, run_start, run_end

    @cached_property
    def workers(self) -> np.ndarray:
        """Ids of the active workers with a spell covering the day."""
        covering, _start, run_end = self._spells
        return self.columns.spell_worker[covering[run_end]]

    @cached_property
    def worker_employer(self) -> np.ndarray:
        """The employer (position) of each employed worker's main spell."""
        covering, _start, run_end = self._spells
        return self.columns.spell_employer[covering[run_end]]

    def _any_spell(self, flags: np.ndarray) -> np.ndarray:
        covering, run_start, _end = self._spells
        if not len(covering):
            return np.zeros(0, dtype=bool)
        return np.logical_or.reduceat(flags[covering], np.flatnonzero(run_start))

    @cached_property
    def _contracts(self) -> np.ndarray:
        """Worker-indexed: 2 a contract with known dates covers the day (on a spell covering it), 1 only one whose
        dates are unknown may, 0 none (decision 0020)."""
        c = self.columns
        covering = _covering(c.contract_start, c.contract_end, self.number)
        state = np.zeros(c.worker_count, dtype=np.int8)
        state[c.contract_worker[covering & ~c.contract_known]] = 1
        state[c.contract_worker[covering & c.contract_known]] = 2
        return state

    @cached_property
    def has_signed_contract(self) -> np.ndarray:
        """A labour contract with known dates covers the day, on a spell covering it."""
        return self._contracts[self.workers] == 2

    @cached_property
    def is_contract_dates_unknown(self) -> np.ndarray:
        """No contract with known dates covers the day, but one whose dates are unknown is on a spell covering it:
        signed, not known to be in force that day (counted apart, decision 0020)."""
        return self._contracts[self.workers] == 1

    @cached_property
    def _certificate_levels(self) -> np.ndarray:
        """Per employed worker: 0 no certificate with a level valid on the day, 1 one below the high-skilled
        levels only, 2 one at a high-skilled level (one scatter array and one gather for both measures)."""
        c = self.columns
        covering = _covering(c.cert_start, c.cert_end, self.number)
        levels = np.zeros(c.worker_count, dtype=np.int8)
        levels[c.cert_worker[covering]] = 1
        levels[c.cert_worker[covering & c.cert_high]] = 2
        return levels[self.workers]

    @cached_property
    def skilled_without_spell(self) -> int:
        """How many active workers hold on the day a certificate with a skill level and have no spell covering
        it (in the registry, not employed on the day): the registered figure's part outside any employer."""
        c = self.columns
        holders = self._flags(c.cert_worker, c.cert_start, c.cert_end) & c.is_active
        holders[self.workers] = False
        return int(holders.sum())

    @cached_property
    def is_skilled(self) -> np.ndarray:
        """Holds on the day a certificate with a skill level (技能人才)."""
        return self._certificate_levels > 0

    @cached_property
    def is_high_skilled(self) -> np.ndarray:
        """Holds on the day a certificate at a high-skilled level (三级/高级工 and above)."""
        return self._certificate_levels == 2

    @cached_property
    def _reported_levels(self) -> np.ndarray:
        """Per employed worker, as ``_certificate_levels``: the highest level reported (unverified) on a spell
        covering the day; a reported level belongs to its spell's dates (decision 0013)."""
        covering, run_start, _end = self._spells
        if not len(covering):
            return np.zeros(0, dtype=np.int8)
        return np.maximum.reduceat(self.columns.spell_reported[covering], np.flatnonzero(run_start))

    @cached_property
    def _levels_counting_reported(self) -> np.ndarray:
        """The certified level where a certificate is valid on the day, else the reported one: a report never
        raises a level a certificate attests (decision 0013)."""
        certified = self._certificate_levels
        return np.where(certified > 0, certified, self._reported_levels)

    @cached_property
    def is_skilled_counting_reported(self) -> np.ndarray:
        """Holds on the day a certificate with a skill level, or has none and a level reported on a covering spell."""
        return self._levels_counting_reported > 0

    @cached_property
    def is_high_skilled_counting_reported(self) -> np.ndarray:
        """As ``is_high_skilled``, a reported level standing in where no certificate is valid on the day."""
        return self._levels_counting_reported == 2

    @cached_property
    def is_union_member(self) -> np.ndarray:
        c = self.columns
        return self._flags(c.member_worker, c.member_start, c.member_end)[self.workers]

    def _attribute(self, worker, start, end, value, default) -> np.ndarray:
        """A yes/no worker attribute on the day: the fact covering the day, else the record's value."""
        covered = self._flags(worker, start, end)
        holds = self._flags(worker, start, end, value)
        return np.where(covered, holds, default)[self.workers]

    @cached_property
    def is_migrant(self) -> np.ndarray:
        """Rural hukou on the day and a spell covering it outside agriculture (农民工)."""
        c = self.columns
        rural = self._attribute(c.hukou_worker, c.hukou_start, c.hukou_end, c.hukou_rural, c.is_rural_default)
        return rural & self._any_spell(self.employer_is_non_farm[c.spell_employer])

    @cached_property
    def _main_post(self) -> np.ndarray:
        """Per employed worker: the post category (``loading.POST_CATEGORIES`` position) of their main spell."""
        covering, _start, run_end = self._spells
        return self.columns.spell_post[covering[run_end]]

    @cached_property
    def is_front_line(self) -> np.ndarray:
        """The main spell on the day is in a front-line post (一线职工); unknown is not (issue 16)."""
        return self._main_post == FRONT_LINE_POST

    @cached_property
    def has_post_category(self) -> np.ndarray:
        """The main spell on the day has a post category (not unknown)."""
        return self._main_post > 0

    @cached_property
    def is_party_member(self) -> np.ndarray:
        """A member or probationary member of the Communist Party of China on the day."""
        c = self.columns
        return self._attribute(c.party_worker, c.party_start, c.party_end, c.party_member, c.is_party_default)

    @cached_property
    def is_party_unstated(self) -> np.ndarray:
        """Political status not stated on the day (blank, issue 15): neither a party member nor known not to be."""
        c = self.columns
        return self._attribute(c.party_worker, c.party_start, c.party_end, c.party_unstated,
                               c.is_party_unstated_default)

    # ---------------------------------------------------------------------------------- employers

    def _dated(self, attribute: str) -> tuple[np.ndarray, list[str]]:
        """The employers (positions) whose ``attribute`` a dated fact sets on the day, and those values."""
        c = self.columns
        rows = np.flatnonzero(_covering(c.history_start, c.history_end, self.number)
                              & (c.history_attribute == HISTORY_ATTRIBUTES.index(attribute)))
        return c.history_employer[rows], [c.history_value[row] for row in rows]

    def _values_on(self, attribute: str, own: list[str]) -> list[str]:
        """Each employer's ``attribute`` on the day: a dated fact's value, else its own (``own``)."""
        employers, values = self._dated(attribute)
        if not len(employers):
            return own
        on_day = list(own)
        for employer, value in zip(employers.tolist(), values, strict=True):
            on_day[employer] = value
        return on_day

    def _flags_on(self, attribute: str, own: np.ndarray, holds) -> np.ndarray:
        """A yes/no employer flag on the day from ``attribute``: ``holds(value)`` of a dated fact's value,
        else the employer's own flag (``own``)."""
        employers, values = self._dated(attribute)
        if not len(employers):
            return own
        on_day = own.copy()
        on_day[employers] = [holds(value) for value in values]
        return on_day

    @cached_property
    def employer_district(self) -> list[str]:
        return self._values_on(EmployerAttribute.DISTRICT, self.columns.employer_district)

    @cached_property
    def employer_section(self) -> list[str]:
        return self._values_on(EmployerAttribute.INDUSTRY, self.columns.employer_section)

    @cached_property
    def employer_ownership(self) -> list[str]:
        return self._values_on(EmployerAttribute.OWNERSHIP, self.columns.employer_ownership)

    @cached_property
    def employer_is_state(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.OWNERSHIP, self.columns.employer_is_state, is_state)

    @cached_property
    def employer_is_non_public(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.OWNERSHIP, self.columns.employer_is_non_public, is_non_public)

    @property
    def employer_is_enterprise(self) -> np.ndarray:
        """Legal-person kind 企业: the plan's enterprise figures count only these (issue 16)."""
        return self.columns.employer_is_enterprise

    @cached_property
    def employer_is_above_scale(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.ABOVE_SCALE, self.columns.employer_is_above_scale,
                              lambda value: value == STORED_TRUE)

    @cached_property
    def employer_is_non_farm(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.INDUSTRY, self.columns.employer_is_non_farm, is_non_farm)

    @cached_property
    def headcount(self) -> np.ndarray:
        """Staff of each employer on the day: distinct active workers with a spell there covering it."""
        c = self.columns
        covering, run_start, run_end = self._spells
        employer = c.spell_employer[covering]
        alone = run_start & run_end  # a worker with one covering spell counts once
        counts = np.bincount(employer[alone], minlength=c.employer_count)
        shared = ~alone
        if shared.any():
            pairs = np.unique(c.spell_worker[covering[shared]].astype(np.int64) * c.employer_count
                              + employer[shared])
            counts += np.bincount(pairs % c.employer_count, minlength=c.employer_count)
        return counts

    @cached_property
    def is_operating(self) -> np.ndarray:
        """The employer has staff on the day."""
        return self.headcount > 0

    def has_fact(self, kind: str, independent: bool | None = None) -> np.ndarray:
        """Employers with a governance fact of ``kind`` covering the day."""
        c = self.columns
        covering = _covering(c.fact_start, c.fact_end, self.number) & (c.fact_kind == FACT_KINDS.index(kind))
        if independent is not None:
            covering &= c.fact_independent == independent
        flags = np.zeros(c.employer_count, dtype=bool)
        flags[c.fact_employer[covering]] = True
        return flags

    def per_employer(self, worker_flags: np.ndarray) -> np.ndarray:
        """Count ``worker_flags`` (aligned with ``workers``) by main employer."""
        return np.bincount(self.worker_employer[worker_flags], minlength=self.columns.employer_count)

