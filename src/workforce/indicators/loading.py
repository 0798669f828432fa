"""Reading the registry's dated tables for the indicators' columns (docs/decisions/0006-indicators.md):
one query per table, fetched in chunks straight into numpy; the same readers for a whole load and for the
rows of the workers a change touched (``changes_since``), and the stamp that says whether anything changed.
"""

from __future__ import annotations

import datetime
import itertools
import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.models import Max

from workforce.core.choices import ChangeAction
from workforce.core.encryption import decrypt_many
from workforce.core.models import ChangeLogEntry
from workforce.registry.choices import (
    EmployerAttribute,
    EmployerFactKind,
    HukouType,
    LegalPersonKind,
    Ownership,
    PoliticalStatus,
    PostCategory,
    WorkerFactKind,
)
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerAttributeFact,
    EmployerFact,
    EmploymentSpell,
    LabourContract,
    Worker,
    WorkerFact,
)
from workforce.registry.union_roll import roll_fields

OPEN_END = 99_999_999  # an empty end date: later than any day
PACK = 100_000_000  # two day numbers in one integer: start * PACK + end
AGRICULTURE_SECTION = "A"  # GB/T 4754 门类 A: farm work does not make a migrant worker
PARTY_STATUSES = (PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY)
UNSTATED = 2  # the political flag of a status not stated (blank), beside 1 party member and 0 any other
NON_PUBLIC = (Ownership.PRIVATE, Ownership.FOREIGN, Ownership.INDIVIDUAL)  # 非公有制: not state, not collective
# A spell's post category as a number (``spell_post``): 0 unknown (blank), then in this order (issue 16).
POST_CATEGORIES = (PostCategory.UNKNOWN, PostCategory.FRONT_LINE, PostCategory.TECHNICAL, PostCategory.MANAGEMENT)
FRONT_LINE_POST = POST_CATEGORIES.index(PostCategory.FRONT_LINE)


def political_flag(value: str) -> int:
    """1 a party member, ``UNSTATED`` a status not stated (issue 15: counted apart, never as 群众), 0 any other."""
    return 1 if value in PARTY_STATUSES else (0 if value else UNSTATED)



# The employer flags the measures read, from an ownership code or an industry section (today's columns
# and the values of a day, ``engine.Day``, alike).
def is_state(ownership: str) -> bool:
    return ownership in Ownership.state()


def is_non_public(ownership: str) -> bool:
    return ownership in NON_PUBLIC


def is_non_farm(section: str) -> bool:
    return section != AGRICULTURE_SECTION
FACT_KINDS = [kind.value for kind in EmployerFactKind]
HISTORY_ATTRIBUTES = [attribute.value for attribute in EmployerAttribute]
CHUNK = 200_000

# The registry's tables as the stamp lists them (``registry_stamp``), and which of them hold a worker's rows.
# Union membership has no table: it is in the workers' rolls, and a change of a roll is logged on the worker.
STAMPED_MODELS = (Worker, EmploymentSpell, LabourContract, Certificate, WorkerFact, Employer, EmployerFact,
                  EmployerAttributeFact)
WORKER_ROW_MODELS = (EmploymentSpell, LabourContract, Certificate, WorkerFact)
# How a worker's row names its worker (a contract through its spell).
WORKER_OF = {EmploymentSpell: "worker_id", LabourContract: "spell__worker_id", Certificate: "worker_id",
             WorkerFact: "worker_id"}
# Positions in ``registry_stamp()`` (the change log's newest id comes first): the workers' largest id, and
# where the employer tables' ids start (they come last in STAMPED_MODELS).
WORKER_STAMP, EMPLOYER_STAMP = 1 + STAMPED_MODELS.index(Worker), 1 + STAMPED_MODELS.index(Employer)

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

def fetch_ids(sql: str, params: list) -> np.ndarray:
    """The single integer column of ``sql``'s rows."""
    return _fetch(sql, params, 1)[:, 0]

