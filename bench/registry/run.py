"""Registry benchmark: list pages, API list and lookup by ID number on a registry of N workers.

    .venv/bin/python bench/registry/run.py                  # 1,000,000 workers, SQLite and PostgreSQL
    .venv/bin/python bench/registry/run.py --workers 50000 --databases sqlite [--without-columns]

Builds (or reuses) a database per engine with ``workforce demo-data``, starts gunicorn on it, and
times requests from this process over keep-alive HTTP on loopback. Prints p50/p95/max per scenario,
the ratio against the server's floor measured in the same run (``/healthz``, which does one
``SELECT 1``), and the peak resident memory (VmHWM) of the server's processes.
Goals (issue 3): list pages p95 < 100 ms, lookup by ID p95 < 10 ms, server peak memory < 300 MB. Issue 15 adds the
possible-duplicates page and the commonest surnames (the name-prefix searches with most matches) to the list pages,
and the district scope's two costliest uses: the city's list filtered by a district, and a district officer's search.

    .venv/bin/python bench/registry/run.py --workers 20000 --databases sqlite --only district --only officer
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import BIN, ROOT, VAR, build_database
from common import peak_memory_mb as process_peak_mb

PASSWORD = "Demo@2018pzh"  # the demo users' password (workforce demo-users)


def sample_ids(env: dict[str, str], count: int) -> tuple[list[str], list[str], list[str]]:
    """Plain ID numbers, name prefixes and sealed ID searches (what the list's URL carries, issue 13) of
    random workers, read through Django (decrypting)."""
    code = (
        "import django, json, random; django.setup();"
        "from workforce.registry.models import Worker;"
        "from workforce.registry.selectors import seal_search;"
        "top = Worker.objects.order_by('-id').values_list('id', flat=True).first();"
        "rng = random.Random(7); picks = set();"
        f"[picks.add(rng.randint(1, top)) for _ in range({count} * 2)];"
        "rows = list(Worker.objects.filter(pk__in=picks).only('id_number', 'name')[:" + str(count) + "]);"
        "print(json.dumps([[w.id_number, w.name[:1], seal_search(w.id_number)] for w in rows]))"
    )
    output = subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, capture_output=True, text=True,
                            cwd=ROOT).stdout
    rows = json.loads(output.strip().splitlines()[-1])
    return [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]


def commonest_surnames(env: dict[str, str], count: int) -> list[str]:
    """The ``count`` commonest first characters of names (the name-prefix searches with most matches)."""
    code = (
        "import django, json; django.setup();"
        "from django.db.models import Count; from django.db.models.functions import Substr;"
        "from workforce.registry.models import Worker;"
        "rows = Worker.objects.annotate(s=Substr('name', 1, 1)).values('s').annotate(n=Count('id')).order_by('-n');"
        f"print(json.dumps([row['s'] for row in rows[:{count}]]))"
    )
    output = subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, capture_output=True, text=True,
                            cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A keep-alive HTTP client with a cookie jar of one session."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, payload

    def sign_in(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request("POST", "/accounts/login/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        assert status == 302, f"sign-in of {username} failed: {status}"

    def use_token(self, username: str) -> None:
        status, payload = self.request("POST", "/api/auth/token/", {"username": username, "password": PASSWORD})
        assert status == 200, payload
        self.headers["Authorization"] = "Token " + json.loads(payload)["token"]
        self.cookies.clear()


def timed(client: Client, paths: list[str], repeat: int) -> list[float]:
    for path in paths[:3]:  # warm up: connections, caches, query plans
        client.request(*(("GET", path) if isinstance(path, str) else path))
    times = []
    for index in range(repeat):
        path = paths[index % len(paths)]
        started = time.perf_counter()
        method, path, body = ("GET", path, None) if isinstance(path, str) else path
        status, payload = client.request(method, path, body)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, f"{path}: {status} {payload[:300]!r}"
    return times


def peak_memory_mb(pid: int) -> float:
    """The largest VmHWM (peak resident set) among the server's master and worker processes."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return max(process_peak_mb(process) for process in [str(pid), *children])


def scenarios(district_ids: list[int], ids: list[str], names: list[str], sealed: list[str], surnames: list[str]
              ) -> dict[str, tuple[str, list]]:
    """Each scenario's user and requests: a path to GET, or (method, path, form body)."""
    filters = [
        "district={d}", "district={d}&union=true", "district={d}&contract=false", "migrant=true",
        "high_skilled=true", "district={d}&migrant=true&union=true", "industry=C", "hukou=rural&district={d}",
    ]
    list_queries = [f.format(d=district_ids[i % len(district_ids)]) for i, f in enumerate(filters * 3)]
    # The filters on masked attributes (decision 0009): hukou and migrant, union membership today and on a day.
    masked = ["migrant=true", "hukou=rural", "union=true", "union_member_on=2024-06-30", "migrant=false",
              "hukou=urban&district={d}", "union=false&district={d}", "migrant=true&union=true"]
    masked_queries = [f.format(d=district_ids[i % len(district_ids)]) for i, f in enumerate(masked * 3)]
    return {
        "page: worker list, filtered (city admin)": ("admin", [f"/registry/workers/?{q}" for q in list_queries]),
        "page: masked-attribute filters (city admin)": ("admin", [f"/registry/workers/?{q}" for q in masked_queries]),
        "page: masked-attribute filters (东区 officer)": ("dongqu", [f"/registry/workers/?{q.format(d=district_ids[0])}"
                                                                   for q in masked]),
        "page: worker list (东区 officer)": ("dongqu", ["/registry/workers/", "/registry/workers/?union=false",
                                                       "/registry/workers/?contract=true"]),
        "page: search by name prefix": ("admin", [f"/registry/workers/?q={urllib.parse.quote(n)}" for n in names]),
        "page: search by commonest surnames": ("admin", [f"/registry/workers/?q={urllib.parse.quote(n)}"
                                                         for n in surnames]),
        "page: search by name prefix (东区 officer)": ("dongqu", [f"/registry/workers/?q={urllib.parse.quote(n)}"
                                                               for n in surnames]),
        # Issue 15: the district scope costs one subquery per listed worker; the city's list filtered by a district
        # (small districts need the most rows read to count 2,000), and a district officer's search by a random
        # name's first character beside the commonest surnames above.
        "page: worker list by district (city admin)": ("admin", [f"/registry/workers/?district={d}"
                                                                for d in district_ids]),
        "page: search by random name prefix (东区 officer)": ("dongqu", [f"/registry/workers/?q={urllib.parse.quote(n)}"
                                                                      for n in names]),
        "page: search by ID number": ("admin", [f"/registry/workers/?q={urllib.parse.quote(s)}" for s in sealed]),
        "api: worker list, filtered": ("token:admin", [f"/api/registry/workers/?{q}" for q in list_queries]),
        "api: lookup by ID number": ("token:admin", [("POST", "/api/registry/workers/lookup/", {"id_number": i})
                                                     for i in ids]),
        # Issue 15: possible duplicates, paged by group, by either reason and by district.
        "page: possible duplicates (city admin)": ("admin", [
            "/registry/workers/duplicates/", "/registry/workers/duplicates/?reason=phone",
            "/registry/workers/duplicates/?page=2", *[f"/registry/workers/duplicates/?district={d}"
                                                       for d in district_ids[:4]]]),
        "page: possible duplicates (东区 officer)": ("dongqu", [
            "/registry/workers/duplicates/", "/registry/workers/duplicates/?reason=phone"]),
        "baseline: /healthz": ("admin", ["/healthz"]),
    }


def run_engine(engine: str, workers: int, seed: int, repeat: int, url: str | None = None,
               without_columns: bool = False, only: list[str] | None = None) -> dict[str, dict[str, float]]:
    env = build_database("registry", engine, workers, seed, url)
    ids, names, sealed = sample_ids(env, 200)
    surnames = commonest_surnames(env, 20)
    code = ("import django; django.setup(); from workforce.reference.models import Division;"
            "print(list(Division.objects.filter(parent_id='510400').order_by('code').values_list('pk', flat=True)))")
    districts = json.loads(subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, text=True,
                                          capture_output=True, cwd=ROOT).stdout.strip().splitlines()[-1]
                           .replace("'", '"'))
    # What the indicators' five-minute job keeps on the disk (decision 0006): the columns the masked-attribute
    # filters read (decision 0009); without them the filters decrypt every listed worker's hukou.
    # ``--without-columns`` removes them: the filters' Python path, as before they read the columns.
    action = "forget_columns(stored=True)" if without_columns else "store_current_columns()"
    subprocess.run([str(BIN / "python"), "-c", "import django; django.setup(); from workforce.indicators.storage "
                    f"import forget_columns, store_current_columns; {action}"], env=env, check=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "workforce.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--worker-class", "gthread", "--threads", "2", "--keep-alive", "30", "--log-level", "warning"],
        env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        results = {}
        for name, (user, paths) in scenarios(districts, ids, names, sealed, surnames).items():
            if only and name != "baseline: /healthz" and not any(word in name for word in only):
                continue
            client = Client(port)
            if user.startswith("token:"):
                client.use_token(user.removeprefix("token:"))
            else:
                client.sign_in(user)
            times = sorted(timed(client, paths, repeat))
            results[name] = {
                "p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1],
            }
        results["_memory"] = {"peak_mb": peak_memory_mb(server.pid)}
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def report(engine: str, workers: int, results: dict[str, dict[str, float]]) -> None:
    floor = results["baseline: /healthz"]["p95"]
    print(f"\n== {engine}: {workers:,} workers ==")
    print(f"{'scenario':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/floor':>10}  goal")
    for name, figures in results.items():
        if name.startswith("_"):
            continue
        goal = "" if name.startswith("baseline") else ("p95<10" if "lookup" in name else "p95<100")
        limit = 10 if "lookup" in name else 100
        verdict = "" if not goal else ("ok" if figures["p95"] < limit else "MISSED")
        print(f"{name:44} {figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f} "
              f"{figures['p95'] / floor:10.1f}  {goal} {verdict}")
    peak = results["_memory"]["peak_mb"]
    print(f"server peak memory (max VmHWM of gunicorn processes): {peak:.0f} MB  "
          f"goal <300 {'ok' if peak < 300 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=200, help="requests per scenario")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--without-columns", action="store_true",
                        help="no indicator columns on the disk: the masked-attribute filters decrypt in Python")
    parser.add_argument("--postgres-url", help="the PostgreSQL database to use (default bench_registry_<workers>)")
    parser.add_argument("--only", action="append", metavar="WORDS",
                        help="run only the scenarios whose name contains WORDS (repeatable; the baseline always runs)")
    args = parser.parse_args()
    all_results = {}
    for engine in args.databases.split(","):
        all_results[engine] = run_engine(engine, args.workers, args.seed, args.repeat, args.postgres_url,
                                          args.without_columns, args.only)
        report(engine, args.workers, all_results[engine])
    out = VAR / f"results-{args.workers}.json"
    out.write_text(json.dumps(all_results, indent=2, ensure_ascii=False))
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    sys.exit(main())
