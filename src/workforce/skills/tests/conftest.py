"""Fixtures of the skills tests: the seeded rules, an accredited body with its staff user, and a session."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from workforce.accounts.choices import RoleCode
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD
from workforce.core.choices import Channel
from workforce.reference.models import Occupation, SkillLevel
from workforce.skills import services
from workforce.skills.choices import BodyKind
from workforce.skills.models import AppraisalBody, AppraisalSession
from workforce.skills.seed import seed_rules

SYSTEM = Channel.SYSTEM
OCCUPATION = "6-17-02-02"  # a steel-making occupation of the reference list


@dataclass
class Appraisal:
    body: AppraisalBody
    other_body: AppraisalBody
    body_user: object
    other_body_user: object
    occupation: Occupation
    level: dict


def occupation_code() -> str:
    return Occupation.objects.filter(code=OCCUPATION).values_list("code", flat=True).first() or \
        Occupation.objects.filter(major_group=6).order_by("code").values_list("code", flat=True)[0]


@pytest.fixture
def appraisal(personas) -> Appraisal:
    seed_rules()
    occupation = Occupation.objects.get(code=occupation_code())
    level = {item.level: item for item in SkillLevel.objects.all()}
    body_user = create_user("pg-appraisal", PASSWORD, role_code=RoleCode.APPRAISAL_BODY,
                            organisation_name="攀钢技能等级认定中心")
    other_user = create_user("school-appraisal", PASSWORD, role_code=RoleCode.APPRAISAL_BODY,
                             organisation_name="攀枝花技师学院")
    scopes = [(occupation, level[n]) for n in range(1, 6)] + [(occupation, None)]
    body = services.create_body({"name": "攀钢技能等级认定中心", "kind": BodyKind.ENTERPRISE,
                                 "employer": personas.steel,
                                 "accredited_from": datetime.date(2019, 1, 1),
                                 "accredited_until": datetime.date(2030, 12, 31), "certificate_prefix": "PG"},
                                scopes, staff=[body_user], acting_user=None, channel=SYSTEM)
    other = services.create_body({"name": "攀枝花技师学院", "kind": BodyKind.VOCATIONAL_SCHOOL, "employer": None,
                                  "accredited_from": datetime.date(2019, 1, 1),
                                  "accredited_until": datetime.date(2030, 12, 31), "certificate_prefix": "JS"},
                                 scopes, staff=[other_user, personas.training_school], acting_user=None,
                                 channel=SYSTEM)
    return Appraisal(body, other, body_user, other_user, occupation, level)


def make_session(appraisal: Appraisal, level: int | None = 4, *, date=datetime.date(2026, 6, 1), quota=30,
                 body=None, open_it=True) -> AppraisalSession:
    session = services.create_session({"body": body or appraisal.body, "occupation": appraisal.occupation,
                                       "level": appraisal.level[level] if level else None, "date": date,
                                       "venue": "攀钢培训中心", "quota": quota}, acting_user=None, channel=SYSTEM)
    if open_it:
        session = services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    return session
