"""Officers see the members of their organisation and those below it: not sideways, not up (decision 0018)."""

from __future__ import annotations

import pytest

from workforce.registry.memberships import members_of
from workforce.registry.models import Worker
from workforce.unions.models import MembershipApplication, Organisation
from workforce.unions.selectors import members_in

pytestmark = pytest.mark.django_db


def member_ids(user):
    return {member.worker_id for member in members_in(Organisation.objects.in_scope_of(user))}


def test_base_officer_sees_own_union_members(tree):
    assert member_ids(tree.steel_officer) == {tree.steel_member.pk}


def test_district_officer_sees_members_below(tree):
    assert member_ids(tree.dongqu_union_officer) == {tree.steel_member.pk}


def test_district_officer_does_not_see_sideways(tree):
    assert member_ids(tree.miyi_union_officer) == set()
    assert set(Organisation.objects.in_scope_of(tree.miyi_union_officer)) == {tree.miyi, tree.miyi_joint}


def test_base_officer_does_not_see_up(tree):
    assert set(Organisation.objects.in_scope_of(tree.steel_officer)) == {tree.steel_union}


def test_federation_sees_the_whole_city(tree, personas):
    assert Organisation.objects.in_scope_of(personas.union_officer).count() == 7
    assert member_ids(personas.union_officer) == {tree.steel_member.pk}


@pytest.mark.parametrize("persona", ["steel_hr", "dongqu_officer", "leader", "worker_user", "training_school"])
def test_others_hold_no_union_scope(tree, personas, persona):
    user = getattr(personas, persona)
    assert not Organisation.objects.in_scope_of(user).exists()
    assert member_ids(user) == set()


def test_hr_sees_no_more_membership_than_before(tree, personas):
    """The registry's rule for HR is untouched: their own union's members only (decision 0009)."""
    assert members_of(Worker.objects.visible_to(personas.steel_hr), personas.steel_hr) == [tree.steel_member.pk]
    assert not personas.steel_hr.has_perm("unions.view_members")
    assert not MembershipApplication.objects.visible_to(personas.steel_hr).exists()


def test_union_officer_sees_no_registry_rows(tree):
    assert not Worker.objects.visible_to(tree.steel_officer).exists()
