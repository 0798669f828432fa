"""``workforce demo-data``: realistic, deterministic, and exactly as the services would have stored it."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from workforce.core.changelog import masked_values, snapshot
from workforce.core.choices import Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import (
    known_division,
    mask_id_number,
    mask_phone,
    normalize_phone,
    parse_id_number,
    parse_uscc,
)
from workforce.core.models import ChangeLogEntry
from workforce.demo.registry import generate as demo
from workforce.demo.registry.catalogue import (
    ANCHORS,
    NEW_EMPLOYMENT_OCCUPATIONS,
    PANZHIHUA_BIRTHPLACES,
    SECTORS,
    SICHUAN_BIRTHPLACES,
)
from workforce.demo.registry.plans import MIN_EMPLOYERS, plan_workers
from workforce.reference.models import Industry, Occupation
from workforce.reference.services import PANZHIHUA_DISTRICTS
from workforce.registry.choices import (
    CertificateKind,
    EmployerFactKind,
    LegalPersonKind,
    PostCategory,
    WorkerFactKind,
)
from workforce.registry.legal_person import derive_legal_person_kind
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerFact,
    EmploymentSpell,
    Worker,
    WorkerFact,
)
from workforce.registry.services.contracts import contract_term_errors
from workforce.registry.services.employment import validate_spell
from workforce.registry.services.facts import current_facts, refresh_employer_headcount
from workforce.registry.union_roll import decode_roll, rolls_of


def run(workers: int, seed: int = 2018, *extra: str) -> str:
    out = StringIO()
    call_command("demo_data", "--workers", str(workers), "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the generated people and their jobs, independent of row ids."""
    rows = []
    for worker in Worker.objects.prefetch_related("spells__employer"):
        spells = sorted((spell.employer.uscc, spell.start_date, spell.end_date, spell.occupation_id or "")
                        for spell in worker.spells.all())
        rows.append(f"{worker.id_number_hash}|{worker.name}|{spells}")
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


@pytest.fixture
def generated(db):
    """1,500 workers: enough for every kind of history to occur."""
    run(1500, 11)


def test_every_code_the_generator_uses_is_in_the_reference_data(db):
    occupations = {code for sector in SECTORS.values() for code, _weight in sector.occupations}
    occupations |= set(NEW_EMPLOYMENT_OCCUPATIONS)
    assert Occupation.objects.filter(code__in=occupations).count() == len(occupations)
    industries = {sector.industry for sector in SECTORS.values()} | {a.industry for a in ANCHORS if a.industry}
    assert set(Industry.objects.filter(code__in=industries, level="division").values_list("code", flat=True)) \
        == industries


def test_every_birthplace_is_a_known_division_code():
    codes = [code for code, _weight in PANZHIHUA_BIRTHPLACES + SICHUAN_BIRTHPLACES] + ["510420"]
    assert [code for code in codes if known_division(code) is None] == []
    assert all(code.startswith("51") for code in codes)


def test_demo_data_refuses_a_registry_that_already_has_workers(personas):
    before = Worker.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        run(100)
    assert Worker.objects.count() == before
    assert Employer.objects.count() == 3


def test_demo_data_says_when_reference_data_is_missing(db):
    Occupation.objects.filter(code="6-17-02-02").delete()
    with pytest.raises(CommandError, match="workforce setup"):
        run(100)
    assert not Worker.objects.exists()


def test_replace_deletes_the_registry_and_unlinks_users(personas):
    steel_worker_hash = personas.steel_worker.id_number_hash
    output = run(200, 3, "--replace")
    assert "Deleted" in output
    assert Worker.objects.count() == 200
    assert not Worker.objects.filter(id_number_hash=steel_worker_hash).exists()
    personas.worker_user.refresh_from_db()
    personas.steel_hr.refresh_from_db()
    assert personas.worker_user.worker_id is None
    assert personas.steel_hr.employer_id is None
    old_trail = ChangeLogEntry.objects.filter(content_type__app_label="registry").exclude(note=demo.DEMO_NOTE)
    assert not old_trail.exists()


