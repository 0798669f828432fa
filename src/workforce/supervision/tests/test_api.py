"""The supervision API: measures, tasks, reports (write, submit, review) and inspections, scoped."""

import datetime

import pytest
from rest_framework.test import APIClient

from workforce.accounts.models import User
from workforce.core.models import ChangeLogEntry
from workforce.supervision.models import ProgressReport
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tests.conftest import department, measure

D = datetime.date


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def reporting(plan, officers):
    report_services.do_start_reporting(plan, D(2020, 1, 1), acting_user=User.objects.get(username="admin"))
    report_services.open_reports(plan, D(2020, 2, 1))
    return plan


def test_measures_list_their_lead_and_responsible_departments(plan, officers):
    response = api(officers.sasac).get("/api/supervision/measures/", {"number": 1})
    row = response.json()["results"][0]
    assert [d["name_in_plan"] for d in row["lead_departments"]] == ["市委组织部"]
    assert [d["code"] for d in row["responsible_departments"]] == ["sasac", "federation-commerce"]


def test_a_department_creates_its_own_task_and_not_anothers(plan, officers):
    body = {"measure": measure(plan, 6).pk, "department": "sasac", "title": "职代会全覆盖",
            "start_date": "2020-01-01", "due_date": "2020-06-30"}
    created = api(officers.sasac).post("/api/supervision/tasks/", body, format="json")
    assert created.status_code == 201 and created.json()["department"] == "sasac"
    assert ChangeLogEntry.objects.filter(object_repr="职代会全覆盖", channel="api").count() == 1
    refused = api(officers.hrss).post("/api/supervision/tasks/", body | {"title": "越权"}, format="json")
    assert refused.status_code == 403
    assert api(officers.hrss).get(f"/api/supervision/tasks/{created.json()['id']}/").status_code == 404


def test_a_report_is_written_submitted_and_reviewed_through_the_api(reporting, officers):
    report = ProgressReport.objects.get(measure=measure(reporting, 6), department=department("sasac"))
    sasac = api(officers.sasac)
    saved = sasac.patch(f"/api/supervision/reports/{report.pk}/body/", {"body": "进展"}, format="json")
    assert saved.status_code == 200
    assert sasac.post(f"/api/supervision/reports/{report.pk}/submit/").json()["status"] == "submitted"
    assert sasac.post(f"/api/supervision/reports/{report.pk}/review/", {"decision": "accepted"},
                      format="json").status_code == 403
    answer = api(officers.union).post(f"/api/supervision/reports/{report.pk}/review/",
                                      {"decision": "returned", "comment": "请补充"}, format="json").json()
    assert answer["status"] == "returned" and answer["versions"][0]["review_comment"] == "请补充"


def test_a_bad_upload_is_a_clear_400(reporting, officers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = ProgressReport.objects.get(measure=measure(reporting, 6), department=department("sasac"))
    response = api(officers.sasac).post(f"/api/supervision/reports/{report.pk}/attachments/",
                                        {"file": SimpleUploadedFile("x.exe", b"MZ")}, format="multipart")
    assert response.status_code == 400 and "x.exe" in response.json()["non_field_errors"][0]


def test_reports_are_scoped(reporting, officers, personas):
    assert api(officers.hrss).get("/api/supervision/reports/").json()["count"] == ProgressReport.objects.filter(
        department=department("hrss")).count() + ProgressReport.objects.filter(
        measure__links__department=department("hrss"), measure__links__role="lead").exclude(
        department=department("hrss")).count()
    assert api(personas.dongqu_officer).get("/api/supervision/reports/").status_code == 403


def test_inspections_are_listed_with_the_findings_in_scope(plan, officers):
    from workforce.supervision.services import inspections

    admin = User.objects.get(username="admin")
    round_ = inspections.do_start_round(plan, {"title": "专项督查", "started_on": D(2020, 6, 1),
                                               "departments": [department("sasac")]}, acting_user=admin)
    for code in ("sasac", "hrss"):
        inspections.do_add_finding(round_, {"measure": measure(plan, 8), "department": department(code),
                                            "kind": "problem", "text": f"{code}问题"}, acting_user=admin)
    rows = api(officers.sasac).get("/api/supervision/inspections/").json()["results"]
    assert [(row["title"], [f["text"] for f in row["findings"]]) for row in rows] == [("专项督查", ["sasac问题"])]


def test_a_tasks_measure_cannot_be_changed_through_the_api(plan, officers):
    task = roadmap.do_create_task(measure(plan, 6), department("sasac"), {
        "title": "职代会全覆盖", "start_date": D(2020, 1, 1), "due_date": D(2020, 6, 30)}, acting_user=officers.sasac)
    response = api(officers.sasac).patch(f"/api/supervision/tasks/{task.pk}/", {"measure": measure(plan, 8).pk},
                                         format="json")
    assert (response.status_code, response.json()) == (400, {"measure": ["任务的举措和部门不能修改。"]})
    task.refresh_from_db()
    assert task.measure.number == 6


def test_the_inspections_list_takes_the_same_queries_for_one_round_or_five(plan, officers, django_assert_num_queries,
                                                                          django_assert_max_num_queries):
    from workforce.supervision.services import inspections

    admin = User.objects.get(username="admin")

    def add_round(number):
        round_ = inspections.do_start_round(plan, {"title": f"专项督查{number}", "started_on": D(2020, 6, number),
                                                   "departments": [department("sasac")]}, acting_user=admin)
        finding = inspections.do_add_finding(round_, {"measure": measure(plan, 8), "department": department("sasac"),
                                                      "kind": "problem", "text": f"问题{number}"}, acting_user=admin)
        inspections.do_add_rectification(finding, "整改", DeadlineInput(due_date=D(2020, 8, 31)), acting_user=admin)

    client = api(officers.sasac)
    add_round(1)
    client.get("/api/supervision/inspections/")  # the user's role and permissions are cached after this
    with django_assert_max_num_queries(6) as one:
        assert len(client.get("/api/supervision/inspections/").json()["results"]) == 1
    for number in range(2, 6):
        add_round(number)
    with django_assert_num_queries(len(one.captured_queries)):
        rows = client.get("/api/supervision/inspections/").json()["results"]
    assert [row["findings"][0]["text"] for row in rows] == ["问题5", "问题4", "问题3", "问题2", "问题1"]
    assert [len(row["findings"][0]["rectifications"]) for row in rows] == [1] * 5
