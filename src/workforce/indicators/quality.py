"""Data quality of the registry behind the indicators (§15 "数据准确"): per employer and per district.

- completeness: among the employer's open spells today, the share with the occupation filled, with the
  labour contract recorded (its type), with the post category (岗位类别, which the front-line figures
  count by), and whose worker has a hukou type;
- validity: the share whose contract dates are in order and whose worker is of working age (16–65);
- timeliness: the age in days of the employer's last roster (the last committed roster import, or the
  last change of one of its spells when it never imported one).

An employer's data is *good* when each completeness and validity share is at least ``GOOD_SHARE`` and its
roster is at most ``FRESH_DAYS`` old. ``coverage`` tells how much of an indicator's base lies with such
employers. Figures are cached under the registry stamp.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from workforce.indicators.engine import RegistryColumns
from workforce.registry.models import Employer, EmploymentSpell

GOOD_SHARE = 0.9
FRESH_DAYS = 180
CACHE_SECONDS = 3600


@dataclass
class Quality:
    """Quality counts of one employer or district (``records`` open spells)."""

    key: str
    label: str
    records: int = 0
    occupation: int = 0
    contract: int = 0
    post: int = 0
    hukou: int = 0
    valid: int = 0
    last_roster: datetime.date | None = None
    employers: int = 1

    def share(self, count: int) -> float | None:
        return round(100 * count / self.records, 1) if self.records else None

    @property
    def occupation_share(self):
        return self.share(self.occupation)

    @property
    def contract_share(self):
        return self.share(self.contract)

    @property
    def post_share(self):
        return self.share(self.post)

    @property
    def hukou_share(self):
        return self.share(self.hukou)

    @property
    def valid_share(self):
        return self.share(self.valid)

    @property
    def roster_age(self) -> int | None:
        return self.roster_age_on(timezone.localdate())

    def roster_age_on(self, today: datetime.date) -> int | None:
        return (today - self.last_roster).days if self.last_roster else None

    @property
    def is_good(self) -> bool:
        return self.is_good_on(timezone.localdate())

    def is_good_on(self, today: datetime.date) -> bool:
        """Good data on ``today`` (loops over thousands of employers pass the day, read once)."""
        if not self.records:
            return False
        shares = (self.occupation, self.contract, self.post, self.hukou, self.valid)
        age = self.roster_age_on(today)
        return age is not None and age <= FRESH_DAYS and all(count >= GOOD_SHARE * self.records for count in shares)


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def employer_quality(stamp: tuple) -> dict[int, Quality]:
    """Quality of every employer with open spells today, by employer id (two grouped queries)."""
    today = timezone.localdate()
    key = "indicators:quality:" + hashlib.sha1(repr((stamp, today)).encode(), usedforsecurity=False).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    working_age = Q(worker__birth_date__lte=_years_ago(today, 16), worker__birth_date__gt=_years_ago(today, 66))
    dates_in_order = (Q(contract_start__isnull=True) | Q(contract_end__isnull=True)
                      | Q(contract_end__gte=F("contract_start")))
    rows = (EmploymentSpell.objects.on(today).filter(worker__is_active=True).order_by().values("employer_id")
            .annotate(records=Count("id"), occupation=Count("id", filter=Q(occupation__isnull=False)),
                      contract=Count("id", filter=~Q(contract_type="")),
                      post=Count("id", filter=~Q(post_category="")),
                      hukou=Count("id", filter=~Q(worker__hukou_type="")),
                      valid=Count("id", filter=working_age & dates_in_order),
                      changed=Max("updated_at")))
    result = {}
    for row in rows:
        result[row["employer_id"]] = Quality(
            str(row["employer_id"]), "", row["records"], occupation=row["occupation"], contract=row["contract"],
            post=row["post"], hukou=row["hukou"], valid=row["valid"],
            last_roster=timezone.localtime(row["changed"]).date() if row["changed"] else None)
    from workforce.imports.choices import ImportStatus
    from workforce.imports.models import RosterImport

    rosters = (RosterImport.objects.filter(status=ImportStatus.COMMITTED, employer__isnull=False).order_by()
               .values("employer_id").annotate(last=Max("committed_at")))
    for row in rosters:
        quality = result.get(row["employer_id"])
        if quality and row["last"]:
            quality.last_roster = timezone.localtime(row["last"]).date()
    names = dict(Employer.objects.filter(pk__in=list(result)).values_list("pk", "name"))
    for employer_id, quality in result.items():
        quality.label = names.get(employer_id, "")
    cache.set(key, result, CACHE_SECONDS)
    return result


def by_district(qualities: dict[int, Quality], district_of: dict[int, str],
                names: dict[str, str]) -> list[Quality]:
    """The employers' quality summed by district (the roster age is the median of its employers')."""
    totals = {code: Quality(code, name, employers=0) for code, name in names.items()}
    ages: dict[str, list[int]] = {code: [] for code in names}
    today = timezone.localdate()
    for employer_id, quality in qualities.items():
        total = totals.get(district_of.get(employer_id, ""))
        if total is None:
            continue
        total.employers += 1
        for field in ("records", "occupation", "contract", "post", "hukou", "valid"):
            setattr(total, field, getattr(total, field) + getattr(quality, field))
        age = quality.roster_age_on(today)
        if age is not None:
            ages[total.key].append(age)
    for code, total in totals.items():
        if ages[code]:
            total.last_roster = today - datetime.timedelta(days=int(np.median(ages[code])))
    return list(totals.values())


def good_employers(columns: RegistryColumns, qualities: dict[int, Quality]) -> np.ndarray:
    """A flag per employer (engine order): its data is good."""
    flags = np.zeros(columns.employer_count, dtype=bool)
    today = timezone.localdate()
    good = [employer_id for employer_id, quality in qualities.items() if quality.is_good_on(today)]
    if good:
        positions = np.searchsorted(columns.employer_ids, np.array(good, dtype=np.int64))
        flags[positions] = True
    return flags


def coverage(counts: np.ndarray, good: np.ndarray) -> float | None:
    """The share (percent) of an indicator's base (denominators per employer) at employers with good data."""
    total = int(counts[1].sum())  # with the people outside any employer, when counted (at no good employer)
    return round(100 * int(counts[1][:len(good)][good].sum()) / total, 1) if total else None
