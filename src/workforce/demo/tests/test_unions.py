"""The unions' demo: a tree over the registry's demo, posts for the union logins, applications in every state."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from workforce.accounts.models import User
from workforce.demo.parts import DemoContext
from workforce.demo.unions import build
from workforce.registry.choices import EmployerFactKind
from workforce.registry.models import EmployerFact
from workforce.unions.choices import ApplicationStatus, OrganisationKind
from workforce.unions.models import MembershipApplication, Organisation, OrganisationCoverage
from workforce.unions.selectors import members_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo_data", "--workers", "400", "--seed", "2018", stdout=StringIO())
    call_command("demo_users", stdout=StringIO())
    today = datetime.date.today()
    return build(DemoContext(today=today, workers=400, say=lambda line: None)), today


def test_every_open_union_fact_is_covered_by_a_base_union(demo):
    _line, today = demo
    facts = set(EmployerFact.objects.filter(kind=EmployerFactKind.UNION).on(today).values_list("employer_id",
                                                                                               flat=True))
    covered = set(OrganisationCoverage.objects.on(today).values_list("employer_id", flat=True))
    assert facts == covered and facts


def test_the_tree_has_every_level(demo):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {OrganisationKind.FEDERATION, OrganisationKind.DISTRICT, OrganisationKind.INDUSTRY,
            OrganisationKind.ENTERPRISE, OrganisationKind.NEW_FORM} <= kinds
    assert Organisation.objects.filter(kind=OrganisationKind.DISTRICT).count() == 5
    assert Organisation.objects.filter(kind=OrganisationKind.NEW_FORM).count() == 8


def test_union_logins_hold_posts_and_see_their_members(demo):
    posts = {username: User.objects.get(username=username).union_post.organisation
             for username in ("union", "union-dongqu", "union-base")}
    assert posts["union"].kind == OrganisationKind.FEDERATION
    assert posts["union-dongqu"].name == "东区总工会"
    assert posts["union-base"].kind == OrganisationKind.ENTERPRISE
    base = User.objects.get(username="union-base")
    assert members_in(Organisation.objects.in_scope_of(base))


def test_applications_in_every_state(demo):
    states = set(MembershipApplication.objects.values_list("status", flat=True))
    assert states == {ApplicationStatus.PENDING, ApplicationStatus.APPROVED, ApplicationStatus.REFUSED}


def test_a_second_run_keeps_the_tree(demo):
    count = Organisation.objects.count()
    line = build(DemoContext(today=datetime.date.today(), say=lambda text: None))
    assert line.startswith("kept the") and Organisation.objects.count() == count
