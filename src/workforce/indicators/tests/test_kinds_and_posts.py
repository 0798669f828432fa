"""Issue 16 points 2 and 3 on the hand-built registry (tests/support.py) plus a public hospital:

- the plan's 企业 figures count enterprises (legal-person kind 企业) only, as the USCC gives it or as city-wide
  staff corrected it, on every day; a dated ownership change still counts from its day;
- 一线职工党员比例 counts party members among the workers whose main spell on the day is front-line, unknown
  posts in neither part, and 岗位类别填报率 says how far that reaches.

The hospital: 攀枝花市中心医院 (东区, state-owned, above scale, USCC 12…: 事业单位) with a nurse from 2019-03-01,
a union and a workers' congress since 2015, factory-affairs disclosure since 2016 and a collective contract
2019-01-01 to 2021-12-31.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from workforce.conftest import hire, make_employer
from workforce.core.identifiers import uscc_check_char
from workforce.indicators import figures
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.tests.support import D0, D1, SYSTEM, D, build_town, fact, id_number
from workforce.indicators.tests.test_definitions import (
    city,
    orm_counts,
)
from workforce.indicators.tests.test_definitions import (
    test_every_figure_equals_the_straightforward_orm_query as every_figure_equals_the_orm_query,
)
from workforce.registry import services
from workforce.registry.choices import EmployerFactKind, LegalPersonKind, Ownership, PostCategory
from workforce.registry.models import EmploymentSpell

BEFORE = D(2020, 12, 30)
HOSPITAL_USCC = "12510400MB1234567" + uscc_check_char("12510400MB1234567")


@pytest.fixture
def town(personas):
    town = build_town(personas)
    hospital = make_employer("攀枝花市中心医院", HOSPITAL_USCC, "510402", "84", Ownership.STATE_OWNED,
                             is_above_scale=True)
    hire(hospital, id_number("510402", "19880808", 61), "刘护士")
    fact(hospital, EmployerFactKind.UNION, D(2015, 1, 1), independent=True)
    fact(hospital, EmployerFactKind.WORKERS_CONGRESS, D(2015, 1, 1))
    fact(hospital, EmployerFactKind.AFFAIRS_DISCLOSURE, D(2016, 1, 1))
    fact(hospital, EmployerFactKind.COLLECTIVE_CONTRACT, D(2019, 1, 1), D(2021, 12, 31))
    fact(hospital, EmployerFactKind.COLLECTIVE_BARGAINING, D(2019, 1, 1))
    town.hospital = hospital
    return town


def correct(employer, kind, town):
    services.update_employer(employer, {services.KIND_CORRECTION: kind}, expected_version=None,
                             acting_user=town.people.city_admin, channel=SYSTEM)


def test_the_hospital_is_a_public_institution(town):
    assert town.hospital.legal_person_kind == LegalPersonKind.INSTITUTION


@pytest.mark.parametrize(("code", "before", "on_d0", "on_d1"), [
    # 攀钢 and the 米易 mine; never the hospital, a state-owned 事业单位 with all four facts
    ("soe_workers_congress", (1, 2), (1, 2), (1, 2)),
    ("soe_affairs_disclosure", (1, 2), (1, 2), (2, 2)),
    ("collective_contract_rate", (1, 2), (1, 2), (0, 2)),
    ("collective_bargaining_rate", (0, 2), (0, 2), (0, 2)),  # only the hospital has a mechanism
    # every employer, enterprise or not: the hospital counts here
    ("union_organisation_coverage", (3, 4), (3, 4), (3, 4)),
])
def test_the_enterprise_figures_leave_the_public_hospital_out(town, code, before, on_d0, on_d1):
    assert [city(code, day)[:2] for day in (BEFORE, D0, D1)] == [before, on_d0, on_d1]
    assert [orm_counts(code, day) for day in (BEFORE, D0, D1)] == [before, on_d0, on_d1]


def test_by_ownership_the_state_owned_cell_holds_the_steel_works_only(town):
    columns, measures = figures.day_measures(D0)
    cells = {f.key: (f.numerator, f.denominator)
             for f in figures.figures_by(columns, measures, "soe_workers_congress", "ownership", D0)}
    assert cells["state_owned"] == (1, 1)
    assert orm_counts("soe_workers_congress", D0, "ownership", "state_owned") == (1, 1)


def test_a_correction_of_the_kind_counts_on_every_day_and_undoing_it_restores_the_derivation(town):
    correct(town.hospital, LegalPersonKind.ENTERPRISE, town)  # say it were a hospital company miscoded

    assert [city("soe_workers_congress", day)[:2] for day in (BEFORE, D0, D1)] == [(2, 3)] * 3
    assert city("collective_contract_rate", D1)[:2] == (1, 3)
    correct(town.people.miyi_mine, LegalPersonKind.INSTITUTION, town)
    assert [city("soe_affairs_disclosure", day)[:2] for day in (BEFORE, D0, D1)] == [(1, 2), (1, 2), (2, 2)]

    correct(town.hospital, "", town)
    correct(town.people.miyi_mine, "", town)
    assert [city("soe_workers_congress", day)[:2] for day in (BEFORE, D0, D1)] == [(1, 2)] * 3


def test_a_dated_ownership_change_counts_from_its_day_among_enterprises(town):
    services.update_employer(town.people.miyi_mine, {"ownership": Ownership.PRIVATE}, expected_version=None,
                             effective_on=D1, acting_user=None, channel=SYSTEM)

    assert [city("soe_affairs_disclosure", day)[:2] for day in (BEFORE, D0, D1)] == [(1, 2), (1, 2), (1, 1)]
    assert orm_counts("soe_affairs_disclosure", D1) == (1, 1)


def test_independent_unions_count_non_public_enterprises_only(town):
    code = "52510411MJ1234567" + uscc_check_char("52510411MJ1234567")
    centre = make_employer("攀枝花市仁和区康宁养老服务中心", code, "510411", "85", Ownership.PRIVATE)
    for sequence in range(100):
        hire(centre, id_number("510411", "19800101", sequence), f"护理员{sequence}", start=D(2020, 1, 1))
    fact(centre, EmployerFactKind.UNION, D(2020, 1, 1), independent=True)

    assert city("independent_union_rate", D0)[:2] == orm_counts("independent_union_rate", D0) == (0, 0)
    correct(centre, LegalPersonKind.ENTERPRISE, town)
    assert city("independent_union_rate", D0)[:2] == orm_counts("independent_union_rate", D0) == (1, 1)


# ------------------------------------------------------------------------------------------ post category


def post(worker, category, employer=None):
    spells = EmploymentSpell.objects.filter(worker=worker)
    if employer is not None:
        spells = spells.filter(employer=employer)
    for spell in spells:
        services.update_employment(spell, {"post_category": category}, expected_version=None, acting_user=None,
                                   channel=SYSTEM)


@pytest.fixture
def posted_town(town):
    """张三 (CPC since 2019-03-01) front line at 攀钢; 王五 front line until D0; 赵六 a manager from D1; 李梅 and
    the hospital's nurse unreported."""
    post(town.people.steel_worker, PostCategory.FRONT_LINE)
    post(town.wang, PostCategory.FRONT_LINE)
    post(town.zhao, PostCategory.MANAGEMENT)
    return town


