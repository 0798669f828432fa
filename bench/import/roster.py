"""The benchmark's roster: a steelworks' staff, generated deterministically for a seed, written as a
UTF-8 (BOM) CSV and an .xlsx with the template's Chinese headers under var/bench/import/ (files already
there are kept: they are deterministic). Used by run.py.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import random
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench" / "import"
EMPLOYER_USCC = "915104002043502888"  # the one employer every row names (run.py registers it)
REFERENCE_DAY = datetime.date(2025, 6, 30)  # the roster's "today": every date in it is on or before this day


def weighted(pairs):
    """A picker of one of ``pairs`` ((value, weight), …) by weight, for a random.Random."""
    values = [value for value, _ in pairs]
    totals = list(accumulate(weight for _, weight in pairs))

    def pick(rng: random.Random):
        return values[bisect.bisect_right(totals, rng.random() * totals[-1])]

    return pick


class RosterGenerator:
    """Rows of a steelworks' staff roster, deterministic for a seed: values as the template expects
    them, dates as ``datetime.date`` (the CSV writer formats them, the .xlsx writer stores date cells)."""

    def __init__(self, seed: int):
        from workforce.core.identifiers import known_division, random_id_number
        from workforce.demo.registry import catalogue
        from workforce.imports.columns import ROSTER_COLUMNS

        self.rng = random.Random(seed)
        self.random_id_number = random_id_number
        self.headers = [column.header for column in ROSTER_COLUMNS]
        self.keys = [column.key for column in ROSTER_COLUMNS]
        with (ROOT / "src/workforce/reference/data/occupations.csv").open(encoding="utf-8") as f:
            names = {row["code"]: row["name"] for row in csv.DictReader(f)}
        sectors = [catalogue.SECTORS[key] for key in ("steel", "vanadium", "titanium")]
        self.occupation = weighted([(code, weight) for sector in sectors for code, weight in sector.occupations
                                    if code in names])
        self.occupation_names = names
        local = [(code, weight * 6) for code, weight in catalogue.PANZHIHUA_BIRTHPLACES]
        elsewhere = [pair for pair in catalogue.SICHUAN_BIRTHPLACES if known_division(pair[0])]
        self.division = weighted([pair for pair in local + elsewhere if known_division(pair[0])])
        self.surname = weighted(catalogue.SURNAMES)
        self.male_given, self.female_given = catalogue.MALE_GIVEN, catalogue.FEMALE_GIVEN
        self.mobile_prefixes = catalogue.MOBILE_PREFIXES
        self.issuers = (*catalogue.CERTIFICATE_ISSUERS, catalogue.PANGANG_ISSUER)
        self.education = weighted([("初中", 12), ("高中", 18), ("中专/技工学校", 30), ("大专/高职", 25), ("本科", 13),
                                   ("研究生", 2)])
        self.political = weighted([("群众", 68), ("中共党员", 19), ("共青团员", 10), ("中共预备党员", 1),
                                   ("民主党派", 2)])
        self.level = weighted([("五级/初级工", 22), ("四级/中级工", 35), ("三级/高级工", 28), ("二级/技师", 11),
                               ("一级/高级技师", 4)])
        self.seen: set[str] = set()
        self.count = 0

    def _date_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randrange(max(1, (last - first).days + 1)))

    def row(self) -> dict[str, object]:
        rng = self.rng
        self.count += 1
        gender = "M" if rng.random() < 0.8 else "F"
        age = min(59, max(18, round(rng.gauss(41, 9))))
        birth = datetime.date(REFERENCE_DAY.year - age, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        while True:
            id_number = self.random_id_number(rng, division_code=self.division(rng), birth_date=birth, gender=gender)
            if id_number not in self.seen:
                self.seen.add(id_number)
                break
        given = self.male_given if gender == "M" else self.female_given
        name = self.surname(rng) + "".join(rng.choice(given) for _ in range(1 if rng.random() < 0.35 else 2))
        adult = datetime.date(birth.year + 18, birth.month, min(birth.day, 28))
        start = self._date_between(max(adult, datetime.date(1988, 1, 1)), REFERENCE_DAY - datetime.timedelta(30))
        code = self.occupation(rng)
        row: dict[str, object] = {
            "name": name, "id_number": id_number, "gender": "男" if gender == "M" else "女", "birth_date": birth,
            "phone": rng.choice(self.mobile_prefixes) + f"{rng.randrange(10**8):08d}" if rng.random() < 0.93 else "",
            "hukou_type": "农村户口" if rng.random() < 0.3 else "城镇户口",
            "education": self.education(rng), "political_status": self.political(rng),
            "new_employment_group": "", "employer_uscc": EMPLOYER_USCC,
            "occupation": code if rng.random() < 0.7 else f"{code} {self.occupation_names[code]}",
            "start_date": start, "end_date": "",
            "is_dispatched": "是" if rng.random() < 0.04 else "否",
        }
        if rng.random() < 0.03:
            row["end_date"] = self._date_between(start, REFERENCE_DAY)
        kind = rng.random()
        if kind < 0.55:
            contract_start = self._date_between(start, REFERENCE_DAY - datetime.timedelta(400))
            contract_start = max(start, contract_start)
            row.update(is_contract_signed="是", contract_type="固定期限", contract_start=contract_start,
                       contract_end=contract_start + datetime.timedelta(days=365 * rng.choice((3, 5)) - 1))
        elif kind < 0.96:
            row.update(is_contract_signed="是", contract_type="无固定期限", contract_start=start, contract_end="")
        else:
            row.update(is_contract_signed="否", contract_type="", contract_start="", contract_end="")
        row["union_joined_on"] = (
            self._date_between(start, min(REFERENCE_DAY, start + datetime.timedelta(365)))
            if rng.random() < 0.7 else "")
        row["is_union_member"] = "是" if row["union_joined_on"] else "否"  # as HR rosters say it (issue 14)
        if rng.random() < 0.4:
            row.update(skill_level=self.level(rng), certificate_number=f"P{self.count:09d}",
                       certificate_issuer=rng.choice(self.issuers),
                       certificate_issued_on=self._date_between(start, REFERENCE_DAY))
        else:
            row.update(skill_level="", certificate_number="", certificate_issuer="", certificate_issued_on="")
        return row

    def cells(self, row: dict[str, object]) -> list[object]:
        return [row[key] for key in self.keys]


class CsvOut:
    """A UTF-8 (BOM) CSV; most dates ISO, a few as people type them (2019/3/1, 2019年3月1日)."""

    def __init__(self, path: Path, headers: list[str], seed: int):
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow(headers)
        self.rng = random.Random(seed + 1)

    def _text(self, value: object) -> object:
        if type(value) is not datetime.date:
            return value
        style = self.rng.random()
        if style < 0.9:
            return value.isoformat()
        if style < 0.95:
            return f"{value.year}/{value.month}/{value.day}"
        return f"{value.year}年{value.month}月{value.day}日"

    def write(self, cells: list[object]) -> None:
        self.writer.writerow([self._text(value) for value in cells])

    def close(self) -> None:
        self.file.close()


class XlsxOut:
    """An .xlsx as Excel users make it: text ID numbers and phones, real date cells (yyyy-mm-dd)."""

    def __init__(self, path: Path, headers: list[str]):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.sheet = self.book.add_worksheet("花名册")
        self.date_format = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.sheet.write_row(0, 0, headers)
        self.number = 0

    def write(self, cells: list[object]) -> None:
        self.number += 1
        for column, value in enumerate(cells):
            if value == "":
                continue
            if type(value) is datetime.date:
                self.sheet.write_datetime(self.number, column, value, self.date_format)
            else:
                self.sheet.write_string(self.number, column, value)

    def close(self) -> None:
        self.book.close()


def roster_paths(rows: int, seed: int, fmt: str, sample: int = 0) -> Path:
    """The roster of ``rows`` rows, or its first ``sample`` rows."""
    return WORK / (f"roster-{rows}-{seed}-first-{sample}.{fmt}" if sample else f"roster-{rows}-{seed}.{fmt}")


def generate_rosters(rows: int, seed: int, formats: list[str], sample: int) -> None:
    """Write the roster in ``formats`` and, for the baseline, its first ``sample`` rows as CSV and .xlsx
    (the same rows); files already there are kept (they are deterministic)."""
    WORK.mkdir(parents=True, exist_ok=True)
    wanted = [(roster_paths(rows, seed, fmt), fmt, rows) for fmt in formats]
    if sample:
        wanted += [(roster_paths(rows, seed, fmt, sample), fmt, sample) for fmt in ("csv", "xlsx")]
    missing = [item for item in wanted if not item[0].exists()]
    if not missing:
        return
    started = time.perf_counter()
    generator = RosterGenerator(seed)
    outputs = []
    for path, fmt, count in missing:
        partial = path.with_suffix(".part" + path.suffix)
        out = CsvOut(partial, generator.headers, seed) if fmt == "csv" else XlsxOut(partial, generator.headers)
        outputs.append((out, count, partial, path))
    for index in range(max(count for _, count, _, _ in outputs)):
        cells = generator.cells(generator.row())
        for out, count, _, _ in outputs:
            if index < count:
                out.write(cells)
    for out, _, partial, path in outputs:
        out.close()
        partial.replace(path)
    names = ", ".join(f"{path.name} ({path.stat().st_size / 2**20:.1f} MB)" for _, _, _, path in outputs)
    print(f"generated {names} in {time.perf_counter() - started:.0f} s", flush=True)
