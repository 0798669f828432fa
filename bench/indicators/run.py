"""Indicators benchmark: the whole city dashboard and one indicator's monthly series on a registry of N workers.

    .venv/bin/python bench/indicators/run.py                         # 1,000,000 workers, SQLite and PostgreSQL
    .venv/bin/python bench/indicators/run.py --workers 100000 --databases sqlite
    .venv/bin/python bench/indicators/run.py --workers 100000 --databases postgres \
        --postgres-url postgres://postgres@127.0.0.1:5432/mydb

Builds (or reuses) a database per engine with ``workforce demo-data``, then measures, per engine:

**Cold**, each in a new process (Django set up, nothing in memory, the figures' cache empty), in the order
below; "columns" is the registry read into numpy arrays (``storage.current_columns``), "compute" every
indicator for the city and each district, "page" the rendered dashboard after that. Django's own set-up
and a process's first request (``/healthz``: URL and view imports) are timed apart.

- ``nothing``: no columns file on the disk: they are read from the database and the file written. This
  is the first request after a registry change (a running process pays the same, minus its start).
- ``stored`` (twice): the file of the current registry is on the disk: what a user sees after a restart.
- ``stored_series``: the same, the series being the first thing asked for.
- ``stored_evicted``: the file dropped from the operating system's page cache first
  (``posix_fadvise(DONTNEED)``, this file only): a restart after a reboot.
- ``nothing_evicted`` (SQLite only): no file, and the database file dropped from the page cache: the
  first request after a reboot that follows a registry change. PostgreSQL's own buffers stay warm.
- ``changed_held``: the process holds the columns, then ``--changed-workers`` workers' spells end through
  the registry's services (a roster sync, timed apart): the first dashboard after that change brings the
  columns up to date (``RegistryColumns.updated``), compared array by array with a whole load.
- ``changed_stored``: the same change, made by another process: this new one reads the file of the registry
  before the change and brings it up to date (what every server process pays until the background job
  has written the new file).

**Warm**, in one process: the dashboard for another date (columns loaded), warm (cached figures; the
registry stamp is still checked), the rendered page warm; the series (about 140 months since January 2015)
with columns loaded and nothing cached, and warm; the columns read from the disk compared array by array
with those read from the database; and the **straightforward** figures: one ORM count query per
indicator, per district and for the city, numerator and denominator (``definitions.*.records``), timed,
and every figure compared with the dashboard's (the series at every twelfth month).

Goals (issue 5): dashboard under 500 ms warm and 3 s cold; the series under 2 s; figures always equal to the
straightforward ones. Timings share the machine with whatever else runs: read them with its load.
Results are printed and written to ``var/bench/indicators-results.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import numpy as np
from common import ROOT, VAR, build_database, peak_memory_mb  # bench/ is on the path, not a package

ON = datetime.date(2020, 12, 31)  # the plan's target date
OTHER_DAY = datetime.date(2019, 12, 31)
SERIES_INDICATOR = "high_skilled_share"
SERIES_UNTIL = datetime.date(2026, 8, 31)  # 140 month ends from January 2015
CHANGE_ON = datetime.date(2026, 9, 30)  # the spells a change ends, end on this day


# ------------------------------------------------------------------------- inside the engine's process


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def _timed_cpu(results: dict, name: str, function, *args):
    """Time ``function`` into ``results[name]``, and the CPU time of this process (all its threads) into
    ``results[name + "_cpu"]``: on a shared machine the wall time also counts waiting for a core."""
    cpu = time.process_time()
    results[name], result = _timed(function, *args)
    results[name + "_cpu"] = time.process_time() - cpu
    return result


def _setup():
    import django

    django.setup()


def _evict(path: Path) -> None:
    """Drop ``path``'s pages from the operating system's page cache (other files keep theirs)."""
    if path.exists():
        with path.open("rb") as file:
            os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _end_spells(count: int) -> int:
    """End the first ``count`` open spells through the registry's services (each writes its change-log row,
    as a roster sync does); the number of distinct workers touched."""
    from workforce.core.choices import Channel
    from workforce.registry import services
    from workforce.registry.models import EmploymentSpell
    from workforce.registry.services.facts import headcounts_deferred

    spells = list(EmploymentSpell.objects.filter(end_date__isnull=True, worker__is_active=True,
                                                 start_date__lte=CHANGE_ON).order_by("id")[:count])
    with headcounts_deferred():  # as a roster import does
        for spell in spells:
            services.end_employment(spell, CHANGE_ON, expected_version=spell.version, acting_user=None,
                                    channel=Channel.SYSTEM)
    return len({spell.worker_id for spell in spells})


def _same_columns(first, second) -> bool:
    from workforce.indicators import engine

    return all(np.array_equal(np.asarray(getattr(first, field.name)), np.asarray(getattr(second, field.name)))
               for field in dataclasses.fields(engine.RegistryColumns) if field.name != "provisional")


def measure_cold(scenario: str, changed_workers: int = 0) -> dict:
    """One cold scenario (see the module's docstring) in this new process."""
    started = time.perf_counter()
    _setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from workforce.accounts.models import User
    from workforce.indicators import engine, figures, loading, storage
    from workforce.indicators.models import Indicator

    results: dict = {"setup_s": time.perf_counter() - started}
    cache.clear()
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    indicator = Indicator.objects.get(code=SERIES_INDICATOR)
    # A process's first request imports every app's URLs and views (any page: seconds, whatever the registry's
    # size); timed apart, so the page times below are the dashboard's own.
    results["first_request_s"], _response = _timed(client.get, "/healthz")
    path = storage.columns_path(loading.registry_stamp(), loading.high_skill_levels())
    if scenario.startswith("nothing"):
        storage.forget_columns(stored=True)
    elif not path.exists():  # the scenario needs the file: write it, as the background job does
        storage.store_current_columns()
    if scenario.startswith("changed"):
        if scenario == "changed_held":
            storage.current_columns()
        results["change_s"], results["changed_workers"] = _timed(_end_spells, changed_workers)
        if scenario == "changed_stored":
            storage.forget_columns()  # this process starts after the change: the file is of the registry before
    if scenario == "stored_evicted":
        _evict(path)
    if scenario == "nothing_evicted":
        database = Path(settings.DATABASES["default"]["NAME"])
        for file in (database, Path(f"{database}-wal")):
            _evict(file)
    if scenario == "stored_series":
        _timed_cpu(results, "series_s", figures.series, indicator, SERIES_UNTIL)
        results["columns_file_mb"] = path.stat().st_size / 1e6
        return results
    results["columns_s"], _columns = _timed(storage.current_columns)
    _timed_cpu(results, "compute_s", figures.dashboard, ON)
    results["dashboard_s"] = results["columns_s"] + results["compute_s"]
    results["page_s"], response = _timed(client.get, f"/indicators/?on={ON.isoformat()}")
    assert response.status_code == 200, response.status_code
    _timed_cpu(results, "series_after_s", figures.series, indicator, SERIES_UNTIL)
    results["peak_mb"] = peak_memory_mb()
    if scenario.startswith("changed"):
        held = storage.current_columns()
        results["provisional"] = held.provisional
        results["updated_equal_whole"] = _same_columns(held, engine.RegistryColumns.load(held.stamp))
    return results


def measure_warm(repeat: int, straightforward: bool = True) -> dict:
    _setup()
    from django.core.cache import cache
    from django.test import Client

    from workforce.accounts.models import User
    from workforce.indicators import engine, figures, loading, storage
    from workforce.indicators.definitions import DEFINITIONS, definition_base
    from workforce.indicators.models import Indicator

    results: dict = {}
    storage.store_current_columns()  # as the background job does after the cold runs' changes
    columns = storage.current_columns()
    rows = figures.dashboard(ON)
    cache.clear()
    results["dashboard_new_date_s"], _rows = _timed(figures.dashboard, OTHER_DAY)
    results["dashboard_warm_s"] = statistics.median(_timed(figures.dashboard, ON)[0] for _ in range(repeat))

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    url = f"/indicators/?on={ON.isoformat()}"
    assert client.get(url).status_code == 200
    results["page_warm_s"] = statistics.median(_timed(client.get, url)[0] for _ in range(repeat))

    indicator = Indicator.objects.get(code=SERIES_INDICATOR)
    cache.clear()
    series = _timed_cpu(results, "series_cold_s", figures.series, indicator, SERIES_UNTIL)
    results["series_months"] = len(series.days)
    results["series_warm_s"] = statistics.median(
        _timed(figures.series, indicator, SERIES_UNTIL)[0] for _ in range(repeat))

    # The columns kept on the disk are those the database gives.
    results["load_from_database_s"], loaded = _timed(engine.RegistryColumns.load, columns.stamp)
    stored = engine.RegistryColumns.read(storage.columns_path(columns.stamp, loading.high_skill_levels()),
                                         columns.stamp)
    results["stored_columns_equal"] = stored is not None and all(
        np.array_equal(np.asarray(getattr(stored, field.name)), np.asarray(getattr(loaded, field.name)))
        for field in dataclasses.fields(engine.RegistryColumns))

    # The series equals its months computed whole, one by one (what the tests hold on small registries).
    whole = [figures.measures_of(columns, day, [indicator.definition], with_staff=False)[indicator.definition]
             for day in series.days]
    results["series_equals_months_computed_whole"] = all(
        np.array_equal(counts, expected)
        for counts, expected in zip(figures.monthly_counts(columns, series.days, indicator.definition), whole,
                                    strict=True))
    results["peak_mb"] = peak_memory_mb()
    results["city"] = {row.indicator.code: str(row.city.figure.value) for row in rows}
    if not straightforward:
        return results

    # The straightforward figures: one ORM count per indicator, per district and for the city.
    mismatches = []
    started = time.perf_counter()
    queries = 0
    for row in rows:
        definition = DEFINITIONS[row.indicator.definition]
        cells = [(None, None, row.city.figure)] + [("district", f.key, f) for f in row.districts]
        for breakdown, key, figure in cells:
            numerator, denominator = definition.records(definition_base(definition, ON, breakdown, key), ON)
            expected = (numerator.count(), denominator.count())
            queries += 2
            if expected != (figure.numerator, figure.denominator):
                mismatches.append((row.indicator.code, key, expected, (figure.numerator, figure.denominator)))
    results["straightforward_dashboard_s"] = time.perf_counter() - started
    results["straightforward_queries"] = queries
    definition = DEFINITIONS[indicator.definition]
    for day, figure in list(zip(series.days, series.city, strict=True))[::12]:
        numerator, denominator = definition.records(definition_base(definition, day), day)
        expected = (numerator.count(), denominator.count())
        if expected != (figure.numerator, figure.denominator):
            mismatches.append((indicator.code, day.isoformat(), expected, (figure.numerator, figure.denominator)))
    results["series_months_checked"] = len(series.days[::12])
    results["mismatches"] = mismatches
    results["figures_equal"] = not mismatches
    return results


def _inner(env: dict[str, str], *args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--inner", *args], env=env, check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_engine(engine: str, workers: int, seed: int, repeat: int, url: str | None = None,
               straightforward: bool = True, changed_workers: int = 1000) -> dict:
    env = build_database("indicators", engine, workers, seed, url)
    scenarios = ["nothing", "stored", "stored", "stored_series", "stored_evicted"]
    if engine == "sqlite":
        scenarios.append("nothing_evicted")
    scenarios += ["changed_held", "changed_stored"]  # last: they change the registry
    cold: dict[str, list[dict]] = {}
    for scenario in scenarios:
        cold.setdefault(scenario, []).append(_inner(env, "cold", scenario, str(changed_workers)))
        print(f"[{engine}] cold {scenario}: {cold[scenario][-1]}", flush=True)
    warm = _inner(env, "warm" if straightforward else "warm-only", str(repeat))
    nothing, stored = cold["nothing"][0], cold["stored"]
    summary = {
        "dashboard_cold_stored_s": statistics.median(run["dashboard_s"] for run in stored),
        "dashboard_cold_nothing_s": nothing["dashboard_s"],
        "series_cold_stored_s": cold["stored_series"][0]["series_s"],
        "dashboard_changed_held_s": cold["changed_held"][0]["dashboard_s"],
        "dashboard_changed_stored_s": cold["changed_stored"][0]["dashboard_s"],
    }
    if straightforward:
        summary["ratio_cold_stored"] = warm["straightforward_dashboard_s"] / summary["dashboard_cold_stored_s"]
        summary["ratio_cold_nothing"] = warm["straightforward_dashboard_s"] / summary["dashboard_cold_nothing_s"]
        summary["ratio_changed_held"] = warm["straightforward_dashboard_s"] / summary["dashboard_changed_held_s"]
        summary["ratio_warm"] = warm["straightforward_dashboard_s"] / warm["dashboard_warm_s"]
    return {"cold": cold, "warm": warm, "summary": summary, "load_average": os.getloadavg()}


def report(engine: str, workers: int, result: dict) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    cold, w, s = result["cold"], result["warm"], result["summary"]
    print(f"\n[{engine}] {workers:,} workers — dashboard of {len(w['city'])} indicators × (city + 5 districts) "
          f"on {ON}; load average {', '.join(f'{v:.1f}' for v in result['load_average'])}")
    for scenario, runs in cold.items():
        for run in runs:
            if "series_s" in run:
                print(f"  cold {scenario:16} series first {ms(run['series_s']):>9} (CPU {ms(run['series_s_cpu'])}; "
                      f"columns file "
                      f"{run['columns_file_mb']:.0f} MB)   goal < 2,000 ms")
                continue
            changed = (f" [after {run['changed_workers']:,} workers changed in {ms(run['change_s'])}; "
                       f"brought up to date: {run['provisional']}, equal to a whole load: "
                       f"{run['updated_equal_whole']}]") if "change_s" in run else ""
            print(f"  cold {scenario:16} columns {ms(run['columns_s']):>9} + compute {ms(run['compute_s']):>8} = "
                  f"dashboard {ms(run['dashboard_s']):>9}; page after {ms(run['page_s'])}; series after "
                  f"{ms(run['series_after_s'])} (CPU {ms(run['series_after_s_cpu'])}); Django set-up "
                  f"{ms(run['setup_s'])}, first request "
                  f"{ms(run['first_request_s'])}{changed}")
    print(f"  dashboard cold: after a restart (columns on disk) {ms(s['dashboard_cold_stored_s'])}; after a "
          f"registry change: columns held {ms(s['dashboard_changed_held_s'])}, from the file before the change "
          f"{ms(s['dashboard_changed_stored_s'])}, nothing on disk (whole load) {ms(s['dashboard_cold_nothing_s'])}"
          "   goal < 3,000 ms")
    print(f"  dashboard, another date {ms(w['dashboard_new_date_s'])}; warm {ms(w['dashboard_warm_s'])} "
          f"(page {ms(w['page_warm_s'])})   goal < 500 ms")
    print(f"  series {SERIES_INDICATOR} ({w['series_months']} months): columns loaded, not cached "
          f"{ms(w['series_cold_s'])} (CPU {ms(w['series_cold_s_cpu'])}); warm {ms(w['series_warm_s'])}"
          "   goal < 2,000 ms")
    print(f"  columns from the database {ms(w['load_from_database_s'])}; on disk equal to them: "
          f"{w['stored_columns_equal']}")
    print(f"  series equal to its months computed whole: {w['series_equals_months_computed_whole']}")
    print(f"  peak memory: warm process {w['peak_mb']:.0f} MB")
    if "figures_equal" not in w:
        print("  straightforward ORM figures: not run (--no-straightforward)")
        return
    print(f"  straightforward ORM ({w['straightforward_queries']} count queries) "
          f"{ms(w['straightforward_dashboard_s'])}: ×{s['ratio_cold_stored']:.0f} the cold dashboard after a "
          f"restart, ×{s['ratio_changed_held']:.0f} after a change (columns held), ×{s['ratio_cold_nothing']:.0f} "
          f"with a whole load, ×{s['ratio_warm']:.0f} the warm one")
    print(f"  figures equal to the straightforward ones: {w['figures_equal']} "
          f"(dashboard, and the series at {w['series_months_checked']} months) {w['mismatches'][:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each warm measurement (median)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", help="the PostgreSQL database to use (default bench_indicators_<workers>)")
    parser.add_argument("--no-straightforward", action="store_true",
                        help="leave out the straightforward ORM figures (minutes at 1,000,000 workers)")
    parser.add_argument("--changed-workers", type=int, default=1000,
                        help="spells the registry change of the changed_* scenarios ends (a roster sync)")
    parser.add_argument("--inner", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        kind, value, *rest = args.inner
        result = measure_cold(value, int(rest[0])) if kind == "cold" else measure_warm(int(value), kind == "warm")
        print(json.dumps(result, default=str))
        return
    results = {}
    for engine in args.databases.split(","):
        results[engine] = run_engine(engine, args.workers, args.seed, args.repeat, args.postgres_url,
                                     not args.no_straightforward, args.changed_workers)
        report(engine, args.workers, results[engine])
    path = VAR / "indicators-results.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    suffix = " without straightforward" if args.no_straightforward else ""
    previous.setdefault(str(args.workers), {}).update({engine + suffix: result for engine, result in results.items()})
    path.write_text(json.dumps(previous, indent=2, default=str))
    if not all(result["warm"].get("figures_equal", True) and result["warm"]["stored_columns_equal"]
               and result["warm"]["series_equals_months_computed_whole"]
               and all(run["updated_equal_whole"] for name in ("changed_held", "changed_stored")
                       for run in result["cold"][name]) for result in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