def test_front_line_party_members_count_among_front_line_workers_only(posted_town):
    assert [city("frontline_party_members", day) for day in (BEFORE, D0, D1)] == [
        (1, 2, Decimal("50.00")), (1, 2, Decimal("50.00")), (1, 1, Decimal("100.00"))]
    # among all workers, as before: 张三 of the four employed (with the nurse)
    assert city("worker_party_members", D0)[:2] == (1, 4)


def test_unknown_posts_count_in_neither_part_and_the_reported_share_says_so(posted_town):
    assert [city("post_category_reported", day)[:2] for day in (BEFORE, D0, D1)] == [(2, 4), (2, 4), (2, 4)]
    post(posted_town.people.steel_worker, PostCategory.UNKNOWN)
    assert city("frontline_party_members", D0)[:2] == (0, 1)  # 王五 only: 张三's post is unknown again
    assert city("frontline_party_members", D1) == (0, 0, None)


def test_the_main_spell_decides_the_post(posted_town):
    """张三 also works as a manager at the small firm from D1: that later spell is his main one then."""
    zhang, small_firm = posted_town.people.steel_worker, posted_town.people.small_firm
    services.add_employment(zhang, {"employer": small_firm, "start_date": D1,
                                    "post_category": PostCategory.MANAGEMENT}, acting_user=None, channel=SYSTEM)

    assert city("frontline_party_members", D0)[:2] == (1, 2)
    assert city("frontline_party_members", D1) == (0, 0, None)
    assert orm_counts("frontline_party_members", D1) == (0, 0)


@pytest.mark.parametrize("on", [BEFORE, D0, D1])
def test_with_kinds_and_posts_every_figure_equals_the_straightforward_orm_query(posted_town, on):
    every_figure_equals_the_orm_query(posted_town, on)


def test_with_kinds_and_posts_a_series_equals_each_month_computed_whole(posted_town):
    services.update_employer(posted_town.people.miyi_mine, {"ownership": Ownership.PRIVATE}, expected_version=None,
                             effective_on=D1, acting_user=None, channel=SYSTEM)
    columns = RegistryColumns.load()
    days = figures.month_ends(D(2020, 10, 1), D(2021, 3, 31))
    for code in sorted(DEFINITIONS):
        expected = [figures.measures_of(columns, day, [code], with_staff=False)[code] for day in days]
        assert [c.tolist() for c in figures.monthly_counts(columns, days, code)] == [c.tolist() for c in expected]
    front_line = figures.measures_of(columns, D1, ["frontline_party_members"], with_staff=False)
    assert [int(count.sum()) for count in front_line["frontline_party_members"]] == [1, 1]
