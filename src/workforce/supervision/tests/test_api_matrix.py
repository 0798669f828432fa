"""The supervision API's write endpoints, each through the same four doors (STYLE.md): anonymous, a user
outside the record's scope, a user who sees it but may not act, and the one who may. A refusal changes
nothing; a success leaves exactly one change-log row, written through the API channel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from workforce.accounts.models import User
from workforce.core.models import ChangeLogEntry
from workforce.supervision.choices import FindingKind
from workforce.supervision.models import Finding, InspectionRound, Milestone, Rectification, Task
from workforce.supervision.services import inspections, roadmap
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tests.conftest import department, measure

D = datetime.date


@dataclass
class World:
    """A task of 市国资委 under §6 (led by 市总工会) with a milestone, and an inspection round of 市国资委 with a
    finding, one rectification item still open and one reported rectified."""

    task: Task
    milestone: Milestone
    round: InspectionRound
    finding: Finding
    open_item: Rectification
    reported_item: Rectification


@pytest.fixture
def world(plan, officers) -> World:
    admin = User.objects.get(username="admin")
    six = measure(plan, 6)
    task = roadmap.do_create_task(six, department("sasac"), {
        "title": "职代会全覆盖", "start_date": D(2020, 1, 1), "due_date": D(2020, 12, 31)}, acting_user=officers.sasac)
    milestone = roadmap.do_add_milestone(task, "出方案", DeadlineInput(due_date=D(2020, 3, 31)),
                                         acting_user=officers.sasac)
    inspection = inspections.do_start_round(plan, {
        "title": "专项督查", "started_on": D(2020, 6, 1), "measures": [six], "departments": [department("sasac")],
        "inspectors": [admin]}, acting_user=admin)
    finding = inspections.do_add_finding(inspection, {
        "measure": six, "department": department("sasac"), "kind": FindingKind.PROBLEM, "text": "职代会未按期召开"},
        acting_user=admin)
    open_item = inspections.do_add_rectification(finding, "召开职代会", DeadlineInput(due_date=D(2020, 8, 31)),
                                                 acting_user=admin)
    reported_item = inspections.do_add_rectification(finding, "更新厂务公开栏", DeadlineInput(due_date=D(2020, 8, 31)),
                                                     acting_user=admin)
    inspections.do_report_rectification(reported_item, "已更新", D(2020, 7, 1), acting_user=officers.sasac)
    return World(task, milestone, inspection, finding, open_item, reported_item)


# endpoint: (method, path, body, {door: expected status}); doors are anonymous, outside (市人社局: sees
# nothing of §6 or of this round), bystander (sees the record, may not act) and actor.
ENDPOINTS = {
    "start a round": ("post", lambda w: "/api/supervision/inspections/",
                      lambda w: {"title": "第二轮督查", "started_on": "2020-09-01", "departments": ["sasac"]},
                      {"anonymous": 401, "outside": 403, "bystander": ("leader", 403), "actor": ("admin", 201)}),
    "change a round": ("patch", lambda w: f"/api/supervision/inspections/{w.round.pk}/",
                       lambda w: {"title": "专项督查（改）", "departments": ["sasac", "hrss"]},
                       {"anonymous": 401, "outside": 403, "bystander": ("leader", 403), "actor": ("admin", 200)}),
    "close a round": ("post", lambda w: f"/api/supervision/inspections/{w.round.pk}/close/",
                      lambda w: {"note": "督查结束"},
                      {"anonymous": 401, "outside": 403, "bystander": ("leader", 403), "actor": ("admin", 200)}),
    "record a finding": ("post", lambda w: f"/api/supervision/inspections/{w.round.pk}/findings/",
                         lambda w: {"measure": w.finding.measure_id, "department": "sasac", "text": "厂务公开滞后"},
                         {"anonymous": 401, "outside": 404, "bystander": ("sasac", 403), "actor": ("admin", 201)}),
    "correct a finding": ("patch", lambda w: f"/api/supervision/findings/{w.finding.pk}/",
                          lambda w: {"text": "职代会连续两年未召开", "kind": "problem"},
                          {"anonymous": 401, "outside": 404, "bystander": ("sasac", 403), "actor": ("admin", 200)}),
    "set a rectification item": ("post", lambda w: f"/api/supervision/findings/{w.finding.pk}/rectifications/",
                                 lambda w: {"text": "建立职代会制度", "counted_from": "2020-06-01", "days": 30,
                                            "day_unit": "working"},
                                 {"anonymous": 401, "outside": 404, "bystander": ("sasac", 403),
                                  "actor": ("admin", 201)}),
    "move a rectification deadline": ("patch", lambda w: f"/api/supervision/rectifications/{w.open_item.pk}/",
                                      lambda w: {"due_date": "2020-09-30"},
                                      {"anonymous": 401, "outside": 404, "bystander": ("sasac", 403),
                                       "actor": ("admin", 200)}),
    "report a rectification": ("post", lambda w: f"/api/supervision/rectifications/{w.open_item.pk}/report/",
                               lambda w: {"note": "已召开职代会"},
                               {"anonymous": 401, "outside": 404, "bystander": ("union", 403),
                                "actor": ("sasac", 200)}),
    "close a rectification": ("post", lambda w: f"/api/supervision/rectifications/{w.reported_item.pk}/close/",
                              lambda w: {"decision": "close", "note": "同意销号"},
                              {"anonymous": 401, "outside": 404, "bystander": ("sasac", 403),
                               "actor": ("admin", 200)}),
    "add a milestone": ("post", lambda w: "/api/supervision/milestones/",
                        lambda w: {"task": w.task.pk, "title": "中期评估", "due_date": "2020-06-30"},
                        {"anonymous": 401, "outside": 404, "bystander": ("union", 403), "actor": ("sasac", 201)}),
    "change a milestone": ("patch", lambda w: f"/api/supervision/milestones/{w.milestone.pk}/",
                           lambda w: {"counted_from": "2020-03-31", "days": 5, "day_unit": "working"},
                           {"anonymous": 401, "outside": 404, "bystander": ("union", 403), "actor": ("sasac", 200)}),
    "complete a milestone": ("post", lambda w: f"/api/supervision/milestones/{w.milestone.pk}/complete/",
                             lambda w: {},
                             {"anonymous": 401, "outside": 404, "bystander": ("union", 403),
                              "actor": ("sasac", 200)}),
    "delete a task": ("delete", lambda w: f"/api/supervision/tasks/{w.task.pk}/", lambda w: None,
                      {"anonymous": 401, "outside": 404, "bystander": ("union", 403), "actor": ("sasac", 204)}),
}


def fingerprint() -> tuple:
    """Everything the endpoints could change."""
    return tuple(list(model.objects.order_by("pk").values()) for model in (
        Task, Milestone, InspectionRound, Finding, Rectification, ChangeLogEntry)) + (
        list(InspectionRound.departments.through.objects.order_by("pk").values()),)


def client_for(door: str, expected, officers) -> tuple[APIClient, int]:
    client = APIClient()
    if door == "anonymous":
        return client, expected
    if door == "outside":
        client.force_authenticate(officers.hrss)
        return client, expected
    username, status = expected
    client.force_authenticate(User.objects.get(username=username))
    return client, status


@pytest.mark.parametrize("door", ["anonymous", "outside", "bystander", "actor"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_write_endpoints_answer_each_door(world, officers, endpoint, door):
    method, path, body, doors = ENDPOINTS[endpoint]
    client, expected = client_for(door, doors[door], officers)
    before = fingerprint()
    entries = ChangeLogEntry.objects.count()
    response = getattr(client, method)(path(world), body(world), format="json")
    assert response.status_code == expected, response.content.decode()
    if door == "actor":
        assert ChangeLogEntry.objects.count() == entries + 1
        assert ChangeLogEntry.objects.latest("pk").channel == "api"
    else:
        assert fingerprint() == before


def test_a_rectification_closed_through_the_api_is_closed_with_the_note(world):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="admin"))
    response = client.post(f"/api/supervision/rectifications/{world.reported_item.pk}/close/",
                           {"decision": "return", "note": "栏目仍未更新"}, format="json")
    assert (response.json()["status"], response.json()["closing_note"]) == ("open", "栏目仍未更新")
    assert client.post(f"/api/supervision/rectifications/{world.open_item.pk}/close/", {"decision": "close"},
                       format="json").json() == {"non_field_errors": ["只有已报整改的事项可以销号或退回。"]}


def test_a_working_day_milestone_deadline_is_counted_by_the_service(world, officers):
    client = APIClient()
    client.force_authenticate(officers.sasac)
    response = client.patch(f"/api/supervision/milestones/{world.milestone.pk}/",
                            {"counted_from": "2020-09-30", "days": 1, "day_unit": "working"}, format="json")
    assert (response.json()["due_date"], response.json()["days"]) == ("2020-10-09", 1)


def test_a_deadline_without_a_date_or_a_day_count_is_a_400(world, officers):
    client = APIClient()
    client.force_authenticate(officers.sasac)
    response = client.post("/api/supervision/milestones/", {"task": world.task.pk, "title": "无期限"}, format="json")
    assert (response.status_code, response.json()) == (
        400, {"due_date": ["请填写截止日期，或填写起算日期、天数和计算方式。"]})
    assert world.task.milestones.count() == 1
