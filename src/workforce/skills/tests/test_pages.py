"""Pages and API through the doors people use: registration, score entry, publication, issuance, rules."""

from __future__ import annotations

import datetime

from rest_framework.test import APIClient

from workforce.core.choices import Channel
from workforce.registry.models import Certificate
from workforce.skills import services
from workforce.skills.choices import Ground, Outcome, SessionState
from workforce.skills.models import AppraisalSession, Candidate, EligibilityRule
from workforce.skills.tests.conftest import make_session

SYSTEM = Channel.SYSTEM


def test_worker_registers_on_the_phone_page_and_sees_the_explanation(client, sign_in, personas, appraisal):
    session = make_session(appraisal, None)
    sign_in(personas.worker_user)
    page = client.get("/skills/me/").content.decode()
    assert str(session) in page and "可报名的认定批次" in page
    response = client.post(f"/skills/sessions/{session.pk}/register/", {"ground": Ground.SPECIAL_ABILITY},
                           follow=True)
    assert "报名成功" in response.content.decode()
    assert "本规则无前置条件" in response.content.decode()
    again = client.post(f"/skills/sessions/{session.pk}/register/", {"ground": Ground.SPECIAL_ABILITY}, follow=True)
    assert "该职工已报名本批次，不能重复报名。" in again.content.decode()
    assert Candidate.objects.count() == 1


def test_hr_registering_someone_elses_worker_is_told_not_found(client, sign_in, personas, appraisal):
    session = make_session(appraisal, None)
    sign_in(personas.steel_hr)
    response = client.post(f"/skills/sessions/{session.pk}/register/",
                           {"id_number": "510421199002023340", "ground": Ground.SPECIAL_ABILITY}, follow=True)
    assert "未找到该身份证号对应的职工档案。" in response.content.decode()
    assert not Candidate.objects.exists()


def test_body_runs_a_session_to_certificates_on_the_pages(client, sign_in, personas, appraisal):
    session = make_session(appraisal, 4)
    sign_in(appraisal.body_user)
    client.post(f"/skills/sessions/{session.pk}/register/",
                {"id_number": "51040219800101123X", "ground": Ground.DUAL_CERTIFICATE, "basis": "技师学院在读"})
    session.refresh_from_db()
    client.post(f"/skills/sessions/{session.pk}/advance/", {"version": session.version})
    candidate = Candidate.objects.get()
    page = client.get(f"/skills/sessions/{session.pk}/").content.decode()
    assert "录入" in page
    client.post(f"/skills/candidates/{candidate.pk}/scores/",
                {"version": candidate.version, "theory_score": "82", "practical_score": "75"})
    stale = client.post(f"/skills/candidates/{candidate.pk}/scores/",
                        {"version": candidate.version, "theory_score": "99", "practical_score": "99"}, follow=True)
    assert "该记录已被他人修改" in stale.content.decode()
    session.refresh_from_db()
    client.post(f"/skills/sessions/{session.pk}/publish/", {"version": session.version})
    session.refresh_from_db()
    response = client.post(f"/skills/sessions/{session.pk}/issue/", {"version": session.version}, follow=True)
    assert "已向登记库颁发证书 1 本。" in response.content.decode()
    session = AppraisalSession.objects.get()
    assert session.state == SessionState.PUBLISHED
    certificate = Certificate.objects.get()
    assert (certificate.worker, certificate.level_id) == (personas.steel_worker, 4)
    assert Candidate.objects.get().outcome == Outcome.PASSED


def test_stale_page_cannot_advance_a_session(client, sign_in, appraisal):
    session = make_session(appraisal, 4, open_it=False)
    sign_in(appraisal.body_user)
    response = client.post(f"/skills/sessions/{session.pk}/advance/", {"version": session.version + 5}, follow=True)
    assert "请刷新" in response.content.decode()
    assert AppraisalSession.objects.get().state == SessionState.PLANNED


def test_body_creates_a_session_only_for_its_accredited_scope(client, sign_in, appraisal):
    sign_in(appraisal.body_user)
    response = client.post("/skills/sessions/new/", {
        "body": appraisal.body.pk, "occupation": appraisal.occupation.pk, "level": 3, "date": "2026-09-01",
        "venue": "攀钢培训中心", "quota": "20"})
    assert response.status_code == 302
    # The other body is not in the list at all.
    response = client.post("/skills/sessions/new/", {
        "body": appraisal.other_body.pk, "occupation": appraisal.occupation.pk, "level": 3, "date": "2026-09-01",
        "venue": "x", "quota": "20"})
    assert response.status_code == 200 and AppraisalSession.objects.count() == 1


