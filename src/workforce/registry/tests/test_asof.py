"""Facts over time (docs/decisions/0004): periods inclusive at both ends, "as of" queries at the
boundaries, contract consistency, employer governance facts and the maintained headcount."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.conftest import hire
from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.reference.models import Division, SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind, ContractType, EmployerFactKind, Ownership
from workforce.registry.memberships import is_member, members_of
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerAttributeFact,
    EmployerFact,
    EmploymentSpell,
    Worker,
)

SYSTEM = Channel.SYSTEM
D = datetime.date
# 510411 仁和区, born 1992-07-10, female.
ZHAO_ID = "510411199207104563"


def employed_on(day: datetime.date) -> set[str]:
    return set(Worker.objects.employed_on(day).values_list("name", flat=True))


def members_on(day: datetime.date) -> set[str]:
    return set(Worker.objects.filter(pk__in=members_of(Worker.objects.all(), None, day)).values_list("name", flat=True))


def certified_on(day: datetime.date) -> set[str]:
    return set(Certificate.objects.on(day).values_list("number", flat=True))


def certificate(worker, number, issued_on, valid_until=None) -> Certificate:
    return services.add_certificate(worker, {
        "kind": CertificateKind.SKILL_LEVEL, "level": SkillLevel.objects.get(level=4), "number": number,
        "issuer": "攀枝花市职业技能鉴定中心", "issued_on": issued_on, "valid_until": valid_until,
    }, acting_user=None, channel=SYSTEM)


# -------------------------------------------------------------------------------------- as-of boundaries


def test_a_spell_counts_on_its_last_day_and_not_the_day_after(personas):
    hire(personas.small_firm, ZHAO_ID, "赵丽", start=D(2019, 3, 1))
    spell = EmploymentSpell.objects.get(worker__name="赵丽")
    services.end_employment(spell, D(2020, 12, 31), expected_version=1, acting_user=None, channel=SYSTEM)

    assert "赵丽" in employed_on(D(2020, 12, 31))
    assert "赵丽" not in employed_on(D(2021, 1, 1))
    assert list(EmploymentSpell.objects.on(D(2020, 12, 31)).filter(worker__name="赵丽")) == [spell]
    assert list(EmploymentSpell.objects.on(D(2021, 1, 1)).filter(worker__name="赵丽")) == []


def test_a_spell_counts_on_its_first_day_and_not_the_day_before(personas):
    assert employed_on(D(2019, 3, 1)) == {"张三", "李梅"}  # both hired on 2019-03-01
    assert employed_on(D(2019, 2, 28)) == set()
    assert EmploymentSpell.objects.on(D(2019, 3, 1)).count() == 2
    assert EmploymentSpell.objects.on(D(2019, 2, 28)).count() == 0


def test_an_open_spell_counts_on_any_later_day(personas):
    assert employed_on(D(2099, 12, 31)) == {"张三", "李梅"}


def test_a_membership_counts_on_the_day_it_ends_and_not_after(personas):
    worker = personas.steel_worker
    membership = services.start_union_membership(worker, D(2020, 1, 1), employer=personas.steel, acting_user=None,
                                                 channel=SYSTEM)
    services.end_union_membership(membership, D(2023, 6, 30), acting_user=None, channel=SYSTEM)

    assert members_on(D(2019, 12, 31)) == set()
    assert members_on(D(2020, 1, 1)) == {"张三"}
    assert members_on(D(2023, 6, 30)) == {"张三"}
    assert members_on(D(2023, 7, 1)) == set()
    assert is_member(worker, D(2023, 7, 1)) is False
    assert is_member(worker) is False


def test_a_certificate_counts_from_the_day_it_is_issued_until_its_last_valid_day(personas):
    certificate(personas.steel_worker, "C-ISSUED", issued_on=D(2024, 5, 1))
    certificate(personas.miyi_worker, "C-EXPIRED", issued_on=D(2020, 1, 1), valid_until=D(2024, 4, 30))

    assert certified_on(D(2024, 4, 30)) == {"C-EXPIRED"}
    assert certified_on(D(2024, 5, 1)) == {"C-ISSUED"}


def test_an_expired_certificate_does_not_count_as_the_current_skill_level(personas):
    certificate(personas.miyi_worker, "C-EXPIRED", issued_on=D(2020, 1, 1), valid_until=D(2024, 4, 30))

    personas.miyi_worker.refresh_from_db()
    assert personas.miyi_worker.current_skill_level is None


# ----------------------------------------------------------------------------------- concurrent spells


def test_two_open_spells_at_two_employers_are_both_kept_and_the_latest_is_current(personas):
    worker = personas.steel_worker

    services.add_employment(worker, {"employer": personas.small_firm, "start_date": D(2023, 6, 1)},
                            acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    assert sorted(EmploymentSpell.objects.on(D(2024, 1, 1)).filter(worker=worker)
                  .values_list("employer__name", flat=True)) == ["攀枝花市仁和区小微机修店", "攀钢集团有限公司"]
    worker.refresh_from_db()
    assert (worker.current_employer, worker.district_id) == (personas.small_firm, "510411")
    assert employed_on(D(2024, 1, 1)) == {"张三", "李梅"}  # one worker, counted once


def test_an_overlapping_spell_at_the_same_employer_is_refused(personas):
    worker = personas.steel_worker

    with pytest.raises(ValidationError) as refused:
        services.add_employment(worker, {"employer": personas.steel, "start_date": D(2022, 1, 1),
                                         "end_date": D(2022, 12, 31)}, acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"start_date": ["该职工在本单位已有时间重叠的就业记录。"]}
    assert EmploymentSpell.objects.filter(worker=worker).count() == 1


def test_a_later_spell_at_the_same_employer_after_leaving_is_accepted(personas):
    worker = personas.steel_worker
    spell = EmploymentSpell.objects.get(worker=worker)
    services.end_employment(spell, D(2020, 12, 31), expected_version=1, acting_user=None, channel=SYSTEM)

    services.add_employment(worker, {"employer": personas.steel, "start_date": D(2021, 1, 1)}, acting_user=None,
                            channel=SYSTEM)

    assert list(EmploymentSpell.objects.filter(worker=worker).order_by("start_date")
                .values_list("start_date", "end_date")) == [(D(2019, 3, 1), D(2020, 12, 31)), (D(2021, 1, 1), None)]


def test_a_spell_starting_on_the_last_day_of_the_previous_one_is_refused(personas):
    worker = personas.steel_worker
    spell = EmploymentSpell.objects.get(worker=worker)
    services.end_employment(spell, D(2020, 12, 31), expected_version=1, acting_user=None, channel=SYSTEM)

    with pytest.raises(ValidationError) as refused:
        services.add_employment(worker, {"employer": personas.steel, "start_date": D(2020, 12, 31)},
                                acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"start_date": ["该职工在本单位已有时间重叠的就业记录。"]}


def test_ending_a_spell_twice_is_refused(personas):
    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)
    services.end_employment(spell, D(2020, 12, 31), expected_version=1, acting_user=None, channel=SYSTEM)

    with pytest.raises(ValidationError) as refused:
        services.end_employment(spell, D(2021, 12, 31), expected_version=2, acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"end_date": ["该就业记录已于 2020-12-31 结束。"]}
    spell.refresh_from_db()
    assert (spell.end_date, spell.version) == (D(2020, 12, 31), 2)


# --------------------------------------------------------------------------------- contract consistency


@pytest.mark.parametrize(("contract", "errors"), [
    pytest.param({"is_contract_signed": True, "contract_start": D(2024, 1, 1)},
                 {"contract_type": ["已签劳动合同时须填写合同类型。"]}, id="signed-without-type"),
    pytest.param({"is_contract_signed": True, "contract_type": ContractType.FIXED_TERM,
                  "contract_start": D(2024, 1, 1)},
                 {"contract_end": ["固定期限劳动合同须填写合同终止日期。"]}, id="fixed-term-without-end"),
    pytest.param({"is_contract_signed": True, "contract_type": ContractType.OPEN_ENDED,
                  "contract_start": D(2024, 1, 1), "contract_end": D(2026, 12, 31)},
                 {"contract_end": ["无固定期限劳动合同不应填写合同终止日期。"]}, id="open-ended-with-end"),
    pytest.param({"is_contract_signed": True, "contract_type": ContractType.FIXED_TERM,
                  "contract_end": D(2026, 12, 31)},
                 {"contract_start": ["已签劳动合同时须填写合同起始日期。"]}, id="signed-without-start"),
    pytest.param({"contract_type": ContractType.FIXED_TERM, "contract_start": D(2024, 1, 1),
                  "contract_end": D(2026, 12, 31)},
                 {"is_contract_signed": ["填写了合同信息，请勾选“已签劳动合同”。"]}, id="contract-but-not-signed"),
    pytest.param({"is_contract_signed": True, "contract_type": ContractType.FIXED_TERM,
                  "contract_start": D(2024, 1, 1), "contract_end": D(2023, 12, 31)},
                 {"contract_end": ["合同终止日期不能早于合同起始日期。"]}, id="contract-end-before-start"),
    pytest.param({"end_date": D(2023, 12, 31)},
                 {"end_date": ["离职日期不能早于入职日期。"]}, id="end-before-start"),
])
def test_inconsistent_contract_facts_are_refused(personas, contract, errors):
    with pytest.raises(ValidationError) as refused:
        services.add_employment(personas.steel_worker, {"employer": personas.small_firm,
                                                        "start_date": D(2024, 1, 1), **contract},
                                acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == errors
    assert EmploymentSpell.objects.filter(employer=personas.small_firm).count() == 0


def test_a_consistent_fixed_term_contract_is_recorded(personas):
    services.add_employment(personas.steel_worker, {
        "employer": personas.small_firm, "start_date": D(2024, 1, 1), "is_contract_signed": True,
        "contract_type": ContractType.FIXED_TERM, "contract_start": D(2024, 1, 1), "contract_end": D(2026, 12, 31)},
        acting_user=None, channel=SYSTEM)

    personas.steel_worker.refresh_from_db()
    assert personas.steel_worker.has_signed_contract is True


def test_hr_cannot_record_employment_at_another_employer(personas):
    with pytest.raises(ValidationError) as refused:
        services.add_employment(personas.miyi_worker, {"employer": personas.steel, "start_date": D(2024, 1, 1)},
                                acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    assert refused.value.message_dict == {"employer": ["只能为本单位（本人管辖范围内的单位）登记就业信息。"]}
    assert EmploymentSpell.objects.filter(worker=personas.miyi_worker).count() == 1


# ------------------------------------------------------------------------------------------ employer facts


def facts_of(employer: Employer, kind: str) -> list[tuple]:
    return list(EmployerFact.objects.filter(employer=employer, kind=kind).order_by("valid_from")
                .values_list("valid_from", "valid_to", "is_independent"))


def test_a_new_fact_closes_the_open_fact_of_the_same_kind_the_day_before(personas):
    steel = personas.steel
    services.set_employer_fact(steel, EmployerFactKind.UNION, valid_from=D(2010, 1, 1), acting_user=None,
                               channel=SYSTEM)
    services.set_employer_fact(steel, EmployerFactKind.WORKERS_CONGRESS, valid_from=D(2012, 1, 1), acting_user=None,
                               channel=SYSTEM)

    services.set_employer_fact(steel, EmployerFactKind.UNION, valid_from=D(2020, 7, 1), is_independent=True,
                               acting_user=personas.steel_hr, channel=Channel.PAGE)

    assert facts_of(steel, EmployerFactKind.UNION) == [(D(2010, 1, 1), D(2020, 6, 30), False),
                                                       (D(2020, 7, 1), None, True)]
    assert facts_of(steel, EmployerFactKind.WORKERS_CONGRESS) == [(D(2012, 1, 1), None, False)]
    assert list(EmployerFact.objects.on(D(2020, 6, 30)).filter(kind="union").values_list("is_independent", flat=True)) \
        == [False]
    assert list(EmployerFact.objects.on(D(2020, 7, 1)).filter(kind="union").values_list("is_independent", flat=True)) \
        == [True]
    closed = ChangeLogEntry.objects.filter(action=ChangeAction.UPDATE, content_type__model="employerfact").get()
    assert (closed.before, closed.after, closed.parent_object_id) == ({"valid_to": None}, {"valid_to": "2020-06-30"},
                                                                      str(steel.pk))


def test_an_overlapping_fact_of_the_same_kind_is_refused(personas):
    steel = personas.steel
    services.set_employer_fact(steel, EmployerFactKind.COLLECTIVE_CONTRACT, valid_from=D(2018, 1, 1),
                               valid_to=D(2020, 12, 31), acting_user=None, channel=SYSTEM)

    with pytest.raises(ValidationError) as refused:
        services.set_employer_fact(steel, EmployerFactKind.COLLECTIVE_CONTRACT, valid_from=D(2020, 12, 31),
                                   acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"valid_from": ["与已登记的同类事项时间重叠。"]}
    assert facts_of(steel, EmployerFactKind.COLLECTIVE_CONTRACT) == [(D(2018, 1, 1), D(2020, 12, 31), False)]


def test_a_fact_starting_before_an_open_fact_is_refused_and_the_open_fact_stays_open(personas):
    steel = personas.steel
    services.set_employer_fact(steel, EmployerFactKind.UNION, valid_from=D(2015, 1, 1), acting_user=None,
                               channel=SYSTEM)

    with pytest.raises(ValidationError) as refused:
        services.set_employer_fact(steel, EmployerFactKind.UNION, valid_from=D(2014, 1, 1), valid_to=D(2015, 1, 1),
                                   acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"valid_from": ["与已登记的同类事项时间重叠。"]}
    assert facts_of(steel, EmployerFactKind.UNION) == [(D(2015, 1, 1), None, False)]


def test_a_fact_ending_before_it_starts_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        services.set_employer_fact(personas.steel, EmployerFactKind.UNION, valid_from=D(2015, 1, 1),
                                   valid_to=D(2014, 12, 31), acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"valid_to": ["终止日期不能早于起始日期。"]}
    assert EmployerFact.objects.count() == 0


def test_only_a_union_can_be_independent(personas):
    with pytest.raises(ValidationError) as refused:
        services.set_employer_fact(personas.steel, EmployerFactKind.WORKERS_CONGRESS, valid_from=D(2015, 1, 1),
                                   is_independent=True, acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"is_independent": ["“单独建制”只适用于工会。"]}
    assert EmployerFact.objects.count() == 0


# ------------------------------------------------------------------------------------------------ headcount


def headcounts(personas) -> tuple[int, ...]:
    return tuple(Employer.objects.get(pk=employer.pk).headcount
                 for employer in (personas.steel, personas.small_firm, personas.miyi_mine))


def test_headcount_follows_hiring_leaving_and_moving(personas):
    assert headcounts(personas) == (1, 0, 1)

    hire(personas.steel, ZHAO_ID, "赵丽", start=D(2024, 1, 1))
    assert headcounts(personas) == (2, 0, 1)

    services.add_employment(personas.steel_worker, {"employer": personas.small_firm, "start_date": D(2024, 2, 1)},
                            acting_user=None, channel=SYSTEM)
    assert headcounts(personas) == (2, 1, 1)  # a worker with two employers counts at both

    zhao_spell = EmploymentSpell.objects.get(worker__name="赵丽")
    services.end_employment(zhao_spell, D(2024, 6, 30), expected_version=1, acting_user=None, channel=SYSTEM)
    assert headcounts(personas) == (1, 1, 1)

    miyi_spell = EmploymentSpell.objects.get(worker=personas.miyi_worker)
    services.update_employment(miyi_spell, {"employer": personas.small_firm}, expected_version=1, acting_user=None,
                               channel=SYSTEM)
    assert headcounts(personas) == (1, 2, 0)


def test_a_bulk_job_recounts_each_employer_once_at_the_end(personas):
    """Inside ``headcounts_deferred`` (roster imports) the services leave the recount to the end of the block,
    where each employer touched is recounted once, in one query per batch."""
    from workforce.registry.services.facts import headcounts_deferred

    zhao = hire(personas.steel, ZHAO_ID, "赵丽", start=D(2024, 1, 1))
    with headcounts_deferred():
        for worker in (personas.steel_worker, zhao):
            spell = EmploymentSpell.objects.get(worker=worker)
            services.end_employment(spell, D(2024, 6, 30), expected_version=None, acting_user=None, channel=SYSTEM)
        services.add_employment(zhao, {"employer": personas.small_firm, "start_date": D(2024, 7, 1)},
                                acting_user=None, channel=SYSTEM)
        assert headcounts(personas) == (2, 0, 1)  # not yet recounted
    assert headcounts(personas) == (0, 1, 1)


def test_a_spell_ending_in_the_future_still_counts_today(personas):
    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)

    services.end_employment(spell, D(2099, 12, 31), expected_version=1, acting_user=None, channel=SYSTEM)

    assert headcounts(personas) == (1, 0, 1)


def attribute_facts(employer) -> list[tuple]:
    return sorted(EmployerAttributeFact.objects.filter(employer=employer)
                  .values_list("attribute", "value", "valid_from", "valid_to"))


def test_an_employer_attribute_change_keeps_the_earlier_value_for_the_days_before(personas, sign_in):
    """The mine (staff since 2019-03-01) is privatised and grows above scale from 2021: the days before keep
    state-controlled and below scale; a later change closes the open fact; names are not kept over time."""
    mine = personas.miyi_mine
    services.update_employer(mine, {"ownership": Ownership.PRIVATE, "is_above_scale": True, "name": "米易县白马矿业"},
                             expected_version=None, effective_on=D(2021, 1, 1), acting_user=None, channel=SYSTEM)
    assert attribute_facts(mine) == [
        ("above_scale", "false", D(2019, 3, 1), D(2020, 12, 31)), ("above_scale", "true", D(2021, 1, 1), None),
        ("ownership", "private", D(2021, 1, 1), None),
        ("ownership", "state_controlled", D(2019, 3, 1), D(2020, 12, 31)),
    ]
    services.update_employer(mine, {"district": Division.objects.get(code="510411")}, expected_version=None,
                             effective_on=D(2022, 7, 1), acting_user=None, channel=SYSTEM)
    services.update_employer(mine, {"ownership": Ownership.COLLECTIVE}, expected_version=None,
                             effective_on=D(2023, 1, 1), acting_user=None, channel=SYSTEM)
    facts = attribute_facts(mine)
    assert ("district", "510421", D(2019, 3, 1), D(2022, 6, 30)) in facts and ("district", "510411", D(2022, 7, 1),
                                                                              None) in facts
    assert [fact for fact in facts if fact[0] == "ownership"] == [
        ("ownership", "collective", D(2023, 1, 1), None), ("ownership", "private", D(2021, 1, 1), D(2022, 12, 31)),
        ("ownership", "state_controlled", D(2019, 3, 1), D(2020, 12, 31))]

    page = sign_in(personas.city_admin).get(mine.get_absolute_url()).content.decode()
    assert "属性变更" in page and "国有控股" in page and "仁和区" in page


def test_correcting_an_employer_attribute_from_the_start_writes_no_history(personas):
    """A change effective from the day the employer is first known (or earlier) is a correction: the field
    alone, no dated facts."""
    services.update_employer(personas.small_firm, {"ownership": Ownership.INDIVIDUAL}, expected_version=None,
                             effective_on=D(2000, 1, 1), acting_user=None, channel=SYSTEM)
    assert attribute_facts(personas.small_firm) == []
