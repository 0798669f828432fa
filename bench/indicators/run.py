"""Indicators benchmark: the whole city dashboard and one indicator's monthly series on a registry of N workers.

    .venv/bin/python bench/indicators/run.py                         # 1,000,000 workers, SQLite and PostgreSQL
    .venv/bin/python bench/indicators/run.py --workers 100000 --databases sqlite

Builds (or reuses) a database per engine with ``workforce demo-data``, then, in one process per engine:

- dashboard **cold** (nothing loaded, caches empty: the registry is read into columns and every indicator is
  computed for the city and each district), **new date** (columns loaded, another date computed) and **warm**
  (cached figures; the registry stamp is still checked), each as the function and as the rendered page;
- one indicator's monthly series since January 2015 (about 140 months): cold (columns loaded, nothing
  cached), from nothing (columns not loaded either) and warm;
- the **straightforward** figures in the same run: one ORM count query per indicator, per district and
  for the city, numerator and denominator (``definitions.*.records``), timed, and every figure compared
  with the dashboard's; the series is compared at every twelfth month.

Goals (issue 5): dashboard under 500 ms warm and 3 s cold; the series under 2 s; figures always equal to the
straightforward ones. Results are printed and written to ``var/bench/indicators-results.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, VAR, build_database, peak_memory_mb  # bench/ is on the path, not a package

ON = datetime.date(2020, 12, 31)  # the plan's target date
OTHER_DAY = datetime.date(2019, 12, 31)
SERIES_INDICATOR = "high_skilled_share"


# ------------------------------------------------------------------------- inside the engine's process


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def measure(repeat: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from workforce.accounts.models import User
    from workforce.indicators import figures
    from workforce.indicators.definitions import DEFINITIONS, base_records
    from workforce.indicators.engine import forget_columns
    from workforce.indicators.models import Indicator

    def fresh():
        forget_columns()
        cache.clear()

    results: dict = {}
    fresh()
    results["dashboard_cold_s"], rows = _timed(figures.dashboard, ON)
    results["columns_peak_mb"] = peak_memory_mb()
    cache.clear()
    results["dashboard_new_date_s"], _rows = _timed(figures.dashboard, OTHER_DAY)
    results["dashboard_warm_s"] = statistics.median(_timed(figures.dashboard, ON)[0] for _ in range(repeat))

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    url = f"/indicators/?on={ON.isoformat()}"
    fresh()
    results["page_cold_s"], response = _timed(client.get, url)
    assert response.status_code == 200, response.status_code
    results["page_warm_s"] = statistics.median(_timed(client.get, url)[0] for _ in range(repeat))

    indicator = Indicator.objects.get(code=SERIES_INDICATOR)
    cache.clear()
    results["series_cold_s"], series = _timed(figures.series, indicator, ON.replace(year=2026, month=8, day=31))
    results["series_months"] = len(series.days)
    fresh()
    results["series_from_nothing_s"], _series = _timed(figures.series, indicator,
                                                       ON.replace(year=2026, month=8, day=31))
    results["series_warm_s"] = statistics.median(
        _timed(figures.series, indicator, ON.replace(year=2026, month=8, day=31))[0] for _ in range(repeat))

    # The straightforward figures: one ORM count per indicator, per district and for the city.
    mismatches = []
    started = time.perf_counter()
    queries = 0
    for row in rows:
        definition = DEFINITIONS[row.indicator.definition]
        cells = [(None, None, row.city.figure)] + [("district", f.key, f) for f in row.districts]
        for breakdown, key, figure in cells:
            numerator, denominator = definition.records(base_records(definition.subject, ON, breakdown, key), ON)
            expected = (numerator.count(), denominator.count())
            queries += 2
            if expected != (figure.numerator, figure.denominator):
                mismatches.append((row.indicator.code, key, expected, (figure.numerator, figure.denominator)))
    results["straightforward_dashboard_s"] = time.perf_counter() - started
    results["straightforward_queries"] = queries
    definition = DEFINITIONS[indicator.definition]
    for day, figure in list(zip(series.days, series.city, strict=True))[::12]:
        numerator, denominator = definition.records(base_records(definition.subject, day), day)
        expected = (numerator.count(), denominator.count())
        if expected != (figure.numerator, figure.denominator):
            mismatches.append((indicator.code, day.isoformat(), expected, (figure.numerator, figure.denominator)))
    results["series_months_checked"] = len(series.days[::12])
    results["mismatches"] = mismatches
    results["figures_equal"] = not mismatches
    results["ratio_cold"] = results["straightforward_dashboard_s"] / results["dashboard_cold_s"]
    results["ratio_warm"] = results["straightforward_dashboard_s"] / results["dashboard_warm_s"]
    results["peak_mb"] = peak_memory_mb()
    results["city"] = {row.indicator.code: str(row.city.figure.value) for row in rows}
    return results


def run_engine(engine: str, workers: int, seed: int, repeat: int, url: str | None = None) -> dict:
    env = build_database("indicators", engine, workers, seed, url)
    output = subprocess.run([sys.executable, __file__, "--inner", "--repeat", str(repeat)], env=env, check=True,
                            cwd=ROOT, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def report(engine: str, workers: int, r: dict) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    print(f"\n[{engine}] {workers:,} workers — dashboard of {len(r['city'])} indicators × (city + 5 districts) "
          f"on {ON}")
    print(f"  dashboard cold (load + compute) {ms(r['dashboard_cold_s']):>10}   goal < 3,000 ms")
    print(f"  dashboard, another date         {ms(r['dashboard_new_date_s']):>10}")
    print(f"  dashboard warm                  {ms(r['dashboard_warm_s']):>10}   goal < 500 ms")
    print(f"  page cold / warm (rendered)     {ms(r['page_cold_s']):>10} / {ms(r['page_warm_s'])}")
    print(f"  series {SERIES_INDICATOR} ({r['series_months']} months): cold {ms(r['series_cold_s'])}, "
          f"from nothing {ms(r['series_from_nothing_s'])}, warm {ms(r['series_warm_s'])}   goal < 2,000 ms")
    print(f"  straightforward ORM ({r['straightforward_queries']} count queries) "
          f"{ms(r['straightforward_dashboard_s'])}: ×{r['ratio_cold']:.1f} the cold dashboard, "
          f"×{r['ratio_warm']:.0f} the warm one")
    print(f"  figures equal to the straightforward ones: {r['figures_equal']} "
          f"(dashboard, and the series at {r['series_months_checked']} months) {r['mismatches'][:5]}")
    print(f"  peak memory of the process: {r['peak_mb']:.0f} MB (after loading the columns: "
          f"{r['columns_peak_mb']:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each warm measurement (median)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", help="the PostgreSQL database to use (default bench_indicators_<workers>)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        print(json.dumps(measure(args.repeat), default=str))
        return
    results = {}
    for engine in args.databases.split(","):
        results[engine] = run_engine(engine, args.workers, args.seed, args.repeat, args.postgres_url)
        report(engine, args.workers, results[engine])
    path = VAR / "indicators-results.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous[str(args.workers)] = results
    path.write_text(json.dumps(previous, indent=2, default=str))
    if not all(result["figures_equal"] for result in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