def select_from(columns: str, model, where: str = "") -> str:
    """``SELECT columns FROM <model's table> [WHERE where]``: table names come from the models, values are
    always parameters."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT {columns} FROM {table}" + (f" WHERE {where}" if where else "")  # noqa: S608

def among(column: str, workers: np.ndarray | None) -> tuple[str, list]:
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

def worker_table_readers(high_levels: list[int], workers: np.ndarray | None = None) -> dict:
    """Readers of the tables of a worker's rows, as numpy rows (of ``workers`` only, when given). Two
    values per column where they fit, to halve the Python objects made per row."""
    in_workers, among_params = among("worker_id", workers)
    levels = ", ".join(["%s"] * len(high_levels))
    return {
        # The spell's fourth column: id * 4 + reported level (0 none, 1 below the high-skilled levels, 2 at
        # one: ``reported_skill_level``, decision 0013); the fifth its post category's position in
        # ``POST_CATEGORIES`` (0 unknown: any value not listed there). Its contracts are their own table.
        "spells": lambda: _fetch(select_from(
            f"worker_id, employer_id, {_day_number('start_date')} * {PACK} + {_day_number('end_date')}, "
            f"id * 4 + CASE WHEN reported_skill_level IS NULL THEN 0 WHEN reported_skill_level IN ({levels}) "
            "THEN 2 ELSE 1 END, "
            "CASE post_category WHEN %s THEN 1 WHEN %s THEN 2 WHEN %s THEN 3 ELSE 0 END", EmploymentSpell, in_workers),
            [*high_levels, *POST_CATEGORIES[1:], *among_params], 5),
        "contracts": lambda: _contracts(workers),
        "certs": lambda: _fetch(select_from(
            f"worker_id, {_day_number('issued_on')} * {PACK} + {_day_number('valid_until')}, CASE WHEN "
            f"level_id IN ({levels}) THEN 1 ELSE 0 END", Certificate, _and("level_id IS NOT NULL", in_workers)),
            [*high_levels, *among_params], 3),
        "members": lambda: _members(workers),
        "worker_facts": lambda: _worker_facts(workers),
    }

def _contracts(workers: np.ndarray | None = None) -> np.ndarray:
    """Every labour contract (decision 0020) as (worker, contract start * PACK + end, (spell start * PACK + end)
    * 2 + dates known): its spell's worker and dates, to count a contract only on the days its spell covers. An
    unknown start reads as ``OPEN_END`` (``contract_columns`` then takes the spell's). Three columns, not four:
    fewer Python objects per row."""
    in_workers, among_params = among("s.worker_id", workers)
    quote = connection.ops.quote_name
    sql = (f"SELECT s.worker_id, {_day_number('c.start_date')} * {PACK} + {_day_number('c.end_date')}, "  # noqa: S608
           f"({_day_number('s.start_date')} * {PACK} + {_day_number('s.end_date')}) * 2 "
           "+ CASE WHEN c.dates_known THEN 1 ELSE 0 END "
           f"FROM {quote(LabourContract._meta.db_table)} c JOIN {quote(EmploymentSpell._meta.db_table)} s "
           f"ON s.id = c.spell_id" + (f" WHERE {in_workers}" if in_workers else ""))
    return _fetch(sql, among_params, 3)

def _members(workers: np.ndarray | None = None) -> np.ndarray:
    """Every membership period as (worker, start * PACK + end), from the workers' sealed union rolls (decision
    0009): one token a worker is read and decrypted, members or not."""
    in_workers, among_params = among("id", workers)
    field = Worker._meta.get_field("union_roll")
    day_numbers = {"": OPEN_END}  # by date text: a registry's periods share few dates

    def day_number(text: str) -> int:
        number = day_numbers.get(text)
        if number is None:
            number = day_numbers[text] = datetime.date.fromisoformat(text).toordinal()
        return number

    rows = []
    with connection.cursor() as cursor:
        cursor.execute(select_from(f"id, {connection.ops.quote_name(field.column)}", Worker, in_workers),
                       among_params)
        while chunk := cursor.fetchmany(CHUNK):
            for (worker_id, _token), roll in zip(chunk, decrypt_many([row[1] for row in chunk]), strict=True):
                rows += [(worker_id, day_number(start) * PACK + day_number(end))
                         for _pk, _employer, start, end in roll_fields(roll)]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)

def _worker_facts(workers: np.ndarray | None = None) -> np.ndarray:
    """Dated hukou and political-status facts as (worker, start * PACK + end, flag * 2 + is political): the flag
    is rural hukou (1), or party member (1) or not stated (``UNSTATED``). Values are encrypted (decision 0009),
    so every fact of the two kinds is read and decrypted here; ``differing_facts`` then keeps those that differ
    from the record's own value."""
    in_workers, among_params = among("worker_id", workers)
    sql = select_from(f"worker_id, {_day_number('valid_from')} * {PACK} + {_day_number('valid_to')}, "
                      "CASE WHEN kind = %s THEN 1 ELSE 0 END, value", WorkerFact, _and("kind IN (%s, %s)", in_workers))
    hukou, political = WorkerFactKind.HUKOU, WorkerFactKind.POLITICAL_STATUS
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [political, hukou, political, *among_params])
        while rows := cursor.fetchmany(CHUNK):
            values = decrypt_many([row[3] for row in rows])
            flags = np.fromiter((political_flag(value) if row[2] else (value == HukouType.RURAL)
                                 for row, value in zip(rows, values, strict=True)), dtype=np.int64, count=len(rows))
            part = np.fromiter(itertools.chain.from_iterable(row[:3] for row in rows), dtype=np.int64,
                               count=len(rows) * 3).reshape(-1, 3)
            part[:, 2] += flags * 2
            parts.append(part)
    return np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.int64)

