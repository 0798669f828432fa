"""The union pages and exports: scope down the tree, never sideways or up; listing members is logged."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from workforce.core.models import AccessLogEntry
from workforce.unions import services
from workforce.unions.choices import ApplicationStatus
from workforce.unions.models import MembershipApplication

pytestmark = pytest.mark.django_db


def test_tree_page_lists_the_whole_tree(tree, personas, sign_in):
    response = sign_in(tree.steel_officer).get(reverse("unions:tree"))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("攀枝花市总工会", "东区总工会", "攀钢集团工会", "米易县白马联合工会", "仁和区快递员工会"):
        assert name in text


def test_base_officer_lists_own_members_and_the_look_is_logged(tree, personas, sign_in):
    url = reverse("unions:member_list", args=[tree.steel_union.pk])
    response = sign_in(tree.steel_officer).get(url)
    assert response.status_code == 200
    assert "王钢" in response.content.decode()
    entry = AccessLogEntry.objects.get(event="unmask")
    assert (entry.user, entry.target) == (tree.steel_officer, f"unions.organisation:{tree.steel_union.pk}:members")


@pytest.mark.parametrize(("officer", "organisation", "status"), [
    ("steel_officer", "steel_union", 200),
    ("steel_officer", "dongqu", 404),        # up
    ("steel_officer", "miyi_joint", 404),    # sideways
    ("dongqu_union_officer", "steel_union", 200),  # down
    ("dongqu_union_officer", "dongqu", 200),
    ("dongqu_union_officer", "miyi", 404),
    ("miyi_union_officer", "steel_union", 404),
])
def test_member_pages_follow_the_tree(tree, sign_in, officer, organisation, status):
    client = sign_in(getattr(tree, officer))
    pk = getattr(tree, organisation).pk
    assert client.get(reverse("unions:member_list", args=[pk])).status_code == status
    assert client.get(reverse("unions:member_export", args=[pk, "csv"])).status_code == status


@pytest.mark.parametrize("persona", ["steel_hr", "dongqu_officer", "leader"])
def test_other_roles_get_no_member_pages(tree, personas, sign_in, persona):
    client = sign_in(getattr(personas, persona))
    assert client.get(reverse("unions:member_list", args=[tree.steel_union.pk])).status_code == 403
    assert client.get(reverse("unions:member_export", args=[tree.steel_union.pk, "csv"])).status_code == 403
    assert not AccessLogEntry.objects.filter(event="unmask").exists()


def test_export_holds_only_the_subtree_and_is_logged(tree, personas, sign_in):
    application = services.apply_to_join(personas.miyi_worker, tree.miyi_joint, None)
    services.approve_application(application, acting_user=None, channel="system")
    response = sign_in(tree.dongqu_union_officer).get(reverse("unions:member_export", args=[tree.dongqu.pk, "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "王钢" in body and "李梅" not in body
    assert "510402********1016" in body and "19850505" not in body
    assert set(AccessLogEntry.objects.values_list("event", flat=True)) == {"export", "unmask"}


def test_member_filter_cannot_reach_sideways(tree, personas, sign_in):
    application = services.apply_to_join(personas.miyi_worker, tree.miyi_joint, None)
    services.approve_application(application, acting_user=None, channel="system")
    url = reverse("unions:member_list", args=[tree.dongqu.pk])
    response = sign_in(tree.dongqu_union_officer).get(url, {"organisation": tree.miyi_joint.pk})
    text = response.content.decode()
    assert "李梅" not in text and "王钢" in text  # an organisation outside the subtree is not a valid choice


def test_officer_reviews_on_the_page(tree, personas, sign_in):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    client = sign_in(tree.steel_officer)
    page = client.get(reverse("unions:application_detail", args=[application.pk]))
    assert "张三" in page.content.decode()
    response = client.post(reverse("unions:application_review", args=[application.pk]),
                           {"decision": "refuse", "reason": ""}, follow=True)
    assert "请填写不予批准的理由" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    client.post(reverse("unions:application_review", args=[application.pk]), {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_application_of_another_union_is_404(tree, personas, sign_in):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    client = sign_in(tree.miyi_union_officer)
    assert client.get(reverse("unions:application_detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("unions:application_review", args=[application.pk]),
                       {"decision": "approve"}).status_code == 404
    assert "张三" not in client.get(reverse("unions:application_list")).content.decode()


def test_walk_in_application(tree, personas, sign_in):
    client = sign_in(tree.miyi_union_officer)
    response = client.post(reverse("unions:application_create"), {
        "id_number": "510421199002023340", "kind": "join", "organisation": tree.miyi_joint.pk})
    application = MembershipApplication.objects.get()
    assert response.status_code == 302 and application.channel == "walk_in"
    lookup = AccessLogEntry.objects.get(event="unmask")
    assert (lookup.user, lookup.target) == (tree.miyi_union_officer, f"worker:{personas.miyi_worker.pk}")
    again = client.post(reverse("unions:application_create"), {
        "id_number": "510421199002023340", "kind": "join", "organisation": tree.miyi_joint.pk})
    assert "已有一份待审核的会籍申请" in again.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_walk_in_cannot_pick_a_union_outside_scope(tree, personas, sign_in):
    response = sign_in(tree.miyi_union_officer).post(reverse("unions:application_create"), {
        "id_number": "51040219800101123X", "kind": "join", "organisation": tree.steel_union.pk})
    assert response.status_code == 200
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_in_both_languages(tree, personas, sign_in, language):
    client = sign_in(tree.dongqu_union_officer)
    client.cookies["django_language"] = language
    with translation.override(language):  # the middleware's language must not outlive the test
        for url in (reverse("unions:tree"), reverse("unions:organisation_detail", args=[tree.dongqu.pk]),
                    reverse("unions:member_list", args=[tree.dongqu.pk]), reverse("unions:application_list"),
                    reverse("unions:application_create")):
            assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
        heading = {"zh-hans": "工会组织体系", "en": "Union organisation tree"}[language]
        assert heading in client.get(reverse("unions:tree"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_home_card_counts_pending_applications_in_scope(tree, personas, sign_in):
    services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    steel = sign_in(tree.steel_officer).get("/").content.decode()
    assert 'id="unions-card"' in steel and "攀钢集团工会" in steel and "1 份申请待审核" in steel
    miyi = sign_in(tree.miyi_union_officer).get("/").content.decode()
    assert "米易县总工会" in miyi and "0 份申请待审核" in miyi
    assert 'id="unions-card"' not in sign_in(personas.steel_hr).get("/").content.decode()
