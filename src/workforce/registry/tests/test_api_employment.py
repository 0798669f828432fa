"""The API of a worker's dated facts: employment spells, skill certificates and union memberships."""

from __future__ import annotations

import datetime

import pytest

from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.registry import services
from workforce.registry.memberships import Membership, is_member, memberships_of
from workforce.registry.models import Certificate, EmploymentSpell
from workforce.registry.tests.api_support import ANONYMOUS, assert_refused, client_as, registry_state

WORKERS = "/api/registry/workers/"
SPELLS = "/api/registry/spells/"
MEMBERSHIPS = "/api/registry/memberships/"

# Who may write a worker's facts about 张三 of the steel company (a steel spell in 东区).
WRITE_MATRIX = [
    (ANONYMOUS, 401), ("city_admin", 201), ("union_officer", 403), ("dongqu_officer", 201),
    ("miyi_officer", 404), ("steel_hr", 201), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 403),
]
READ_MATRIX = [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 200),
]
CHANGE_MATRIX = [(who, 200 if status == 201 else status) for who, status in WRITE_MATRIX]
# Decision 0009: memberships are shown to the roles that manage them and to the worker themself; a
# read-only role (the union's department officer) is refused before any record is looked up.
MEMBERSHIP_READ_MATRIX = [(who, 403 if who == "union_officer" else status) for who, status in READ_MATRIX]


def last_change(model: str, pk: int) -> tuple[str, str, str]:
    entry = ChangeLogEntry.objects.filter(content_type__model=model, object_id=pk).latest("id")
    return entry.action, entry.channel, entry.user_name


@pytest.fixture
def spell(personas) -> EmploymentSpell:
    return personas.steel_worker.spells.get()


# ---------------------------------------------------------------------------------------------- spells


@pytest.mark.parametrize(("who", "status"), READ_MATRIX)
def test_spell_list_matrix(personas, who, status):
    response = client_as(personas, who).get(f"{WORKERS}{personas.steel_worker.pk}/spells/")

    assert response.status_code == status
    if status == 200:
        assert [row["employer"] for row in response.json()] == [personas.steel.pk]


@pytest.mark.parametrize(("who", "status"), READ_MATRIX)
def test_spell_retrieve_matrix(personas, spell, who, status):
    response = client_as(personas, who).get(f"{SPELLS}{spell.pk}/")

    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), WRITE_MATRIX)
def test_spell_add_matrix(personas, who, status):
    before = registry_state()
    payload = {"employer": personas.steel.pk, "start_date": "2010-01-01", "end_date": "2015-12-31",
               "is_contract_signed": True, "contract_type": "fixed_term", "contract_start": "2010-01-01",
               "contract_end": "2015-12-31", "occupation": "6-17-02-02"}

    response = client_as(personas, who).post(f"{WORKERS}{personas.steel_worker.pk}/spells/", payload, format="json")

    if status != 201:
        assert_refused(response, status, before)
        return
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("employer", "occupation", "occupation_name", "start_date", "end_date",
                                       "contract_type", "version")} == {
        "employer": personas.steel.pk, "occupation": "6-17-02-02", "occupation_name": "炼钢工",
        "start_date": "2010-01-01", "end_date": "2015-12-31", "contract_type": "fixed_term", "version": 1}
    assert last_change("employmentspell", body["id"]) == (ChangeAction.CREATE, Channel.API,
                                                          getattr(personas, who).username)


def test_spell_add_at_an_employer_out_of_scope_is_refused_as_not_existing(personas):
    before = registry_state()
    payload = {"employer": personas.miyi_mine.pk, "start_date": "2024-01-01"}

    response = client_as(personas, "steel_hr").post(f"{WORKERS}{personas.steel_worker.pk}/spells/", payload,
                                                    format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"employer": [f"编号（代码）“{personas.miyi_mine.pk}” 不存在。"]}


@pytest.mark.parametrize(("payload", "errors"), [
    ({"start_date": "2024-01-01"}, {"employer": ["该字段是必填项。"]}),
    ({"employer": "STEEL", "start_date": "2024-01-01", "occupation": "9-99-99-99"},
     {"occupation": ["编号（代码）“9-99-99-99” 不存在。"]}),
    ({"employer": "STEEL", "start_date": "2020-01-01"}, {"start_date": ["该职工在本单位已有时间重叠的就业记录。"]}),
    ({"employer": "STEEL", "start_date": "2010-01-01", "end_date": "2009-01-01"},
     {"end_date": ["离职日期不能早于入职日期。"]}),
    ({"employer": "STEEL", "start_date": "2010-01-01", "end_date": "2012-01-01", "is_contract_signed": True},
     {"contract_type": ["已签劳动合同时须填写合同类型。"], "contract_start": ["已签劳动合同时须填写合同起始日期。"]}),
])
def test_spell_add_with_bad_input_is_refused_in_chinese(personas, payload, errors):
    payload = {key: personas.steel.pk if value == "STEEL" else value for key, value in payload.items()}
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{WORKERS}{personas.steel_worker.pk}/spells/", payload,
                                                    format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


