"""A small hand-built registry with known answers, shared by the indicator tests.

On 2020-12-31 (``D0``):

| worker | employer (district) | contract | certificate on D0 | union on D0 | hukou | party |
|---|---|---|---|---|---|---|
| 张三 | 攀钢 (东区, state-owned, above scale) | signed | level 3, issued that day | yes | urban | CPC |
| 李梅 | 米易白马铁矿 (米易县, state-controlled) | no | level 4 from 2021-01-01: no | ended 2020-12-30 | rural | no |
| 王五 | 小微机修店 (仁和区, private) | signed | level 2 expired 2020-12-30: no | yes | rural | no |
| 赵六 | 小微机修店, from 2021-01-01 | — | — | — | urban | no |

王五's spell ends on 2020-12-31 (counts on D0, not on ``D1`` = 2021-01-01).

Skill levels their employers reported on the roster, without a certificate (``reported_skill_level`` on the
spell, decision 0013): 李梅 level 2, 王五 level 5, 赵六 level 4; 张三 none.

Governance facts: 攀钢 union since 2010, workers' congress since 2015, collective contract 2018-01-01 to
2020-12-31, factory-affairs disclosure from 2021-01-01; 米易白马铁矿 disclosure since 2019; 小微机修店 union
(joint, not independent) since 2020-06-01.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from workforce.conftest import Personas, hire
from workforce.core.choices import Channel
from workforce.core.identifiers import id_check_digit
from workforce.reference.models import SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind, ContractType, EmployerFactKind, PoliticalStatus
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.union_roll import decode_roll

SYSTEM = Channel.SYSTEM
D = datetime.date
D0 = D(2020, 12, 31)
D1 = D(2021, 1, 1)


def id_number(area: str, birth: str, sequence: int) -> str:
    first17 = f"{area}{birth}{sequence:03d}"
    return first17 + id_check_digit(first17)


def certificate(worker: Worker, number: str, level: int, issued_on, valid_until=None) -> None:
    services.add_certificate(worker, {
        "kind": CertificateKind.SKILL_LEVEL, "level": SkillLevel.objects.get(level=level), "number": number,
        "issuer": "攀枝花市职业技能鉴定中心", "issued_on": issued_on, "valid_until": valid_until,
    }, acting_user=None, channel=SYSTEM)


def sign_contract(worker: Worker) -> None:
    """An open-ended labour contract from 2019-03-01 on each of the worker's spells (decision 0020)."""
    for spell in EmploymentSpell.objects.filter(worker=worker):
        services.add_contract(spell, {"kind": ContractType.OPEN_ENDED, "start_date": D(2019, 3, 1)},
                              acting_user=None, channel=SYSTEM)
    services.refresh_current_facts(worker)


def report_skill_level(worker: Worker, level: int | None) -> None:
    """The level the employer reported on the worker's spells, as a roster without certificate details does."""
    EmploymentSpell.objects.filter(worker=worker).update(reported_skill_level=level)


def fact(employer, kind, start, end=None, independent=False) -> None:
    services.set_employer_fact(employer, kind, valid_from=start, valid_to=end, is_independent=independent,
                               acting_user=None, channel=SYSTEM)


@dataclass
class Town:
    """The hand-built registry: the personas plus 王五 and 赵六."""

    people: Personas
    wang: Worker
    zhao: Worker


def build_town(people: Personas) -> Town:
    zhang, li = people.steel_worker, people.miyi_worker
    services.update_worker(zhang, {"political_status": PoliticalStatus.CPC_MEMBER}, expected_version=None,
                           acting_user=None, channel=SYSTEM, effective_on=D(2019, 3, 1))
    sign_contract(zhang)
    certificate(zhang, "C-ZHANG", 3, issued_on=D0)
    services.start_union_membership(zhang, D(2020, 1, 1), employer=people.steel, acting_user=None, channel=SYSTEM)

    certificate(li, "C-LI", 4, issued_on=D1)
    membership = services.start_union_membership(li, D(2019, 6, 1), employer=people.miyi_mine, acting_user=None,
                                                 channel=SYSTEM)
    services.end_union_membership(membership, D(2020, 12, 30), acting_user=None, channel=SYSTEM)

    wang = hire(people.small_firm, id_number("510411", "19850505", 31), "王五", hukou_type="rural")
    sign_contract(wang)
    spell = EmploymentSpell.objects.get(worker=wang)
    services.end_employment(spell, D0, expected_version=spell.version, acting_user=None, channel=SYSTEM)
    certificate(wang, "C-WANG", 2, issued_on=D(2018, 1, 1), valid_until=D(2020, 12, 30))
    services.start_union_membership(wang, D(2019, 3, 1), employer=people.small_firm, acting_user=None,
                                    channel=SYSTEM)

    zhao = hire(people.small_firm, id_number("510411", "19900909", 52), "赵六", start=D1)
    for worker, level in ((li, 2), (wang, 5), (zhao, 4)):
        report_skill_level(worker, level)

    fact(people.steel, EmployerFactKind.UNION, D(2010, 1, 1), independent=True)
    fact(people.steel, EmployerFactKind.WORKERS_CONGRESS, D(2015, 1, 1))
    fact(people.steel, EmployerFactKind.COLLECTIVE_CONTRACT, D(2018, 1, 1), D0)
    fact(people.steel, EmployerFactKind.AFFAIRS_DISCLOSURE, D1)
    fact(people.miyi_mine, EmployerFactKind.AFFAIRS_DISCLOSURE, D(2019, 1, 1))
    fact(people.small_firm, EmployerFactKind.UNION, D(2020, 6, 1))
    assert sum(len(decode_roll(roll)) for roll in Worker.objects.values_list("union_roll", flat=True)) == 3
    return Town(people, wang, zhao)
