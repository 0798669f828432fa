"""What the benchmarks share: where they keep their databases, how they build one with demo data, and how
they run the ``workforce`` command on it.

A benchmark names its databases after itself (``name``): ``var/bench/<name>-<workers>.sqlite3`` on SQLite,
``bench_<name>_<workers>`` on PostgreSQL unless ``--postgres-url`` names another database. A database is
built once (migrate, ``workforce setup``, ``demo-data``, ``demo-users``) and reused while its marker file
says it holds the same number of workers from the same seed.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_url(name: str, workers: int, url: str | None = None) -> str:
    """The benchmark's PostgreSQL database: ``url`` when given, else ``bench_<name>_<workers>``."""
    return url or f"postgres://postgres@127.0.0.1:5432/bench_{name}_{workers}"


def database_env(name: str, engine: str, workers: int, url: str | None = None) -> dict[str, str]:
    """The environment of a process working on the benchmark's database of ``engine``."""
    env = dict(os.environ, REQUIRE_TWO_FACTOR_FOR_STAFF="false", DEBUG="false", PYTHONPATH=str(ROOT / "src"),
               DJANGO_SETTINGS_MODULE="workforce.settings", LOG_LEVEL="WARNING")
    if engine == "sqlite":
        env["SQLITE_PATH"] = str(VAR / f"{name}-{workers}.sqlite3")
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = postgres_url(name, workers, url)
    return env


def workforce(env: dict[str, str], *args: str) -> None:
    """Run ``workforce <args>`` (the project's manage command) in ``env``."""
    subprocess.run([str(BIN / "workforce"), *args], env=env, check=True, cwd=ROOT)


def _database_label(engine: str, env: dict[str, str]) -> str:
    if engine == "sqlite":
        return Path(env["SQLITE_PATH"]).stem
    return urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")


def build_database(name: str, engine: str, workers: int, seed: int, url: str | None = None,
                   extra: tuple[str, ...] = ()) -> dict[str, str]:
    """The environment of the benchmark's database, created with demo data unless the one there already
    holds ``workers`` workers from ``seed`` (a reused one is migrated: it gets the code's new indexes).
    ``extra`` names more ``workforce`` commands to run once on it (``supervision-demo``)."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = database_env(name, engine, workers, url)
    label = _database_label(engine, env)
    marker = VAR / f"{name}-{engine}-{label}.ready"
    built = f"{workers} {seed}"
    if marker.exists() and marker.read_text().split()[:2] == built.split():
        workforce(env, "migrate", "--noinput", "-v", "0")
        done = marker.read_text().split()[2:]
        for command in extra:
            if command not in done:
                workforce(env, command)
                done.append(command)
                marker.write_text(" ".join([built, *done]))
        return env
    marker.unlink(missing_ok=True)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{label}"')
            connection.execute(f'CREATE DATABASE "{label}"')
    started = time.perf_counter()
    workforce(env, "migrate", "--noinput", "-v", "0")
    workforce(env, "setup")
    workforce(env, "demo-data", "--workers", str(workers), "--seed", str(seed))
    workforce(env, "demo-users")
    for command in extra:
        workforce(env, command)
    if engine == "postgres":
        # What autovacuum does after a bulk insert on a production server (its insert threshold): statistics and
        # the visibility map. Without the map every count is an index scan that reads the table too (a 2,000-row
        # name-prefix count read 1,909 table pages: 78 ms instead of 0.7 ms at 1,000,000 workers), and this
        # machine's PostgreSQL runs with autovacuum off, so the benchmark must not wait for it.
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
    print(f"[{engine}] built {workers:,} workers in {time.perf_counter() - started:.0f} s", flush=True)
    marker.write_text(" ".join([built, *extra]))
    return env


def peak_memory_mb(pid: int | str = "self") -> float:
    """The peak resident set (VmHWM) of process ``pid``, in MB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
