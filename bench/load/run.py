"""Load benchmark: many people using the platform at once, on a registry of N workers.

    .venv/bin/python bench/load/run.py                                  # 1,000,000 workers, SQLite and PostgreSQL
    .venv/bin/python bench/load/run.py --workers 200000 --db sqlite --users 10,30,100
    .venv/bin/python bench/load/run.py --gunicorn-workers 1            # what one core serves

Builds (or reuses) the database with ``workforce demo-data`` as bench/registry does, adds the supervision
demo, starts gunicorn as the operator guide runs it (``--worker-class gthread --workers 2 --threads 4``),
and drives it with locust (headless) at rising numbers of concurrent users. Each virtual user is one of
the demo logins (administrator, district officer, enterprise HR, leader, department officer, worker; an
API client with the administrator's token), starts signed in, and opens that role's pages (worker list,
search by name and by ID number, worker detail, employer list and page, targets dashboard, indicator
page, supervision matrix, API list and lookup) with think time between them (``--think``, seconds).

For each step it prints requests/s and p50/p95 per page, the server's CPU time per request (gunicorn's
processes, and PostgreSQL's backends of the benchmark database; CPU time does not grow with the other
load on a shared machine the way response times do) and the load average, then the largest number of
users at which every page's p95 stays under the goal (500 ms). Results go to var/bench/load-*.json.

The load generator runs on the same machine: on two cores it takes a share of the CPU the server would
otherwise have (its own CPU time is printed too).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import math
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from common import BIN, ROOT, VAR, build_database  # noqa: E402

GOAL_MS = 500
# The documented web process (docs/operator-guide.md, "Processes").
GUNICORN = ["workforce.wsgi", "--worker-class", "gthread", "--keep-alive", "30", "--log-level", "warning"]


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of ``pids`` (those still running), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def server_pids(server: subprocess.Popen) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    return [server.pid, *map(int, children)]


def postgres_backends(env: dict[str, str]) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database now."""
    if "DATABASE_URL" not in env:
        return []
    import psycopg

    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                                  [database]).fetchall()
    return [row[0] for row in rows]


