"""The registry as columns in memory, and what holds on one day (docs/decisions/0006-indicators.md).

``RegistryColumns.load()`` reads the dated tables the indicators need (spells, certificates with a level,
union memberships, hukou and political-status facts, employers and their governance facts) once, as
numpy columns, and is kept per process until the registry changes (``registry_stamp``); after a change,
``RegistryColumns.updated`` reads again only the rows of the workers the change touched. ``Day`` answers
"who is employed where, with what, on this day" with vectorised comparisons over those columns: a
date costs milliseconds instead of one query per indicator per district.

The rules are those of the registry (docs/decisions/0004-facts-over-time.md): periods are inclusive at
both ends, an empty end is open; a worker's employer on a day is their *main* spell, the one covering
the day that started last (ties: the later row), as ``services.facts.summarise`` decides; merged
(inactive) worker records are left out everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import itertools
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.models import Max

from workforce.core.choices import ChangeAction
from workforce.core.models import ChangeLogEntry
from workforce.registry.choices import (
    EmployerAttribute,
    EmployerFactKind,
    HukouType,
    Ownership,
    PoliticalStatus,
    WorkerFactKind,
)
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerAttributeFact,
    EmployerFact,
    EmploymentSpell,
    UnionMembership,
    Worker,
    WorkerFact,
)

OPEN_END = 99_999_999  # an empty end date: later than any day
PACK = 100_000_000  # two day numbers in one integer: start * PACK + end
AGRICULTURE_SECTION = "A"  # GB/T 4754 门类 A: farm work does not make a migrant worker
PARTY_STATUSES = (PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY)
NON_PUBLIC = (Ownership.PRIVATE, Ownership.FOREIGN, Ownership.INDIVIDUAL)  # 非公有制: not state, not collective
FACT_KINDS = [kind.value for kind in EmployerFactKind]
HISTORY_ATTRIBUTES = [attribute.value for attribute in EmployerAttribute]
CHUNK = 200_000
# The tables of rows that belong to one worker, by the prefix of their fields (``TABLE_FIELDS``).
WORKER_TABLES = ("spell", "cert", "member", "hukou", "party")
# Strings (or None) per employer, and per dated employer attribute value.
LIST_FIELDS = ("employer_district", "employer_section", "employer_ownership", "history_value")

logger = logging.getLogger(__name__)

# The registry's tables as the stamp lists them (``registry_stamp``), and which of them hold a worker's rows.
STAMPED_MODELS = (Worker, EmploymentSpell, Certificate, UnionMembership, WorkerFact, Employer, EmployerFact,
                  EmployerAttributeFact)
WORKER_ROW_MODELS = (EmploymentSpell, Certificate, UnionMembership, WorkerFact)


def registry_stamp() -> tuple:
    """A value that changes whenever the registry does: the newest change-log row (every service and
    import writes one) and the newest row of each dated table (bulk loaders). Index lookups only."""
    parts = [ChangeLogEntry.objects.aggregate(m=Max("id"))["m"]]
    for model in STAMPED_MODELS:
        parts.append(model.objects.aggregate(m=Max("id"))["m"])
    return tuple(parts)


def _day_number(column: str) -> str:
    """SQL for a date column as a day number equal to ``date.toordinal()``; empty as ``OPEN_END``."""
    if connection.vendor == "postgresql":
        return f"COALESCE(({column} - DATE '0001-01-01')::bigint + 1, {OPEN_END})"
    return f"COALESCE(CAST(julianday({column}) - 1721424.5 AS INTEGER), {OPEN_END})"


def _fetch(sql: str, params: list, columns: int) -> np.ndarray:
    """Run ``sql`` and return its rows as an int64 array of shape (rows, columns), read in chunks so
    the Python tuples never pile up."""
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * columns)
            parts.append(flat.reshape(-1, columns))
    return np.concatenate(parts) if parts else np.empty((0, columns), dtype=np.int64)


def _ids(sql: str, params: list) -> np.ndarray:
    """The single integer column of ``sql``'s rows."""
    return _fetch(sql, params, 1)[:, 0]


