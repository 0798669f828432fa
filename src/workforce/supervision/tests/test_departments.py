"""One list of departments (issue 15 point 7): the annual report, the matrix and the measure pages name each
department by its official name; the plan's older names are kept as former names."""

from __future__ import annotations

import datetime

from workforce.accounts.departments import DEPARTMENTS
from workforce.accounts.models import Department
from workforce.accounts.services import ensure_department
from workforce.supervision import selectors
from workforce.supervision.annual import build_annual_report


def test_departments_renamed_since_the_plan_have_their_official_name_and_the_plans_as_former(plan):
    assert Department.objects.get(code="education").name == "市教育和体育局"
    assert Department.objects.get(code="education").former_names == ["市教育体育局"]
    assert Department.objects.get(code="economy").name == "市经济和信息化局"
    assert Department.objects.get(code="economy").former_names == ["市经济和信息化委"]
    assert not Department.objects.filter(name__in=["市教育体育局", "市经济和信息化委"]).exists()


def test_the_annual_report_and_the_matrix_name_the_same_departments(plan):
    today = datetime.date(2020, 12, 31)
    report = build_annual_report(plan, 2020, today)
    in_report = {name for row in report.measures for name in [*row.leads, *row.responsibles]}
    in_matrix = {department.name for department in selectors.matrix(plan, today)["departments"]}

    assert in_report == in_matrix
    assert {"市教育和体育局", "市经济和信息化局"} <= in_matrix


def test_the_measure_page_shows_the_official_name_with_the_plans_in_its_title(plan, personas, sign_in):
    six = next(m for m in plan.measures.all() if m.links.filter(department__code="education").exists())

    page = sign_in(personas.leader).get(six.get_absolute_url()).content.decode()

    assert '<span title="方案中为“市教育体育局”">市教育和体育局</span>' in page


def test_a_department_known_by_a_former_name_is_found_not_duplicated(db):
    before = Department.objects.count()

    department = ensure_department("education", "市教育体育局")

    assert department.name == "市教育和体育局" and Department.objects.count() == before
    assert [known.code for known in DEPARTMENTS if known.code == "education"] == ["education"]
