"""Join, transfer and leave: applications, review with reasons, duplicates, and the roll written on approval."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.core.changelog import history_for
from workforce.core.choices import Channel
from workforce.core.encryption import decrypt, looks_sealed
from workforce.core.models import ChangeLogEntry
from workforce.registry import services as registry
from workforce.registry.memberships import memberships_of
from workforce.unions import services
from workforce.unions.choices import ApplicationChannel, ApplicationKind, ApplicationStatus
from workforce.unions.models import MembershipApplication, Organisation
from workforce.unions.selectors import members_in

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PAGE = Channel.PAGE


def roll(worker):
    return [(item.employer_id, item.valid_from, item.valid_to) for item in memberships_of(worker, None)]


def test_worker_applies_on_the_portal_and_officer_approves(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    assert (application.kind, application.status, application.channel) == (
        ApplicationKind.JOIN, ApplicationStatus.PENDING, ApplicationChannel.PORTAL)
    assert roll(personas.steel_worker) == []
    services.approve_application(application, acting_user=tree.steel_officer, channel=PAGE)
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.decided_on) == (
        ApplicationStatus.APPROVED, tree.steel_officer, TODAY)
    assert roll(personas.steel_worker) == [(personas.steel.pk, TODAY, None)]
    assert int(application.membership_ref) == memberships_of(personas.steel_worker, None)[0].id
    members = {member.worker_id for member in members_in(Organisation.objects.subtree(tree.steel_union))}
    assert members == {personas.steel_worker.pk, tree.steel_member.pk}


def test_application_never_stores_the_worker_in_plain(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    raw = MembershipApplication.objects.filter(pk=application.pk).extra(select={"raw": "worker_ref"}).values_list(
        "raw", flat=True).get()
    assert looks_sealed(raw) and decrypt(raw) == str(personas.steel_worker.pk)
    other = services.apply_to_join(tree.courier, tree.couriers, None)
    other_raw = MembershipApplication.objects.filter(pk=other.pk).extra(select={"raw": "worker_ref"}).values_list(
        "raw", flat=True).get()
    assert len(other_raw) == len(raw)  # filled to one length, whatever the id
    entry = ChangeLogEntry.objects.get(object_id=application.pk, action="create",
                                       content_type__model="membershipapplication")
    assert "worker" not in str(entry.after).lower() and "张三" not in str(entry.after)


def test_duplicate_pending_application_is_refused(tree, personas):
    services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    with pytest.raises(ValidationError, match="已有一份待审核的会籍申请"):
        services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    assert MembershipApplication.objects.count() == 1


def test_member_cannot_join_again(tree, personas):
    with pytest.raises(ValidationError, match="该职工已是工会会员；更换单位请申请转会"):
        services.apply_to_join(tree.steel_member, tree.steel_union, tree.steel_officer,
                               source=ApplicationChannel.WALK_IN)
    assert not MembershipApplication.objects.exists()


def test_union_must_cover_the_workers_employer(tree, personas):
    with pytest.raises(ValidationError, match="该工会不覆盖该职工目前所在的单位"):
        services.apply_to_join(personas.miyi_worker, tree.steel_union, None)
    with pytest.raises(ValidationError, match="请选择存续的基层工会"):
        services.apply_to_join(personas.miyi_worker, tree.miyi, None)
    with pytest.raises(ValidationError, match="该工会只接收快递员加入"):
        services.apply_to_join(personas.miyi_worker, tree.couriers, None)
    assert not MembershipApplication.objects.exists()


def test_worker_applies_only_for_themself(tree, personas):
    with pytest.raises(ValidationError, match="只能为本人提交会籍申请"):
        services.apply_to_join(personas.miyi_worker, tree.miyi_joint, personas.worker_user)


def test_walk_in_needs_the_union_in_the_officers_scope(tree, personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.apply_to_join(personas.miyi_worker, tree.miyi_joint, tree.dongqu_union_officer,
                               source=ApplicationChannel.WALK_IN)
    application = services.apply_to_join(personas.miyi_worker, tree.miyi_joint, tree.miyi_union_officer,
                                         source=ApplicationChannel.WALK_IN)
    assert application.submitted_by == tree.miyi_union_officer


def test_refusal_needs_a_reason_and_writes_no_roll(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    with pytest.raises(ValidationError, match="请填写不予批准的理由"):
        services.refuse_application(application, acting_user=tree.steel_officer, channel=PAGE, reason="  ")
    services.refuse_application(application, acting_user=tree.steel_officer, channel=PAGE, reason="材料不全")
    application.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.REFUSED, "材料不全")
    assert roll(personas.steel_worker) == []
    with pytest.raises(ValidationError, match="该申请已审核，不能重复审核"):
        services.approve_application(application, acting_user=tree.steel_officer, channel=PAGE)
    assert [entry.action for entry in history_for(application)] == ["update", "create"]


def test_review_outside_scope_is_refused_and_changes_nothing(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.approve_application(application, acting_user=tree.miyi_union_officer, channel=PAGE)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert roll(personas.steel_worker) == []


def test_district_officer_reviews_for_the_unions_below(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    services.approve_application(application, acting_user=tree.dongqu_union_officer, channel=PAGE)
    assert roll(personas.steel_worker) == [(personas.steel.pk, TODAY, None)]


def test_new_form_member_without_employer(tree):
    application = services.apply_to_join(tree.courier, tree.couriers, None)
    services.approve_application(application, acting_user=None, channel=Channel.SYSTEM)
    assert roll(tree.courier) == [(None, TODAY, None)]
    members = members_in(Organisation.objects.subtree(tree.renhe))
    assert [(member.worker_id, member.organisation_id) for member in members] == [(tree.courier.pk, tree.couriers.pk)]


def test_transfer_when_the_worker_changes_employer(tree, personas):
    member = tree.steel_member
    spell = member.spells.get()
    registry.end_employment(spell, TODAY - datetime.timedelta(days=10), expected_version=None, acting_user=None,
                            channel=Channel.SYSTEM)
    registry.add_employment(member, {"employer": personas.miyi_mine, "start_date": TODAY - datetime.timedelta(days=9)},
                            acting_user=None, channel=Channel.SYSTEM)
    with pytest.raises(ValidationError, match="该职工已是工会会员"):
        services.apply_to_join(member, tree.miyi_joint, None)
    application = services.apply_to_transfer(member, tree.miyi_joint, None)
    assert application.from_organisation == tree.steel_union
    services.approve_application(application, acting_user=tree.miyi_union_officer, channel=PAGE)
    assert sorted(roll(member), key=lambda row: row[1]) == [
        (personas.steel.pk, datetime.date(2021, 5, 1), TODAY - datetime.timedelta(days=1)),
        (personas.miyi_mine.pk, TODAY, None)]
    assert {m.worker_id for m in members_in(Organisation.objects.subtree(tree.miyi))} == {member.pk}
    assert {m.worker_id for m in members_in(Organisation.objects.subtree(tree.dongqu))} == set()


def test_transfer_to_the_same_union_is_refused(tree):
    with pytest.raises(ValidationError, match="转入工会与现所在工会相同"):
        services.apply_to_transfer(tree.steel_member, tree.steel_union, None)


def test_non_member_cannot_transfer_or_leave(tree, personas):
    with pytest.raises(ValidationError, match="该职工目前不是工会会员，请申请入会"):
        services.apply_to_transfer(personas.steel_worker, tree.steel_union, None)
    with pytest.raises(ValidationError, match="该职工目前不是工会会员"):
        services.apply_to_leave(personas.steel_worker, None)


def test_leaving_ends_the_membership(tree):
    application = services.apply_to_leave(tree.steel_member, tree.steel_officer, source=ApplicationChannel.WALK_IN)
    assert application.organisation == tree.steel_union
    services.approve_application(application, acting_user=tree.steel_officer, channel=PAGE)
    assert roll(tree.steel_member) == [(tree.steel_member.spells.get().employer_id, datetime.date(2021, 5, 1), TODAY)]
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert members_in(Organisation.objects.subtree(tree.steel_union), tomorrow) == []


def test_approval_writes_a_sealed_roll_row_in_the_workers_history(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    before = ChangeLogEntry.objects.filter(object_id=personas.steel_worker.pk,
                                           content_type__model="worker").count()
    services.approve_application(application, acting_user=tree.steel_officer, channel=PAGE)
    rows = ChangeLogEntry.objects.filter(object_id=personas.steel_worker.pk, content_type__model="worker")
    assert rows.count() == before + 1
    assert rows.order_by("-pk").first().user == tree.steel_officer


