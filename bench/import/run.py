"""Roster import benchmark: a generated roster, parsed, checked and committed end to end.

    .venv/bin/python bench/import/run.py                         # 100,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/import/run.py --rows 20000 --databases sqlite
    .venv/bin/python bench/import/run.py --million --databases sqlite   # adds a 1,000,000-row CSV
    .venv/bin/python bench/import/run.py --profile               # cProfile of the check and commit steps
    .venv/bin/python bench/import/run.py --floor --formats csv --no-baseline   # and the database's floor

Generates a deterministic roster of one employer (valid GB 11643 ID numbers, names, phones, hukou,
occupation codes, start dates, contracts, union join dates, skill certificates) as a UTF-8 (BOM) CSV
and an .xlsx with the template's Chinese headers, under var/bench/import/ (roster.py). Per database it
builds a template database once (migrate, ``workforce setup``, one employer through ``register_employer``,
one enterprise HR user) and copies it for every measurement, so each run starts from an empty registry.

Every measurement runs in its own subprocess, so its peak memory (VmHWM, which includes Django itself)
is that run's own: ``create_roster_import`` + ``check_roster_import`` + ``commit_roster_import``, as the
HR user does it from the upload page (the two steps, the atomic commit).

Baseline, in the same run: django-import-export (``pip install -e '.[bench]'``) importing the same
first ``--sample`` rows (it is too slow for the full roster) into the same models, in one real
(not dry-run) pass. Its resource is tuned the way its documentation suggests (``skip_diff``,
``CachedInstanceLoader``, derived columns computed once in ``before_import``), which flatters it:
see ``Baseline`` below for what it writes and what it leaves out. The ratio is ours/theirs in rows/s,
on the same sample rows and against our full-size run.

On a shared machine the wall-clock rate depends on the load: the table also gives rows per CPU-second
of the importing process (on SQLite nearly all the work; on PostgreSQL the server's share is not in
it). ``BENCH_PG_PREFIX`` (default ``bench_import``) names the PostgreSQL databases of a run, so that
several people can benchmark on one server.

Goals (issue): CSV >= 20,000 rows/s and .xlsx >= 10,000 rows/s end to end, peak memory < 500 MB,
>= 30 times django-import-export; a 1,000,000-row CSV under 1 GB peak memory.
Results are written to var/bench/import-results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from roster import EMPLOYER_USCC, WORK, generate_rosters, roster_paths

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
RESULTS = VAR / "import-results.json"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Several people may benchmark on one server: BENCH_PG_PREFIX names this run's databases.
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "bench_import")
PG_TEMPLATE, PG_RUN = f"{PG_PREFIX}_template", f"{PG_PREFIX}_run"

EMPLOYER_NAME = "攀钢集团有限公司"
HR_USERNAME = "bench-import-hr"

CSV_RATE, XLSX_RATE, MEMORY_MB, MILLION_MEMORY_MB, RATIO = 20_000, 10_000, 500, 1024, 30
DEFAULT_MAX_BYTES = 100 * 1024 * 1024  # services.MAX_BYTES unless settings.IMPORT_MAX_BYTES says otherwise


# ============================================================================================ databases

def child_env(engine: str, database: str) -> dict[str, str]:
    env = dict(os.environ, DEBUG="false", PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="workforce.settings",
               LOG_LEVEL="WARNING", MEDIA_ROOT=str(WORK / "media"), REQUIRE_TWO_FACTOR_FOR_STAFF="false",
               BENCH_ENGINE=engine)
    if engine == "sqlite":
        env["SQLITE_PATH"] = database
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    return env


def sqlite_files(path: str) -> list[Path]:
    return [Path(path + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def pg_execute(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def build_template(engine: str) -> str:
    """A database with reference data, roles, the employer and its HR user, and an empty registry."""
    if engine == "sqlite":
        database = str(WORK / "template.sqlite3")
        for path in sqlite_files(database):
            path.unlink(missing_ok=True)
    else:
        database = PG_TEMPLATE
        pg_execute(f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}"', f'CREATE DATABASE "{PG_TEMPLATE}"')
    env = child_env(engine, database)
    subprocess.run([str(BIN / "workforce"), "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([str(BIN / "workforce"), "setup"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "python"), __file__, "_child", "prepare"], env=env, check=True, cwd=ROOT)
    if engine == "sqlite":
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database


def fresh_database(engine: str, template: str) -> str:
    """A copy of the template for one measurement."""
    if engine == "sqlite":
        database = str(WORK / "run.sqlite3")
        for path in sqlite_files(database):
            path.unlink(missing_ok=True)
        shutil.copyfile(template, database)
        return database
    pg_execute(f'DROP DATABASE IF EXISTS "{PG_RUN}"', f'CREATE DATABASE "{PG_RUN}" TEMPLATE "{PG_TEMPLATE}"')
    return PG_RUN


def drop_databases(engine: str) -> None:
    if engine == "sqlite":
        for name in ("template.sqlite3", "run.sqlite3"):
            for path in sqlite_files(str(WORK / name)):
                path.unlink(missing_ok=True)
    else:
        pg_execute(f'DROP DATABASE IF EXISTS "{PG_RUN}"', f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}"')


def measure_floors(engine: str, template: str) -> list[dict]:
    """The floor under the rate (floor.py) from the import just measured, whose database is still there;
    on SQLite also without secondary indexes."""
    from floor import measure_floor

    run = str(WORK / "run.sqlite3") if engine == "sqlite" else PG_RUN
    floors = []
    for bare in (False, True) if engine == "sqlite" else (False,):
        floors.append(measure_floor(engine, template, run, work=WORK, pg_execute=pg_execute, bare=bare,
                                    pg_url=lambda name: f"postgres://postgres@127.0.0.1:5432/{name}"))
        print(f"[{engine}] floor{' without secondary indexes' if bare else ''}: {floors[-1]['seconds']:.2f} s, "
              f"{floors[-1]['rows_per_s']:,.0f} rows/s", flush=True)
    return floors


def measure(engine: str, template: str, tool: str, roster: Path, *options: str) -> dict:
    """Run one import in a subprocess of its own on a fresh copy of the template; its figures."""
    database = fresh_database(engine, template)
    shutil.rmtree(WORK / "media", ignore_errors=True)
    command = [str(BIN / "python"), __file__, "_child", tool, str(roster), *options]
    output = subprocess.run(command, env=child_env(engine, database), cwd=ROOT, capture_output=True, text=True)
    if output.returncode:
        sys.exit(f"[{engine}] {tool} on {roster.name} failed:\n{output.stderr[-3000:]}{output.stdout[-1000:]}")
    result = json.loads(output.stdout.strip().splitlines()[-1])
    result.update(database=engine, format=roster.suffix[1:], tool=tool)
    return result


# ============================================================================================ children

def peak_rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    status = Path("/proc/self/status").read_text()
    figures = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status.splitlines()
               if line.startswith(("VmRSS", "VmHWM"))}
    return figures["VmRSS"], figures["VmHWM"]


def child_prepare() -> None:
    from workforce.accounts.choices import RoleCode
    from workforce.accounts.services import create_user
    from workforce.core.choices import Channel
    from workforce.reference.models import Division, Industry
    from workforce.registry.choices import Ownership
    from workforce.registry.services import register_employer

    employer = register_employer(
        {"uscc": EMPLOYER_USCC, "name": EMPLOYER_NAME, "district": Division.objects.get(code="510402"),
         "industry": Industry.objects.get(code="31"), "ownership": Ownership.STATE_OWNED, "is_above_scale": True},
        acting_user=None, channel=Channel.SYSTEM)
    create_user(HR_USERNAME, None, role_code=RoleCode.ENTERPRISE_HR, employer=employer, display_name="攀钢人事")


def registry_counts() -> dict[str, int]:
    from workforce.registry.models import Certificate, EmploymentSpell, Worker
    from workforce.registry.union_roll import decode_roll, rolls_of

    counts = {model.__name__: model.objects.count() for model in (Worker, EmploymentSpell, Certificate)}
    # Memberships are periods of the workers' sealed rolls (decision 0009): counted by decrypting them.
    counts["memberships"] = sum(len(decode_roll(roll)) for _pk, roll in rolls_of(Worker.objects.all()))
    return counts


class QueryClock:
    """Time spent in the database per statement (its first words) and step, for ``--sql``."""

    def __init__(self):
        self.step = "upload"
        self.totals: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = f"{self.step}: {' '.join(sql.split())[:90]}"
            total = self.totals.setdefault(key, [0, 0.0])
            total[0] += 1
            total[1] += time.perf_counter() - started

    def top(self, count: int = 8) -> list[dict]:
        ranked = sorted(self.totals.items(), key=lambda item: -item[1][1])[:count]
        return [{"statement": key, "calls": calls, "seconds": seconds} for key, (calls, seconds) in ranked]


def child_ours(path: Path, profile: bool, sql: bool) -> dict:
    """create + check + commit, as the upload page and its background job do them."""
    import contextlib
    import cProfile
    import pstats

    from django.core.files import File
    from django.db import connection

    from workforce.accounts.models import User
    from workforce.imports import services
    from workforce.imports.choices import ImportStatus

    notes = []
    size = path.stat().st_size
    if size > services.MAX_BYTES:  # the setting IMPORT_MAX_BYTES, raised for this run only
        services.MAX_BYTES = size + 1
        notes.append(f"IMPORT_MAX_BYTES raised to {size + 1:,} bytes for this file")
    user = User.objects.get(username=HR_USERNAME)
    clock = QueryClock()
    stack = contextlib.ExitStack()
    if sql:
        stack.enter_context(connection.execute_wrapper(clock))
    rss_before, _ = peak_rss_mb()
    profiler = cProfile.Profile() if profile else None
    cpu_started = time.process_time()
    started = time.perf_counter()
    with path.open("rb") as f:
        roster_import = services.create_roster_import(File(f, name=path.name), user=user)
    created = time.perf_counter()
    clock.step = "check"
    if profiler:
        profiler.enable()
    services.check_roster_import(roster_import)
    if profiler:
        profiler.disable()
        check_stats = profiler
        profiler = cProfile.Profile()
    checked = time.perf_counter()
    counts = dict(roster_import.counts)
    if roster_import.status != ImportStatus.PREVIEW or counts.get("errors") or counts.get("error_cells"):
        raise SystemExit(f"check refused the roster: {roster_import.status} {roster_import.message} {counts}")
    clock.step = "commit"
    if profiler:
        profiler.enable()
    services.commit_roster_import(roster_import, acting_user=user)
    if profiler:
        profiler.disable()
    committed = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_started
    stack.close()
    if roster_import.status != ImportStatus.COMMITTED:
        raise SystemExit(f"commit failed: {roster_import.message}")
    _, peak = peak_rss_mb()
    if profile:
        for name, stats in (("check", check_stats), ("commit", profiler)):
            out = VAR / f"import-profile-{os.environ['BENCH_ENGINE']}-{path.suffix[1:]}-{name}"
            with out.with_suffix(".txt").open("w") as f:
                pstats.Stats(stats, stream=f).sort_stats("cumulative").print_stats(45)
                pstats.Stats(stats, stream=f).sort_stats("tottime").print_stats(30)
            stats.dump_stats(out.with_suffix(".prof"))
    rows = counts["rows"]
    return {
        "rows": rows, "seconds": committed - started, "rows_per_s": rows / (committed - started),
        "cpu_seconds": cpu_seconds, "rows_per_cpu_s": rows / cpu_seconds,
        "phases": {"upload": created - started, "check": checked - created, "commit": committed - checked},
        "peak_mb": peak, "rss_before_mb": rss_before, "counts": counts, "registry": registry_counts(),
        "warnings": counts.get("warnings", 0), "notes": notes, "sql": clock.top() if sql else [],
    }


def child_baseline(path: Path) -> dict:
    from import_export.formats.base_formats import CSV, XLSX

    from workforce.registry.models import Employer

    resource = baseline_resource()(Employer.objects.get(uscc=EMPLOYER_USCC))
    rss_before, _ = peak_rss_mb()
    started = time.perf_counter()
    data = path.read_bytes()
    if path.suffix == ".csv":
        dataset = CSV(encoding="utf-8-sig").create_dataset(data.decode("utf-8-sig"))
    else:
        dataset = XLSX().create_dataset(data)
    loaded = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    finished = time.perf_counter()
    _, peak = peak_rss_mb()
    rows = len(dataset)
    return {
        "rows": rows, "seconds": finished - started, "rows_per_s": rows / (finished - started),
        "phases": {"read": loaded - started, "import": finished - loaded}, "peak_mb": peak,
        "rss_before_mb": rss_before, "totals": {str(k): v for k, v in result.totals.items() if v},
        "registry": registry_counts(),
    }


def baseline_resource():
    """The django-import-export resource of the baseline (built inside Django, once it is set up).

    Per row it writes what our importer writes for a new worker: the Worker (encrypted ID number and
    phone, their lookup hashes and masks, division code, birth date and gender from the ID number,
    name, hukou, education, political status), its EmploymentSpell (occupation, dates, contract,
    dispatch) and its LabourContract when signed, its union membership (in the worker's roll) and its
    skill-level Certificate when the row has them; in one transaction (a savepoint per row), looking existing
    workers up by ID hash in one query.

    It does NOT: check anything beyond parsing (no check digits of our kind beyond ``parse_id_number``,
    no birth date/gender cross-check, no duplicate rows, no contract or date rules, no certificate-number
    clash, no namesake warnings, no employer scope), keep problems for a report, make a preview (it runs
    one real pass, not the admin's dry run followed by the import), write the change log or the
    WorkerFact history, or refresh the workers' current_* columns and the employer's headcount. Values
    are parsed by small helpers that know exactly this file's formats (ours accept every format people
    type). So the ratio understates the difference in work done.
    """
    from import_export import fields, resources
    from import_export.instance_loaders import CachedInstanceLoader

    from workforce.core.encryption import lookup_hash
    from workforce.core.identifiers import mask_id_number, mask_phone, parse_id_number
    from workforce.registry.choices import CertificateKind
    from workforce.registry.models import Certificate, EmploymentSpell, LabourContract, Worker
    from workforce.registry.union_roll import RollEntry, encode_roll, next_membership_ids

    hukou = {"农村户口": "rural", "城镇户口": "urban"}
    education = {"小学及以下": "primary", "初中": "junior", "高中": "senior", "中专/技工学校": "vocational",
                 "大专/高职": "college", "本科": "bachelor", "研究生": "postgraduate"}
    political = {"中共党员": "cpc_member", "中共预备党员": "cpc_probationary", "共青团员": "cyl_member",
                 "民主党派": "other_party", "群众": "masses"}
    contract_types = {"固定期限": "fixed_term", "无固定期限": "open_ended", "以完成一定工作任务为期限": "task_based"}
    levels = {"五级/初级工": 5, "四级/中级工": 4, "三级/高级工": 3, "二级/技师": 2, "一级/高级技师": 1}

    def day(value):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
        year, month, date = text.split("-")
        return datetime.date(int(year), int(month), int(date))

    def text(value) -> str:
        return "" if value is None else str(value).strip()

    derived = ["_id", "_id_hash", "_id_masked", "_division", "_birth", "_gender", "_phone", "_phone_hash",
               "_phone_masked", "_hukou", "_education", "_political"]

    class WorkerResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="_id")
        id_number_hash = fields.Field(attribute="id_number_hash", column_name="_id_hash")
        id_number_masked = fields.Field(attribute="id_number_masked", column_name="_id_masked")
        division_code = fields.Field(attribute="division_code", column_name="_division")
        birth_date = fields.Field(attribute="birth_date", column_name="_birth")
        gender = fields.Field(attribute="gender", column_name="_gender")
        phone = fields.Field(attribute="phone", column_name="_phone")
        phone_hash = fields.Field(attribute="phone_hash", column_name="_phone_hash")
        phone_masked = fields.Field(attribute="phone_masked", column_name="_phone_masked")
        hukou_type = fields.Field(attribute="hukou_type", column_name="_hukou")
        education = fields.Field(attribute="education", column_name="_education")
        political_status = fields.Field(attribute="political_status", column_name="_political")

        class Meta:
            model = Worker
            fields = ("name", "id_number", "id_number_hash", "id_number_masked", "division_code", "birth_date",
                      "gender", "phone", "phone_hash", "phone_masked", "hukou_type", "education",
                      "political_status")
            import_id_fields = ("id_number_hash",)
            instance_loader_class = CachedInstanceLoader
            skip_diff = True
            use_transactions = True

        def __init__(self, employer):
            super().__init__()
            self.employer = employer

        def before_import(self, dataset, **kwargs):
            """Derive the columns the Worker needs from the Chinese ones, once for the whole file."""
            columns: list[list] = [[] for _ in derived]
            for row in dataset.dict:
                info = parse_id_number(text(row["公民身份号码"]))
                phone = text(row["手机号码"])
                values = (info.number, lookup_hash(info.number), mask_id_number(info.number), info.division_code,
                          info.birth_date, info.gender, phone, lookup_hash(phone) if phone else "",
                          mask_phone(phone) if phone else "", hukou[text(row["户口性质"])],
                          education.get(text(row["文化程度"]), ""), political.get(text(row["政治面貌"]), "masses"))
                for column, value in zip(columns, values, strict=True):
                    column.append(value)
            for header, column in zip(derived, columns, strict=True):
                dataset.append_col(column, header=header)

        def after_save_instance(self, instance, row, **kwargs):
            """The worker's spell, membership and certificate, from the same row."""
            if kwargs.get("dry_run"):
                return
            occupation = text(row["职业"])[:10] or None
            signed = text(row["是否签订劳动合同"]) == "是"
            kind = contract_types.get(text(row["劳动合同类型"]), "")
            contract_start, contract_end = day(row["劳动合同起始日期"]), day(row["劳动合同终止日期"])
            spell = EmploymentSpell.objects.create(
                worker=instance, employer=self.employer, occupation_id=occupation,
                start_date=day(row["入职日期"]), end_date=day(row["离职日期"]), is_contract_signed=signed,
                contract_type=kind, contract_start=contract_start, contract_end=contract_end,
                is_dispatched=text(row["是否劳务派遣"]) == "是")
            if signed:  # the contract's own record, as ours writes it (decision 0020)
                LabourContract.objects.create(spell=spell, kind=kind, dates_known=contract_start is not None,
                                              start_date=contract_start, end_date=contract_end, source="import")
            joined = day(row["入会日期"])
            if joined:
                Worker.objects.filter(pk=instance.pk).update(union_roll=encode_roll(
                    [RollEntry(next_membership_ids(1)[0], self.employer.pk, joined, None)]))
            if text(row["证书编号"]):
                Certificate.objects.create(
                    worker=instance, kind=CertificateKind.SKILL_LEVEL, occupation_id=occupation,
                    level_id=levels[text(row["技能等级"])], number=text(row["证书编号"]),
                    issuer=text(row["发证机构"]), issued_on=day(row["发证日期"]))

    return WorkerResource


def child_main(argv: list[str]) -> None:
    import django

    django.setup()
    tool = argv[0]
    if tool == "prepare":
        child_prepare()
        return
    path = Path(argv[1])
    result = child_ours(path, "--profile" in argv, "--sql" in argv) if tool == "ours" else child_baseline(path)
    print(json.dumps(result, ensure_ascii=False, default=str))


# ============================================================================================ report

def source_state() -> dict:
    """The commit measured and whether src/ had uncommitted changes (read-only git commands)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    import hashlib

    changed = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()]
    digest = hashlib.sha256(git("diff", "HEAD", "--", "src").encode())
    for name in git("ls-files", "--others", "--exclude-standard", "--", "src").split():
        digest.update((ROOT / name).read_bytes())
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted_src": changed,
            "fingerprint": digest.hexdigest()[:12]}


def goal_of(result: dict) -> tuple[str, list[str]]:
    """The goal of a run and what it missed."""
    if result.get("million"):
        rate, memory = None, MILLION_MEMORY_MB
    else:
        rate, memory = (CSV_RATE if result["format"] == "csv" else XLSX_RATE), MEMORY_MB
    missed = []
    if rate and result["rows_per_s"] < rate:
        missed.append("rows/s")
    if result["peak_mb"] >= memory:
        missed.append("memory")
    goal = (f">={rate:,}/s " if rate else "") + f"<{memory} MB"
    return goal, missed


def print_table(results: list[dict], baselines: list[dict], sample_runs: list[dict]) -> None:
    print(f"\n{'database':9} {'format':6} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'peak MB':>8}  "
          f"{'goal':22} result   (upload / check / commit s)  rows per CPU-second of the importer")
    for result in results:
        goal, missed = goal_of(result)
        verdict = "ok" if not missed else "MISSED " + "+".join(missed)
        phases = " / ".join(f"{value:.1f}" for value in result["phases"].values())
        print(f"{result['database']:9} {result['format']:6} {result['rows']:10,} {result['seconds']:8.1f} "
              f"{result['rows_per_s']:9,.0f} {result['peak_mb']:8.0f}  {goal:22} {verdict:8} ({phases})  "
              f"{result['rows_per_cpu_s']:,.0f}")
    if not baselines:
        return
    print(f"\nbaseline: django-import-export on the first {baselines[0]['rows']:,} rows of the same roster "
          "(one real pass; see Baseline in the docstring for what it leaves out)")
    print(f"{'database':9} {'format':6} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'peak MB':>8}   "
          f"{'ours, same rows':>15} {'ratio':>6}   {'ours, full run':>14} {'ratio':>6}   goal >={RATIO}x")
    for baseline in baselines:
        same = next((r for r in sample_runs if (r["database"], r["format"]) == (baseline["database"],
                                                                                   baseline["format"])), None)
        full = next((r for r in results if (r["database"], r["format"]) == (baseline["database"],
                                                                              baseline["format"])
                     and not r.get("million")), None)
        cells = []
        for ours in (same, full):
            if ours is None:
                cells.append(f"{'-':>15} {'-':>6}")
            else:
                ratio = ours["rows_per_s"] / baseline["rows_per_s"]
                baseline.setdefault("ratios", {})["same_rows" if ours is same else "full_run"] = ratio
                cells.append(f"{ours['rows_per_s']:13,.0f}/s {ratio:5.1f}x")
        ratios = baseline.get("ratios", {}).values()
        verdict = "ok" if ratios and min(ratios) >= RATIO else "MISSED"
        print(f"{baseline['database']:9} {baseline['format']:6} {baseline['rows']:7,} {baseline['seconds']:8.1f} "
              f"{baseline['rows_per_s']:8,.0f} {baseline['peak_mb']:8.0f}   {cells[0]}   {cells[1]:>21}   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--sample", type=int, default=5_000, help="rows imported by django-import-export")
    parser.add_argument("--million", action="store_true", help="also a 1,000,000-row CSV, on SQLite only")
    parser.add_argument("--no-baseline", action="store_true", help="skip django-import-export")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the check and commit steps (var/bench/import-profile-*); slows the runs")
    parser.add_argument("--sql", action="store_true", help="time the database statements of our runs (top 8 each)")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases afterwards")
    parser.add_argument("--floor", action="store_true",
                        help="after the first import, time storing its rows again with nothing else (floor.py)")
    args = parser.parse_args()
    engines = args.databases.split(",")
    options = [option for option, wanted in (("--profile", args.profile), ("--sql", args.sql)) if wanted]
    formats = args.formats.split(",")
    sample = 0 if args.no_baseline else min(args.sample, args.rows)
    if sample:
        try:
            import import_export  # noqa: F401
        except ImportError:
            sys.exit("django-import-export is not installed: run  .venv/bin/pip install -e '.[bench]'  "
                     "(or  .venv/bin/pip install 'django-import-export>=4'), or pass --no-baseline")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workforce.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    generate_rosters(args.rows, args.seed, formats, sample)
    if args.million:
        generate_rosters(1_000_000, args.seed, ["csv"], 0)

    state = source_state()
    results, baselines, sample_runs, floors = [], [], [], []
    for engine in engines:
        started = time.perf_counter()
        template = build_template(engine)
        print(f"[{engine}] template database ready in {time.perf_counter() - started:.0f} s", flush=True)
        try:
            for fmt in formats:
                result = measure(engine, template, "ours", roster_paths(args.rows, args.seed, fmt), *options)
                results.append(result)
                print(f"[{engine}] ours {fmt} {result['rows']:,} rows: {result['seconds']:.1f} s, "
                      f"{result['rows_per_s']:,.0f} rows/s, peak {result['peak_mb']:.0f} MB", flush=True)
                if args.floor and not any(floor["database"] == engine for floor in floors):
                    floors += measure_floors(engine, template)
            if args.million and engine == "sqlite":
                result = measure(engine, template, "ours", roster_paths(1_000_000, args.seed, "csv"), *options)
                result["million"] = True
                results.append(result)
                print(f"[{engine}] ours csv 1,000,000 rows: {result['seconds']:.1f} s, "
                      f"{result['rows_per_s']:,.0f} rows/s, peak {result['peak_mb']:.0f} MB", flush=True)
            if sample:
                for fmt in ("csv", "xlsx"):
                    path = roster_paths(args.rows, args.seed, fmt, sample)
                    ours = measure(engine, template, "ours", path)
                    sample_runs.append(ours)
                    baseline = measure(engine, template, "django-import-export", path)
                    baselines.append(baseline)
                    print(f"[{engine}] {fmt} {sample:,} rows: ours {ours['rows_per_s']:,.0f} rows/s, "
                          f"django-import-export {baseline['rows_per_s']:,.0f} rows/s", flush=True)
        finally:
            if not args.keep:
                drop_databases(engine)

    print_table(results, baselines, sample_runs)
    for floor in floors:
        steps = ", ".join(f"{step.removeprefix('registry_').removeprefix('core_')} {seconds:.2f}"
                          for step, seconds in floor["by_step"].items())
        print(f"floor ({floor['database']}{', no secondary indexes' if floor['bare'] else ''}): storing the "
              f"{floor['workers']:,} workers' rows again takes {floor['seconds']:.2f} s, "
              f"{floor['us_per_worker']:.0f} µs a worker, at most {floor['rows_per_s']:,.0f} rows/s before any "
              f"parsing or checking ({steps})")
    for result in results:
        for note in result.get("notes", []):
            print(f"note ({result['database']}, {result['format']}, {result['rows']:,} rows): {note}")
        if result.get("sql"):
            print(f"\ndatabase time by statement, {result['database']} {result['format']} {result['rows']:,} rows:")
            for item in result["sql"]:
                print(f"  {item['seconds']:8.2f} s {item['calls']:6,}x  {item['statement']}")
    if state["uncommitted_src"]:
        print(f"\nmeasured commit {state['commit']} with uncommitted changes in: {', '.join(state['uncommitted_src'])}"
              f" (fingerprint {state['fingerprint']})")
    if source_state()["fingerprint"] != state["fingerprint"]:
        state["changed_during_run"] = True
        print("WARNING: src/ changed while the benchmark ran; the runs measured different code")
    RESULTS.write_text(json.dumps({
        "source": state, "rows": args.rows, "seed": args.seed, "sample": sample, "goals": {
            "csv_rows_per_s": CSV_RATE, "xlsx_rows_per_s": XLSX_RATE, "peak_mb": MEMORY_MB,
            "million_peak_mb": MILLION_MEMORY_MB, "ratio": RATIO},
        "ours": results, "ours_on_sample": sample_runs, "django_import_export": baselines, "floors": floors,
    }, indent=2, ensure_ascii=False, default=str))
    print(f"\nresults written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        child_main(sys.argv[2:])
    else:
        main()
