"""Sessions, registration, scores, publication and certificate issuance into the registry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from workforce.core.changelog import StaleRecordError
from workforce.core.choices import Channel
from workforce.core.models import ChangeLogEntry
from workforce.registry.choices import CertificateKind
from workforce.registry.models import Certificate
from workforce.registry.services import add_certificate
from workforce.skills import services
from workforce.skills.choices import Ground, Outcome, RegistrationRoute, SessionState
from workforce.skills.models import AppraisalBody, AppraisalSession, Candidate
from workforce.skills.tests.conftest import make_session

SYSTEM = Channel.SYSTEM


def closed_with(appraisal, personas, level=4, ground=Ground.DUAL_CERTIFICATE, workers=None):
    """A level-``level`` session, the given workers registered on a ground with no prerequisite, then closed."""
    session = make_session(appraisal, level)
    for worker in workers or [personas.steel_worker]:
        services.register_candidate(session, worker, ground=ground, basis="技师学院在读", acting_user=None,
                                    channel=SYSTEM)
    return services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)


def scores(candidate, theory, practical, defence=None, **extra):
    return services.enter_scores(candidate, {"theory_score": theory, "practical_score": practical,
                                             "defence_score": defence, **extra},
                                 expected_version=candidate.version, acting_user=None, channel=SYSTEM)


def test_worker_registers_themself_once(personas, appraisal):
    session = make_session(appraisal, None)
    candidate = services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY,
                                            acting_user=personas.worker_user, channel=SYSTEM)
    assert (candidate.route, candidate.rule.code) == (RegistrationRoute.SELF, "special-ability")
    with pytest.raises(ValidationError) as error:
        services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY,
                                    acting_user=personas.steel_hr, channel=SYSTEM)
    assert error.value.messages == ["该职工已报名本批次，不能重复报名。"]
    assert Candidate.objects.count() == 1


def test_hr_registers_own_staff_only(personas, appraisal):
    session = make_session(appraisal, None)
    candidate = services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY,
                                            acting_user=personas.steel_hr, channel=SYSTEM)
    assert candidate.route == RegistrationRoute.EMPLOYER
    with pytest.raises(PermissionDenied):
        services.register_candidate(session, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                    acting_user=personas.steel_hr, channel=SYSTEM)
    with pytest.raises(PermissionDenied):  # nor may a worker register someone else
        services.register_candidate(session, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                    acting_user=personas.worker_user, channel=SYSTEM)
    assert Candidate.objects.count() == 1


def test_body_registers_for_its_own_sessions_only(personas, appraisal):
    own = make_session(appraisal, None)
    other = make_session(appraisal, None, body=appraisal.other_body)
    candidate = services.register_candidate(own, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                            acting_user=appraisal.body_user, channel=SYSTEM)
    assert candidate.route == RegistrationRoute.BODY
    with pytest.raises(PermissionDenied):
        services.register_candidate(other, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                    acting_user=appraisal.body_user, channel=SYSTEM)


def test_quota_is_respected(personas, appraisal):
    session = make_session(appraisal, None, quota=1)
    services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY, acting_user=None,
                                channel=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.register_candidate(session, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY, acting_user=None,
                                    channel=SYSTEM)
    assert error.value.messages == ["本批次名额（1 人）已满。"]


def test_registration_only_while_open(personas, appraisal):
    session = make_session(appraisal, None, open_it=False)
    with pytest.raises(ValidationError) as error:
        services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY,
                                    acting_user=None, channel=SYSTEM)
    assert error.value.messages == ["该批次当前不在报名期（计划中）。"]


def test_session_outside_accreditation_refused(personas, appraisal):
    with pytest.raises(ValidationError) as error:
        make_session(appraisal, 4, date=datetime.date(2031, 1, 1))
    assert "不在该机构的备案有效期" in error.value.messages[0]
    assert not AppraisalSession.objects.exists()


@pytest.mark.parametrize(("theory", "practical", "field"), [
    ("100.5", "80", "theory_score"), ("-1", "80", "theory_score"), ("80", "abc", "practical_score"),
    ("80", "60.25", "practical_score")])
def test_scores_out_of_range_refused(personas, appraisal, theory, practical, field):
    session = closed_with(appraisal, personas)
    candidate = session.candidates.get()
    with pytest.raises(ValidationError) as error:
        scores(candidate, theory, practical)
    assert field in error.value.message_dict
    candidate.refresh_from_db()
    assert (candidate.theory_score, candidate.scores_entered_at, candidate.version) == (None, None, 1)


def test_scores_entered_twice_refused(personas, appraisal):
    session = closed_with(appraisal, personas)
    candidate = scores(session.candidates.get(), "75", "80")
    with pytest.raises(ValidationError) as error:
        scores(candidate, "90", "90")
    assert error.value.messages == ["该考生成绩已录入，不能重复录入。"]
    candidate.refresh_from_db()
    assert candidate.theory_score == Decimal("75.0")


def test_concurrent_entry_one_wins_other_told_to_reload(personas, appraisal):
    session = closed_with(appraisal, personas)
    first_read = session.candidates.get()
    second_read = session.candidates.get()
    scores(first_read, "70", "70")
    with pytest.raises(StaleRecordError) as error:
        scores(second_read, "95", "95")
    assert "请刷新" in error.value.message
    assert Candidate.objects.get().theory_score == Decimal("70.0")


def test_defence_required_for_technician_and_above(personas, appraisal):
    session = make_session(appraisal, 2)
    Candidate.objects.create(session=session, worker=personas.steel_worker, route=RegistrationRoute.BODY,
                             rule_id=services.rule_in_force(Ground.STANDARD, 2, session.date).pk)
    session = services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    with pytest.raises(ValidationError) as error:
        scores(session.candidates.get(), "80", "80")
    assert error.value.message_dict == {"defence_score": ["技师及以上等级须录入综合评审（答辩）成绩。"]}


def test_pass_rules_per_level_at_the_mark(personas, appraisal):
    session = closed_with(appraisal, personas, workers=[personas.steel_worker, personas.miyi_worker])
    passing, failing = session.candidates.order_by("pk")
    scores(passing, "60", "60")
    scores(failing, "60", "59.9")
    services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM,
                             on=datetime.date(2026, 6, 20))
    assert dict(Candidate.objects.values_list("worker__name", "outcome")) == {"张三": Outcome.PASSED,
                                                                              "李梅": Outcome.FAILED}
    assert AppraisalSession.objects.get().state == SessionState.PUBLISHED


def test_publish_refused_while_scores_missing(personas, appraisal):
    session = closed_with(appraisal, personas)
    with pytest.raises(ValidationError) as error:
        services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM)
    assert error.value.messages == ["还有 1 名考生未录入成绩（缺考也须登记）。"]
    assert AppraisalSession.objects.get().state == SessionState.CLOSED


def published(appraisal, personas):
    session = closed_with(appraisal, personas, workers=[personas.steel_worker, personas.miyi_worker])
    first, second = session.candidates.order_by("pk")
    scores(first, "88", "91")
    scores(second, "77", "65")
    return services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM,
                                    on=datetime.date(2026, 6, 20))


def test_certificates_issued_in_one_call_from_the_body_series(personas, appraisal):
    session = published(appraisal, personas)
    issued = services.issue_certificates(session, expected_version=None, acting_user=appraisal.body_user,
                                         channel=SYSTEM)
    assert [certificate.number for certificate in issued] == ["PG2026000001", "PG2026000002"]
    assert {(c.worker.name, c.level_id, c.issuer, c.issued_on) for c in issued} == {
        ("张三", 4, "攀钢技能等级认定中心", datetime.date(2026, 6, 20)),
        ("李梅", 4, "攀钢技能等级认定中心", datetime.date(2026, 6, 20))}
    assert AppraisalBody.objects.get(pk=appraisal.body.pk).last_number == 2
    entry = ChangeLogEntry.objects.get(content_type=ContentType.objects.get_for_model(Certificate),
                                       object_id=str(issued[0].pk))
    assert entry.source_content_type == ContentType.objects.get_for_model(AppraisalSession)
    assert entry.source_object_id == str(session.pk)
    assert entry.user == appraisal.body_user
    with pytest.raises(ValidationError) as error:
        services.issue_certificates(session, expected_version=None, acting_user=None, channel=SYSTEM)
    assert error.value.messages == ["本批次证书已颁发，不能重复颁发。"]
    assert Certificate.objects.count() == 2


def test_number_clash_changes_nothing(personas, appraisal):
    session = published(appraisal, personas)
    outsider = add_certificate(personas.miyi_worker, {
        "kind": CertificateKind.SKILL_LEVEL, "occupation": appraisal.occupation, "level": appraisal.level[5],
        "number": "PG2026000002", "issuer": "手工录入", "issued_on": datetime.date(2020, 1, 1)},
        acting_user=None, channel=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.issue_certificates(session, expected_version=None, acting_user=None, channel=SYSTEM)
    assert error.value.messages == [
        "证书编号 PG2026000002 已在登记库中存在，本次未颁发任何证书；请核对该机构的证书编号前缀和流水号。"]
    assert list(Certificate.objects.values_list("pk", flat=True)) == [outsider.pk]
    assert AppraisalBody.objects.get(pk=appraisal.body.pk).last_number == 0
    assert AppraisalSession.objects.get().certificates_issued_at is None
    assert not Candidate.objects.filter(certificate__isnull=False).exists()


def test_only_the_body_staff_run_a_session(personas, appraisal):
    session = make_session(appraisal, None)
    with pytest.raises(PermissionDenied):
        services.advance_session(session, expected_version=None, acting_user=appraisal.other_body_user,
                                 channel=SYSTEM)
    assert AppraisalSession.objects.get().state == SessionState.OPEN