def differing_facts(facts: np.ndarray, flags: dict[str, np.ndarray]) -> np.ndarray:
    """The rows of ``_worker_facts`` whose flag differs from the record's own value (``flags``, by worker),
    which holds on days no fact covers: the history of changes, not one row per worker."""
    if not len(facts):
        return facts
    flag, is_political = np.divmod(facts[:, 2], 2)
    workers = facts[:, 0]
    political = flags["is_party_default"][workers] + UNSTATED * flags["is_party_unstated_default"][workers]
    record = np.where(is_political == 1, political, flags["is_rural_default"][workers])
    return facts[flag != record]

def read_worker_flags(workers: np.ndarray | None = None) -> np.ndarray:
    """Workers (of ``workers`` only, when given) as ``id * 16 + flags``: 8 political status not stated, 4 merged
    (inactive), 2 rural hukou, 1 party member (the record's values), only those with a flag. The hukou type and
    political status are encrypted (decision 0009): every worker's are read and decrypted here, the load's main
    cost of it."""
    in_workers, among_params = among("id", workers)
    sql = select_from("id, is_active, hukou_type, political_status", Worker, in_workers)
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, among_params)
        while rows := cursor.fetchmany(CHUNK):
            count = len(rows)
            ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
            inactive = np.fromiter((not row[1] for row in rows), dtype=bool, count=count)
            rural = np.fromiter((value == HukouType.RURAL for value in decrypt_many([row[2] for row in rows])),
                                dtype=bool, count=count)
            political = np.fromiter((political_flag(value) for value in decrypt_many([row[3] for row in rows])),
                                    dtype=np.int64, count=count)
            party, unstated = political == 1, political == UNSTATED
            flagged = inactive | rural | party | unstated
            parts.append((ids * 16 + unstated * 8 + inactive * 4 + rural * 2 + party)[flagged])
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

