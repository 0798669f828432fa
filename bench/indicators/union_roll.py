"""What reading the union rolls costs the indicators' whole load (decision 0009), against reading the
membership rows as before, in the same run on the same database.

    SQLITE_PATH=var/bench/indicators-100000.sqlite3 .venv/bin/python bench/indicators/union_roll.py --repeat 5
    DATABASE_URL=postgres://... .venv/bin/python bench/indicators/union_roll.py

Uses the database the environment names (build one with ``workforce demo-data``). Times (wall and this
process's CPU), alternately, the ``members`` reader alone and ``RegistryColumns.load()`` whole with the rolls
reader (decrypting one token a worker) and with the plain membership rows' reader, prints the medians and
their difference, and checks that both readers give the same periods.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workforce.settings")
os.environ.setdefault("REQUIRE_TWO_FACTOR_FOR_STAFF", "false")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np
    from django.db import connection

    from workforce.indicators import engine, loading
    from workforce.registry.models import UnionMembership, Worker

    def rows_reader(workers=None):
        in_workers, params = loading.among("worker_id", workers)
        return loading._fetch(loading.select_from(
            f"worker_id, {loading._day_number('valid_from')} * {loading.PACK} + {loading._day_number('valid_to')}",
            UnionMembership, in_workers), params, 2)

    rolls_reader = loading._members
    sort = loading.by_worker
    same = np.array_equal(np.unique(sort(rolls_reader()), axis=0), np.unique(sort(rows_reader()), axis=0))
    print(f"{connection.vendor}: {Worker.objects.count():,} workers, {UnionMembership.objects.count():,} periods; "
          f"readers agree: {same}")
    timings: dict[str, list[float]] = {f"{name}{cpu}": [] for name in ("rows", "rolls", "load_rows", "load_rolls")
                                       for cpu in ("", "_cpu")}
    for _run in range(args.repeat):
        for name, reader in (("rows", rows_reader), ("rolls", rolls_reader)):
            started, cpu = time.perf_counter(), time.process_time()
            reader()
            timings[name].append(time.perf_counter() - started)
            timings[f"{name}_cpu"].append(time.process_time() - cpu)
            loading._members = reader
            started, cpu = time.perf_counter(), time.process_time()
            engine.RegistryColumns.load()
            timings[f"load_{name}"].append(time.perf_counter() - started)
            timings[f"load_{name}_cpu"].append(time.process_time() - cpu)
            loading._members = rolls_reader
    median = {name: statistics.median(values) for name, values in timings.items()}
    for label, name in (("members reader", ""), ("whole load", "load_")):
        for kind in ("", "_cpu"):
            rows, rolls = median[f"{name}rows{kind}"], median[f"{name}rolls{kind}"]
            print(f"{label} ({'CPU' if kind else 'wall'}): rows {rows:.3f} s, rolls {rolls:.3f} s "
                  f"(+{rolls - rows:.3f} s, ratio {rolls / rows:.2f})")


if __name__ == "__main__":
    main()
