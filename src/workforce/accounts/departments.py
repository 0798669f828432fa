"""The city's departments: one list, each with its official name today and the former names older
documents use (the 2018 plan, 攀委发〔2018〕21号, names departments as they were called before the 2019
reform of the city's institutions). Every page, report and export shows the official name; the plan's
loader and the user forms find a department by its code, its name or a former name (issue 15 point 7).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentName:
    code: str
    name: str  # the official name today
    former_names: tuple[str, ...] = ()


DEPARTMENTS: tuple[DepartmentName, ...] = (
    DepartmentName("city-union", "市总工会"),
    DepartmentName("hrss", "市人力资源社会保障局"),
    DepartmentName("education", "市教育和体育局", ("市教育体育局",)),
    DepartmentName("sasac", "市国资委"),
    DepartmentName("organisation", "市委组织部"),
    DepartmentName("economy", "市经济和信息化局", ("市经济和信息化委",)),
    DepartmentName("finance", "市财政局"),
    # The 2018 reform of the State Council's institutions, followed by every city in 2019.
    DepartmentName("health", "市卫生健康委", ("市卫生计生委",)),
    DepartmentName("work-safety", "市应急管理局", ("市安全监管局",)),
)
BY_CODE = {department.code: department for department in DEPARTMENTS}


def official_name(code: str, name: str) -> tuple[str, list[str]]:
    """The official name and former names of the department ``code``, which a document calls ``name``:
    from the list when it is there, else ``name`` itself with no former names."""
    known = BY_CODE.get(code)
    if known is None:
        return name, []
    former = list(known.former_names)
    if name not in (known.name, *former):
        former.append(name)
    return known.name, former


def find_department(model, code: str, names: list[str]):
    """The department of ``code``, else the one called by any of ``names``, else ``None``. ``model`` is
    ``Department``, or its historical version in a data migration (which cannot call the services)."""
    return model.objects.filter(code=code).first() or model.objects.filter(name__in=names).first()