def set_worker_flags(flags: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """Apply rows of ``read_worker_flags`` to the worker-indexed flag arrays (``WORKER_FIELDS``)."""
    ids, values = np.divmod(rows, 16)
    flags["is_active"][ids[values & 4 > 0]] = False
    flags["is_rural_default"][ids[values & 2 > 0]] = True
    flags["is_party_default"][ids[values & 1 > 0]] = True
    flags["is_party_unstated_default"][ids[values & 8 > 0]] = True

def read_employers() -> list[tuple]:
    return list(Employer.objects.order_by("pk").values_list(
        "pk", "district_id", "industry__section", "ownership", "is_above_scale", "legal_person_kind"))

def read_employer_facts() -> list[tuple]:
    return list(EmployerFact.objects.values_list("employer_id", "kind", "is_independent", "valid_from", "valid_to"))

def read_employer_history() -> list[tuple]:
    """Dated employer attributes as (employer, attribute, value, from, to); an industry as its section."""
    from workforce.reference.models import Industry

    rows = list(EmployerAttributeFact.objects.values_list("employer_id", "attribute", "value", "valid_from",
                                                          "valid_to"))
    industries = {row[2] for row in rows if row[1] == EmployerAttribute.INDUSTRY}
    section = dict(Industry.objects.filter(code__in=industries).values_list("code", "section"))
    return [(employer, attribute, section.get(value) if attribute == EmployerAttribute.INDUSTRY else value, start, end)
            for employer, attribute, value, start, end in rows]

def employer_columns(employers: list[tuple], facts: list[tuple], history: list[tuple]) -> dict[str, object]:
    """The employer fields (``EMPLOYER_FIELDS``) from the rows of ``read_employers``, ``read_employer_facts`` and
    ``read_employer_history``."""
    employer_ids = np.array([row[0] for row in employers], dtype=np.int64)
    return {
        "employer_ids": employer_ids,
        "employer_district": [row[1] for row in employers],
        "employer_section": [row[2] for row in employers],
        "employer_ownership": [row[3] for row in employers],
        "employer_is_state": np.array([is_state(row[3]) for row in employers], dtype=bool),
        "employer_is_non_public": np.array([is_non_public(row[3]) for row in employers], dtype=bool),
        "employer_is_above_scale": np.array([row[4] for row in employers], dtype=bool),
        "employer_is_non_farm": np.array([is_non_farm(row[2]) for row in employers], dtype=bool),
        # The legal-person kind is one of the body, the same on every day (issue 16): no dated history.
        "employer_is_enterprise": np.array([row[5] == LegalPersonKind.ENTERPRISE for row in employers], dtype=bool),
        "fact_employer": positions(employer_ids, np.array([f[0] for f in facts], dtype=np.int64)),
        "fact_kind": np.array([FACT_KINDS.index(f[1]) for f in facts], dtype=np.int8),
        "fact_independent": np.array([f[2] for f in facts], dtype=bool),
        "fact_start": np.array([f[3].toordinal() for f in facts], dtype=np.int32),
        "fact_end": np.array([f[4].toordinal() if f[4] else OPEN_END for f in facts], dtype=np.int32),
        "history_employer": positions(employer_ids, np.array([h[0] for h in history], dtype=np.int64)),
        "history_attribute": np.array([HISTORY_ATTRIBUTES.index(h[1]) for h in history], dtype=np.int8),
        "history_start": np.array([h[3].toordinal() for h in history], dtype=np.int32),
        "history_end": np.array([h[4].toordinal() if h[4] else OPEN_END for h in history], dtype=np.int32),
        "history_value": [h[2] for h in history],
    }

def worker_table_columns(dated: dict[str, np.ndarray], is_active: np.ndarray,
                          employer_ids: np.ndarray) -> dict[str, np.ndarray]:
    """The fields of the tables of a worker's rows (``TABLE_FIELDS``) from the rows of ``worker_table_readers``:
    every table sorted by worker (``of_workers`` finds a worker's rows by search), spells by (worker, start,
    id) and only those of active workers (merged records count nowhere)."""
    certs, members, worker_facts = (by_worker(dated[name]) for name in ("certs", "members", "worker_facts"))
    spells = dated["spells"]
    fact_start, fact_end = np.divmod(worker_facts[:, 1], PACK)
    fact_flag, fact_is_political = np.divmod(worker_facts[:, 2], 2)
    hukou, political = fact_is_political == 0, fact_is_political == 1
    spell_start, spell_end = np.divmod(spells[:, 2], PACK)
    spell_id, spell_reported = np.divmod(spells[:, 3], 4)
    order = np.lexsort((spell_id, spell_start, spells[:, 0]))
    order = order[is_active[spells[order, 0]]]
    cert_start, cert_end = np.divmod(certs[:, 1], PACK)
    member_start, member_end = np.divmod(members[:, 1], PACK)
    return {
        "spell_worker": spells[order, 0].astype(np.int32),
        "spell_employer": positions(employer_ids, spells[order, 1]),
        "spell_start": spell_start[order].astype(np.int32), "spell_end": spell_end[order].astype(np.int32),
        "spell_reported": spell_reported[order].astype(np.int8),
        "spell_post": spells[order, 4].astype(np.int8),
        "cert_worker": certs[:, 0].astype(np.int32), "cert_start": cert_start.astype(np.int32),
        "cert_end": cert_end.astype(np.int32), "cert_high": certs[:, 2].astype(bool),
        "member_worker": members[:, 0].astype(np.int32), "member_start": member_start.astype(np.int32),
        "member_end": member_end.astype(np.int32),
        "hukou_worker": worker_facts[hukou, 0].astype(np.int32), "hukou_start": fact_start[hukou].astype(np.int32),
        "hukou_end": fact_end[hukou].astype(np.int32), "hukou_rural": fact_flag[hukou].astype(bool),
        "party_worker": worker_facts[political, 0].astype(np.int32),
        "party_start": fact_start[political].astype(np.int32), "party_end": fact_end[political].astype(np.int32),
        "party_member": fact_flag[political] == 1, "party_unstated": fact_flag[political] == UNSTATED,
        **contract_columns(dated["contracts"], is_active),
    }

def contract_columns(contracts: np.ndarray, is_active: np.ndarray) -> dict[str, np.ndarray]:
    """The contract fields from the rows of ``_contracts``, of active workers, by worker: each contract's days
    are those it shares with its spell (a contract counts while its spell covers the day); one with unknown
    dates spans its spell (up to its end, when that is known) and says so (``contract_known`` False)."""
    contracts = by_worker(contracts)
    contracts = contracts[is_active[contracts[:, 0]]] if len(contracts) else contracts
    start, end = np.divmod(contracts[:, 1], PACK)
    spell_dates, known = np.divmod(contracts[:, 2], 2)
    spell_start, spell_end = np.divmod(spell_dates, PACK)
    known = known == 1
    start = np.where(known, np.maximum(start, spell_start), spell_start)
    end = np.minimum(end, spell_end)
    kept = start <= end  # a contract outside its spell's days covers none of them
    return {"contract_worker": contracts[kept, 0].astype(np.int32), "contract_start": start[kept].astype(np.int32),
            "contract_end": end[kept].astype(np.int32), "contract_known": known[kept]}

def changes_since(old: tuple, new: tuple, limit: int) -> tuple[np.ndarray, bool] | None:
    """What changed between the stamps ``old`` and ``new``: the workers whose rows to read again (ascending,
    distinct) and whether any employer or governance fact changed; None when that cannot be told from the
    change log and the new rows, or more than ``limit`` workers changed.

    A worker changed when the change log names them (an entry of the worker, or of one of their rows,
    whose parent is the worker), or a row of theirs is newer than ``old`` (bulk imports log the worker
    only). A logged row without its worker (no parent) that is gone since cannot be placed, and a table whose
    newest row is gone with no deletion from it in the log lost rows nobody logged: None either way. Like
    the stamp, this sees what the change log and new rows say: rows changed in place (or deleted below the
    newest) by a loader that writes no log are not seen (decision 0006)."""
    if len(old) != len(new):  # a stamp of another version (the tables stamped changed): read everything again
        return None
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
    employers_changed = new[EMPLOYER_STAMP:] != old[EMPLOYER_STAMP:]  # the employer tables' ids
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
        found = dict(model.objects.filter(pk__in=ids).values_list("pk", WORKER_OF[model]))
        if len(found) < len(ids):  # deleted, and the log does not say whose it was
            return None
        workers.update(found.values())
    for model in WORKER_ROW_MODELS:
        workers.update(model.objects.filter(pk__gt=maxima[model] or 0).values_list(WORKER_OF[model], flat=True)
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

def run_all(tasks: dict) -> dict:
    """Run the reading ``tasks`` at the same time on PostgreSQL, each on its own connection (the server
    works while Python builds rows); one after another on SQLite (its driver builds rows under the GIL,
    so threads only contend) and inside a transaction, whose rows other connections cannot see."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return {name: task() for name, task in tasks.items()}
    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        futures = {name: pool.submit(_in_own_connection, task) for name, task in tasks.items()}
        return {name: future.result() for name, future in futures.items()}

def by_worker(rows: np.ndarray) -> np.ndarray:
    """``rows`` (worker id in the first column) in worker order, keeping the order within a worker."""
    return rows[np.argsort(rows[:, 0], kind="stable")]

def positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    return np.searchsorted(sorted_ids, ids).astype(np.int32)

def high_skill_levels() -> list[int]:
    """The skill levels marked high-skilled (reference data; ``[0]``, no level, when none is)."""
    from workforce.reference.models import SkillLevel

    return sorted(SkillLevel.objects.filter(is_high_skilled=True).values_list("level", flat=True)) or [0]