def test_employers_have_valid_codes_across_the_five_districts(generated):
    employers = list(Employer.objects.select_related("industry"))
    assert len(employers) == MIN_EMPLOYERS
    assert all(parse_uscc(employer.uscc) == employer.uscc for employer in employers)
    assert len({employer.uscc for employer in employers}) == len(employers)
    assert {employer.district_id for employer in employers} == set(PANZHIHUA_DISTRICTS)
    assert {employer.industry.level for employer in employers} == {"division"}
    pangang = [employer for employer in employers if employer.name.startswith("攀钢集团")]
    assert {employer.district_id for employer in pangang} <= {"510402", "510403", "510421"}
    assert all(employer.is_state for employer in pangang if employer.name != "攀钢集团总医院")


def test_employers_are_a_realistic_mix_of_kinds_derived_from_their_codes(generated):
    """Issue 16: public hospitals, schools and the welfare home are state-owned 事业单位 (USCC 12…, valid check
    characters), not enterprises; a private elderly-care centre is a 民办非企业单位 (52…); the rest companies."""
    employers = list(Employer.objects.all())
    kinds = {employer.name: employer.legal_person_kind for employer in employers}
    for name in ("攀枝花市中心医院", "攀枝花市第二人民医院", "攀枝花市社会福利院", "攀枝花技师学院",
                 "米易县职业技术学校"):
        assert kinds[name] == LegalPersonKind.INSTITUTION, name
    assert kinds["攀枝花市仁和区康宁养老服务中心"] == LegalPersonKind.SOCIAL_ORGANISATION
    assert kinds["攀钢集团有限公司"] == kinds["攀钢集团总医院"] == LegalPersonKind.ENTERPRISE  # a company's hospital
    for employer in employers:
        assert derive_legal_person_kind(employer.uscc).kind == employer.legal_person_kind
        assert not employer.legal_person_kind_corrected
    assert Counter(kinds.values())[LegalPersonKind.ENTERPRISE] > len(employers) * 0.8


def test_spells_carry_post_categories_with_some_unreported(generated):
    """Issue 16: most spells have the post category their occupation's group gives; some, mostly old ones, none."""
    counts = Counter(EmploymentSpell.objects.values_list("post_category", flat=True))
    total = sum(counts.values())
    assert set(counts) == set(PostCategory.values)
    assert counts[PostCategory.FRONT_LINE] > total * 0.6
    assert 0.05 * total < counts[PostCategory.UNKNOWN] < 0.35 * total
    technical = EmploymentSpell.objects.filter(occupation__code__startswith="2-").exclude(post_category="")
    assert set(technical.values_list("post_category", flat=True)) == {PostCategory.TECHNICAL}


def test_workers_have_valid_consistent_identifiers(generated):
    today = timezone.localdate()
    for worker in Worker.objects.all():
        info = parse_id_number(worker.id_number)
        assert info.warnings == ()
        assert (worker.division_code, worker.birth_date, worker.gender) == (
            info.division_code, info.birth_date, info.gender)
        assert worker.id_number_hash == lookup_hash(worker.id_number)
        assert worker.id_number_masked == mask_id_number(worker.id_number)
        assert 18 <= (today - worker.birth_date).days / 365.25 <= 60.1
        if worker.phone:
            assert normalize_phone(worker.phone) == worker.phone
            assert (worker.phone_hash, worker.phone_masked) == (lookup_hash(worker.phone), mask_phone(worker.phone))
        else:
            assert worker.phone_hash == worker.phone_masked == ""


def test_stored_summary_columns_equal_what_the_services_compute(generated):
    workers = list(Worker.objects.order_by("pk"))
    sample = random.Random(0).sample(workers, 50)
    # Also the unusual ones: two open jobs, no job, a membership without an employer.
    two_jobs = EmploymentSpell.objects.open().values("worker").annotate(n=Count("id")).filter(n__gt=1)
    unusual = set(two_jobs.values_list("worker", flat=True)[:5])
    unusual |= set(Worker.objects.filter(current_employer__isnull=True).values_list("pk", flat=True)[:5])
    unusual |= {pk for pk, roll in rolls_of(Worker.objects.all())
                if any(entry.employer_id is None for entry in decode_roll(roll))}
    assert unusual, "the sample should contain unusual histories"
    for worker in sample + list(Worker.objects.filter(pk__in=unusual)):
        expected = current_facts(worker)
        assert {key: getattr(worker, key) for key in expected} == expected, worker.pk


