"""The pure half of the demo data: plans of Panzhihua's employers and workers with their history.

From a ``random.Random`` and a date, ``plan_employers`` and ``WorkerPlanner`` draw plain Python objects:
employers with their governance facts, workers with their spells, certificates, union membership and
attribute facts, and the summary columns the services would store for them. Nothing here touches the
database; ``generate.generate`` writes these plans. The same seed and the same day give the same plans.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from workforce.core.identifiers import random_id_number, random_uscc
from workforce.demo.registry.catalogue import (
    ANCHORS,
    CERTIFICATE_ISSUERS,
    DISTRICT_FULL_NAMES,
    EDUCATION_ORDER,
    EDUCATION_PROFILES,
    FEMALE_GIVEN,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    NEW_EMPLOYMENT_OCCUPATIONS,
    NON_PROFIT_SUFFIXES,
    OCCUPATION_MALE_SHARE,
    OLD_CITY_BORN_BEFORE,
    OLD_CITY_CODE,
    PANGANG_ISSUER,
    PANZHIHUA_BIRTHPLACES,
    QUALIFICATION_ISSUER,
    ROADS,
    SECTORS,
    SICHUAN_BIRTHPLACES,
    SMALL_FIRM_DISTRICT_WEIGHTS,
    SMALL_FIRM_OWNERSHIP,
    SMALL_FIRM_PREFIX,
    SURNAMES,
    TRADE_NAMES,
    YI_COUNTIES,
    YI_FEMALE_GIVEN,
    YI_MALE_GIVEN,
    YI_SURNAMES,
    Sector,
    rural_probability,
)
from workforce.registry.choices import (
    CertificateKind,
    ContractType,
    Education,
    EmployerFactKind,
    Gender,
    HukouType,
    Ownership,
    PoliticalStatus,
    PostCategory,
    WorkerFactKind,
)

HISTORY_START = datetime.date(2015, 1, 1)  # job changes and certificates are spread from here to today
FACTS_START = datetime.date(2010, 1, 1)  # employers' governance facts begin from here
MIN_EMPLOYERS = 60
WORKERS_PER_EMPLOYER = 100
YEAR = 365.2425
DAY = datetime.timedelta(days=1)

# Best certificate level of a holder: level 3 and above (high-skilled) is about 30% (§I.2: 28.9% → 31.6%).
BEST_LEVEL_WEIGHTS = ((1, 2), (2, 6), (3, 22), (4, 38), (5, 32))
EDUCATION_YEARS = {Education.PRIMARY: 0, Education.JUNIOR: 0, Education.SENIOR: 1, Education.VOCATIONAL: 1,
                   Education.COLLEGE: 3, Education.BACHELOR: 4, Education.POSTGRADUATE: 7}
EDUCATION_UPGRADE = {Education.COLLEGE: Education.SENIOR, Education.BACHELOR: Education.COLLEGE,
                     Education.VOCATIONAL: Education.JUNIOR}
TASK_BASED_SECTORS = frozenset({"construction", "civil_engineering", "installation", "decoration"})
# Shares of workers whose roster left the political status blank (not stated): state employers keep fuller records.
UNSTATED_STATE, UNSTATED_OTHER = 0.015, 0.04
GIG_SECTORS = ("delivery_platform", "retail", "domestic", "catering", "courier")


class _Choice:
    """A weighted choice drawn with one ``random()`` call (``random.choices`` is slower per draw)."""

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _between(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    """A uniformly random day in [low, high]."""
    return low + datetime.timedelta(days=rng.randint(0, max((high - low).days, 0)))


def _years(years: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(years * YEAR))


# ------------------------------------------------------------------------------------------ employers


@dataclass
class EmployerPlan:
    """An employer to create, with its governance facts and how it employs its staff."""

    index: int
    name: str
    uscc: str
    district: str
    sector: Sector
    industry: str
    ownership: str
    is_above_scale: bool
    address: str
    weight: float  # share of the workers (relative)
    is_pangang: bool = False
    facts: list[tuple[str, bool, datetime.date, datetime.date | None]] = field(default_factory=list)
    union_since: datetime.date | None = None
    join_rate: float = 0.0
    contract_rate: float = 0.9
    dispatch_rate: float = 0.01
    pk: int | None = None

    @property
    def is_state(self) -> bool:
        return self.ownership in Ownership.state()


def _uscc(rng: random.Random, district: str, ownership: str, registered_as: str, sector: Sector) -> str:
    """A valid USCC whose registration-authority and type characters fit the kind of organisation
    (``registered_as``: those two characters, when given)."""
    if registered_as:
        first, second = registered_as
    elif sector.key == "agriculture" and ownership == Ownership.COLLECTIVE:
        first, second = "9", "3"  # 农民专业合作社
    elif ownership == Ownership.INDIVIDUAL:
        first, second = "9", "2"  # 个体工商户
    else:
        first, second = "9", "1"  # 企业
    return random_uscc(rng, division_code=district, first=first, second=second)


def _address(rng: random.Random, district: str) -> str:
    return f"{DISTRICT_FULL_NAMES[district]}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def _governance(rng: random.Random, employer: EmployerPlan, expected_size: float, today: datetime.date) -> None:
    """Draw the union, workers' congress, disclosure and collective-contract facts of ``employer``.

    Nearly all state enterprises have them all, a few do not, so that the targets of §I.2
    have something to find; private firms have fewer, and small ones join a joint union at most.
    """
    state, big = employer.is_state, expected_size >= 100
    if employer.ownership == Ownership.INDIVIDUAL:
        union_rate, independent_rate = 0.2, 0.0
    elif state:
        union_rate, independent_rate = 0.985, 0.97
    elif employer.is_above_scale or big:
        union_rate, independent_rate = 0.88, 0.88
    elif expected_size >= 25:
        union_rate, independent_rate = 0.7, 0.4
    else:
        union_rate, independent_rate = 0.55, 0.08
    latest = today - datetime.timedelta(days=60)
    if rng.random() < union_rate:
        since = _between(rng, FACTS_START, datetime.date(2014, 12, 31) if state else latest)
        independent = rng.random() < independent_rate
        if independent and not state and rng.random() < 0.15 and since < latest - _years(2):
            # First part of a joint union (联合工会), later an independent one (单独建制).
            switch = _between(rng, since + _years(1), latest)
            employer.facts.append((EmployerFactKind.UNION, False, since, switch - DAY))
            employer.facts.append((EmployerFactKind.UNION, True, switch, None))
        else:
            employer.facts.append((EmployerFactKind.UNION, independent, since, None))
        employer.union_since = since
        employer.join_rate = 0.97 if state else (0.85 if independent else 0.7)
    if state:
        congress, disclosure = rng.random() < 0.96, rng.random() < 0.95
    elif employer.is_above_scale:
        congress, disclosure = rng.random() < 0.5, rng.random() < 0.45
    else:
        congress, disclosure = rng.random() < 0.08, rng.random() < 0.08
    for kind, present in ((EmployerFactKind.WORKERS_CONGRESS, congress),
                          (EmployerFactKind.AFFAIRS_DISCLOSURE, disclosure)):
        if present:
            end = datetime.date(2018, 12, 31) if state else latest
            employer.facts.append((kind, False, _between(rng, FACTS_START, end), None))
    contract_rate = 0.9 if state or employer.is_above_scale else (0.3 if employer.union_since else 0.0)
    earliest = max(datetime.date(2011, 1, 1), employer.union_since or FACTS_START)
    if rng.random() < contract_rate and earliest <= latest:
        # Three-year collective contracts renewed back to back; a few lapse.
        # The bargaining mechanism from the first round (a month before the first contract) to the last
        # contract's end when they lapse; a round before each contract.
        start = _between(rng, earliest, latest)
        lapses = rng.random() < 0.08
        established, end = start - datetime.timedelta(days=30), None
        while start <= today:
            end = start + _years(3) - DAY
            employer.facts.append((EmployerFactKind.BARGAINING_ROUND, False, start - datetime.timedelta(days=30),
                                   start - datetime.timedelta(days=30)))
            employer.facts.append((EmployerFactKind.COLLECTIVE_CONTRACT, False, start, end))
            if lapses and end < today and rng.random() < 0.5:
                break
            start = end + DAY
        employer.facts.append((EmployerFactKind.COLLECTIVE_BARGAINING, False, established,
                               end if end is not None and end < today else None))


def _capped_shares(sizes: list[float], total: float) -> list[float]:
    """Scale ``sizes`` to add up to ``total`` with no share above three times the mean (or 0.8%):
    with few employers (small runs) no small firm outgrows Pangang's companies."""
    if not sizes:
        return []
    cap = max(3 * total / len(sizes), 0.8)
    capped: set[int] = set()
    while True:
        free = [i for i in range(len(sizes)) if i not in capped]
        scale = (total - cap * len(capped)) / sum(sizes[i] for i in free)
        over = {i for i in free if sizes[i] * scale > cap}
        if not over:
            return [cap if i in capped else sizes[i] * scale for i in range(len(sizes))]
        capped |= over


