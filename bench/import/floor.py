"""The floor under the import's rate: the database's own work to store what an import stored.

After an import, the rows it wrote (workers, spells, change-log rows, certificates, union memberships)
are written again, unchanged, into a fresh copy of the template in one transaction and committed: on
SQLite copied by the database itself from the attached import database (``INSERT … SELECT``), on
PostgreSQL read back and sent with ``COPY``. Nothing is parsed,
checked, sealed or hashed: whatever the importer does, it cannot store those rows faster than this on
the same machine (decision 0008). ``bare=True`` also drops the tables' secondary indexes first (SQLite),
to show what is left without them.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

# The tables a roster import of new workers writes, parents first.
# (Union membership is in the worker's row: its sealed roll, decision 0009.)
TABLES = ("registry_worker", "registry_employmentspell", "core_changelogentry", "registry_certificate")
# The import's change-log rows are those that name their source; their ids are left to the database.
WHERE = {"core_changelogentry": "WHERE source_object_id IS NOT NULL"}
SKIP = {"core_changelogentry": {"id"}}


def _columns_sqlite(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})") if row[1] not in SKIP.get(table, ())]


def _read_postgres(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(url) as source:
        stored = {}
        for table in TABLES:
            columns = [row[0] for row in source.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table]) if row[0] not in SKIP.get(table, ())]
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table} {WHERE.get(table, '')}").fetchall()
            stored[table] = (columns, [tuple(Jsonb(value) if isinstance(value, dict) else value for value in row)
                                       for row in rows])
    return stored


def _write_sqlite(path: str, run_database: str, bare: bool) -> tuple[int, dict[str, float]]:
    """Copied inside SQLite from the attached run database (``INSERT … SELECT``): no Python per row at all."""
    target = sqlite3.connect(path, isolation_level=None)
    # The pragmas of the project's SQLite connections (settings.DATABASES; Django turns foreign keys on).
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "temp_store=MEMORY",
                   "foreign_keys=ON"):
        target.execute(f"PRAGMA {pragma}")
    if bare:
        tables = ", ".join(f"'{table}'" for table in TABLES)
        indexes = target.execute(f"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                 f"AND tbl_name IN ({tables})").fetchall()
        for (name,) in indexes:
            target.execute(f'DROP INDEX "{name}"')
    target.execute("ATTACH DATABASE ? AS run", [run_database])
    workers = target.execute("SELECT COUNT(*) FROM run.registry_worker").fetchone()[0]
    seconds = {}
    target.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        columns = ", ".join(_columns_sqlite(target, table))
        started = time.perf_counter()
        target.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM run.{table} "
                       f"{WHERE.get(table, '')} ORDER BY rowid")
        seconds[table] = time.perf_counter() - started
    started = time.perf_counter()
    target.execute("COMMIT")
    seconds["COMMIT"] = time.perf_counter() - started
    target.close()
    return workers, seconds


def _write_postgres(url: str, stored) -> dict[str, float]:
    import psycopg

    seconds = {}
    with psycopg.connect(url) as target:
        for table, (columns, rows) in stored.items():
            started = time.perf_counter()
            with target.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            seconds[table] = time.perf_counter() - started
        started = time.perf_counter()
        target.commit()  # the deferred foreign-key checks run here
        seconds["COMMIT"] = time.perf_counter() - started
    return seconds


def measure_floor(engine: str, template: str, run_database: str, *, work: Path, pg_execute, pg_url,
                  bare: bool = False) -> dict:
    """Store again what the import stored in ``run_database``; seconds by table and in all, and the
    workers stored, so that rows per second of the floor compare with the import's."""
    if engine == "sqlite":
        floor = str(work / "floor.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(floor + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, floor)
        try:
            workers, seconds = _write_sqlite(floor, run_database, bare)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(floor + suffix).unlink(missing_ok=True)
    else:
        stored = _read_postgres(pg_url(run_database))
        floor = f"{template}_floor"
        pg_execute(f'DROP DATABASE IF EXISTS "{floor}"', f'CREATE DATABASE "{floor}" TEMPLATE "{template}"')
        try:
            seconds = _write_postgres(pg_url(floor), stored)
        finally:
            pg_execute(f'DROP DATABASE IF EXISTS "{floor}"')
        workers = len(stored["registry_worker"][1])
    total = sum(seconds.values())
    return {"database": engine, "bare": bare, "workers": workers, "seconds": total, "by_step": seconds,
            "rows_per_s": workers / total if total else 0.0, "us_per_worker": total / workers * 1e6 if workers else 0}
