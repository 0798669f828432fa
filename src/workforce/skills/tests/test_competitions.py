"""§20 consequence rules at their boundaries: 2nd vs 3rd, 10th vs 11th, class one vs class two, ties, a
corrected result, a rule version by date; results entered once, stale entry refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.conftest import hire
from workforce.core.changelog import StaleRecordError
from workforce.core.choices import Channel
from workforce.core.identifiers import id_check_digit
from workforce.reference.models import Occupation
from workforce.skills.choices import CaseState, CompetitionKind, CompetitionTier, Consequence
from workforce.skills.models import Competition, CompetitionCase, ConsequenceRule, Entrant
from workforce.skills.seed import seed_consequence_rules
from workforce.skills.services.competitions import correct_result, record_results, save_consequence_rule
from workforce.skills.tests.conftest import occupation_code

SYSTEM = Channel.SYSTEM
DAY = datetime.date(2026, 5, 1)


@pytest.fixture
def field(personas):
    """Twelve workers of the steel company."""
    seed_consequence_rules()
    numbers = [f"51040219900101{index:03d}" for index in range(1, 13)]
    workers = [hire(personas.steel, number + id_check_digit(number), f"选手{index}")
               for index, number in enumerate(numbers, start=1)]
    return workers


def contest(workers, tier=CompetitionTier.PROVINCIAL, kind=CompetitionKind.WORKERS_CONTEST, held_on=DAY):
    competition = Competition.objects.create(name="全省职工职业技能大赛", tier=tier, kind=kind, held_on=held_on,
                                             occupation=Occupation.objects.get(code=occupation_code()))
    entrants = [Entrant.objects.create(competition=competition, worker=worker) for worker in workers]
    return competition, entrants


def cases_of(entrant):
    return {case.consequence: case.state for case in CompetitionCase.objects.filter(entrant=entrant)}


def test_second_and_third_place_on_either_side_of_the_wuyi_medal(field):
    competition, entrants = contest(field[:3])
    record_results(competition, {entrants[0].pk: 1, entrants[1].pk: 2, entrants[2].pk: 3}, expected_version=1,
                   acting_user=None, channel=SYSTEM)
    assert Consequence.WUYI_MEDAL in cases_of(entrants[1])
    assert Consequence.WUYI_MEDAL not in cases_of(entrants[2])
    case = CompetitionCase.objects.get(entrant=entrants[1], consequence=Consequence.WUYI_MEDAL)
    assert (case.rule.code, case.triggering_rank) == ("provincial-workers-top2-wuyi", 2)


def test_tenth_and_eleventh_place_on_either_side_of_skills_model_and_promotion(field):
    competition, entrants = contest(field[:11])
    record_results(competition, {entrant.pk: index for index, entrant in enumerate(entrants, start=1)},
                   expected_version=None, acting_user=None, channel=SYSTEM)
    assert cases_of(entrants[9]) == {Consequence.SKILLS_MODEL: CaseState.OPEN,
                                     Consequence.LEVEL_PROMOTION: CaseState.OPEN}
    assert cases_of(entrants[10]) == {}
    # The 3rd place's promotion names the narrower "winners" rule, once, not the top-10 one as well.
    promotion = CompetitionCase.objects.get(entrant=entrants[2], consequence=Consequence.LEVEL_PROMOTION)
    assert promotion.rule.code == "provincial-winners-promotion"


def test_class_one_first_place_only(field):
    one, (first_one,) = contest(field[:1], kind=CompetitionKind.CLASS_ONE)
    two, (first_two,) = contest(field[1:2], kind=CompetitionKind.CLASS_TWO)
    record_results(one, {first_one.pk: 1}, expected_version=None, acting_user=None, channel=SYSTEM)
    record_results(two, {first_two.pk: 1}, expected_version=None, acting_user=None, channel=SYSTEM)
    assert Consequence.TECHNICAL_EXPERT in cases_of(first_one)
    assert Consequence.TECHNICAL_EXPERT not in cases_of(first_two)
    assert Consequence.WUYI_MEDAL not in cases_of(first_one)  # a class-one contest is not the workers' contest


def test_tied_second_places_both_qualify(field):
    competition, entrants = contest(field[:4])
    record_results(competition, {entrants[0].pk: 1, entrants[1].pk: 2, entrants[2].pk: 2, entrants[3].pk: 4},
                   expected_version=None, acting_user=None, channel=SYSTEM)
    assert [Consequence.WUYI_MEDAL in cases_of(entrant) for entrant in entrants] == [True, True, True, False]


def test_correction_withdraws_and_reopens_without_duplicates(field):
    competition, entrants = contest(field[:3])
    record_results(competition, {entrants[0].pk: 1, entrants[1].pk: 2, entrants[2].pk: 3}, expected_version=None,
                   acting_user=None, channel=SYSTEM)
    second = Entrant.objects.get(pk=entrants[1].pk)
    counts = correct_result(second, 3, expected_version=second.version, acting_user=None, channel=SYSTEM)
    assert counts == {"created": 0, "reopened": 0, "withdrawn": 1}
    assert cases_of(second)[Consequence.WUYI_MEDAL] == CaseState.WITHDRAWN
    second.refresh_from_db()
    counts = correct_result(second, 2, expected_version=second.version, acting_user=None, channel=SYSTEM)
    assert counts == {"created": 0, "reopened": 1, "withdrawn": 0}
    assert CompetitionCase.objects.filter(entrant=second, consequence=Consequence.WUYI_MEDAL).count() == 1
    assert cases_of(second)[Consequence.WUYI_MEDAL] == CaseState.OPEN


def test_results_entered_once_and_stale_entry_refused(field):
    competition, entrants = contest(field[:2])
    with pytest.raises(StaleRecordError):
        record_results(competition, {entrants[0].pk: 1}, expected_version=7, acting_user=None, channel=SYSTEM)
    record_results(competition, {entrants[0].pk: 1}, expected_version=1, acting_user=None, channel=SYSTEM)
    with pytest.raises(ValidationError) as error:
        record_results(competition, {entrants[1].pk: 1}, expected_version=None, acting_user=None, channel=SYSTEM)
    assert error.value.messages == ["该竞赛成绩已录入，不能重复录入；如有错误请逐项更正。"]
    assert Entrant.objects.get(pk=entrants[1].pk).rank is None


def test_rule_version_change_by_date(field):
    old = ConsequenceRule.objects.get(code="provincial-workers-top2-wuyi")
    save_consequence_rule({"effective_to": datetime.date(2026, 12, 31)}, rule=old, acting_user=None, channel=SYSTEM)
    save_consequence_rule({"code": old.code, "name": old.name, "tier": old.tier, "kind": old.kind, "max_rank": 3,
                           "consequence": old.consequence, "effective_from": datetime.date(2027, 1, 1)},
                          acting_user=None, channel=SYSTEM)
    before, before_entrants = contest(field[:3], held_on=datetime.date(2026, 12, 31))
    after, after_entrants = contest(field[3:6], held_on=datetime.date(2027, 1, 1))
    for competition, entrants in ((before, before_entrants), (after, after_entrants)):
        record_results(competition, {entrant.pk: rank for rank, entrant in enumerate(entrants, start=1)},
                       expected_version=None, acting_user=None, channel=SYSTEM)
    assert Consequence.WUYI_MEDAL not in cases_of(before_entrants[2])
    case = CompetitionCase.objects.get(entrant=after_entrants[2], consequence=Consequence.WUYI_MEDAL)
    assert case.rule.version == 2
    with pytest.raises(ValidationError):
        save_consequence_rule({"code": old.code, "name": "x", "tier": old.tier, "kind": old.kind, "max_rank": 1,
                               "consequence": old.consequence, "effective_from": datetime.date(2027, 6, 1)},
                              acting_user=None, channel=SYSTEM)


def test_pages_enter_results_show_cases_and_scope_entrants(client, sign_in, personas, field):
    competition, entrants = contest([personas.steel_worker, personas.miyi_worker])
    sign_in(personas.city_admin)
    response = client.post(f"/skills/competitions/{competition.pk}/results/",
                           {"version": competition.version, f"rank_{entrants[0].pk}": "1",
                            f"rank_{entrants[1].pk}": "x"}, follow=True)
    assert "名次须为正整数。" in response.content.decode()
    assert Competition.objects.get(pk=competition.pk).results_recorded_at is None
    client.post(f"/skills/competitions/{competition.pk}/results/",
                {"version": competition.version, f"rank_{entrants[0].pk}": "1", f"rank_{entrants[1].pk}": "3"})
    page = client.get(f"/skills/competitions/{competition.pk}/").content.decode()
    assert "provincial-workers-top2-wuyi v1" in page and "张三" in page
    second = Entrant.objects.get(pk=entrants[1].pk)
    client.post(f"/skills/entrants/{second.pk}/correct/", {"version": second.version, "rank": "2"})
    assert Consequence.WUYI_MEDAL in cases_of(second)
    sign_in(personas.miyi_officer)
    page = client.get(f"/skills/competitions/{competition.pk}/").content.decode()
    assert "李梅" in page and "张三" not in page
    assert client.post(f"/skills/entrants/{second.pk}/correct/", {"version": 1, "rank": "9"}).status_code == 403
