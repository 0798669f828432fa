"""The unions API: scope of members and applications, the portal's own applications, review."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workforce.core.models import AccessLogEntry
from workforce.unions import services
from workforce.unions.choices import ApplicationStatus
from workforce.unions.models import MembershipApplication

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_members_follow_the_tree(tree):
    url = f"/api/unions/organisations/{tree.dongqu.pk}/members/"
    response = client_for(tree.dongqu_union_officer).get(url)
    assert response.status_code == 200
    assert [row["worker"]["name"] for row in response.json()] == ["王钢"]
    assert AccessLogEntry.objects.filter(event="unmask").count() == 1
    assert client_for(tree.miyi_union_officer).get(url).status_code == 404
    assert client_for(tree.steel_officer).get(url).status_code == 404


def test_hr_gets_no_union_api(tree, personas):
    client = client_for(personas.steel_hr)
    assert client.get(f"/api/unions/organisations/{tree.steel_union.pk}/members/").status_code == 403
    assert client.get("/api/unions/applications/").status_code == 403


def test_worker_applies_and_sees_only_their_own(tree, personas):
    client = client_for(personas.worker_user)
    response = client.post("/api/unions/applications/", {"kind": "join", "organisation": tree.steel_union.pk},
                           format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and response.json()["applicant"]["name"] == "张三"
    again = client.post("/api/unions/applications/", {"kind": "join", "organisation": tree.steel_union.pk},
                        format="json")
    assert again.status_code == 400 and "已有一份待审核的会籍申请" in again.content.decode()
    services.apply_to_join(tree.courier, tree.couriers, None)
    assert [row["applicant"]["name"] for row in client.get("/api/unions/applications/").json()["results"]] == ["张三"]


def test_review_through_the_api(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    outsider = client_for(tree.miyi_union_officer)
    assert outsider.post(f"/api/unions/applications/{application.pk}/approve/").status_code == 404
    officer = client_for(tree.steel_officer)
    refused = officer.post(f"/api/unions/applications/{application.pk}/refuse/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "请填写不予批准的理由" in refused.content.decode()
    approved = officer.post(f"/api/unions/applications/{application.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert MembershipApplication.objects.get().status == ApplicationStatus.APPROVED


def test_worker_cannot_review(tree, personas):
    application = services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    response = client_for(personas.worker_user).post(f"/api/unions/applications/{application.pk}/approve/")
    assert response.status_code == 403
