"""The skills appraisal demo: bodies of every kind, sessions in every state, certificates in the registry,
the appraisal login acting for its body; kept on a second run."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from workforce.accounts.models import User
from workforce.demo.skills import ensure_skills_demo
from workforce.registry.models import Certificate
from workforce.skills.choices import BodyKind, SessionState
from workforce.skills.models import AppraisalBody, AppraisalSession, Candidate


@pytest.fixture
def demo(db):
    call_command("demo_data", "--workers", "400", "--seed", "2018", stdout=StringIO())
    call_command("demo_users", stdout=StringIO(), stderr=StringIO())


def test_skills_demo_builds_every_state_and_issues_certificates(demo):
    today = datetime.date.today()
    counts = ensure_skills_demo(today)
    assert counts["bodies"] == 4 and counts["certificates"] > 0
    assert set(AppraisalBody.objects.values_list("kind", flat=True)) == set(BodyKind.values)
    assert set(AppraisalSession.objects.values_list("state", flat=True)) == set(SessionState.values)
    assert AppraisalSession.objects.filter(state=SessionState.OPEN, date__gt=today).exists()
    assert Certificate.objects.filter(appraisal__isnull=False).count() == counts["certificates"]
    assert Candidate.objects.filter(scores_entered_at__isnull=True, session__state=SessionState.CLOSED).exists()
    body = AppraisalBody.objects.get(name="攀钢技能等级认定中心")
    assert list(body.staff.values_list("username", flat=True)) == ["appraisal"]
    assert User.objects.get(username="school").appraisal_bodies.count() == 1
    assert ensure_skills_demo(today) == {}  # kept
