"""Demo supervision data: officers of two responsible departments, a few tasks with milestones, reporting
started this quarter, and one inspection round; safe to run again: a second run changes nothing
(``workforce supervision-demo``, after ``workforce demo-users``; the supervision part of ``workforce demo``).

Everything is dated relative to the day it runs, so the demo always shows a healthy reform with a little
overdue work (issue 15): one task done, others on track, one task, one milestone and one rectification item
overdue, one report submitted and waiting for its lead department's review."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import Department, User
from workforce.accounts.services import create_user
from workforce.demo.parts import DemoContext, DemoPart
from workforce.supervision.choices import DayUnit, FindingKind, ReportStatus, TaskStatus
from workforce.supervision.models import InspectionRound, Plan, ProgressReport, Task
from workforce.supervision.services import inspections, roadmap
from workforce.supervision.services.plans import SEED_PLAN, ensure_seed_plan, read_plan_file
from workforce.supervision.services.reports import do_save_and_submit_report, do_start_reporting, open_reports
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tasks import run_daily

# username, display name, department code: responsible units of many measures (§1, §4–§6, §8–§11 …)
DEMO_OFFICERS = [("sasac", "市国资委工作人员", "sasac"), ("economy", "市经信局工作人员", "economy")]
# measure (or None: the first measure naming the department), department, title, start and time limit in
# days from today, status, whether its first milestone is done, indicator codes
DEMO_TASKS = [
    (6, "sasac", "国有企业职代会、厂务公开全覆盖", -240, -30, TaskStatus.DONE, True,
     "soe_workers_congress,soe_affairs_disclosure"),
    (6, "city-union", "制定职工董事、职工监事制度实施意见", -120, 90, TaskStatus.IN_PROGRESS, True, ""),
    (8, "hrss", "实施企业职工技能提升培训计划", -200, 160, TaskStatus.IN_PROGRESS, True,
     "skilled_talents,high_skilled_share"),
    (3, "city-union", "重点群体建会集中行动", -150, -20, TaskStatus.IN_PROGRESS, True, "union_organisation_coverage"),
    (None, "economy", "开展重点产业技能人才需求调查", -45, 120, TaskStatus.IN_PROGRESS, False, ""),
    (None, "education", "推进产教融合实训基地建设", -90, 200, TaskStatus.IN_PROGRESS, True, ""),
]


@transaction.atomic
def ensure_supervision_demo(password: str, today: datetime.date | None = None) -> dict:
    """Create what is missing; returns counts of what was created."""
    today = today or timezone.localdate()
    # `workforce setup` has loaded the plan; reloading it would only add a change-log row per run.
    plan = Plan.objects.filter(code=read_plan_file(SEED_PLAN)["plan"]["code"]).first() or ensure_seed_plan()
    # The supervision office's demo login (ducha) acts when it exists, else the city administrator.
    admin = (User.objects.filter(is_active=True, role__code=RoleCode.SUPERVISION_OFFICE).order_by("pk").first()
             or User.objects.filter(is_active=True, role__code=RoleCode.CITY_ADMIN).order_by("pk").first())
    created = {"officers": 0, "tasks": 0, "rounds": 0}
    for username, name, code in DEMO_OFFICERS:
        if not User.objects.filter(username=username).exists():
            create_user(username, password, role_code=RoleCode.DEPARTMENT_OFFICER, display_name=name,
                        department=Department.objects.get(code=code))
            created["officers"] += 1
    if admin is None:
        return created
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if plan.reporting_starts_on is None:
        do_start_reporting(plan, quarter, acting_user=admin)
    for number, code, title, starts, ends, status, milestone_done, indicators in DEMO_TASKS:
        department = Department.objects.get(code=code)
        measure = (plan.measures.get(number=number) if number else
                   plan.measures.filter(links__department=department).order_by("number").first())
        if Task.objects.filter(measure=measure, title=title).exists():
            continue
        start, due = today + datetime.timedelta(days=starts), today + datetime.timedelta(days=ends)
        task = roadmap.do_create_task(measure, department, {
            "title": title, "start_date": start, "due_date": due, "status": status,
            "completed_on": due - datetime.timedelta(days=7) if status == TaskStatus.DONE else None,
            "indicator_codes": indicators}, acting_user=admin)
        deadline = (DeadlineInput(counted_from=start, days=20, day_unit=DayUnit.WORKING) if milestone_done
                    else DeadlineInput(due_date=today - datetime.timedelta(days=10)))
        milestone = roadmap.do_add_milestone(task, "制定工作方案", deadline, acting_user=admin)
        if milestone_done:
            roadmap.do_complete_milestone(milestone, min(milestone.due_date, today), acting_user=admin)
        created["tasks"] += 1
    if not InspectionRound.objects.filter(plan=plan).exists():
        started = today - datetime.timedelta(days=60)
        inspection = inspections.do_start_round(plan, {
            "title": f"{today.year}年产业工人队伍建设改革专项督查", "started_on": started,
            "scope_note": "听取汇报、查阅资料、实地抽查", "measures": list(plan.measures.filter(number__in=[6, 8])),
            "departments": list(Department.objects.filter(code__in=["sasac", "hrss"])),
            "inspectors": [admin]}, acting_user=admin)
        finding = inspections.do_add_finding(inspection, {
            "measure": plan.measures.get(number=8), "department": Department.objects.get(code="hrss"),
            "kind": FindingKind.PROBLEM, "text": "部分企业职工技能提升培训台账不完整，培训补贴拨付滞后。"},
            acting_user=admin)
        inspections.do_add_rectification(finding, "完善培训台账，按季度拨付培训补贴", DeadlineInput(
            counted_from=started, days=30, day_unit=DayUnit.CALENDAR), acting_user=admin)
        created["rounds"] += 1
    open_reports(plan, today)
    _submit_a_report(plan, today)
    run_daily(today)
    return created


def _submit_a_report(plan: Plan, today: datetime.date) -> None:
    """市国资委's report on §6 for this quarter, submitted and waiting for 市总工会's review (once)."""
    officer = User.objects.filter(username="sasac", department__code="sasac").first()
    report = ProgressReport.objects.filter(measure__plan=plan, measure__number=6, department__code="sasac",
                                           period_start__lte=today, status=ReportStatus.PENDING).first()
    if officer is not None and report is not None and not ProgressReport.objects.filter(
            department__code="sasac", status=ReportStatus.SUBMITTED).exists():
        do_save_and_submit_report(report, "本季度已召开职代会的国有企业 46 家，厂务公开栏目全部更新。",
                                  expected_version=None, acting_user=officer)


def build(context: DemoContext) -> str:
    created = ensure_supervision_demo(context.password, context.today)
    logins = ", ".join(username for username, _name, _code in DEMO_OFFICERS)
    return f"supervision demo: {created}; officer logins {logins} (password {context.password})"


PART = DemoPart("supervision", build, after=("accounts",))