def _select(columns: str, model, where: str = "") -> str:
    """``SELECT columns FROM <model's table> [WHERE where]``: table names come from the models, values are
    always parameters."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT {columns} FROM {table}" + (f" WHERE {where}" if where else "")  # noqa: S608


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
    # spells, sorted by (worker, start, id): the last covering spell of a worker is their main spell
    spell_worker: np.ndarray
    spell_employer: np.ndarray
    spell_start: np.ndarray
    spell_end: np.ndarray
    spell_signed: np.ndarray
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
    employer_ids: np.ndarray
    employer_district: list[str]
    employer_section: list[str]
    employer_ownership: list[str]
    employer_is_state: np.ndarray
    employer_is_non_public: np.ndarray
    employer_is_above_scale: np.ndarray
    employer_is_non_farm: np.ndarray
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
        """Read the columns from the database: one query per table, several at a time (``_run_all``).
        The dated tables are read before the workers and employers they refer to, so every id they hold
        is known; a change made while loading changes the stamp, and the next request loads again."""
        stamp = stamp if stamp is not None else registry_stamp()
        high_levels = high_levels if high_levels is not None else high_skill_levels()
        dated = _run_all({**_worker_table_readers(high_levels), "facts": _employer_facts,
                          "history": _employer_history})
        records = _run_all({
            "employers": _employers,
            "last_worker": lambda: Worker.objects.aggregate(m=Max("id"))["m"] or 0,
            # Only the workers whose flags are not the common case: merged, rural hukou, party member.
            "flagged": lambda: _ids(*_worker_flags_sql(
                "NOT is_active OR hukou_type = %s OR political_status IN (%s, %s)",
                [HukouType.RURAL, *PARTY_STATUSES])),
        })
        size = records["last_worker"] + 1
        flags = {"is_active": np.ones(size, dtype=bool), "is_rural_default": np.zeros(size, dtype=bool),
                 "is_party_default": np.zeros(size, dtype=bool)}
        _set_worker_flags(flags, records["flagged"])
        employers = _employer_columns(records["employers"], dated["facts"], dated["history"])
        tables = _worker_table_columns(dated, flags["is_active"], employers["employer_ids"])
        return cls(stamp=stamp, high_levels=tuple(high_levels), worker_count=size, **flags, **employers, **tables)

    def updated(self, stamp: tuple, high_levels: list[int]) -> RegistryColumns | None:
        """These columns brought to ``stamp`` by reading again only the rows of the workers that changed
        since their own stamp (and the employers, when any changed): the cost of the change, not of the
        registry. None when a whole load is needed instead: the high-skilled levels changed, rows went
        missing that the change log does not name, or more than ``MAX_UPDATE_SHARE`` of the workers
        changed. The result is ``provisional`` (see ``current_columns``)."""
        if tuple(high_levels) != self.high_levels:
            return None
        changes = _changes_since(self.stamp, stamp, limit=max(MIN_UPDATE_LIMIT,
                                                              int(self.worker_count * MAX_UPDATE_SHARE)))
        if changes is None:
            return None
        workers, employers_changed = changes
        if not len(workers) and not employers_changed:  # e.g. a supervision record: the change log is shared
            return dataclasses.replace(self, stamp=stamp, provisional=True)
        size = max(self.worker_count, (stamp[1] or 0) + 1, int(workers[-1]) + 1 if len(workers) else 0)
        flags = {}
        for name in WORKER_FIELDS:
            flag = np.full(size, name == "is_active", dtype=bool)
            flag[:self.worker_count] = getattr(self, name)
            flag[workers] = name == "is_active"  # as if none were flagged: the query below sets them
            flags[name] = flag
        _set_worker_flags(flags, _ids(*_worker_flags_sql(*_among("id", workers))))
        if employers_changed:
            employers = _employer_columns(_employers(), _employer_facts(), _employer_history())
            kept_employer = _positions(employers["employer_ids"], self.employer_ids[self.spell_employer])
        else:
            employers = {name: getattr(self, name) for name in EMPLOYER_FIELDS}
            kept_employer = self.spell_employer
        dated = {name: read() for name, read in _worker_table_readers(high_levels, workers).items()}
        changed = _worker_table_columns(dated, flags["is_active"], employers["employer_ids"])
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
        """Write the columns to ``path`` (.npz) atomically: a temporary file in the same folder, then
        renamed over ``path``, so a reader never sees half a file."""
        arrays = {field.name: getattr(self, field.name) for field in fields(self)
                  if isinstance(getattr(self, field.name), np.ndarray)}
        arrays["_meta"] = np.array(json.dumps({
            "stamp": list(self.stamp), "high_levels": list(self.high_levels), "worker_count": self.worker_count,
            **{name: getattr(self, name) for name in LIST_FIELDS}}))
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.stem, suffix=".tmp", delete=False) as file:
            try:
                np.savez(file, **arrays)
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
            with np.load(path, allow_pickle=False) as stored:
                meta = json.loads(str(stored["_meta"]))
                if stamp is not None and tuple(meta["stamp"]) != tuple(stamp):
                    return None
                arrays = {name: stored[name] for name in stored.files if name != "_meta"}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError) as error:  # a damaged file is read again from the database
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
WORKER_FIELDS = ("is_active", "is_rural_default", "is_party_default")
TABLE_FIELDS = {table: [field.name for field in fields(RegistryColumns) if field.name.startswith(f"{table}_")]
                for table in WORKER_TABLES}


EMPLOYER_FIELDS = tuple(field.name for field in fields(RegistryColumns)
                        if field.name.startswith(("employer_", "fact_", "history_")))
# ``updated`` reads the changed workers again unless they are more than this share of the registry (or
# than this number in a small one): then one whole load costs less than one query per changed worker.
MAX_UPDATE_SHARE = 0.2
MIN_UPDATE_LIMIT = 10_000


def _among(column: str, workers: np.ndarray | None) -> tuple[str, list]:
    """SQL (and its one parameter) keeping the rows whose ``column`` is one of ``workers``; none for None.
    One parameter whatever the number of ids: an array on PostgreSQL, a JSON list on SQLite."""
    if workers is None:
        return "", []
    ids = [int(worker) for worker in workers]
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]  # noqa: S608 (names from the code)


def _and(*conditions: str) -> str:
    return " AND ".join(f"({condition})" for condition in conditions if condition)


def _worker_table_readers(high_levels: list[int], workers: np.ndarray | None = None) -> dict:
    """Readers of the tables of a worker's rows, as numpy rows (of ``workers`` only, when given). Two
    values per column where they fit, to halve the Python objects made per row."""
    among, among_params = _among("worker_id", workers)
    levels = ", ".join(["%s"] * len(high_levels))
    return {
        "spells": lambda: _fetch(_select(
            f"worker_id, employer_id, {_day_number('start_date')} * {PACK} + {_day_number('end_date')}, "
            "id * 2 + CASE WHEN is_contract_signed THEN 1 ELSE 0 END", EmploymentSpell, among), among_params, 4),
        "certs": lambda: _fetch(_select(
            f"worker_id, {_day_number('issued_on')} * {PACK} + {_day_number('valid_until')}, CASE WHEN "
            f"level_id IN ({levels}) THEN 1 ELSE 0 END", Certificate, _and("level_id IS NOT NULL", among)),
            [*high_levels, *among_params], 3),
        "members": lambda: _fetch(_select(
            f"worker_id, {_day_number('valid_from')} * {PACK} + {_day_number('valid_to')}", UnionMembership, among),
            among_params, 2),
        "worker_facts": lambda: _differing_facts(workers),
    }


def _differing_facts(workers: np.ndarray | None = None) -> np.ndarray:
    """Dated hukou and political-status facts as (worker, start, end, flag, is political), only those whose
    flag (rural hukou; party member) differs from the record's own value, which holds on days no fact
    covers: the history of changes, not one row per worker. One scan of the facts for both kinds."""
    facts = connection.ops.quote_name(WorkerFact._meta.db_table)
    workers_table = connection.ops.quote_name(Worker._meta.db_table)
    is_rural, was_rural = "f.value = %s", "w.hukou_type = %s"
    is_party, was_party = "f.value IN (%s, %s)", "w.political_status IN (%s, %s)"
    flag = (f"CASE WHEN f.kind = %s THEN (CASE WHEN {is_rural} THEN 1 ELSE 0 END) "
            f"ELSE (CASE WHEN {is_party} THEN 1 ELSE 0 END) END")
    record = (f"CASE WHEN f.kind = %s THEN (CASE WHEN {was_rural} THEN 1 ELSE 0 END) "
              f"ELSE (CASE WHEN {was_party} THEN 1 ELSE 0 END) END")
    among, among_params = _among("f.worker_id", workers)
    sql = (f"SELECT f.worker_id, {_day_number('f.valid_from')} * {PACK} + {_day_number('f.valid_to')}, "  # noqa: S608 (names from the models)
           f"({flag}) * 2 + CASE WHEN f.kind = %s THEN 0 ELSE 1 END FROM {facts} f JOIN {workers_table} w "
           f"ON w.id = f.worker_id WHERE " + _and("f.kind IN (%s, %s)", f"({flag}) <> ({record})", among))
    hukou, political = WorkerFactKind.HUKOU, WorkerFactKind.POLITICAL_STATUS
    flag_params = [hukou, HukouType.RURAL, *PARTY_STATUSES]
    record_params = [hukou, HukouType.RURAL, *PARTY_STATUSES]
    return _fetch(sql, [*flag_params, hukou, hukou, political, *flag_params, *record_params, *among_params], 3)


def _worker_flags_sql(where: str, params: list) -> tuple[str, list]:
    """Workers as ``id * 8 + flags``: 4 merged (inactive), 2 rural hukou, 1 party member (the record's values)."""
    return _select("id * 8 + CASE WHEN is_active THEN 0 ELSE 4 END + CASE WHEN hukou_type = %s THEN 2 ELSE 0 "
                   "END + CASE WHEN political_status IN (%s, %s) THEN 1 ELSE 0 END", Worker, where), \
        [HukouType.RURAL, *PARTY_STATUSES, *params]


def _set_worker_flags(flags: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """Apply rows of ``_worker_flags_sql`` to the worker-indexed flag arrays (``WORKER_FIELDS``)."""
    ids, values = np.divmod(rows, 8)
    flags["is_active"][ids[values & 4 > 0]] = False
    flags["is_rural_default"][ids[values & 2 > 0]] = True
    flags["is_party_default"][ids[values & 1 > 0]] = True


def _employers() -> list[tuple]:
    return list(Employer.objects.order_by("pk").values_list(
        "pk", "district_id", "industry__section", "ownership", "is_above_scale"))


def _employer_facts() -> list[tuple]:
    return list(EmployerFact.objects.values_list("employer_id", "kind", "is_independent", "valid_from", "valid_to"))


def _employer_history() -> list[tuple]:
    """Dated employer attributes as (employer, attribute, value, from, to); an industry as its section."""
    from workforce.reference.models import Industry

    rows = list(EmployerAttributeFact.objects.values_list("employer_id", "attribute", "value", "valid_from",
                                                          "valid_to"))
    industries = {row[2] for row in rows if row[1] == EmployerAttribute.INDUSTRY}
    section = dict(Industry.objects.filter(code__in=industries).values_list("code", "section"))
    return [(employer, attribute, section.get(value) if attribute == EmployerAttribute.INDUSTRY else value, start, end)
            for employer, attribute, value, start, end in rows]


def _employer_columns(employers: list[tuple], facts: list[tuple], history: list[tuple]) -> dict[str, object]:
    """The employer fields (``EMPLOYER_FIELDS``) from the rows of ``_employers``, ``_employer_facts`` and
    ``_employer_history``."""
    employer_ids = np.array([row[0] for row in employers], dtype=np.int64)
    return {
        "employer_ids": employer_ids,
        "employer_district": [row[1] for row in employers],
        "employer_section": [row[2] for row in employers],
        "employer_ownership": [row[3] for row in employers],
        "employer_is_state": np.array([row[3] in Ownership.state() for row in employers], dtype=bool),
        "employer_is_non_public": np.array([row[3] in NON_PUBLIC for row in employers], dtype=bool),
        "employer_is_above_scale": np.array([row[4] for row in employers], dtype=bool),
        "employer_is_non_farm": np.array([row[2] != AGRICULTURE_SECTION for row in employers], dtype=bool),
        "fact_employer": _positions(employer_ids, np.array([f[0] for f in facts], dtype=np.int64)),
        "fact_kind": np.array([FACT_KINDS.index(f[1]) for f in facts], dtype=np.int8),
        "fact_independent": np.array([f[2] for f in facts], dtype=bool),
        "fact_start": np.array([f[3].toordinal() for f in facts], dtype=np.int32),
        "fact_end": np.array([f[4].toordinal() if f[4] else OPEN_END for f in facts], dtype=np.int32),
        "history_employer": _positions(employer_ids, np.array([h[0] for h in history], dtype=np.int64)),
        "history_attribute": np.array([HISTORY_ATTRIBUTES.index(h[1]) for h in history], dtype=np.int8),
        "history_start": np.array([h[3].toordinal() for h in history], dtype=np.int32),
        "history_end": np.array([h[4].toordinal() if h[4] else OPEN_END for h in history], dtype=np.int32),
        "history_value": [h[2] for h in history],
    }


def _worker_table_columns(dated: dict[str, np.ndarray], is_active: np.ndarray,
                          employer_ids: np.ndarray) -> dict[str, np.ndarray]:
    """The fields of the tables of a worker's rows (``TABLE_FIELDS``) from the rows of ``_worker_table_readers``:
    every table sorted by worker (``of_workers`` finds a worker's rows by search), spells by (worker, start,
    id) and only those of active workers (merged records count nowhere)."""
    certs, members, worker_facts = (_by_worker(dated[name]) for name in ("certs", "members", "worker_facts"))
    spells = dated["spells"]
    fact_start, fact_end = np.divmod(worker_facts[:, 1], PACK)
    fact_flag, fact_is_political = np.divmod(worker_facts[:, 2], 2)
    hukou, political = fact_is_political == 0, fact_is_political == 1
    spell_start, spell_end = np.divmod(spells[:, 2], PACK)
    spell_id, spell_signed = np.divmod(spells[:, 3], 2)
    order = np.lexsort((spell_id, spell_start, spells[:, 0]))
    order = order[is_active[spells[order, 0]]]
    cert_start, cert_end = np.divmod(certs[:, 1], PACK)
    member_start, member_end = np.divmod(members[:, 1], PACK)
    return {
        "spell_worker": spells[order, 0].astype(np.int32),
        "spell_employer": _positions(employer_ids, spells[order, 1]),
        "spell_start": spell_start[order].astype(np.int32), "spell_end": spell_end[order].astype(np.int32),
        "spell_signed": spell_signed[order].astype(bool),
        "cert_worker": certs[:, 0].astype(np.int32), "cert_start": cert_start.astype(np.int32),
        "cert_end": cert_end.astype(np.int32), "cert_high": certs[:, 2].astype(bool),
        "member_worker": members[:, 0].astype(np.int32), "member_start": member_start.astype(np.int32),
        "member_end": member_end.astype(np.int32),
        "hukou_worker": worker_facts[hukou, 0].astype(np.int32), "hukou_start": fact_start[hukou].astype(np.int32),
        "hukou_end": fact_end[hukou].astype(np.int32), "hukou_rural": fact_flag[hukou].astype(bool),
        "party_worker": worker_facts[political, 0].astype(np.int32),
        "party_start": fact_start[political].astype(np.int32), "party_end": fact_end[political].astype(np.int32),
        "party_member": fact_flag[political].astype(bool),
    }


def _changes_since(old: tuple, new: tuple, limit: int) -> tuple[np.ndarray, bool] | None:
    """What changed between the stamps ``old`` and ``new``: the workers whose rows to read again (ascending,
    distinct) and whether any employer or governance fact changed; None when that cannot be told from the
    change log and the new rows, or more than ``limit`` workers changed.

    A worker changed when the change log names them (an entry of the worker, or of one of their rows,
    whose parent is the worker), or a row of theirs is newer than ``old`` (bulk imports log the worker
    only). A logged row without its worker (no parent) that is gone since cannot be placed, and a table whose
    newest row is gone with no deletion from it in the log lost rows nobody logged: None either way. Like
    the stamp, this sees what the change log and new rows say: rows changed in place (or deleted below the
    newest) by a loader that writes no log are not seen (decision 0006)."""
    maxima = dict(zip(STAMPED_MODELS, old[1:], strict=True))
    type_of = ContentType.objects.get_for_models(*STAMPED_MODELS)
    model_of = {content_type.pk: model for model, content_type in type_of.items()}
    worker_type, employer_type = type_of[Worker].pk, type_of[Employer].pk
    entries = list(ChangeLogEntry.objects.filter(id__gt=old[0] or 0).values_list(
        "content_type_id", "object_id", "parent_content_type_id", "parent_object_id", "action")[:limit + 1])
    if len(entries) > limit:
        return None
    shrunk = {model for model, now, then in zip(STAMPED_MODELS, new[1:], old[1:], strict=True)
              if (now or 0) < (then or 0)}
    if shrunk - {model_of.get(entry[0]) for entry in entries if entry[4] == ChangeAction.DELETE}:
        return None
    workers: set[int] = set()
    rows_without_worker: dict = {}
    employers_changed = new[6:] != old[6:]
    for content_type, object_id, parent_type, parent_id, _action in entries:
        model = model_of.get(content_type) or ContentType.objects.get_for_id(content_type).model_class()
        if parent_type == worker_type:
            workers.add(int(parent_id))
        elif model is Worker:
            workers.add(int(object_id))
        elif model in WORKER_ROW_MODELS:
            rows_without_worker.setdefault(model, set()).add(int(object_id))
        if model in (Employer, EmployerFact, EmployerAttributeFact) or parent_type == employer_type or (
                model is not None and model._meta.app_label == "reference"):  # an industry's section
            employers_changed = True
    for model, ids in rows_without_worker.items():
        found = dict(model.objects.filter(pk__in=ids).values_list("pk", "worker_id"))
        if len(found) < len(ids):  # deleted, and the log does not say whose it was
            return None
        workers.update(found.values())
    for model in WORKER_ROW_MODELS:
        workers.update(model.objects.filter(pk__gt=maxima[model] or 0).values_list("worker_id", flat=True)
                       .distinct()[:limit + 1])
    workers.update(Worker.objects.filter(pk__gt=maxima[Worker] or 0).values_list("pk", flat=True)[:limit + 1])
    if len(workers) > limit:
        return None
    return np.array(sorted(workers), dtype=np.int64), employers_changed


LOAD_THREADS = 3


def _in_own_connection(task):
    try:
        return task()
    finally:
        connections.close_all()  # this thread's connections


def _run_all(tasks: dict) -> dict:
    """Run the reading ``tasks`` at the same time on PostgreSQL, each on its own connection (the server
    works while Python builds rows); one after another on SQLite (its driver builds rows under the GIL,
    so threads only contend) and inside a transaction, whose rows other connections cannot see."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return {name: task() for name, task in tasks.items()}
    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        futures = {name: pool.submit(_in_own_connection, task) for name, task in tasks.items()}
        return {name: future.result() for name, future in futures.items()}


def _by_worker(rows: np.ndarray) -> np.ndarray:
    """``rows`` (worker id in the first column) in worker order, keeping the order within a worker."""
    return rows[np.argsort(rows[:, 0], kind="stable")]


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    return np.searchsorted(sorted_ids, ids).astype(np.int32)


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
    def has_signed_contract(self) -> np.ndarray:
        """A spell covering the day has a signed labour contract."""
        return self._any_spell(self.columns.spell_signed)

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
    def is_skilled(self) -> np.ndarray:
        """Holds on the day a certificate with a skill level (技能人才)."""
        return self._certificate_levels > 0

    @cached_property
    def is_high_skilled(self) -> np.ndarray:
        """Holds on the day a certificate at a high-skilled level (三级/高级工 and above)."""
        return self._certificate_levels == 2

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
    def is_party_member(self) -> np.ndarray:
        """A member or probationary member of the Communist Party of China on the day."""
        c = self.columns
        return self._attribute(c.party_worker, c.party_start, c.party_end, c.party_member, c.is_party_default)

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
        return self._flags_on(EmployerAttribute.OWNERSHIP, self.columns.employer_is_state,
                              lambda value: value in Ownership.state())

    @cached_property
    def employer_is_non_public(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.OWNERSHIP, self.columns.employer_is_non_public,
                              lambda value: value in NON_PUBLIC)

    @cached_property
    def employer_is_above_scale(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.ABOVE_SCALE, self.columns.employer_is_above_scale,
                              lambda value: value == "true")

    @cached_property
    def employer_is_non_farm(self) -> np.ndarray:
        return self._flags_on(EmployerAttribute.INDUSTRY, self.columns.employer_is_non_farm,
                              lambda value: value != AGRICULTURE_SECTION)

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


def high_skill_levels() -> list[int]:
    """The skill levels marked high-skilled (reference data; ``[0]``, no level, when none is)."""
    from workforce.reference.models import SkillLevel

    return sorted(SkillLevel.objects.filter(is_high_skilled=True).values_list("level", flat=True)) or [0]


# What the stored columns depend on besides the registry: the layout of ``RegistryColumns`` (a new field makes
# new files) and the reference data the load reads (which levels are high-skilled).
LAYOUT = ",".join(field.name for field in fields(RegistryColumns)) + ";tables by worker"


def _database_key() -> str:
    db = connection.settings_dict
    return hashlib.sha1(repr((connection.vendor, db["NAME"], db.get("HOST"), db.get("PORT"))).encode(),
                        usedforsecurity=False).hexdigest()[:12]


def columns_dir() -> Path | None:
    """Where the columns are kept on disk between processes (``settings.INDICATOR_COLUMNS_DIR``, default
    ``<var>/indicators``); None for an in-memory SQLite database, which no other process can open."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return None
    configured = getattr(settings, "INDICATOR_COLUMNS_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "indicators"


def columns_path(stamp: tuple, high_levels: list[int]) -> Path | None:
    """The file of the columns of this database at ``stamp``: ``columns-<database>-<stamp and layout>.npz``."""
    folder = columns_dir()
    if folder is None:
        return None
    version = hashlib.sha1(repr((stamp, high_levels, LAYOUT)).encode(), usedforsecurity=False).hexdigest()[:16]
    return folder / f"columns-{_database_key()}-{version}.npz"


def _prune(keep: Path) -> None:
    """Delete this database's other column files (older stamps) and temporary files left by a crash."""
    for path in keep.parent.glob(f"columns-{_database_key()}-*"):
        if path != keep and (path.suffix == ".npz" or path.stat().st_mtime < keep.stat().st_mtime - 3600):
            path.unlink(missing_ok=True)


def _newest_stored() -> RegistryColumns | None:
    """This database's columns on the disk at whatever stamp (the newest file), for ``updated``."""
    folder = columns_dir()
    files = sorted(folder.glob(f"columns-{_database_key()}-*.npz"), key=lambda path: path.stat().st_mtime) \
        if folder is not None and folder.is_dir() else []
    return RegistryColumns.read(files[-1], None) if files else None


def load_and_store(stamp: tuple, high_levels: list[int]) -> RegistryColumns:
    """The columns read whole from the database, then written to the disk for the next process."""
    columns = RegistryColumns.load(stamp, high_levels)
    path = columns_path(stamp, high_levels)
    if path is not None:
        try:
            columns.save(path)
            _prune(path)
        except OSError as error:  # a read-only or full disk costs the next process a load, nothing more
            logger.warning("indicator columns not written to %s: %s", path, error)
    return columns


def stored_or_loaded(stamp: tuple, held: RegistryColumns | None = None) -> RegistryColumns:
    """The columns at ``stamp``: from the disk when a file of that stamp is there (a new process after a
    restart); else ``held`` (this process's columns at an older stamp), or the newest file on the disk,
    brought up to date (``updated``: the cost of the change); else read whole from the database."""
    high_levels = high_skill_levels()
    path = columns_path(stamp, high_levels)
    if path is not None:
        columns = RegistryColumns.read(path, stamp)
        if columns is not None:
            return columns
    older = held if held is not None else _newest_stored()
    columns = older.updated(stamp, high_levels) if older is not None else None
    return columns if columns is not None else load_and_store(stamp, high_levels)


def store_current_columns() -> bool:
    """Read the registry as it is now whole from the database and write it to the disk, unless a file of
    this stamp is already there; True when it did. The background job calls it after changes, so that
    the pages' processes replace the columns they brought up to date (``provisional``) by a whole load,
    and a new process reads a current file (decision 0006)."""
    stamp, high_levels = registry_stamp(), high_skill_levels()
    path = columns_path(stamp, high_levels)
    if path is None or path.exists():
        return False
    load_and_store(stamp, high_levels)
    return True


_loaded: dict[str, RegistryColumns] = {}
_lock = threading.Lock()


def _stale(columns: RegistryColumns | None, stamp: tuple) -> bool:
    """Whether ``columns`` are not those to use at ``stamp``: missing, older, or brought up to date while the
    whole load of that stamp is now on the disk (one file look-up while they are provisional)."""
    if columns is None or columns.stamp != stamp:
        return True
    if not columns.provisional:
        return False
    path = columns_path(stamp, list(columns.high_levels))
    return path is not None and path.exists()


def current_columns() -> RegistryColumns:
    """The columns of the registry as it is now. After a change, the columns held are brought up to date
    (``updated``); a process that holds none reads the file of this stamp, else the newest file brought up
    to date, else loads whole from the database. Columns brought up to date are replaced by the whole load
    of their stamp once the background job has written it: a whole load also picks up what an update
    cannot see (a change committed out of order, decision 0006)."""
    stamp = registry_stamp()
    key = connection.settings_dict["NAME"]
    columns = _loaded.get(key)
    if _stale(columns, stamp):
        with _lock:
            columns = _loaded.get(key)
            if _stale(columns, stamp):
                held = columns if columns is not None and columns.stamp != stamp else None
                _loaded[key] = columns = stored_or_loaded(stamp, held)
    return columns


def forget_columns(*, stored: bool = False) -> None:
    """Drop the columns held by this process; with ``stored``, also those of this database on the disk
    (after bulk loads that bypass the change log, which would otherwise be read back after a restart)."""
    _loaded.clear()
    folder = columns_dir() if stored else None
    if folder is not None:
        for path in folder.glob(f"columns-{_database_key()}-*"):
            path.unlink(missing_ok=True)
