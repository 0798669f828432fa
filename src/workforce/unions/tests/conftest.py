"""The union tree of the tests, on top of the shared personas (``workforce/conftest.py``):

    市总工会 (the ``union`` persona's post)
    ├── 东区总工会 (the 东区 union officer)
    │   └── 攀钢集团工会 (the steel union officer), covering the steel company
    ├── 米易县总工会 (the 米易 union officer)
    │   └── 米易县白马联合工会, covering the 米易 mine and the small firm
    └── 仁和区总工会
        └── 仁和区快递员工会 (new form: couriers)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD, hire
from workforce.core.choices import Channel
from workforce.core.identifiers import id_check_digit
from workforce.reference.models import Division
from workforce.registry import services as registry
from workforce.registry.models import Worker
from workforce.unions import services
from workforce.unions.choices import OrganisationKind
from workforce.unions.models import Organisation

START = datetime.date(2020, 1, 1)
SYSTEM: dict[str, Any] = {"acting_user": None, "channel": Channel.SYSTEM}


def id_number(division: str, birth: str, serial: str) -> str:
    first17 = f"{division}{birth}{serial}"
    return first17 + id_check_digit(first17)


@dataclass
class Tree:
    federation: Organisation
    dongqu: Organisation
    steel_union: Organisation
    miyi: Organisation
    miyi_joint: Organisation
    renhe: Organisation
    couriers: Organisation
    steel_officer: User
    dongqu_union_officer: User
    miyi_union_officer: User
    steel_member: Worker
    courier: Worker


@pytest.fixture
def tree(personas) -> Tree:
    def found(name, kind, parent, district=None, **extra):
        return services.create_organisation(name=name, kind=kind, parent=parent, established_on=START,
                                            district=Division.objects.get(code=district) if district else None,
                                            **extra, **SYSTEM)

    federation = found("攀枝花市总工会", OrganisationKind.FEDERATION, None)
    dongqu = found("东区总工会", OrganisationKind.DISTRICT, federation, "510402")
    steel_union = found("攀钢集团工会", OrganisationKind.ENTERPRISE, dongqu)
    miyi = found("米易县总工会", OrganisationKind.DISTRICT, federation, "510421")
    miyi_joint = found("米易县白马联合工会", OrganisationKind.JOINT, miyi)
    renhe = found("仁和区总工会", OrganisationKind.DISTRICT, federation, "510411")
    couriers = found("仁和区快递员工会", OrganisationKind.NEW_FORM, renhe, new_employment_group="courier")
    services.cover_employer(steel_union, personas.steel, START, **SYSTEM)
    services.cover_employer(miyi_joint, personas.miyi_mine, START, **SYSTEM)
    services.cover_employer(miyi_joint, personas.small_firm, START, **SYSTEM)

    def officer(username, role, organisation):
        user = create_user(username, PASSWORD, role_code=role)
        services.appoint_officer(user, organisation, on=START, **SYSTEM)
        return user

    services.appoint_officer(personas.union_officer, federation, on=START, **SYSTEM)
    steel_member = hire(personas.steel, id_number("510402", "19850505", "101"), "王钢")
    registry.start_union_membership(steel_member, datetime.date(2021, 5, 1), employer=personas.steel, **SYSTEM)
    courier = registry.register_worker({"id_number": id_number("510411", "19950707", "202"), "name": "赵快",
                                        "hukou_type": "rural", "political_status": "masses",
                                        "new_employment_group": "courier"}, **SYSTEM)
    return Tree(federation, dongqu, steel_union, miyi, miyi_joint, renhe, couriers,
                officer("steel-union", RoleCode.BASE_UNION_OFFICER, steel_union),
                officer("dongqu-union", RoleCode.DISTRICT_UNION_OFFICER, dongqu),
                officer("miyi-union", RoleCode.DISTRICT_UNION_OFFICER, miyi),
                steel_member, courier)