def test_headcount_equals_what_the_services_compute(generated):
    for employer in Employer.objects.all():
        stored = employer.headcount
        refresh_employer_headcount(employer)
        assert employer.headcount == stored, employer.name
    assert Employer.objects.filter(headcount__gt=0).count() > 40


def test_history_obeys_the_service_rules(generated):
    today = timezone.localdate()
    spells = list(EmploymentSpell.objects.select_related("worker", "employer").prefetch_related("contracts"))
    for spell in spells[:400]:
        # dates, contract consistency, no overlap at the same employer; a contract of unknown dates as a roster
        # gives it (decision 0013)
        validate_spell(spell, Channel.IMPORT if spell.is_contract_signed and not spell.contract_start else None)
    kinds = Counter()
    for spell in spells:  # each spell's contracts as the contract services would add them (decision 0020)
        contracts = list(spell.contracts.all())
        known = sorted((c for c in contracts if c.dates_known), key=lambda c: c.start_date)
        for contract in contracts:
            assert not contract_term_errors({"kind": contract.kind, "start_date": contract.start_date,
                                             "end_date": contract.end_date}, details_known=contract.dates_known)
        for earlier, later in itertools.pairwise(known):
            assert earlier.end_date is not None and earlier.end_date < later.start_date
            kinds["renewed" if later.kind == earlier.kind else "changed"] += 1
            kinds["gap"] += (later.start_date - earlier.end_date).days > 1
        kinds["unknown"] += any(not c.dates_known for c in contracts)
        kinds["unsigned"] += not contracts
        latest = known[-1] if known else (contracts[0] if contracts else None)
        assert (spell.is_contract_signed, spell.contract_start) == (
            latest is not None, latest.start_date if latest else None)
    assert all(kinds[name] > 0 for name in ("renewed", "changed", "gap", "unknown", "unsigned")), kinds
    assert all(spell.start_date <= today and (spell.end_date is None or spell.end_date < today + datetime.timedelta(1))
               for spell in spells)
    union_since = {}
    for fact in EmployerFact.objects.filter(kind=EmployerFactKind.UNION).order_by("valid_from"):
        union_since.setdefault(fact.employer_id, fact.valid_from)
    by_worker = defaultdict(list)
    for spell in spells:
        by_worker[spell.worker_id].append(spell)
    memberships = {pk: periods for pk, roll in rolls_of(Worker.objects.all()) if (periods := decode_roll(roll))}
    for worker_id, periods in memberships.items():
        for earlier, later in itertools.pairwise(periods):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from
        for membership in periods:
            if membership.employer_id is None:
                continue
            assert membership.valid_from >= union_since[membership.employer_id]
            assert any(spell.employer_id == membership.employer_id and spell.start_date <= membership.valid_from
                       and (spell.end_date is None or membership.valid_from <= spell.end_date)
                       for spell in by_worker[worker_id])
    for certificate in Certificate.objects.all():
        graded = certificate.kind != CertificateKind.SPECIAL_ABILITY
        assert (certificate.level_id is not None) == graded
        assert datetime.date(2010, 1, 1) <= certificate.issued_on <= today


