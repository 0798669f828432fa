"""Each indicator computed exactly on a hand-built registry (tests/support.py), at the date boundaries,
by breakdown, and always equal to the straightforward ORM query of its definition."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from workforce.conftest import hire, make_employer
from workforce.core.choices import Channel
from workforce.core.identifiers import uscc_check_char
from workforce.indicators import figures
from workforce.indicators.choices import Breakdown, Status
from workforce.indicators.definitions import DEFINITIONS, definition_base
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.models import Indicator
from workforce.indicators.storage import forget_columns
from workforce.indicators.tests.support import D0, D1, SYSTEM, D, build_town, fact, id_number
from workforce.reference.models import Division, Industry
from workforce.registry import services
from workforce.registry.choices import EmployerFactKind, Ownership
from workforce.registry.models import EmploymentSpell


@pytest.fixture
def town(personas):
    return build_town(personas)


def city(code: str, on: datetime.date) -> tuple[int, int, Decimal | None]:
    columns, measures = figures.day_measures(on)
    figure = figures.figures_by(columns, measures, code, None, on)[0]
    return figure.numerator, figure.denominator, figure.value


def by_district(code: str, on: datetime.date) -> dict[str, tuple[int, int]]:
    columns, measures = figures.day_measures(on)
    return {f.key: (f.numerator, f.denominator) for f in figures.figures_by(columns, measures, code, "district", on)
            if f.denominator or f.numerator}


def orm_counts(code: str, on: datetime.date, breakdown=None, key=None) -> tuple[int, int]:
    definition = DEFINITIONS[code]
    numerator, denominator = definition.records(definition_base(definition, on, breakdown, key), on)
    return numerator.count(), denominator.count()


# ------------------------------------------------------------------------------------ worker indicators


def test_skilled_talents_count_a_certificate_issued_on_the_day_and_not_one_expired_the_day_before(town):
    assert city("skilled_talents", D0) == (1, 3, Decimal(1))  # 张三 (issued D0); 王五's expired on D0−1
    assert city("skilled_talents", D1) == (2, 3, Decimal(2))  # 张三 and 李梅 (issued D1); 王五 left on D0
    assert city("skilled_talents", D(2020, 12, 30)) == (1, 3, Decimal(1))  # 王五's last valid day


def test_high_skilled_share_counts_level_three_and_above_among_skilled_talents(town):
    assert city("high_skilled_share", D0) == (1, 1, Decimal("100.00"))
    assert city("high_skilled_share", D1) == (1, 2, Decimal("50.00"))  # 李梅 holds level 4
    assert city("high_skilled_share", D(2020, 12, 30)) == (1, 1, Decimal("100.00"))  # 王五, level 2
    assert city("high_skilled_share", D(2019, 1, 1)) == (0, 0, None)  # nobody employed yet


def test_the_certified_figures_ignore_reported_skill_levels(town):
    # 李梅 (reported 2), 王五 (reported 5) and 赵六 (reported 4) hold no certificate on these days
    assert city("skilled_talents", D0) == (1, 3, Decimal(1))
    assert city("high_skilled_share", D0) == (1, 1, Decimal("100.00"))


def test_counting_reported_levels_adds_the_workers_without_a_valid_certificate(town):
    # D0: 张三 certified 3; 李梅 reported 2 (no certificate yet); 王五 reported 5 (his certificate expired)
    assert city("skilled_talents_with_reported", D0) == (3, 3, Decimal(3))
    assert city("high_skilled_share_with_reported", D0) == (2, 3, Decimal("66.67"))
    # D(2020, 12, 30): 王五's level-2 certificate still valid wins over his reported 5; 张三 none yet
    assert city("skilled_talents_with_reported", D(2020, 12, 30)) == (2, 3, Decimal(2))
    assert city("high_skilled_share_with_reported", D(2020, 12, 30)) == (2, 2, Decimal("100.00"))


def test_a_certificate_wins_over_a_higher_reported_level(town):
    # D1: 李梅's level-4 certificate counts, not the level 2 her employer reported; 赵六 reported 4
    assert city("skilled_talents_with_reported", D1) == (3, 3, Decimal(3))
    assert city("high_skilled_share_with_reported", D1) == (1, 3, Decimal("33.33"))
    assert city("high_skilled_share", D1) == (1, 2, Decimal("50.00"))
    assert orm_counts("high_skilled_share_with_reported", D1) == (1, 3)


def test_a_reported_level_counts_only_on_the_days_of_its_spell(town):
    """The level belongs to the employment whose roster reported it: not before it starts, not after it ends,
    and not on a later spell at another employer that reported none."""
    zhang = town.people.steel_worker
    first = EmploymentSpell.objects.get(worker=zhang)
    services.end_employment(first, D(2020, 6, 30), expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    EmploymentSpell.objects.filter(pk=first.pk).update(reported_skill_level=1)
    services.add_employment(zhang, {"employer": town.people.small_firm, "start_date": D(2020, 7, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    forget_columns()
    on_last_day, day_after = D(2020, 6, 30), D(2020, 7, 1)
    # 张三 (reported 1 at 攀钢 until 2020-06-30), 李梅 (reported 2); 王五's certificate counts as certified
    assert city("high_skilled_share_with_reported", on_last_day) == (3, 3, Decimal("100.00"))
    assert city("high_skilled_share_with_reported", day_after) == (2, 2, Decimal("100.00"))  # 张三 not skilled
    assert by_district("skilled_talents_with_reported", on_last_day) == {
        "510402": (1, 1), "510411": (1, 1), "510421": (1, 1)}
    assert by_district("skilled_talents_with_reported", day_after) == {"510411": (1, 2), "510421": (1, 1)}
    assert city("skilled_talents_with_reported", D(2019, 2, 28)) == (0, 0, Decimal(0))  # no spell yet
    for on in (on_last_day, day_after):
        for code in ("skilled_talents_with_reported", "high_skilled_share_with_reported"):
            assert orm_counts(code, on) == city(code, on)[:2]


def test_a_reported_level_among_several_covering_spells_counts_the_highest(town):
    li = town.people.miyi_worker
    services.add_employment(li, {"employer": town.people.small_firm, "start_date": D(2020, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    EmploymentSpell.objects.filter(worker=li, employer=town.people.small_firm).update(reported_skill_level=5)
    forget_columns()
    # her main spell (the later one) reports 5, the other 2: she counts as high-skilled, once, in 仁和区
    assert city("high_skilled_share_with_reported", D0) == (2, 3, Decimal("66.67"))
    assert by_district("skilled_talents_with_reported", D0) == {"510402": (1, 1), "510411": (2, 2)}
    assert orm_counts("high_skilled_share_with_reported", D0, "district", "510411") == (1, 2)


def test_labor_contract_rate_counts_a_spell_on_its_last_day(town):
    assert city("labor_contract_rate", D0) == (2, 3, Decimal("66.67"))  # 张三, 王五 of 张三 李梅 王五
    assert city("labor_contract_rate", D1) == (1, 3, Decimal("33.33"))  # 王五 gone, 赵六 unsigned
    assert by_district("labor_contract_rate", D0) == {"510402": (1, 1), "510411": (1, 1), "510421": (0, 1)}


def test_union_membership_coverage_ends_on_the_last_day_of_membership(town):
    assert city("union_membership_coverage", D0) == (2, 3, Decimal("66.67"))
    assert city("union_membership_coverage", D(2020, 12, 30)) == (3, 3, Decimal("100.00"))


def test_migrant_union_membership_counts_rural_hukou_in_non_farm_work(town):
    assert city("migrant_union_membership", D0) == (1, 2, Decimal("50.00"))  # 王五 of 李梅, 王五


def test_a_hukou_change_counts_from_its_effective_day(town):
    services.update_worker(town.wang, {"hukou_type": "urban"}, expected_version=None, acting_user=None,
                           channel=Channel.SYSTEM, effective_on=D0)
    assert city("migrant_union_membership", D0) == (0, 1, Decimal("0.00"))
    assert city("migrant_union_membership", D(2020, 12, 30)) == (2, 2, Decimal("100.00"))  # 李梅 still a member


def test_worker_party_members_follow_the_political_status_facts(town):
    assert city("worker_party_members", D0) == (1, 3, Decimal("33.33"))


def test_a_merged_duplicate_is_not_counted(town):
    twin = hire(town.people.steel, id_number("510402", "19800101", 77), "张三")
    assert city("labor_contract_rate", D0)[1] == 4
    services.merge_workers(town.people.steel_worker, twin, acting_user=None, channel=Channel.SYSTEM)
    assert city("labor_contract_rate", D0)[1] == 3


def test_a_worker_with_two_employers_counts_once_in_the_district_of_the_later_spell(town):
    services.add_employment(town.people.steel_worker, {"employer": town.people.small_firm,
                                                       "start_date": D(2020, 6, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    assert city("labor_contract_rate", D0) == (2, 3, Decimal("66.67"))
    assert by_district("labor_contract_rate", D0) == {"510411": (2, 2), "510421": (0, 1)}
    assert orm_counts("labor_contract_rate", D0, "district", "510411") == (2, 2)


# ---------------------------------------------------------------------------------- employer indicators


def test_state_enterprises_with_a_workers_congress(town):
    assert city("soe_workers_congress", D0) == (1, 2, Decimal("50.00"))  # 攀钢 of 攀钢, 米易白马铁矿


def test_factory_affairs_disclosure_counts_from_the_day_it_starts(town):
    assert city("soe_affairs_disclosure", D0) == (1, 2, Decimal("50.00"))
    assert city("soe_affairs_disclosure", D1) == (2, 2, Decimal("100.00"))


def test_collective_contracts_count_a_contract_on_its_last_day(town):
    assert city("collective_contract_rate", D0) == (1, 2, Decimal("50.00"))
    assert city("collective_contract_rate", D1) == (0, 2, Decimal("0.00"))
    assert city("collective_bargaining_rate", D0) == (0, 2, Decimal("0.00"))  # no mechanism recorded


def test_union_organisation_coverage_counts_operating_employers_only(town):
    assert city("union_organisation_coverage", D0) == (2, 3, Decimal("66.67"))
    EmploymentSpell.objects.filter(employer=town.people.small_firm).delete()  # no staff: not operating
    forget_columns()
    assert city("union_organisation_coverage", D0) == (1, 2, Decimal("50.00"))


def test_independent_unions_count_non_public_employers_from_one_hundred_staff(town):
    firm = make_employer("攀枝花市钒钛新材料有限公司", "91510400MA62ABCD1" + uscc_check_char("91510400MA62ABCD1"),
                         "510411", "32", Ownership.PRIVATE)
    for sequence in range(99):
        hire(firm, id_number("510411", "19900101", sequence), f"职工{sequence}", start=D(2020, 1, 1))
    fact(firm, EmployerFactKind.UNION, D(2020, 1, 1), independent=True)
    assert city("independent_union_rate", D0) == (0, 0, None)  # 99 staff: below the plan's 百人以上
    hire(firm, id_number("510411", "19900101", 99), "职工99", start=D0)
    assert city("independent_union_rate", D0) == (1, 1, Decimal("100.00"))
    assert city("independent_union_rate", D(2020, 12, 30)) == (0, 0, None)
    assert orm_counts("independent_union_rate", D0) == (1, 1)


# -------------------------------------------------------------------------- both forms of every definition


@pytest.mark.parametrize("on", [D(2020, 12, 30), D0, D1])
def test_every_figure_equals_the_straightforward_orm_query(town, on):
    columns = RegistryColumns.load()
    codes = sorted(DEFINITIONS)
    measures = figures.measures_of(columns, on, codes)
    for code in codes:
        for breakdown in [None, *Breakdown.values]:
            for figure in figures.figures_by(columns, measures, code, breakdown, on):
                expected = orm_counts(code, on, breakdown, figure.key or None)
                assert (figure.numerator, figure.denominator) == expected, (code, breakdown, figure.key)


def test_every_seeded_indicator_names_a_registered_definition(db):
    assert {i.definition for i in Indicator.objects.all()} == set(DEFINITIONS)


def test_the_plan_targets_are_seeded_with_their_exact_figures(db):
    targets = {i.code: (i.baseline_value, i.target_value, i.target_date) for i in Indicator.objects.all()}
    by_2020 = D(2020, 12, 31)
    assert targets == {
        "skilled_talents": (None, Decimal("120000.00"), by_2020),
        # the other reading of a plan's figure, monitored beside it (decision 0006)
        "skilled_talents_employed": (None, None, None),
        "union_organisation_coverage_employers": (None, None, None),
        "collective_contract_rate": (None, None, None),
        "high_skilled_share": (Decimal("28.90"), Decimal("31.60"), by_2020),
        "soe_workers_congress": (None, Decimal("100.00"), by_2020),
        "soe_affairs_disclosure": (None, Decimal("100.00"), by_2020),
        "independent_union_rate": (None, Decimal("90.00"), by_2020),
        "collective_bargaining_rate": (None, Decimal("90.00"), by_2020),
        "labor_contract_rate": (None, Decimal("90.00"), by_2020),
        "union_organisation_coverage": (None, Decimal("80.00"), by_2020),
        "union_membership_coverage": (None, Decimal("80.00"), by_2020),
        "migrant_union_membership": (None, None, None),
        "worker_party_members": (None, None, None),
        # beside the plan's figures, for comparison: no target of their own (decision 0013)
        "skilled_talents_with_reported": (None, None, None),
        "high_skilled_share_with_reported": (None, None, None),
        # §1's 工人 as front-line workers, and how far the post categories reach (issue 16): monitored only
        "frontline_party_members": (None, None, None),
        "post_category_reported": (None, None, None),
    }


# ----------------------------------------------------------------------------------- status and series


def test_status_is_met_on_track_or_behind_against_a_straight_path(db):
    indicator = Indicator.objects.get(code="high_skilled_share")  # 28.9% (2018-12-13) → 31.6% (2020-12-31)
    figure = figures.Figure("", "", 300, 1000, False)  # 30.00%
    early = figures.assess(indicator, figure, D(2019, 6, 1), Decimal("28.9"))  # the path is at 29.51%
    assert (early.status, early.expected) == (Status.ON_TRACK, Decimal("29.51"))
    late = figures.assess(indicator, figure, D(2020, 12, 1), Decimal("28.9"))
    assert (late.status, late.gap) == (Status.BEHIND, Decimal("1.60"))
    met = figures.assess(indicator, figures.Figure("", "", 316, 1000, False), D(2020, 12, 30), Decimal("28.9"))
    assert (met.status, met.gap) == (Status.MET, Decimal("0.00"))


def test_the_monthly_series_runs_from_january_2015_and_matches_the_day_figures(town):
    indicator = Indicator.objects.get(code="labor_contract_rate")
    series = figures.series(indicator, until=D(2021, 2, 15))
    assert series.days[0] == D(2015, 1, 31)
    assert series.days[-1] == D(2021, 2, 15)
    assert len(series.days) == 12 * 6 + 2
    december = series.days.index(D0)
    assert (series.city[december].numerator, series.city[december].denominator) == (2, 3)
    assert [(f.numerator, f.denominator) for f in series.by_district["510421"]][december] == (0, 1)


def test_a_registry_change_is_seen_at_once(town):
    assert city("labor_contract_rate", D1) == (1, 3, Decimal("33.33"))
    spell = EmploymentSpell.objects.get(worker=town.zhao)
    services.end_employment(spell, D1, expected_version=spell.version, acting_user=None, channel=Channel.SYSTEM)
    services.end_employment(EmploymentSpell.objects.get(worker=town.people.miyi_worker), D0,
                            expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    assert city("labor_contract_rate", D1) == (1, 2, Decimal("50.00"))


def test_columns_read_on_several_connections_equal_those_read_on_one(reference_data, personas):
    import dataclasses

    import numpy as np
    from django.db import transaction

    build_town(personas)
    in_parallel = RegistryColumns.load()  # committed rows: read by several threads on PostgreSQL
    with transaction.atomic():
        in_one = RegistryColumns.load()  # inside a transaction: one connection
    for field in dataclasses.fields(RegistryColumns):
        first, second = getattr(in_parallel, field.name), getattr(in_one, field.name)
        assert np.array_equal(np.asarray(first), np.asarray(second)), field.name
    assert len(in_parallel.spell_worker) == 4


def test_the_weakest_employers_are_those_in_the_officers_scope(town):
    from workforce.indicators.loading import registry_stamp
    from workforce.indicators.quality import employer_quality
    from workforce.indicators.selectors import weakest_employers

    qualities = employer_quality(registry_stamp())
    assert [q.label for q in weakest_employers(town.people.dongqu_officer, qualities)] == ["攀钢集团有限公司"]
    assert {q.label for q in weakest_employers(town.people.city_admin, qualities)} == {
        "攀钢集团有限公司", "米易县白马铁矿", "攀枝花市仁和区小微机修店"}


# ------------------------------------------------------------------- employer attributes over time


@pytest.fixture
def moved_town(town):
    """From 2021-01-01 (D1) the 米易 mine is private, above scale and classed as farming (section A), and the
    small firm is in 东区: the days before keep state-controlled, below scale, mining and 仁和区."""
    people = town.people
    services.update_employer(people.miyi_mine, {"ownership": Ownership.PRIVATE, "is_above_scale": True,
                                                "industry": Industry.objects.get(code="01")},
                             expected_version=None, effective_on=D1, acting_user=None, channel=SYSTEM)
    services.update_employer(people.small_firm, {"district": Division.objects.get(code="510402")},
                             expected_version=None, effective_on=D1, acting_user=None, channel=SYSTEM)
    return town


def test_an_employers_attributes_count_as_they_were_on_the_day(moved_town):
    # factory-affairs disclosure: on D0 the mine is still state-controlled (the steel works' starts on D1)
    assert city("soe_affairs_disclosure", D0)[:2] == (1, 2)
    assert city("soe_affairs_disclosure", D1)[:2] == (1, 1)
    # migrant workers: 李梅 works in mining on D0, in farming (not a migrant worker) on D1
    assert city("migrant_union_membership", D0)[1] == 2
    assert city("migrant_union_membership", D1)[1] == 0
    # collective bargaining: the mine is eligible as state-controlled on D0 and as above scale on D1
    assert city("collective_bargaining_rate", D0)[1] == city("collective_bargaining_rate", D1)[1] == 2
    # the small firm's staff: 王五 in 仁和区 on D0, 赵六 in 东区 on D1
    assert by_district("labor_contract_rate", D0) == {"510402": (1, 1), "510411": (1, 1), "510421": (0, 1)}
    assert by_district("labor_contract_rate", D1) == {"510402": (1, 2), "510421": (0, 1)}


@pytest.mark.parametrize("on", [D(2020, 12, 30), D0, D1])
def test_with_employer_attributes_over_time_every_figure_equals_the_straightforward_orm_query(moved_town, on):
    test_every_figure_equals_the_straightforward_orm_query(moved_town, on)


def test_with_employer_attributes_over_time_a_series_equals_each_month_computed_whole(moved_town):
    columns = RegistryColumns.load()
    days = figures.month_ends(D(2020, 10, 1), D(2021, 3, 31))
    for code in sorted(DEFINITIONS):
        expected = [figures.measures_of(columns, day, [code], with_staff=False)[code] for day in days]
        assert [c.tolist() for c in figures.monthly_counts(columns, days, code)] == [c.tolist() for c in expected]
    series = figures.series(Indicator.objects.get(code="labor_contract_rate"), until=D(2021, 1, 31), columns=columns)
    december, january = series.by_district["510411"][-2:], series.by_district["510402"][-2:]
    assert (december[0].denominator, december[1].denominator) == (1, 0)  # 王五 in 仁和区, then nobody
    assert (january[0].denominator, january[1].denominator) == (1, 2)  # 东区: 张三, then also 赵六
