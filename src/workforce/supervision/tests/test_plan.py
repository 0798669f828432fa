"""The seeded plan matches the document (攀委发〔2018〕21号), and plans load from and round-trip to files."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from workforce.accounts.models import Department
from workforce.core.models import ChangeLogEntry
from workforce.supervision.choices import DepartmentRole
from workforce.supervision.models import MeasureDepartment, Plan
from workforce.supervision.services.plans import SEED_PLAN, load_plan, plan_as_data, read_plan_file
from workforce.supervision.tests.plan_document import read_plan

DOCUMENT = read_plan()


def _names(measure, role):
    return list(measure.links.filter(role=role).order_by("position").values_list("name_in_plan", flat=True))


def test_it_seeds_the_25_measures_of_the_document_in_seven_groups(plan):
    assert plan.document_number == "攀委发〔2018〕21号"
    assert plan.issued_on.isoformat() == "2018-12-13"
    assert plan.measures.count() == 25 == len(DOCUMENT["measures"])
    assert [g.title for g in plan.groups.order_by("number")] == [g["title"] for g in DOCUMENT["groups"]]
    assert plan.groups.get(number=5).title == "加快“互联网+”平台建设"
    for expected in DOCUMENT["measures"]:
        measure = plan.measures.get(number=expected["number"])
        assert (measure.title, measure.group.number, measure.text) == (
            expected["title"], expected["group"], expected["text"])


def test_each_measure_has_the_lead_and_responsible_departments_the_document_lists(plan):
    for expected in DOCUMENT["measures"]:
        measure = plan.measures.get(number=expected["number"])
        assert _names(measure, DepartmentRole.LEAD) == expected["lead"], measure
        assert _names(measure, DepartmentRole.RESPONSIBLE) == expected["responsible"], measure


def test_it_spells_out_the_units_of_a_few_measures_exactly(plan):
    first = plan.measures.get(number=1)
    assert first.title == "强化和创新党建工作"
    assert _names(first, DepartmentRole.LEAD) == ["市委组织部"]
    assert _names(first, DepartmentRole.RESPONSIBLE) == ["市国资委", "市工商联"]
    third = plan.measures.get(number=3)
    assert _names(third, DepartmentRole.LEAD) == ["市总工会"] and _names(third, DepartmentRole.RESPONSIBLE) == []
    last = plan.measures.get(number=24)
    assert _names(last, DepartmentRole.LEAD) == ["市人力资源社会保障局", "市安全监管局", "市卫生计生委", "市总工会"]
    assert _names(last, DepartmentRole.RESPONSIBLE) == ["市国资委"]


def test_the_plans_27_departments_exist_and_renamed_ones_keep_the_plans_name_on_the_measure(plan):
    assert MeasureDepartment.objects.values("department").distinct().count() == 27
    education = Department.objects.get(code="education")
    assert education.name == "市教育和体育局"  # its name today, from the registry's departments
    link = MeasureDepartment.objects.get(measure__number=7, department=education)
    assert (link.role, link.name_in_plan) == (DepartmentRole.LEAD, "市教育体育局")


def test_it_holds_the_three_requirements_of_section_three(plan):
    assert [(r.number, r.title) for r in plan.requirements.all()] == [
        (1, "构建合力推进改革工作格局"), (2, "分类指导与稳妥有序推进改革"), (3, "加强对改革实施的督促检查")]
    assert "每年听取1次" in plan.requirements.get(number=3).text


def test_loading_the_plan_again_changes_nothing(plan):
    links = list(MeasureDepartment.objects.order_by("pk").values_list("pk", "measure_id", "department_id", "role"))
    load_plan(read_plan_file(SEED_PLAN))
    assert Plan.objects.count() == 1
    assert list(MeasureDepartment.objects.order_by("pk").values_list(
        "pk", "measure_id", "department_id", "role")) == links


def test_the_plan_round_trips_through_its_file(plan):
    assert plan_as_data(plan) == json.loads(SEED_PLAN.read_text(encoding="utf-8"))


def test_another_plan_loads_from_a_file_with_the_command(db, tmp_path, capsys):
    data = read_plan_file(SEED_PLAN)
    data["plan"] |= {"code": "other-2021", "title": "另一城市的方案", "reporting": {"frequency": "monthly"}}
    data["measures"] = data["measures"][:2]
    data["departments"].append({"code": "new-bureau", "name": "市新设局"})
    data["measures"][1]["responsible"].append("市新设局")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_plan", str(path))
    other = Plan.objects.get(code="other-2021")
    assert (other.measures.count(), other.report_frequency) == (2, "monthly")
    assert Department.objects.get(code="new-bureau").name == "市新设局"
    assert ChangeLogEntry.objects.filter(object_repr="另一城市的方案").count() == 1
    call_command("load_plan", "--dump", "other-2021")
    dumped = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert dumped["measures"] == data["measures"]


def test_it_refuses_a_plan_that_names_a_department_it_does_not_list(db):
    data = read_plan_file(SEED_PLAN)
    data["measures"][0]["lead"] = ["市不存在局"]
    with pytest.raises(ValidationError) as error:
        load_plan(data)
    assert error.value.messages == ["第1项举措的单位“市不存在局”不在部门清单中。"]
    assert not Plan.objects.exists()


def test_setup_seeds_the_plan(db):
    call_command("setup")
    assert Plan.objects.get(code="panzhihua-2018").measures.count() == 25