def test_worker_facts_are_continuous_and_end_in_the_stored_values(generated):
    facts = defaultdict(list)
    for fact in WorkerFact.objects.order_by("valid_from"):
        facts[(fact.worker_id, fact.kind)].append(fact)
    first_start = {}
    for spell in EmploymentSpell.objects.order_by("start_date"):
        first_start.setdefault(spell.worker_id, spell.start_date)
    changed = Counter()
    for worker in Worker.objects.all():
        for kind in WorkerFactKind:
            periods = facts[(worker.pk, kind.value)]
            assert periods[0].valid_from == first_start[worker.pk]
            for earlier, later in itertools.pairwise(periods):
                assert earlier.valid_to == later.valid_from - datetime.timedelta(days=1)
                assert earlier.value != later.value
            assert periods[-1].valid_to is None
            assert periods[-1].value == getattr(worker, kind.value)
            changed[kind.value] += len(periods) > 1
    assert all(changed[kind.value] > 0 for kind in WorkerFactKind), changed


def test_one_change_log_row_per_employer_and_worker(generated):
    entries = ChangeLogEntry.objects.filter(note=demo.DEMO_NOTE, action="create", channel="system")
    assert entries.count() == Employer.objects.count() + Worker.objects.count()
    worker = Worker.objects.order_by("?").first()
    entry = entries.get(object_id=worker.pk, content_type__model="worker")
    assert entry.after == masked_values(worker, snapshot(worker))  # hukou and political status: ***
    assert entry.object_repr == str(worker)
    employer = Employer.objects.first()
    assert entries.get(object_id=employer.pk, content_type__model="employer").after == snapshot(employer)


def test_the_same_seed_gives_the_same_data(db):
    run(300, 5)
    first = digest()
    run(300, 5, "--replace")
    assert digest() == first
    _employers, plans = plan_workers(5, 300, timezone.localdate())
    assert sorted(lookup_hash(plan.id_number) for plan in plans) == sorted(
        Worker.objects.values_list("id_number_hash", flat=True))
    run(300, 6, "--replace")
    assert digest() != first


def test_the_population_looks_like_panzhihua(db):
    summary = demo.generate(3000, 2018)
    shares = summary.shares
    assert 0.26 <= shares["pangang"] <= 0.34
    assert 0.62 <= shares["men"] <= 0.78
    assert 0.35 <= shares["migrants"] <= 0.55
    assert 0.68 <= shares["union_members"] <= 0.82
    assert 0.86 <= shares["signed_contracts"] <= 0.96
    assert 0.38 <= shares["certificate_holders"] <= 0.52
    assert 0.22 <= shares["high_skilled"] <= 0.38
    workers = Worker.objects.all()
    local = workers.filter(division_code__startswith="5104").count() / 3000
    assert 0.64 <= local <= 0.78
    statuses = Counter(workers.values_list("political_status", flat=True))  # encrypted: counted decrypted
    assert 0.06 <= statuses["cpc_member"] / 3000 <= 0.15
    assert 0.01 <= statuses[""] / 3000 <= 0.05  # a small share not stated (issue 15), never taken for 群众
    assert workers.filter(division_code="510420").exists()
    groups = set(workers.exclude(new_employment_group="").values_list("new_employment_group", flat=True))
    assert len(groups) == 8  # all the §3 groups
    hukou = Counter(workers.values_list("hukou_type", flat=True))
    assert hukou["rural"] / 3000 == pytest.approx(0.45, abs=0.07)
    # Something for the duplicate review: same name and birth date under two ID numbers, shared phones.
    pairs = Counter(workers.values_list("name", "birth_date"))
    assert any(count > 1 for count in pairs.values())
    phones = Counter(workers.exclude(phone_hash="").values_list("phone_hash", flat=True))
    assert any(count > 1 for count in phones.values())
    assert EmploymentSpell.objects.filter(is_dispatched=True).exists()
    assert Employer.objects.order_by("-headcount").first().name == "攀钢集团攀枝花钢钒有限公司"


def test_the_generator_writes_hukou_political_status_and_facts_sealed(generated):
    from workforce.registry.tests.test_attributes_at_rest import plain_values_in_the_database, token_lengths

    assert Worker.objects.count() == 1500 and WorkerFact.objects.exists()
    assert plain_values_in_the_database() == []  # decision 0009: encrypted at rest
    assert len(set(Worker.objects.values_list("political_status", flat=True))) > 2
    assert len(token_lengths()) == 1  # filled to one block: a token's length tells nothing
