"""The supervision office (督查室): a city-wide role that reads all of supervision, runs inspections, reviews
the lead departments' reports and exports the annual report, and cannot touch the registry. Its
permissions are ``accounts.roles.SUPERVISION_OFFICE_PERMISSIONS``, written into its role by ``ensure_roles``."""

import datetime

import pytest
from rest_framework.test import APIClient

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.accounts.models import Role, User
from workforce.accounts.roles import SUPERVISION_OFFICE_PERMISSIONS
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD
from workforce.supervision.models import InspectionRound, ProgressReport, Task
from workforce.supervision.querysets import ALL, supervision_scope
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap
from workforce.supervision.tests.conftest import department, measure

D = datetime.date


@pytest.fixture
def office(plan, officers) -> User:
    return create_user("ducha", PASSWORD, role_code=RoleCode.SUPERVISION_OFFICE, display_name="市委督查室")


def test_the_office_role_is_city_wide_with_exactly_its_permissions(db):
    role = Role.objects.get(code=RoleCode.SUPERVISION_OFFICE)
    assert role.scope_kind == ScopeKind.CITY
    assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()) == sorted(
        set(SUPERVISION_OFFICE_PERMISSIONS))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_office_reads_every_departments_tasks_and_reports(office, plan, officers):
    roadmap.do_create_task(measure(plan, 8), department("hrss"), {
        "title": "订单式培训", "start_date": D(2020, 1, 1), "due_date": D(2020, 6, 30)}, acting_user=officers.hrss)
    report_services.do_start_reporting(plan, D(2020, 1, 1), open_until=D(2020, 2, 1), acting_user=office)
    assert supervision_scope(office) == ALL
    assert Task.objects.visible_to(office).count() == 1
    assert ProgressReport.objects.visible_to(office).count() == ProgressReport.objects.count() > 0


def test_the_office_starts_an_inspection_and_reviews_a_lead_departments_report(office, plan, officers):
    created = api(office).post("/api/supervision/inspections/", {
        "title": "专项督查", "started_on": "2020-06-01", "departments": ["city-union"]}, format="json")
    assert created.status_code == 201 and InspectionRound.objects.get().title == "专项督查"
    report_services.do_start_reporting(plan, D(2020, 1, 1), open_until=D(2020, 2, 1), acting_user=office)
    lead_report = ProgressReport.objects.get(measure=measure(plan, 6), department=department("city-union"))
    report_services.do_save_and_submit_report(lead_report, "总工会一季度进展", expected_version=None,
                                              acting_user=officers.union)
    answer = api(office).post(f"/api/supervision/reports/{lead_report.pk}/review/", {"decision": "accepted"},
                              format="json")
    assert (answer.status_code, answer.json()["status"]) == (200, "accepted")


def test_the_office_exports_the_annual_report(office, sign_in):
    response = sign_in(office).get("/supervision/annual/?year=2020&format=docx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith(
        'attachment; filename="annual-report-2020.docx"; filename*=UTF-8')


def test_the_office_cannot_read_or_change_registry_data(office, personas):
    client = api(office)
    assert client.get("/api/registry/workers/").status_code == 403
    assert client.post("/api/registry/employers/", {"name": "越权"}, format="json").status_code == 403
    assert not office.has_perm("registry.change_worker") and not office.has_perm("registry.view_worker")
