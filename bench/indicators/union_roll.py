"""What reading the union rolls costs the indicators' whole load (decision 0009): the ``members`` reader alone
and ``RegistryColumns.load()`` whole, wall and this process's CPU, medians of ``--repeat`` runs.

    SQLITE_PATH=var/bench/indicators-100000.sqlite3 .venv/bin/python bench/indicators/union_roll.py --repeat 5
    DATABASE_URL=postgres://... .venv/bin/python bench/indicators/union_roll.py

Uses the database the environment names (build one with ``workforce demo-data``). The rolls are the record of
membership since registry migration 0013; the comparison with the membership rows it replaced (the table is gone)
is in decision 0009, measured with this script as it was at commit e61b339.
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
    from django.db import connection

    from workforce.indicators import engine, loading
    from workforce.registry.models import Worker

    periods = len(loading._members())
    print(f"{connection.vendor}: {Worker.objects.count():,} workers, {periods:,} periods")
    timings: dict[str, list[float]] = {name: [] for name in ("rolls", "rolls_cpu", "load", "load_cpu")}
    for _run in range(args.repeat):
        for name, task in (("rolls", loading._members), ("load", engine.RegistryColumns.load)):
            started, cpu = time.perf_counter(), time.process_time()
            task()
            timings[name].append(time.perf_counter() - started)
            timings[f"{name}_cpu"].append(time.process_time() - cpu)
    median = {name: statistics.median(values) for name, values in timings.items()}
    for label, name in (("members reader", "rolls"), ("whole load", "load")):
        print(f"{label}: {median[name]:.3f} s wall, {median[name + '_cpu']:.3f} s CPU")


if __name__ == "__main__":
    main()