def test_city_admin_adds_a_rule_version_and_sees_its_history(client, sign_in, personas, appraisal):
    sign_in(personas.city_admin)
    rule = EligibilityRule.objects.get(code="standard-4")
    client.post(f"/skills/rules/{rule.pk}/", {"effective_to": "2026-12-31"})
    response = client.post("/skills/rules/new/", {
        "code": "standard-4", "name": "四级/中级工申报条件", "ground": Ground.STANDARD, "target_level": 4,
        "prior_level": 5, "years_with_prior": 3, "effective_from": "2027-01-01"})
    assert response.status_code == 302
    overlap = client.post("/skills/rules/new/", {
        "code": "standard-4", "name": "x", "ground": Ground.STANDARD, "target_level": 4,
        "effective_from": "2026-06-01"})
    assert "重叠" in overlap.content.decode()
    assert list(EligibilityRule.objects.filter(code="standard-4").values_list("version", "effective_to")) == [
        (2, None), (1, datetime.date(2026, 12, 31))]
    page = client.get(f"/skills/rules/{rule.pk}/").content.decode()
    assert "effective_to=2026-12-31" in page


def test_hr_cannot_edit_rules(client, sign_in, personas, appraisal):
    sign_in(personas.steel_hr)
    assert client.get("/skills/rules/").status_code == 200
    assert client.get("/skills/rules/new/").status_code == 403
    rule = EligibilityRule.objects.get(code="standard-4")
    assert client.post(f"/skills/rules/{rule.pk}/", {"effective_to": "2026-12-31"}).status_code == 403
    assert EligibilityRule.objects.get(pk=rule.pk).effective_to is None


def test_ladder_on_the_registry_page_and_as_of_in_the_api(client, sign_in, personas, appraisal):
    session = make_session(appraisal, 4)
    services.register_candidate(session, personas.steel_worker, ground=Ground.DUAL_CERTIFICATE, basis="学籍",
                                acting_user=None, channel=SYSTEM)
    session = services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    candidate = Candidate.objects.get()
    services.enter_scores(candidate, {"theory_score": 90, "practical_score": 90}, expected_version=None,
                          acting_user=None, channel=SYSTEM)
    session = services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM,
                                       on=datetime.date(2026, 6, 20))
    services.issue_certificates(session, expected_version=None, acting_user=None, channel=SYSTEM)
    sign_in(personas.steel_hr)
    page = client.get(f"/registry/workers/{personas.steel_worker.pk}/").content.decode()
    assert "技能成长阶梯" in page and "PG2026000001" in page
    api = APIClient()
    api.force_authenticate(personas.worker_user)
    before = api.get(f"/api/skills/ladders/{personas.steel_worker.pk}/", {"on": "2026-06-19"}).json()
    after = api.get(f"/api/skills/ladders/{personas.steel_worker.pk}/", {"on": "2026-06-20"}).json()
    assert (before["highest_level"], before["steps"]) == (None, [])
    assert after["highest_level"] == 4 and after["steps"][0]["session"] == session.pk
    assert api.get(f"/api/skills/ladders/{personas.miyi_worker.pk}/").status_code == 404
    assert api.get(f"/api/skills/ladders/{personas.steel_worker.pk}/", {"on": "x"}).status_code == 400


def test_api_registration_and_scores(personas, appraisal):
    session = make_session(appraisal, None)
    api = APIClient()
    api.force_authenticate(personas.worker_user)
    created = api.post(f"/api/skills/sessions/{session.pk}/register/", {"ground": Ground.SPECIAL_ABILITY},
                       format="json")
    assert created.status_code == 201 and created.json()["route"] == "self"
    duplicate = api.post(f"/api/skills/sessions/{session.pk}/register/", {"ground": Ground.SPECIAL_ABILITY},
                         format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"non_field_errors": ["该职工已报名本批次，不能重复报名。"]}
    services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    body = APIClient()
    body.force_authenticate(appraisal.body_user)
    candidate = created.json()
    out_of_range = body.post(f"/api/skills/candidates/{candidate['id']}/scores/",
                             {"version": 1, "theory_score": "101", "practical_score": "80"}, format="json")
    assert out_of_range.status_code == 400 and "theory_score" in out_of_range.json()
    ok = body.post(f"/api/skills/candidates/{candidate['id']}/scores/",
                   {"version": 1, "theory_score": "70", "practical_score": "80"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = body.post(f"/api/skills/candidates/{candidate['id']}/scores/",
                      {"version": 1, "theory_score": "90", "practical_score": "90"}, format="json")
    assert stale.status_code == 409
