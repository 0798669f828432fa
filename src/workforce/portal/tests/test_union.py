"""The worker's union page on the phone: join, a duplicate refused, transfer and leave through the unions app's
services, and nothing for staff."""

from __future__ import annotations

import datetime

from django.test import Client

from workforce.core.choices import Channel
from workforce.registry import services as registry
from workforce.unions import services
from workforce.unions.choices import ApplicationKind, ApplicationStatus
from workforce.unions.models import MembershipApplication
from workforce.unions.tests.conftest import tree  # noqa: F401  (the union tree fixture)

SYSTEM = {"acting_user": None, "channel": Channel.SYSTEM}


def worker_client(personas) -> Client:
    client = Client()
    client.force_login(personas.worker_user)
    return client


def test_a_worker_applies_to_join_their_employers_union_once(personas, tree):  # noqa: F811
    client = worker_client(personas)
    page = client.get("/portal/union/")
    assert page.status_code == 200
    assert "您目前不是工会会员" in page.content.decode() and tree.steel_union.name in page.content.decode()
    assert tree.miyi_joint.name not in page.content.decode()  # not their employer's union

    response = client.post("/portal/union/", {"action": "join", "organisation": tree.steel_union.pk})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    application = MembershipApplication.objects.get()
    assert (application.kind, application.status, application.organisation) == (
        ApplicationKind.JOIN, ApplicationStatus.PENDING, tree.steel_union)
    assert "等待基层工会审核" in client.get("/portal/union/").content.decode()
    assert "入会" in client.get("/portal/").content.decode()  # listed among 我的申请

    again = client.post("/portal/union/", {"action": "join", "organisation": tree.steel_union.pk})
    assert again.status_code == 400 and "请勿重复提交" in again.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_another_unions_number_changes_nothing(personas, tree):  # noqa: F811
    response = worker_client(personas).post("/portal/union/", {"action": "join", "organisation": tree.miyi_joint.pk})
    assert response.status_code == 400 and "请选择要申请加入的工会" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_a_member_may_apply_to_leave(personas, tree):  # noqa: F811
    registry.start_union_membership(personas.steel_worker, datetime.date(2022, 1, 1), employer=personas.steel,
                                    **SYSTEM)
    client = worker_client(personas)
    assert "您是工会会员" in client.get("/portal/union/").content.decode()
    assert client.post("/portal/union/", {"action": "leave"}).status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.kind, application.organisation) == (ApplicationKind.LEAVE, tree.steel_union)
    approved = services.approve_application(application, acting_user=tree.steel_officer, channel=Channel.PAGE)
    assert approved.status == ApplicationStatus.APPROVED


def test_staff_have_no_union_page_of_their_own(personas, tree, client, sign_in):  # noqa: F811
    sign_in(personas.city_admin)
    assert client.get("/portal/union/").status_code == 404