def plan_employers(rng: random.Random, workers: int, today: datetime.date) -> list[EmployerPlan]:
    """About one employer per hundred workers (at least ``MIN_EMPLOYERS``): Pangang's companies and the
    city's other large employers, then hundreds of small firms of a few to a few hundred staff."""
    count = max(MIN_EMPLOYERS, workers // WORKERS_PER_EMPLOYER)
    plans: list[EmployerPlan] = []
    usccs: set[str] = set()

    def unique_uscc(*args) -> str:
        while True:
            code = _uscc(rng, *args)
            if code not in usccs:
                usccs.add(code)
                return code

    for anchor in ANCHORS:
        sector = SECTORS[anchor.sector]
        plans.append(EmployerPlan(
            index=len(plans), name=anchor.name,
            uscc=unique_uscc(anchor.district, anchor.ownership, anchor.registered_as, sector),
            district=anchor.district, sector=sector, industry=anchor.industry or sector.industry,
            ownership=anchor.ownership, is_above_scale=anchor.is_above_scale,
            address=_address(rng, anchor.district), weight=anchor.share, is_pangang=anchor.pangang,
        ))
    anchor_share = sum(anchor.share for anchor in ANCHORS)
    small_sectors = _Choice([(sector, sector.small_weight) for sector in SECTORS.values() if sector.small_weight])
    ownerships = _Choice(SMALL_FIRM_OWNERSHIP)
    names = {plan.name for plan in plans}
    small: list[tuple[EmployerPlan, float]] = []
    for _ in range(count - len(plans)):
        sector = small_sectors(rng)
        districts = sector.districts or tuple(SMALL_FIRM_DISTRICT_WEIGHTS)
        district = _Choice([(code, SMALL_FIRM_DISTRICT_WEIGHTS[code]) for code in districts])(rng)
        ownership = Ownership.COLLECTIVE if sector.key == "agriculture" and rng.random() < 0.5 else ownerships(rng)
        suffix = rng.choice(sector.suffixes)
        name = f"{SMALL_FIRM_PREFIX[district]}{rng.choice(TRADE_NAMES)}{suffix}"
        if ownership == Ownership.INDIVIDUAL:
            name = name.replace("有限公司", "经营部")
        for number in itertools.count(2):
            if name not in names:
                break
            name = f"{SMALL_FIRM_PREFIX[district]}{rng.choice(TRADE_NAMES)}{number}{suffix}"
        names.add(name)
        # Log-normal sizes, capped at about six times the mean; individual businesses (个体) stay tiny.
        size = min(rng.lognormvariate(0, 1.0), 10.0)
        if ownership == Ownership.INDIVIDUAL:
            size = min(size, 0.15)
        registered_as = "52" if suffix in NON_PROFIT_SUFFIXES else ""
        plan = EmployerPlan(
            index=len(plans), name=name, uscc=unique_uscc(district, ownership, registered_as, sector),
            district=district, sector=sector, industry=sector.industry, ownership=ownership,
            is_above_scale=False, address=_address(rng, district), weight=size,
        )
        plans.append(plan)
        small.append((plan, size))
    shares = _capped_shares([size for _plan, size in small], 100 - anchor_share)
    for (plan, _size), share in zip(small, shares, strict=True):
        plan.weight = share
    for plan in plans:
        expected = plan.weight / 100 * workers
        if plan.index >= len(ANCHORS):
            plan.is_above_scale = expected >= 120 and plan.ownership != Ownership.INDIVIDUAL
        _governance(rng, plan, expected, today)
        if plan.is_state:
            plan.contract_rate, plan.dispatch_rate = 0.985, 0.05
        elif plan.ownership == Ownership.INDIVIDUAL:
            plan.contract_rate = plan.sector.contract_rate * 0.7
        elif plan.is_above_scale:
            plan.contract_rate, plan.dispatch_rate = max(plan.sector.contract_rate, 0.95), 0.03
        else:
            plan.contract_rate = plan.sector.contract_rate
    return plans


# ------------------------------------------------------------------------------------------ workers


@dataclass
class ContractPlan:
    """One labour contract of a spell (decision 0020); no start: signed, dates unknown."""

    kind: str
    start: datetime.date | None
    end: datetime.date | None = None


@dataclass
class SpellPlan:
    employer: EmployerPlan
    occupation: str | None
    start: datetime.date
    end: datetime.date | None = None
    is_contract_signed: bool = False
    contract_type: str = ""
    contract_start: datetime.date | None = None
    contract_end: datetime.date | None = None
    is_dispatched: bool = False
    contracts: list[ContractPlan] = field(default_factory=list)

    def keep_latest(self) -> None:
        """The spell's contract columns from its latest contract, as ``services.contracts`` keeps them."""
        latest = self.contracts[-1] if self.contracts else None
        self.is_contract_signed = latest is not None
        self.contract_type = latest.kind if latest else ""
        self.contract_start = latest.start if latest else None
        self.contract_end = latest.end if latest else None

    def post_category(self, key: str) -> str:
        """The post category its roster reported (issue 16), decided by the occupation's major group (大类: 1
        负责人 and 3 办事人员 are management, 2 professional and technical, 4–6 the front line, a few of whom lead a
        team as managers) and by ``key`` (the worker's), not by the generator's random stream, so adding it
        changed no other value. About one open spell in twelve, and four in ten ended before 2020, have none:
        rosters had no such column before."""
        draw = zlib.crc32(f"{key}{self.start}".encode()) % 100
        if self.occupation is None or draw < (40 if self.end and self.end.year < 2020 else 8):
            return PostCategory.UNKNOWN
        group = self.occupation[0]
        if group == "2":
            return PostCategory.TECHNICAL
        if group in "13" or draw >= 96:
            return PostCategory.MANAGEMENT
        return PostCategory.FRONT_LINE


@dataclass
class CertificatePlan:
    kind: str
    occupation: str | None
    level: int | None
    number: str
    issuer: str
    issued_on: datetime.date
    valid_until: datetime.date | None = None


@dataclass
class WorkerPlan:
    """A worker with their whole history; ``spells`` are in the order they are inserted (by start)."""

    id_number: str
    name: str
    birth_date: datetime.date
    gender: str
    phone: str
    hukou_type: str
    education: str
    political_status: str
    new_employment_group: str
    spells: list[SpellPlan]
    certificates: list[CertificatePlan]
    memberships: list[tuple[EmployerPlan | None, datetime.date, datetime.date | None]]
    facts: list[tuple[str, str, datetime.date, datetime.date | None]]

    def open_spells(self, on: datetime.date) -> list[SpellPlan]:
        return [spell for spell in self.spells if spell.start <= on and (spell.end is None or spell.end >= on)]

    def is_union_member(self, on: datetime.date) -> bool:
        return any(start <= on and (end is None or end >= on) for _e, start, end in self.memberships)

    def current_columns(self, on: datetime.date, sections: dict[str, str]) -> dict:
        """The ``Worker`` summary columns exactly as ``services.facts.current_facts`` computes them."""
        open_spells = self.open_spells(on)
        # The latest start wins; ties go to the later row, as ``order_by("-start_date", "-id")``.
        main = max(reversed(open_spells), key=lambda spell: spell.start) if open_spells else None
        levels = [c.level for c in self.certificates if c.level is not None and c.issued_on <= on
                  and (c.valid_until is None or c.valid_until >= on)]
        if main:
            district = main.employer.district
        else:
            last = max(reversed(self.spells), key=lambda spell: spell.end) if self.spells else None
            district = last.employer.district if last else None
        return {
            "current_employer_id": main.employer.pk if main else None,
            "current_industry_section": sections[main.employer.industry] if main else "",
            "current_occupation_id": main.occupation if main else None,
            "current_skill_level": min(levels, default=None),
            "has_signed_contract": any(spell.is_contract_signed for spell in open_spells),
            "district_id": district,
        }


class WorkerPlanner:
    """Draws workers one after another from one random stream (so the sequence is reproducible)."""

    def __init__(self, rng: random.Random, employers: list[EmployerPlan], today: datetime.date):
        self.rng = rng
        self.today = today
        self.employers = _Choice([(plan, plan.weight) for plan in employers])
        by_sector: dict[str, list[EmployerPlan]] = {}
        for plan in employers:
            by_sector.setdefault(plan.sector.key, []).append(plan)
        self.by_sector = {key: _Choice([(plan, plan.weight) for plan in plans]) for key, plans in by_sector.items()}
        self.gig = _Choice([(plan, plan.weight) for plan in employers if plan.sector.key in GIG_SECTORS])
        self.occupations = {key: _Choice(sector.occupations) for key, sector in SECTORS.items()}
        self.education = {key: _Choice(list(zip(EDUCATION_ORDER, weights, strict=True)))
                          for key, weights in EDUCATION_PROFILES.items()}
        self.panzhihua = _Choice(PANZHIHUA_BIRTHPLACES)
        self.sichuan = _Choice(SICHUAN_BIRTHPLACES)
        self.surnames = _Choice(SURNAMES)
        self.levels = _Choice(BEST_LEVEL_WEIGHTS)
        self.seen_ids: set[int] = set()
        self.recent: list[tuple[str, datetime.date, str, str]] = []  # (name, birth, gender, division)
        self.recent_phones: list[str] = []
        self.serial = 0

    # -- identity

    def _name(self, gender: str, division: str) -> str:
        rng = self.rng
        if division in YI_COUNTIES and rng.random() < 0.7:
            return rng.choice(YI_SURNAMES) + rng.choice(YI_MALE_GIVEN if gender == Gender.MALE else YI_FEMALE_GIVEN)
        chars = MALE_GIVEN if gender == Gender.MALE else FEMALE_GIVEN
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return self.surnames(rng) + given

    def _phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        if self.recent_phones and rng.random() < 0.005:  # family members sharing one phone
            return rng.choice(self.recent_phones)
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        self.recent_phones = [*self.recent_phones[-49:], phone]
        return phone

    def _id_number(self, division: str, birth: datetime.date, gender: str) -> str:
        while True:
            number = random_id_number(self.rng, division_code=division, birth_date=birth, gender=gender)
            key = int(number[:17])
            if key not in self.seen_ids:
                self.seen_ids.add(key)
                return number

    def _birthplace(self, sector: Sector, birth: datetime.date) -> str:
        rng = self.rng
        if rng.random() >= sector.local_share:
            return self.sichuan(rng)
        code = self.panzhihua(rng)
        if code in ("510402", "510403") and birth.year < OLD_CITY_BORN_BEFORE and rng.random() < 0.4:
            code = OLD_CITY_CODE
        return code

    def _age(self, sector: Sector, gender: str) -> float:
        top = 59.9 if gender == Gender.MALE else 54.9
        while True:
            age = self.rng.gauss(sector.mean_age, sector.age_spread)
            if 18.05 <= age <= top:
                return age

    def _education(self, sector: Sector, age: float) -> str:
        rng = self.rng
        education = self.education[sector.education](rng)
        if age < 30 and education in (Education.PRIMARY, Education.JUNIOR) and rng.random() < 0.5:
            education = Education.VOCATIONAL
        while EDUCATION_YEARS[education] > max(age - 18.2, 0):
            education = Education.SENIOR if EDUCATION_YEARS[education] > 1 else Education.JUNIOR
        return education

    def _political_status(self, employer: EmployerPlan, age: float) -> str:
        """A status drawn by employer and age; blank (not stated) for a small share (``UNSTATED_*``)."""
        rng = self.rng
        draw = rng.random()
        member_rate = 0.17 if employer.is_state else (0.1 if employer.sector.key == "hospital" else 0.05)
        if draw < member_rate:
            return PoliticalStatus.CPC_MEMBER
        if draw < member_rate + 0.005:
            return PoliticalStatus.CPC_PROBATIONARY
        if draw < member_rate + 0.008:
            return PoliticalStatus.OTHER_PARTY
        if age <= 28 and rng.random() < (0.3 if employer.is_state else 0.12):
            return PoliticalStatus.CYL_MEMBER
        # Some rosters leave it blank (issue 15): not stated, stored blank, more often in private firms. Drawn
        # from the same number, so the rest of the demo's random stream is what it was.
        if draw >= 1 - (UNSTATED_STATE if employer.is_state else UNSTATED_OTHER):
            return ""
        return PoliticalStatus.MASSES

    # -- history

    def _pick_previous(self, following: EmployerPlan) -> EmployerPlan:
        rng = self.rng
        for _ in range(20):
            same_sector = rng.random() < 0.5
            candidate = self.by_sector[following.sector.key](rng) if same_sector else self.employers(rng)
            if candidate is not following:
                return candidate
        return following  # a sector with one employer and bad luck: a re-hire, in a separate spell

    def _occupation(self, sector: Sector) -> str | None:
        return None if self.rng.random() < 0.02 else self.occupations[sector.key](self.rng)

    def _contract(self, spell: SpellPlan) -> None:
        """The spell's labour contracts over time (decision 0020): fixed-term contracts renewed, most back to back
        and some a few weeks late (unsigned in between), a first one signed a month or two after hiring; after two
        fixed terms (Labour Contract Law art. 14) many change to open-ended, as do state staff after ten years;
        task-based contracts for the spell; about one in forty with dates unknown (a roster that said only
        "signed"). The history's own draws come from the spell (``zlib.crc32``), not the generator's stream, so
        adding it changed no other value."""
        rng, employer = self.rng, spell.employer
        spell.is_dispatched = rng.random() < employer.dispatch_rate
        if not (spell.is_dispatched or rng.random() < employer.contract_rate):
            return
        reference = spell.end or self.today
        tenure = (reference - spell.start).days
        own = random.Random(zlib.crc32(f"{employer.index}{spell.start}{spell.occupation}".encode()))
        if own.random() < 0.025:
            spell.contracts = [ContractPlan("", None)]  # a roster said only "signed": no type, no dates
        elif employer.is_state and not spell.is_dispatched and tenure > 10 * YEAR and rng.random() < 0.8:
            # After ten years (Labour Contract Law art. 14) most state staff hold open-ended contracts.
            change = spell.start + _years(10)
            spell.contracts = [*self._fixed_terms(own, spell.start, change - datetime.timedelta(days=1),
                                                  round(3 * YEAR), renewals=None),
                               ContractPlan(ContractType.OPEN_ENDED, change)]
        elif employer.sector.key in TASK_BASED_SECTORS and not employer.is_state and rng.random() < 0.3:
            spell.contracts = [ContractPlan(ContractType.TASK_BASED, spell.start, spell.end)]
        else:
            term = round((3 if employer.is_state or rng.random() < 0.7 else 1) * YEAR)
            first = spell.start + datetime.timedelta(days=own.choice((0, 0, 0, 0, 0, 0, 0, 0, 30, 61)))
            spell.contracts = self._fixed_terms(own, first, reference, term, renewals=2)
        spell.keep_latest()

    @staticmethod
    def _fixed_terms(own: random.Random, start: datetime.date, until: datetime.date, term: int,
                     renewals: int | None) -> list[ContractPlan]:
        """Fixed-term contracts of ``term`` days from ``start`` while they start by ``until`` (a state worker's
        run ends at ``until``); after ``renewals`` terms, six in ten change to open-ended."""
        contracts: list[ContractPlan] = []
        while start <= until:
            if renewals is not None and len(contracts) >= renewals and own.random() < 0.6:
                contracts.append(ContractPlan(ContractType.OPEN_ENDED, start))
                break
            end = start + datetime.timedelta(days=term - 1)
            if renewals is None:
                end = min(end, until)
            contracts.append(ContractPlan(ContractType.FIXED_TERM, start, end))
            start = end + datetime.timedelta(days=1 + (own.choice((14, 30, 45)) if own.random() < 0.1 else 0))
        return contracts

    def _spells(self, primary: EmployerPlan, occupation: str | None, career_start: datetime.date) -> list[SpellPlan]:
        rng, today = self.rng, self.today
        weights = (80, 15, 5) if primary.is_state else (50, 32, 18)
        count = rng.choices((1, 2, 3), weights)[0]
        low = max(career_start + datetime.timedelta(days=180), HISTORY_START)
        high = today - datetime.timedelta(days=30)
        if (high - low).days < count:
            count = 1
        changes = sorted(rng.sample(range(low.toordinal(), high.toordinal()), count - 1)) if count > 1 else []
        employers = [primary]
        for _ in changes:
            employers.insert(0, self._pick_previous(employers[0]))
        starts = [career_start] + [datetime.date.fromordinal(day) for day in changes]
        spells = []
        for position, (employer, start) in enumerate(zip(employers, starts, strict=True)):
            if employer is primary or (employer.sector is primary.sector and rng.random() < 0.7):
                job = occupation  # people mostly keep their trade when they change jobs
            else:
                job = self._occupation(employer.sector)
            spell = SpellPlan(employer=employer, occupation=job, start=start)
            if position + 1 < len(starts):
                gap = 0 if rng.random() < 0.6 else rng.randint(1, 180)
                spell.end = max(start, starts[position + 1] - datetime.timedelta(days=1 + gap))
            spells.append(spell)
        last = spells[-1]
        if rng.random() < 0.06 and (today - last.start).days > 2:
            last.end = _between(rng, last.start, today - DAY)  # left: unemployed, retired, moved away
        elif primary.sector.key in GIG_SECTORS + ("construction", "road_freight") and rng.random() < 0.03 \
                and (today - last.start).days > 2:
            second = self.gig(rng)
            if second is not primary:  # a second, part-time job (several open spells are allowed)
                spells.append(SpellPlan(employer=second, occupation=self._occupation(second.sector),
                                        start=_between(rng, last.start + DAY, today)))
        for spell in spells:
            self._contract(spell)
        return spells

    def _certificates(self, spells: list[SpellPlan], birth: datetime.date, cert_rate: float) -> list[CertificatePlan]:
        rng, today = self.rng, self.today
        certificates: list[CertificatePlan] = []
        adult = birth + _years(18)
        skilled = [spell for spell in spells if spell.occupation and not spell.occupation.startswith("2-")]
        if skilled and rng.random() < cert_rate:
            spell = skilled[-1]
            level = self.levels(rng)
            first_year = max(HISTORY_START.year, adult.year)
            years = range(first_year, today.year + 1)
            year = rng.choices(years, [1 + 0.22 * (y - HISTORY_START.year) for y in years])[0]
            issued = min(max(_between(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31)), adult), today)
            age = (issued - birth).days / YEAR
            if (level == 1 and age < 35) or (level == 2 and age < 28):
                level = 3
            chain = [(level, issued)]
            while chain[-1][0] < 5 and rng.random() < (0.45 if len(chain) == 1 else 0.3):
                earlier = chain[-1][1] - datetime.timedelta(days=rng.randint(730, 1825))
                if earlier < max(adult, FACTS_START):
                    break
                chain.append((chain[-1][0] + 1, earlier))
            for grade, day in reversed(chain):
                certificates.append(self._certificate(spell, grade, day))
        if rng.random() < 0.03:  # special vocational ability (专项职业能力), without a level
            start = max(datetime.date(2017, 1, 1), adult)
            if start <= today:
                issued = _between(rng, start, today)
                occupation = skilled[-1].occupation if skilled else None
                certificates.append(self._certificate(None, None, issued, occupation=occupation))
        return certificates

    def _certificate(self, spell: SpellPlan | None, level: int | None, issued: datetime.date,
                     occupation: str | None = None) -> CertificatePlan:
        self.serial += 1
        if level is None:
            return CertificatePlan(CertificateKind.SPECIAL_ABILITY, occupation, None,
                                   f"ZX{issued.year}5104{self.serial:08d}", QUALIFICATION_ISSUER, issued)
        assert spell is not None
        if issued.year < 2020:  # before the 2019–2020 reform: state vocational qualification certificates
            return CertificatePlan(CertificateKind.VOCATIONAL_QUALIFICATION, spell.occupation, level,
                                   f"{issued.year}5104{level:02d}{self.serial:08d}", QUALIFICATION_ISSUER, issued)
        issuer = PANGANG_ISSUER if spell.employer.is_pangang else self.rng.choice(CERTIFICATE_ISSUERS)
        return CertificatePlan(CertificateKind.SKILL_LEVEL, spell.occupation, level,
                               f"S{issued.year}5104{level:02d}{self.serial:08d}", issuer, issued)

    def _memberships(self, spells: list[SpellPlan], group: str):
        """Members join the union of a unionised employer; riders and drivers (§3) may join their trade
        union without one. Periods never overlap."""
        rng, today = self.rng, self.today
        memberships: list[tuple[EmployerPlan | None, datetime.date, datetime.date | None]] = []
        for spell in spells:
            employer = spell.employer
            if employer.union_since is None or rng.random() >= employer.join_rate:
                continue
            start = max(spell.start, employer.union_since)
            if rng.random() < 0.7:
                start += datetime.timedelta(days=rng.randint(1, 120))
            if memberships and (memberships[-1][2] is None or memberships[-1][2] >= start):
                continue  # still a member through an earlier, overlapping job
            if start <= (spell.end or today):
                memberships.append((employer, start, spell.end))
        is_member = any(end is None or end >= today for _e, start, end in memberships)
        if group and not is_member and spells[-1].end is None and rng.random() < 0.35:
            low = max(datetime.date(2018, 1, 1), spells[-1].start,
                      (memberships[-1][2] + DAY) if memberships else datetime.date.min)
            if low <= today:
                memberships.append((None, _between(rng, low, today), None))
        return memberships

    def _fact_history(self, kind: str, value: str, facts_from: datetime.date, previous: list[str]) -> list:
        """Facts for one attribute: ``previous`` values then ``value``, changing on random later days."""
        rng, today = self.rng, self.today
        low = max(facts_from + DAY, HISTORY_START)
        if not previous or low > today:
            return [(kind, value, facts_from, None)]
        days = sorted(rng.sample(range(low.toordinal(), today.toordinal() + 1),
                                 min(len(previous), (today - low).days + 1)))
        values = previous[-len(days):] + [value]
        starts = [facts_from] + [datetime.date.fromordinal(day) for day in days]
        ends = [start - DAY for start in starts[1:]] + [None]
        return [(kind, item, start, end) for item, start, end in zip(values, starts, ends, strict=True)]

    def _facts(self, worker: WorkerPlan, initial_hukou: str, facts_from: datetime.date) -> list:
        rng = self.rng
        facts = []
        hukou_before = [HukouType.RURAL] if initial_hukou != worker.hukou_type else []
        facts += self._fact_history(WorkerFactKind.HUKOU, worker.hukou_type, facts_from, hukou_before)
        education_before = []
        if worker.education in EDUCATION_UPGRADE and rng.random() < 0.03:
            education_before = [EDUCATION_UPGRADE[worker.education]]
        facts += self._fact_history(WorkerFactKind.EDUCATION, worker.education, facts_from, education_before)
        political_before = []
        if worker.political_status == PoliticalStatus.CPC_MEMBER and rng.random() < 0.1:
            political_before = [PoliticalStatus.MASSES, PoliticalStatus.CPC_PROBATIONARY]
        elif worker.political_status == PoliticalStatus.CPC_PROBATIONARY:
            political_before = [PoliticalStatus.MASSES]
        facts += self._fact_history(WorkerFactKind.POLITICAL_STATUS, worker.political_status, facts_from,
                                    political_before)
        # The new-employment group follows the jobs: it changes when a job of another group starts.
        group_facts: list[list] = []
        for spell in worker.spells:
            group = NEW_EMPLOYMENT_OCCUPATIONS.get(spell.occupation or "", "")
            if not group_facts:
                group_facts.append([WorkerFactKind.NEW_EMPLOYMENT_GROUP, group, facts_from, None])
            elif group_facts[-1][1] != group:
                group_facts[-1][3] = spell.start - DAY
                group_facts.append([WorkerFactKind.NEW_EMPLOYMENT_GROUP, group, spell.start, None])
        facts += [tuple(fact) for fact in group_facts]
        return facts

    def _duplicate_of_recent(self) -> tuple[str, datetime.date, str, str] | None:
        """Now and then the same person (same name and birth date) is registered again under another ID
        number: a typo or an old number. The duplicate review finds these."""
        if self.recent and self.rng.random() < 0.003:
            return self.rng.choice(self.recent)
        return None

    def worker(self) -> WorkerPlan:
        """Draw the next worker with their whole history."""
        rng, today = self.rng, self.today
        primary = self.employers(rng)
        sector = primary.sector
        occupation = self._occupation(sector)
        duplicate = self._duplicate_of_recent()
        if duplicate:
            name, birth, gender, first_division = duplicate
            division = self.sichuan(rng) if first_division.startswith("5104") else self.panzhihua(rng)
            age = (today - birth).days / YEAR
        else:
            gender = Gender.MALE if rng.random() < OCCUPATION_MALE_SHARE.get(occupation or "", sector.male_share) \
                else Gender.FEMALE
            age = self._age(sector, gender)
            birth = today - datetime.timedelta(days=int(age * YEAR))
            division = self._birthplace(sector, birth)
            name = self._name(gender, division)
            self.recent = [*self.recent[-99:], (name, birth, gender, division)]
        id_number = self._id_number(division, birth, gender)
        education = self._education(sector, age)
        adult = birth + _years(18 + EDUCATION_YEARS[education])
        career_start = min(adult + datetime.timedelta(days=rng.randint(0, 3 * 365)), today)
        spells = self._spells(primary, occupation, career_start)
        rural = rng.random() < min(max(rural_probability(division) + sector.rural_shift, 0.02), 0.95)
        initial_hukou = HukouType.RURAL if rural else HukouType.URBAN
        hukou = HukouType.URBAN if rural and rng.random() < 0.05 else initial_hukou  # 农转非 during the years
        group = NEW_EMPLOYMENT_OCCUPATIONS.get(spells[-1].occupation or "", "")
        plan = WorkerPlan(
            id_number=id_number, name=name, birth_date=birth, gender=gender, phone=self._phone(),
            hukou_type=hukou, education=education, political_status=self._political_status(primary, age),
            new_employment_group=group, spells=spells,
            certificates=self._certificates(spells, birth, sector.certificate_rate),
            memberships=self._memberships(spells, group), facts=[],
        )
        plan.facts = self._facts(plan, initial_hukou, spells[0].start)
        return plan


def plan_workers(seed: int, workers: int, today: datetime.date) -> tuple[list[EmployerPlan], Iterator[WorkerPlan]]:
    """The employer plans and a lazy stream of ``workers`` worker plans for ``seed`` as of ``today``.

    Nothing touches the database: ``generate`` writes exactly these plans.
    """
    rng = random.Random(seed)
    employers = plan_employers(rng, workers, today)
    planner = WorkerPlanner(rng, employers, today)
    return employers, (planner.worker() for _ in range(workers))
