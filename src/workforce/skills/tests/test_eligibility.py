"""Eligibility by rule, explained: boundaries, special grounds, rule versions by date and overlaps."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.core.choices import Channel
from workforce.core.models import ChangeLogEntry
from workforce.registry.choices import CertificateKind
from workforce.registry.models import Certificate, EmploymentSpell
from workforce.registry.services import add_certificate
from workforce.skills import services
from workforce.skills.choices import Ground
from workforce.skills.models import Candidate, EligibilityRule
from workforce.skills.tests.conftest import make_session

SYSTEM = Channel.SYSTEM


def certify(worker, appraisal, level, issued_on, number="X-1"):
    return add_certificate(worker, {"kind": CertificateKind.SKILL_LEVEL, "occupation": appraisal.occupation,
                                    "level": appraisal.level[level], "number": number, "issuer": "test",
                                    "issued_on": issued_on}, acting_user=None, channel=SYSTEM)


def judge(worker, appraisal, level, on, ground=Ground.STANDARD, basis=""):
    return services.judge_eligibility(worker, occupation=appraisal.occupation,
                                      level=appraisal.level[level] if level else None, ground=ground, basis=basis,
                                      on=on)


def test_years_exactly_met_is_eligible_and_explained(personas, appraisal):
    certify(personas.steel_worker, appraisal, 4, datetime.date(2021, 5, 1))
    judgement = judge(personas.steel_worker, appraisal, 3, datetime.date(2026, 5, 1))
    assert judgement.is_eligible
    assert judgement.rule.code == "standard-3"
    assert judgement.lines == ["需持有四级证书满 5 年：持有 2021-05-01 起，已满 5 年"]


def test_one_day_short_is_refused_naming_the_rule(personas, appraisal):
    certify(personas.steel_worker, appraisal, 4, datetime.date(2021, 5, 1))
    judgement = judge(personas.steel_worker, appraisal, 3, datetime.date(2026, 4, 30))
    assert not judgement.is_eligible
    assert judgement.lines == ["需持有四级证书满 5 年：持有 2021-05-01 起，2026-05-01 方满"]
    assert "三级/高级工申报条件（standard-3 v1）" in judgement.refusal


def test_a_higher_certificate_meets_a_lower_requirement(personas, appraisal):
    certify(personas.steel_worker, appraisal, 3, datetime.date(2020, 1, 1))
    assert judge(personas.steel_worker, appraisal, 4, datetime.date(2026, 1, 1)).is_eligible


def test_no_certificate_at_all(personas, appraisal):
    judgement = judge(personas.steel_worker, appraisal, 4, datetime.date(2026, 1, 1))
    assert not judgement.is_eligible
    assert judgement.lines == ["需持有五级证书满 4 年：未持有本职业该等级或更高等级证书"]


def test_entry_level_counts_years_in_the_occupation(personas, appraisal):
    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)
    EmploymentSpell.objects.filter(pk=spell.pk).update(occupation=appraisal.occupation,
                                                       start_date=datetime.date(2025, 3, 1))
    assert not judge(personas.steel_worker, appraisal, 5, datetime.date(2026, 2, 28)).is_eligible
    judgement = judge(personas.steel_worker, appraisal, 5, datetime.date(2026, 3, 1))
    assert judgement.is_eligible
    assert judgement.lines == ["需从事本职业满 1 年：累计 1 年（366 天）"]


def test_skip_level_needs_its_basis_recorded(personas, appraisal):
    certify(personas.steel_worker, appraisal, 5, datetime.date(2019, 6, 1))
    day = datetime.date(2026, 6, 1)
    without = judge(personas.steel_worker, appraisal, 3, day, Ground.SKIP_LEVEL)
    assert not without.is_eligible
    assert without.lines[-1] == "需记录特殊依据：未填写"
    granted = judge(personas.steel_worker, appraisal, 3, day, Ground.SKIP_LEVEL, "市人社局〔2026〕12号批复")
    assert granted.is_eligible
    assert granted.rule.code == "skip-level-3"
    assert granted.lines == ["需持有五级证书满 6 年：持有 2019-06-01 起，已满 7 年",
                             "需记录特殊依据：市人社局〔2026〕12号批复"]


def test_exceptional_candidate_two_years_after_the_prior_level(personas, appraisal):
    certify(personas.steel_worker, appraisal, 3, datetime.date(2024, 6, 1))
    day = datetime.date(2026, 6, 1)
    assert not judge(personas.steel_worker, appraisal, 2, day).is_eligible  # the ordinary rule wants 4 years
    judgement = judge(personas.steel_worker, appraisal, 2, day, Ground.EXCEPTIONAL, "省技术能手")
    assert judgement.is_eligible
    assert judgement.rule.code == "exceptional-2"


def test_young_worker_relaxed_years_only_up_to_the_age_limit(personas, appraisal):
    # 张三 was born 1980-01-01: too old for the §8 relaxation; 李梅 (1990-02-02) turns 36 on 2026-02-02.
    certify(personas.miyi_worker, appraisal, 4, datetime.date(2021, 1, 1), number="Y-1")
    young = judge(personas.miyi_worker, appraisal, 3, datetime.date(2026, 2, 1), Ground.YOUNG_WORKER)
    assert young.is_eligible
    assert young.lines == ["需持有四级证书满 3 年：持有 2021-01-01 起，已满 5 年",
                           "年龄不超过 35 周岁：2026-02-01 时 35 周岁"]
    older = judge(personas.miyi_worker, appraisal, 3, datetime.date(2026, 2, 2), Ground.YOUNG_WORKER)
    assert not older.is_eligible
    assert older.lines[-1] == "年龄不超过 35 周岁：2026-02-02 时 36 周岁"


def test_dual_certificate_student_needs_no_prior_level(personas, appraisal):
    judgement = judge(personas.steel_worker, appraisal, 4, datetime.date(2026, 6, 1), Ground.DUAL_CERTIFICATE,
                      "攀枝花技师学院在读（学籍号 2024001）")
    assert judgement.is_eligible
    assert judgement.rule.code == "dual-certificate-4"


def test_special_ability_has_no_level_and_no_prerequisite(personas, appraisal):
    judgement = judge(personas.steel_worker, appraisal, None, datetime.date(2026, 6, 1), Ground.SPECIAL_ABILITY)
    assert judgement.is_eligible
    assert judgement.lines == ["本规则无前置条件"]


def test_rule_version_chosen_by_the_session_date(personas, appraisal):
    rule = EligibilityRule.objects.get(code="standard-3")
    services.save_eligibility_rule({"effective_to": datetime.date(2025, 12, 31)}, rule=rule,
                                   acting_user=personas.city_admin, channel=SYSTEM)
    services.save_eligibility_rule({
        "code": "standard-3", "name": "三级/高级工申报条件", "ground": Ground.STANDARD,
        "target_level": appraisal.level[3], "prior_level": appraisal.level[4], "years_with_prior": 3,
        "effective_from": datetime.date(2026, 1, 1)}, acting_user=personas.city_admin, channel=SYSTEM)
    certify(personas.steel_worker, appraisal, 4, datetime.date(2022, 1, 1))
    before = judge(personas.steel_worker, appraisal, 3, datetime.date(2025, 12, 31))
    after = judge(personas.steel_worker, appraisal, 3, datetime.date(2026, 1, 1))
    assert (before.rule.version, before.is_eligible) == (1, False)
    assert (after.rule.version, after.is_eligible) == (2, True)
    history = ChangeLogEntry.objects.filter(object_repr__contains="standard-3").order_by("id")
    assert [entry.action for entry in history] == ["create", "update", "create"]
    assert history[1].after == {"effective_to": "2025-12-31"}


def test_overlapping_version_refused_with_a_clear_message(personas, appraisal):
    count = EligibilityRule.objects.count()
    with pytest.raises(ValidationError) as error:
        services.save_eligibility_rule({
            "code": "standard-3", "name": "x", "ground": Ground.STANDARD, "target_level": appraisal.level[3],
            "effective_from": datetime.date(2026, 1, 1)}, acting_user=personas.city_admin, channel=SYSTEM)
    assert error.value.message_dict["effective_from"] == [
        "与规则 standard-3 第 1 版的有效期（2019-01-01 至 长期）重叠；请先设定该版本的失效日期。"]
    assert EligibilityRule.objects.count() == count


def test_registration_refused_when_not_eligible_names_the_rule(personas, appraisal):
    session = make_session(appraisal, 3)
    with pytest.raises(ValidationError) as error:
        services.register_candidate(session, personas.steel_worker, acting_user=personas.worker_user,
                                    channel=SYSTEM)
    assert error.value.messages == [
        "不符合申报条件（三级/高级工申报条件（standard-3 v1））："
        "需持有四级证书满 5 年：未持有本职业该等级或更高等级证书"]
    assert not Candidate.objects.exists()
    assert not Certificate.objects.filter(worker=personas.steel_worker).exists()
