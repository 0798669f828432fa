"""Demo supervision data: officers of two responsible departments, a few tasks with milestones, reporting
started this year, and one inspection round; safe to run again: a second run changes nothing
(``workforce supervision-demo``, after ``workforce demo-users``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import Department, User
from workforce.accounts.services import create_user
from workforce.supervision.choices import DayUnit, FindingKind, TaskStatus
from workforce.supervision.models import InspectionRound, Plan, Task
from workforce.supervision.services import inspections, roadmap
from workforce.supervision.services.plans import SEED_PLAN, ensure_seed_plan, read_plan_file
from workforce.supervision.services.reports import do_start_reporting, open_reports
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tasks import run_daily

# username, display name, department code: responsible units of many measures (§1, §4–§6, §8–§11 …)
DEMO_OFFICERS = [("sasac", "市国资委工作人员", "sasac"), ("economy", "市经信局工作人员", "economy")]
# measure, department, title, months from January to the time limit, indicator codes
DEMO_TASKS = [
    (6, "sasac", "国有企业职代会、厂务公开全覆盖", 6, "soe_workers_congress,soe_affairs_disclosure"),
    (6, "city-union", "制定职工董事、职工监事制度实施意见", 9, ""),
    (8, "hrss", "实施企业职工技能提升培训计划", 12, "skilled_talents,high_skilled_share"),
    (3, "city-union", "重点群体建会集中行动", 3, "union_organisation_coverage"),
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
    january = today.replace(month=1, day=1)
    if plan.reporting_starts_on is None:
        do_start_reporting(plan, january, acting_user=admin)
    for number, code, title, months, indicators in DEMO_TASKS:
        measure = plan.measures.get(number=number)
        if Task.objects.filter(measure=measure, title=title).exists():
            continue
        due = (january + datetime.timedelta(days=31 * months)).replace(day=1) - datetime.timedelta(days=1)
        task = roadmap.do_create_task(measure, Department.objects.get(code=code), {
            "title": title, "start_date": january, "due_date": due, "status": TaskStatus.IN_PROGRESS,
            "indicator_codes": indicators}, acting_user=admin)
        roadmap.do_add_milestone(task, "制定工作方案", DeadlineInput(counted_from=january, days=20,
                                                                   day_unit=DayUnit.WORKING), acting_user=admin)
        created["tasks"] += 1
    if not InspectionRound.objects.filter(plan=plan).exists():
        inspection = inspections.do_start_round(plan, {
            "title": f"{today.year}年产业工人队伍建设改革专项督查", "started_on": january,
            "scope_note": "听取汇报、查阅资料、实地抽查", "measures": list(plan.measures.filter(number__in=[6, 8])),
            "departments": list(Department.objects.filter(code__in=["sasac", "hrss"])),
            "inspectors": [admin]}, acting_user=admin)
        finding = inspections.do_add_finding(inspection, {
            "measure": plan.measures.get(number=6), "department": Department.objects.get(code="sasac"),
            "kind": FindingKind.PROBLEM, "text": "部分国有企业职代会未按期召开，厂务公开栏目更新不及时。"},
            acting_user=admin)
        inspections.do_add_rectification(finding, "督促相关企业召开职代会并更新厂务公开栏目", DeadlineInput(
            counted_from=january, days=30, day_unit=DayUnit.CALENDAR), acting_user=admin)
        created["rounds"] += 1
    open_reports(plan, today)
    run_daily(today)
    return created
