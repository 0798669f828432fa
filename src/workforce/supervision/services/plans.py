"""Loading a plan from its data file (the 2018 plan is seeded from ``seed/plan-2018.json``) and writing a
plan back out in the same format, so a plan round-trips."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.accounts.models import Department, User
from workforce.accounts.services import ensure_department
from workforce.core.changelog import record_change
from workforce.core.choices import ChangeAction, Channel
from workforce.supervision.choices import DayUnit, DepartmentRole, Frequency
from workforce.supervision.models import Measure, MeasureDepartment, MeasureGroup, Plan, Requirement

if TYPE_CHECKING:
    from workforce.accounts.models import User

SEED_PLAN = Path(__file__).resolve().parent.parent / "seed" / "plan-2018.json"
FORMAT = 1


def read_plan_file(path: Path | str) -> dict[str, Any]:
    """The plan data of a JSON plan file; ``ValidationError`` for a file that is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(_("无法读取方案文件：%(error)s") % {"error": error}) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("方案文件格式不正确（format 应为 %(format)d）。") % {"format": FORMAT})
    return data


def _check(data: dict[str, Any]) -> None:
    """Refuse a plan whose measures name departments, groups or numbers that do not add up."""
    names = {row["name"] for row in data["departments"]}
    groups = {row["number"] for row in data["groups"]}
    numbers = [row["number"] for row in data["measures"]]
    problems = []
    if len(numbers) != len(set(numbers)):
        problems.append(_("举措序号有重复。"))
    for measure in data["measures"]:
        if measure["group"] not in groups:
            problems.append(_("第%(number)d项举措的分组不存在。") % {"number": measure["number"]})
        if not measure["lead"]:
            problems.append(_("第%(number)d项举措没有牵头单位。") % {"number": measure["number"]})
        listed = measure["lead"] + measure["responsible"]
        if len(listed) != len(set(listed)):
            problems.append(_("第%(number)d项举措重复列出了同一单位。") % {"number": measure["number"]})
        for name in listed:
            if name not in names:
                problems.append(_("第%(number)d项举措的单位“%(name)s”不在部门清单中。")
                                % {"number": measure["number"], "name": name})
    reporting = data["plan"].get("reporting", {})
    if reporting.get("frequency", Frequency.QUARTERLY) not in Frequency.values:
        problems.append(_("报告周期不正确。"))
    if reporting.get("due_unit", DayUnit.WORKING) not in DayUnit.values:
        problems.append(_("时限计算方式不正确。"))
    if problems:
        raise ValidationError(problems)


def _departments(rows: list[dict[str, Any]]) -> dict[str, Department]:
    """The department of each name the plan uses (``accounts.services.ensure_department``): a department
    renamed since the plan has its official name, the plan's as a former name; the plan's name also stays
    on the measure's link."""
    return {row["name"]: ensure_department(row["code"], row["name"]) for row in rows}


@transaction.atomic
def load_plan(data: dict[str, Any], *, acting_user: User | None = None, channel: Channel = Channel.SYSTEM) -> Plan:
    """Create or update the plan ``data`` describes (the format of ``seed/plan-2018.json``); idempotent.

    Groups, measures, departments and requirements are made to match the file; a measure that the file
    no longer has is removed only if nothing refers to it yet (else ``ValidationError``)."""
    _check(data)
    head = data["plan"]
    reporting = head.get("reporting", {})
    departments = _departments(data["departments"])
    plan, created = Plan.objects.update_or_create(code=head["code"], defaults={
        "title": head["title"],
        "document_number": head.get("document_number", ""),
        "issuer": head.get("issuer", ""),
        "issued_on": datetime.date.fromisoformat(head["issued_on"]) if head.get("issued_on") else None,
        "report_frequency": reporting.get("frequency", Frequency.QUARTERLY),
        "report_due_days": reporting.get("due_days", 10),
        "report_due_unit": reporting.get("due_unit", DayUnit.WORKING),
    })
    groups = {}
    for row in data["groups"]:
        groups[row["number"]], _created = MeasureGroup.objects.update_or_create(
            plan=plan, number=row["number"], defaults={"title": row["title"]})
    numbers = [row["number"] for row in data["measures"]]
    stale = plan.measures.exclude(number__in=numbers)
    if stale.filter(tasks__isnull=False).exists() or stale.filter(reports__isnull=False).exists() \
            or stale.filter(findings__isnull=False).exists():
        raise ValidationError(_("方案文件删去了已有任务、报告或督查记录的举措，不能载入。"))
    stale.delete()
    for row in data["measures"]:
        measure, _created = Measure.objects.update_or_create(plan=plan, number=row["number"], defaults={
            "group": groups[row["group"]], "title": row["title"], "text": row["text"]})
        wanted = [(name, DepartmentRole.LEAD, position) for position, name in enumerate(row["lead"], 1)]
        wanted += [(name, DepartmentRole.RESPONSIBLE, position) for position, name in enumerate(row["responsible"], 1)]
        measure.links.exclude(department__in=[departments[name] for name, _role, _pos in wanted]).delete()
        for name, role, position in wanted:
            MeasureDepartment.objects.update_or_create(measure=measure, department=departments[name], defaults={
                "role": role, "position": position, "name_in_plan": name})
    plan.groups.exclude(number__in=groups).delete()
    for row in data["requirements"]:
        Requirement.objects.update_or_create(plan=plan, number=row["number"],
                                             defaults={"title": row["title"], "text": row["text"]})
    plan.requirements.exclude(number__in=[row["number"] for row in data["requirements"]]).delete()
    record_change(plan, ChangeAction.CREATE if created else ChangeAction.UPDATE, acting_user=acting_user,
                  channel=channel, note=_("载入方案文件：%(count)d 项举措") % {"count": len(numbers)})
    return plan


def ensure_seed_plan() -> Plan:
    """The 2018 plan from the seed file (``workforce setup``); reloading it changes nothing."""
    return load_plan(read_plan_file(SEED_PLAN))


def plan_as_data(plan: Plan) -> dict[str, Any]:
    """The plan in the format of its file: ``load_plan(plan_as_data(plan))`` changes nothing."""
    links = list(MeasureDepartment.objects.filter(measure__plan=plan).select_related("department", "measure")
                 .order_by("measure__number", "role", "position"))
    departments: dict[str, str] = {}
    by_measure: dict[int, dict[str, list[str]]] = {}
    for link in links:
        departments.setdefault(link.name_in_plan, link.department.code)
        by_measure.setdefault(link.measure_id, {"lead": [], "responsible": []})[link.role].append(link.name_in_plan)
    head = {"code": plan.code, "title": plan.title, "document_number": plan.document_number, "issuer": plan.issuer,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "reporting": {"frequency": plan.report_frequency, "due_days": plan.report_due_days,
                          "due_unit": plan.report_due_unit}}
    return {
        "format": FORMAT,
        "plan": head,
        "departments": [{"code": code, "name": name} for name, code in departments.items()],
        "groups": [{"number": group.number, "title": group.title} for group in plan.groups.order_by("number")],
        "measures": [{"number": measure.number, "group": measure.group.number, "title": measure.title,
                      "text": measure.text, **by_measure.get(measure.pk, {"lead": [], "responsible": []})}
                     for measure in plan.measures.select_related("group").order_by("number")],
        "requirements": [{"number": row.number, "title": row.title, "text": row.text}
                         for row in plan.requirements.order_by("number")],
    }