@pytest.mark.parametrize(("who", "status"), CHANGE_MATRIX)
def test_spell_update_matrix(personas, spell, who, status):
    before = registry_state()
    payload = {"version": 1, "is_contract_signed": True, "contract_type": "open_ended",
               "contract_start": "2019-03-01"}

    response = client_as(personas, who).patch(f"{SPELLS}{spell.pk}/", payload, format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    spell.refresh_from_db()
    assert (spell.is_contract_signed, spell.contract_type, spell.version, spell.start_date) == (
        True, "open_ended", 2, datetime.date(2019, 3, 1))
    # The contract is added as a record of its own (decision 0020), logged as created through the API.
    [contract] = spell.contracts.all()
    assert (contract.kind, contract.start_date, contract.end_date, contract.source) == (
        "open_ended", datetime.date(2019, 3, 1), None, "api")
    assert last_change("labourcontract", contract.pk) == (ChangeAction.CREATE, Channel.API,
                                                          getattr(personas, who).username)
    assert response.json()["version"] == 2


def test_spell_update_with_a_stale_version_is_refused(personas, spell):
    before = registry_state()

    response = client_as(personas, "steel_hr").patch(f"{SPELLS}{spell.pk}/", {"version": 7, "is_dispatched": True},
                                                     format="json")

    assert_refused(response, 409, before)


@pytest.mark.parametrize(("who", "status"), CHANGE_MATRIX)
def test_spell_end_matrix(personas, spell, who, status):
    before = registry_state()

    response = client_as(personas, who).post(f"{SPELLS}{spell.pk}/end/", {"end_date": "2024-06-30", "version": 1},
                                             format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    assert response.json()["end_date"] == "2024-06-30"
    spell.refresh_from_db()
    assert spell.end_date == datetime.date(2024, 6, 30)
    personas.steel_worker.refresh_from_db()
    assert personas.steel_worker.current_employer is None


@pytest.mark.parametrize(("payload", "status", "body"), [
    ({"end_date": "2024-06-30", "version": 5}, 409,
     {"detail": "该记录已被他人修改，请刷新后基于最新内容重新编辑。", "code": "stale_version"}),
    ({"end_date": "2024-06-30"}, 400, {"version": ["该字段是必填项。"]}),
    ({"end_date": "30/06/2024", "version": 1}, 400,
     {"end_date": ["日期格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。"]}),
    ({"end_date": "2000-01-01", "version": 1}, 400, {"end_date": ["离职日期不能早于入职日期。"]}),
])
def test_spell_end_with_bad_input_changes_nothing(personas, spell, payload, status, body):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{SPELLS}{spell.pk}/end/", payload, format="json")

    assert_refused(response, status, before)
    assert response.json() == body


def test_an_ended_spell_cannot_end_again(personas, spell):
    client = client_as(personas, "steel_hr")
    client.post(f"{SPELLS}{spell.pk}/end/", {"end_date": "2024-06-30", "version": 1}, format="json")
    before = registry_state()

    response = client.post(f"{SPELLS}{spell.pk}/end/", {"end_date": "2024-07-31", "version": 2}, format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"end_date": ["该就业记录已于 2024-06-30 结束。"]}


# ---------------------------------------------------------------------------------------------- certificates


def certificate_payload(**extra) -> dict:
    return {"kind": "skill_level", "occupation": "6-17-02-02", "level": 3, "number": "S000123",
            "issuer": "攀枝花市职业技能鉴定中心", "issued_on": "2023-05-10", **extra}


@pytest.mark.parametrize(("who", "status"), WRITE_MATRIX)
def test_certificate_add_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(f"{WORKERS}{personas.steel_worker.pk}/certificates/",
                                             certificate_payload(), format="json")

    if status != 201:
        assert_refused(response, status, before)
        return
    assert response.status_code == 201
    assert {key: response.json()[key] for key in ("kind", "level", "level_label", "number")} == {
        "kind": "skill_level", "level": 3, "level_label": "三级/高级工", "number": "S000123"}
    certificate = Certificate.objects.get()
    assert last_change("certificate", certificate.pk) == (ChangeAction.CREATE, Channel.API,
                                                          getattr(personas, who).username)
    personas.steel_worker.refresh_from_db()
    assert personas.steel_worker.current_skill_level == 3


@pytest.mark.parametrize(("who", "status"), READ_MATRIX)
def test_certificate_list_matrix(personas, who, status):
    services.add_certificate(personas.steel_worker, {
        "kind": "special_ability", "number": "Z1", "issuer": "攀枝花市人社局", "issued_on": datetime.date(2022, 1, 1)},
        acting_user=None, channel=Channel.SYSTEM)

    response = client_as(personas, who).get(f"{WORKERS}{personas.steel_worker.pk}/certificates/")

    assert response.status_code == status
    if status == 200:
        assert [row["number"] for row in response.json()] == ["Z1"]


@pytest.mark.parametrize(("change", "errors"), [
    ({"level": None}, {"level": ["职业资格证书和职业技能等级证书须填写等级。"]}),
    ({"level": 9}, {"level": ["编号（代码）“9” 不存在。"]}),
    ({"kind": "diploma"}, {"kind": ["“diploma” 不是有效的选项。"]}),
    ({"valid_until": "2020-01-01"}, {"valid_until": ["有效期不能早于发证日期。"]}),
])
def test_certificate_add_with_bad_input_is_refused_in_chinese(personas, change, errors):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{WORKERS}{personas.steel_worker.pk}/certificates/",
                                                    certificate_payload(**change), format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


# ---------------------------------------------------------------------------------------------- memberships


@pytest.mark.parametrize(("who", "status"), WRITE_MATRIX)
def test_membership_start_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(f"{WORKERS}{personas.steel_worker.pk}/memberships/",
                                             {"valid_from": "2024-01-01"}, format="json")

    if status != 201:
        assert_refused(response, status, before)
        return
    assert response.status_code == 201
    assert {key: response.json()[key] for key in ("employer", "valid_from", "valid_to")} == {
        "employer": personas.steel.pk, "valid_from": "2024-01-01", "valid_to": None}
    [membership] = memberships_of(personas.steel_worker)
    assert response.json()["id"] == membership.pk
    # Logged on the worker, the roll masked (decision 0009).
    assert last_change("worker", personas.steel_worker.pk) == (ChangeAction.UPDATE, Channel.API,
                                                               getattr(personas, who).username)
    assert is_member(personas.steel_worker) is True


@pytest.fixture
def membership(personas) -> Membership:
    return services.start_union_membership(personas.steel_worker, datetime.date(2021, 1, 1),
                                           employer=personas.steel, acting_user=None, channel=Channel.SYSTEM)


@pytest.mark.parametrize(("who", "status"), MEMBERSHIP_READ_MATRIX)
def test_membership_list_matrix(personas, membership, who, status):
    response = client_as(personas, who).get(f"{WORKERS}{personas.steel_worker.pk}/memberships/")

    assert response.status_code == status
    if status == 200:
        assert [row["id"] for row in response.json()] == [membership.pk]


def test_membership_start_while_a_member_is_refused_in_chinese(personas, membership):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{WORKERS}{personas.steel_worker.pk}/memberships/",
                                                    {"valid_from": "2024-01-01"}, format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"valid_from": ["该职工在该日期已是工会会员。"]}


@pytest.mark.parametrize(("who", "status"), CHANGE_MATRIX)
def test_membership_end_matrix(personas, membership, who, status):
    before = registry_state()

    response = client_as(personas, who).post(f"{MEMBERSHIPS}{membership.pk}/end/", {"valid_to": "2024-02-29"},
                                             format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2024-02-29"
    assert last_change("worker", personas.steel_worker.pk) == (ChangeAction.UPDATE, Channel.API,
                                                               getattr(personas, who).username)


@pytest.mark.parametrize(("payload", "errors"), [
    ({"valid_to": "2020-12-31"}, {"valid_to": ["退会日期不能早于入会日期。"]}),
    ({}, {"valid_to": ["该字段是必填项。"]}),
])
def test_membership_end_with_bad_input_is_refused_in_chinese(personas, membership, payload, errors):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{MEMBERSHIPS}{membership.pk}/end/", payload, format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


@pytest.mark.parametrize(("who", "status"), MEMBERSHIP_READ_MATRIX)
def test_membership_retrieve_matrix(personas, membership, who, status):
    assert client_as(personas, who).get(f"{MEMBERSHIPS}{membership.pk}/").status_code == status