def wait_until_up(port: int) -> None:
    import urllib.request

    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def number(text: str) -> float:
    """A figure of locust's CSV ("N/A" when a page had no request)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def run_step(users: int, port: int, fixtures: Path, think: str, seconds: int, out: Path,
             cpu_pids) -> dict:
    """One locust run at ``users`` concurrent users: spawned over about ten seconds, then measured for
    ``seconds`` (statistics reset once all are running)."""
    rate = max(1.0, users / 10)
    spawn = math.ceil(users / rate)
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / f"u{users}"
    env = dict(os.environ, LOAD_FIXTURES=str(fixtures), LOAD_THINK=think)
    command = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
               "-u", str(users), "-r", str(rate), "-t", f"{spawn + seconds}s", "--reset-stats",
               "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--loglevel", "ERROR",
               "--stop-timeout", "10"]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(spawn)  # the CPU count starts with the statistics
    pids = cpu_pids()
    cpu_before = {pid: process_cpu_seconds([pid]) for pid in pids}
    load_before = os.getloadavg()
    started = time.perf_counter()
    _, errors = locust.communicate()
    elapsed = time.perf_counter() - started
    pids = cpu_pids()
    server_cpu = sum(process_cpu_seconds([pid]) - cpu_before.get(pid, 0) for pid in pids)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (children_after.ru_utime + children_after.ru_stime
                  - children_before.ru_utime - children_before.ru_stime)
    pages = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": number(row["Requests/s"]), "p50": number(row["50%"]), "p95": number(row["95%"]),
                "max": number(row["Max Response Time"]),
            }
    failures = []
    failure_file = Path(f"{prefix}_failures.csv")
    if failure_file.exists():
        with open(failure_file, newline="") as rows:
            failures = [f"{row['Name']}: {row['Error']} ×{row['Occurrences']}" for row in csv.DictReader(rows)]
    total = pages.get("Aggregated", {}).get("requests", 0)
    return {
        "users": users, "pages": pages, "failures": failures[:10], "seconds": elapsed,
        "server_cpu_ms_per_request": 1000 * server_cpu / total if total else 0.0,
        "server_cpu_cores": server_cpu / elapsed if elapsed else 0.0,
        "client_cpu_cores": client_cpu / elapsed if elapsed else 0.0,
        "load_before": load_before, "load_after": os.getloadavg(),
        "locust_errors": errors.strip().splitlines()[-5:] if locust.returncode not in (0, 1) else [],
    }


def page_paths(fixtures: dict) -> dict[str, tuple[str, list]]:
    """Each page of the mix with the role that opens it and a few of its addresses (bench/load/locustfile.py
    makes the same ones at random)."""
    roles, districts = fixtures["roles"], fixtures["districts"]
    admin, district, hr = roles["admin"], roles["district"], roles["hr"]
    return {
        "home": ("worker", ["/"]),
        "worker list": ("admin", [f"/registry/workers/?district={d}" for d in districts]
                        + ["/registry/workers/?union=false", "/registry/workers/?migrant=true"]),
        "worker list (district)": ("district", ["/registry/workers/", "/registry/workers/?contract=true"]),
        "worker list (HR)": ("hr", ["/registry/workers/", "/registry/workers/?high_skilled=true"]),
        "search: name": ("admin", [f"/registry/workers/?q={urllib.parse.quote(n)}" for n in admin["names"][:20]]),
        "search: ID number": ("admin", [f"/registry/workers/?q={urllib.parse.quote(s)}"
                                        for s in admin["sealed_ids"][:20]]),
        "worker detail": ("admin", [f"/registry/workers/{pk}/" for pk in admin["workers"][:20]]),
        "worker detail (district)": ("district", [f"/registry/workers/{pk}/" for pk in district["workers"][:20]]),
        "worker detail (HR)": ("hr", [f"/registry/workers/{pk}/" for pk in hr["workers"][:20]]),
        "employer list": ("admin", ["/registry/employers/"]),
        "employer detail": ("admin", [f"/registry/employers/{pk}/" for pk in admin["employers"][:20]]),
        "targets dashboard": ("leader", ["/indicators/"]),
        "indicator detail": ("leader", [f"/indicators/{code}/" for code in fixtures["indicators"]]),
        "supervision matrix": ("leader", ["/supervision/"]),
        "api: worker list": ("api", [f"/api/registry/workers/?district={d}" for d in districts]),
        "api: lookup by ID": ("api", [("POST", "/api/registry/workers/lookup/", {"id_number": number})
                                      for number in fixtures["api"]["id_numbers"][:20]]),
    }


def send(connection, headers: dict[str, str], name: str, path) -> None:
    """One request (a path to GET, or method, path and JSON body), which must succeed."""
    method, path, body = ("GET", path, None) if isinstance(path, str) else path
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = connection.getresponse()
    response.read()
    assert response.status == 200, f"{name}: {path} answered {response.status}"


def cpu_per_page(port: int, fixtures_file: Path, cpu_pids, repeat: int) -> dict[str, dict[str, float]]:
    """Each page opened ``repeat`` times, one request at a time: the server's CPU time per request (its
    gunicorn processes and the database's backends), which the machine's other load hardly changes."""
    import http.client

    fixtures = json.loads(fixtures_file.read_text())
    figures = {}
    for name, (role, paths) in page_paths(fixtures).items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = ({"Authorization": "Token " + fixtures["api"]["token"], "Content-Type": "application/json"}
                   if role == "api" else {"Cookie": "sessionid=" + fixtures["roles"][role]["sessions"][0]})

        for index in range(2):  # warm: this connection's thread, its database connection
            send(connection, headers, name, paths[index % len(paths)])
        pids = cpu_pids()
        before = {pid: process_cpu_seconds([pid]) for pid in pids}
        for index in range(repeat):
            send(connection, headers, name, paths[index % len(paths)])
        spent = sum(process_cpu_seconds([pid]) - before.get(pid, 0) for pid in cpu_pids())
        figures[name] = {"cpu_ms": 1000 * spent / repeat}
        connection.close()
    return figures


def report_step(engine: str, step: dict) -> None:
    pages = step["pages"]
    print(f"\n-- {engine}: {step['users']} users, {step['seconds']:.0f} s; load average "
          f"{step['load_before'][0]:.1f} → {step['load_after'][0]:.1f}; server CPU "
          f"{step['server_cpu_ms_per_request']:.0f} ms/request ({step['server_cpu_cores']:.2f} cores), "
          f"locust {step['client_cpu_cores']:.2f} cores")
    print(f"{'page':24} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'fail':>5}")
    for name in sorted(pages, key=lambda n: (n == "Aggregated", n)):
        figures = pages[name]
        print(f"{name:24} {figures['rps']:7.1f} {figures['p50']:8.0f} {figures['p95']:8.0f} {figures['max']:8.0f} "
              f"{figures['failures']:5d}")
    for failure in step["failures"]:
        print(f"   failure: {failure}")
    for line in step["locust_errors"]:
        print(f"   locust: {line}")


def within_goal(step: dict) -> bool:
    pages = [figures for name, figures in step["pages"].items() if name != "Aggregated"]
    return bool(pages) and all(figures["p95"] < GOAL_MS and not figures["failures"] for figures in pages)


def run_engine(engine: str, args) -> list[dict]:
    env = build_database(args.name, engine, args.workers, args.seed, args.postgres_url, extra=("supervision-demo",))
    env["API_USER_RATE"] = "1000000/hour"  # many virtual users share each demo login and its API token
    if args.src:  # another checkout's code (before and after a change) on the same database
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    out = VAR / f"load-{engine}-{args.workers}-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    fixtures = out / "fixtures.json"
    most = max(args.users)
    subprocess.run([str(BIN / "python"), str(HERE / "fixtures.py"), str(fixtures),
                    "--sessions", str(max(10, math.ceil(most * 3 / 13)))], env=env, check=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers),
         "--threads", str(args.threads)], env=env, cwd=ROOT)
    steps = []
    try:
        wait_until_up(port)

        def cpu_pids() -> list[int]:
            return server_pids(server) + postgres_backends(env)

        # Unmeasured: every process loads its caches (the indicators' columns, query plans, templates).
        run_step(10, port, fixtures, args.think, args.warmup, out / "warmup", cpu_pids)
        pages = cpu_per_page(port, fixtures, cpu_pids, args.repeat)
        print(f"\n-- {engine}: server CPU per page, one request at a time ({args.repeat} each; load average "
              f"{os.getloadavg()[0]:.1f})")
        for name, figures in pages.items():
            print(f"{name:26} {figures['cpu_ms']:7.0f} ms")
        for users in args.users:
            step = run_step(users, port, fixtures, args.think, args.seconds, out, cpu_pids)
            report_step(engine, step)
            steps.append(step)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    measured = [step for step in steps if step["server_cpu_ms_per_request"]]
    if measured:
        cpu = measured[-1]["server_cpu_ms_per_request"]
        print(f"\nserver CPU per request of the mix ({measured[-1]['users']} users): {cpu:.0f} ms: one core serves "
              f"about {1000 / cpu:.1f} requests/s")
    passing = [step["users"] for step in steps if within_goal(step)]
    print(f"\n== {engine}, {args.workers:,} workers, gunicorn --workers {args.gunicorn_workers} --threads "
          f"{args.threads}, think {args.think} s: most users with every page's p95 < {GOAL_MS} ms: "
          f"{max(passing) if passing else 'none of the steps'}")
    return {"pages": pages, "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--users", default="10,30,100,200", help="concurrent users of each step")
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds per step")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured seconds at 10 users first")
    parser.add_argument("--repeat", type=int, default=10, help="requests per page for the CPU per page")
    parser.add_argument("--think", default="2,8", help="think time between a user's pages: min,max seconds")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--name", default="load", help=argparse.SUPPRESS)  # the database's name (trying the bench)
    parser.add_argument("--src", help="serve another checkout's src/ folder (to compare before and after a change)")
    parser.add_argument("--postgres-url", help="the PostgreSQL database to use (default bench_load_<workers>)")
    args = parser.parse_args()
    args.users = [int(n) for n in args.users.split(",")]
    results = {}
    for engine in args.db.split(","):
        results[engine] = run_engine(engine, args)
    out = VAR / f"load-results-{args.workers}-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({"args": {k: v for k, v in vars(args).items()}, "results": results}, indent=2,
                              ensure_ascii=False))
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    sys.exit(main())
