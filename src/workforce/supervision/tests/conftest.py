"""Fixtures of the supervision tests: the seeded 2018 plan and officers of the plan's departments.

§6 健全民主监督机制 is the measure most tests use: 市总工会 leads it, 市国资委 is one of its responsible units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import Department, User
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD
from workforce.supervision.models import Measure, Plan
from workforce.supervision.services.plans import ensure_seed_plan


@pytest.fixture
def plan(db) -> Plan:
    return ensure_seed_plan()


@dataclass
class Officers:
    """Officers of the plan's departments; ``union`` is the personas' union officer."""

    union: User
    sasac: User
    hrss: User
    economy: User
    organisation: User


@pytest.fixture
def officers(plan, personas) -> Officers:
    def officer(username: str, code: str) -> User:
        return create_user(username, PASSWORD, role_code=RoleCode.DEPARTMENT_OFFICER,
                           department=Department.objects.get(code=code), display_name=f"{code}工作人员")

    return Officers(union=personas.union_officer, sasac=officer("sasac", "sasac"), hrss=officer("hrss", "hrss"),
                    economy=officer("economy", "economy"), organisation=officer("organisation", "organisation"))


def measure(plan: Plan, number: int) -> Measure:
    return plan.measures.get(number=number)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


Q1_2020 = (datetime.date(2020, 1, 1), datetime.date(2020, 3, 31))
