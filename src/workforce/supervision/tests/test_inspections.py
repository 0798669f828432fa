"""Inspections: a round with scope and inspectors, findings, rectification items with deadlines, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workforce.accounts.models import User
from workforce.core.changelog import history_for
from workforce.supervision.choices import AlertKind, DayUnit, FindingKind, RectificationStatus
from workforce.supervision.models import Alert, Finding, InspectionRound, Rectification
from workforce.supervision.services import inspections as services
from workforce.supervision.services.alerts import refresh_alerts
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tests.conftest import department, measure

D = datetime.date


@pytest.fixture
def inspection(plan, officers):
    admin = User.objects.get(username="admin")
    round_ = services.do_start_round(plan, {
        "title": "2020年上半年专项督查", "started_on": D(2020, 6, 1), "scope_note": "实地查看、查阅资料",
        "measures": [measure(plan, 6)], "departments": [department("sasac")], "inspectors": [officers.organisation],
    }, acting_user=admin)
    finding = services.do_add_finding(round_, {
        "measure": measure(plan, 6), "department": department("sasac"), "kind": FindingKind.PROBLEM,
        "text": "部分国企职代会未按期召开。"}, acting_user=officers.organisation)
    item = services.do_add_rectification(finding, "督促召开职代会", DeadlineInput(
        counted_from=D(2020, 9, 28), days=3, day_unit=DayUnit.CALENDAR), acting_user=officers.organisation)
    return round_, finding, item


def test_a_round_records_findings_and_rectification_with_a_holiday_aware_deadline(inspection):
    round_, finding, item = inspection
    assert item.due_date == D(2020, 10, 9)  # 10-01 falls in the National Day holiday (10-01 – 10-08)
    assert (item.department.code, item.status) == ("sasac", RectificationStatus.OPEN)
    assert [entry.object_repr for entry in history_for(round_).order_by("pk")] == [
        "2020年上半年专项督查", str(finding), str(item)]


def test_only_inspectors_and_the_supervision_office_record_findings(inspection, officers, plan):
    round_, _finding, _item = inspection
    with pytest.raises(PermissionDenied):
        services.do_add_finding(round_, {"measure": measure(plan, 6), "department": department("sasac"),
                                         "kind": FindingKind.PROBLEM, "text": "x"}, acting_user=officers.sasac)
    assert Finding.objects.count() == 1


def test_the_department_reports_and_the_inspector_closes_or_sends_back(inspection, officers):
    _round, _finding, item = inspection
    with pytest.raises(PermissionDenied):
        services.do_report_rectification(item, "已整改", D(2020, 10, 5), acting_user=officers.hrss)
    services.do_report_rectification(item, "已召开", D(2020, 10, 5), acting_user=officers.sasac)
    with pytest.raises(ValidationError):
        services.do_close_rectification(item, False, "", D(2020, 10, 6), acting_user=officers.organisation)
    services.do_close_rectification(item, False, "材料不全", D(2020, 10, 6), acting_user=officers.organisation)
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    services.do_report_rectification(item, "补齐材料", D(2020, 10, 7), acting_user=officers.sasac)
    services.do_close_rectification(item, True, "同意销号", D(2020, 10, 8), acting_user=officers.organisation)
    item.refresh_from_db()
    assert (item.status, item.closed_on) == (RectificationStatus.CLOSED, D(2020, 10, 8))


def test_an_open_rectification_is_overdue_the_day_after_its_deadline(inspection):
    _round, _finding, item = inspection
    assert not Rectification.objects.overdue(D(2020, 10, 9)).exists()
    refresh_alerts(D(2020, 10, 10))
    alert = Alert.objects.get(subject=f"rectification:{item.pk}")
    assert (alert.kind, alert.department.code) == (AlertKind.RECTIFICATION_OVERDUE, "sasac")


def test_departments_see_rounds_that_concern_them(inspection, officers, personas):
    assert InspectionRound.objects.visible_to(officers.sasac).count() == 1
    assert InspectionRound.objects.visible_to(officers.hrss).count() == 0
    assert InspectionRound.objects.visible_to(personas.leader).count() == 1
    assert Rectification.objects.visible_to(officers.union).count() == 1  # 市总工会 leads §6


def test_a_closed_round_takes_no_more_findings(inspection, plan):
    round_, _finding, _item = inspection
    admin = User.objects.get(username="admin")
    services.do_close_round(round_, "总体推进有力", D(2020, 6, 30), acting_user=admin)
    with pytest.raises(ValidationError):
        services.do_add_finding(round_, {"measure": measure(plan, 6), "department": department("sasac"),
                                         "kind": FindingKind.PRACTICE, "text": "x"}, acting_user=admin)


def test_the_round_page_shows_findings_to_the_department(inspection, officers, sign_in):
    round_, _finding, _item = inspection
    page = sign_in(officers.sasac).get(round_.get_absolute_url()).content.decode()
    assert "部分国企职代会未按期召开。" in page and "报送整改情况" in page


def test_a_round_inspects_only_measures_of_its_own_plan(inspection, plan):
    from workforce.supervision.models import Measure, MeasureGroup, Plan

    other_plan = Plan.objects.create(code="plan-2025", title="另一方案")
    group = MeasureGroup.objects.create(plan=other_plan, number=1, title="组")
    foreign = Measure.objects.create(plan=other_plan, group=group, number=1, title="他方案举措", text="……")
    admin = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as refused:
        services.do_start_round(plan, {"title": "混合督查", "started_on": D(2020, 7, 1),
                                       "measures": [measure(plan, 6), foreign]}, acting_user=admin)
    assert refused.value.message_dict == {"measures": ["所选举措不属于本轮督查的方案。"]}
    assert not InspectionRound.objects.filter(title="混合督查").exists()
    round_ = inspection[0]
    with pytest.raises(ValidationError):
        services.do_update_round(round_, {"measures": [foreign]}, acting_user=admin)
    assert list(round_.measures.all()) == [measure(plan, 6)]
