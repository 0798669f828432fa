"""The scope matrix: who sees which sessions and candidates on pages, in the API and in exports; and a refused
request changes nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workforce.core.choices import Channel
from workforce.core.models import AccessLogEntry
from workforce.skills import services
from workforce.skills.choices import Ground
from workforce.skills.models import Candidate
from workforce.skills.tests.conftest import make_session

SYSTEM = Channel.SYSTEM
BOTH = {"张三", "李梅"}
# who: (sees the session, candidates they see)
MATRIX = {
    "body_user": (True, BOTH),
    "other_body_user": (False, set()),
    "city_admin": (True, BOTH),
    "steel_hr": (True, {"张三"}),
    "small_firm_hr": (True, set()),
    "dongqu_officer": (True, {"张三"}),
    "miyi_officer": (True, {"李梅"}),
    "worker_user": (True, {"张三"}),
    "training_school": (False, set()),  # a training provider that is another body: its own sessions only
}


@pytest.fixture
def session(personas, appraisal):
    session = make_session(appraisal, None)
    services.register_candidate(session, personas.steel_worker, ground=Ground.SPECIAL_ABILITY,
                                acting_user=personas.steel_hr, channel=SYSTEM)
    services.register_candidate(session, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                acting_user=appraisal.body_user, channel=SYSTEM)
    return session


def person(personas, appraisal, who):
    return getattr(appraisal, who) if who.endswith("body_user") else getattr(personas, who)


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_session_page_shows_only_candidates_in_scope(client, sign_in, personas, appraisal, session, who):
    sees_session, names = MATRIX[who]
    sign_in(person(personas, appraisal, who))
    response = client.get(f"/skills/sessions/{session.pk}/")
    assert response.status_code == (200 if sees_session else 404)
    text = response.content.decode()
    assert {name for name in BOTH if name in text} == names
    assert "51040219800101123X" not in text  # never the whole ID number


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_api_lists_only_candidates_in_scope(personas, appraisal, session, who):
    client = APIClient()
    client.force_authenticate(person(personas, appraisal, who))
    response = client.get("/api/skills/candidates/", {"session": session.pk})
    assert response.status_code == 200
    assert {row["worker_name"] for row in response.json()["results"]} == MATRIX[who][1]
    assert client.get(f"/api/skills/sessions/{session.pk}/").status_code == (200 if MATRIX[who][0] else 404)


@pytest.mark.parametrize("who", ["body_user", "city_admin", "steel_hr", "dongqu_officer", "miyi_officer"])
def test_export_holds_only_candidates_in_scope(client, sign_in, personas, appraisal, session, who):
    sign_in(person(personas, appraisal, who))
    response = client.get(f"/skills/sessions/{session.pk}/export.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert {name for name in BOTH if name in body} == MATRIX[who][1]
    assert ("51040219800101123X" not in body and "510402********123X" in body) or "张三" not in body
    assert AccessLogEntry.objects.filter(event="export", target="appraisal-candidates.csv").count() == 1


def test_xlsx_export_and_unknown_format(client, sign_in, appraisal, session):
    sign_in(appraisal.body_user)
    response = client.get(f"/skills/sessions/{session.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/skills/sessions/{session.pk}/export.pdf").status_code == 404


def test_worker_and_leader_cannot_export(client, sign_in, personas, session):
    sign_in(personas.worker_user)
    assert client.get(f"/skills/sessions/{session.pk}/export.csv").status_code == 403
    sign_in(personas.leader)
    assert client.get(f"/skills/sessions/{session.pk}/").status_code == 403


def test_other_body_cannot_enter_scores_and_nothing_changes(personas, appraisal, session):
    services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    candidate = Candidate.objects.filter(session=session).first()
    client = APIClient()
    client.force_authenticate(appraisal.other_body_user)
    response = client.post(f"/api/skills/candidates/{candidate.pk}/scores/",
                           {"version": candidate.version, "theory_score": "80", "practical_score": "80"},
                           format="json")
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert (candidate.version, candidate.theory_score) == (1, None)


def test_training_provider_acting_for_a_body_runs_its_sessions(personas, appraisal):
    own = make_session(appraisal, None, body=appraisal.other_body)
    candidate = services.register_candidate(own, personas.miyi_worker, ground=Ground.SPECIAL_ABILITY,
                                            acting_user=personas.training_school, channel=SYSTEM)
    assert list(Candidate.objects.visible_to(personas.training_school)) == [candidate]


def test_anonymous_is_sent_to_sign_in_and_refused_by_the_api(client, session):
    assert client.get(f"/skills/sessions/{session.pk}/").status_code == 302
    assert APIClient().get("/api/skills/candidates/").status_code in (401, 403)
