"""The employers API: lists and details by scope, registration, edits with versions, governance facts
and history."""

from __future__ import annotations

import pytest

from workforce.core.choices import ChangeAction, Channel
from workforce.core.identifiers import uscc_check_char
from workforce.core.models import ChangeLogEntry
from workforce.registry.models import Employer, EmployerFact
from workforce.registry.tests.api_support import ANONYMOUS, assert_refused, client_as, registry_state

URL = "/api/registry/employers/"
# A new firm of 东区 (division 510402).
NEW_USCC = "91510402MA6" + "ABCDE" + "1"
NEW_USCC += uscc_check_char(NEW_USCC)


def last_change(employer_pk: int) -> tuple[str, str, str]:
    entry = ChangeLogEntry.objects.filter(content_type__model="employer", object_id=employer_pk).latest("id")
    return entry.action, entry.channel, entry.user_name


@pytest.mark.parametrize(("who", "status", "visible"), [
    (ANONYMOUS, 401, None),
    ("city_admin", 200, {"steel", "small_firm", "miyi_mine"}),
    ("union_officer", 200, {"steel", "small_firm", "miyi_mine"}),
    ("dongqu_officer", 200, {"steel"}),
    ("miyi_officer", 200, {"miyi_mine"}),
    ("steel_hr", 200, {"steel"}),
    ("small_firm_hr", 200, {"small_firm"}),
    ("training_school", 403, None),
    ("leader", 200, {"steel", "small_firm", "miyi_mine"}),  # leaders see employers for the dashboards
    ("worker_user", 200, {"steel"}),
])
def test_list_matrix(personas, who, status, visible):
    response = client_as(personas, who).get(URL)

    assert response.status_code == status
    if visible is not None:
        assert {row["id"] for row in response.json()["results"]} == {getattr(personas, n).pk for n in visible}
        assert response.json()["count"] == len(visible)


@pytest.mark.parametrize(("query", "expected"), [
    ({"q": "攀钢"}, {"steel"}),
    ({"q": "915104002043502888"}, {"steel"}),
    ({"district": "510421"}, {"miyi_mine"}),
    ({"ownership": "private"}, {"small_firm"}),
    ({"is_above_scale": "true"}, {"steel"}),
    ({"industry": "C"}, {"steel", "small_firm"}),  # 31 steel and 43 machinery repair are both manufacturing
])
def test_list_filters(personas, query, expected):
    response = client_as(personas, "city_admin").get(URL, query)

    assert {row["id"] for row in response.json()["results"]} == {getattr(personas, n).pk for n in expected}


def test_list_refuses_a_bad_filter_in_chinese(personas):
    response = client_as(personas, "city_admin").get(URL, {"ownership": "martian"})

    assert response.status_code == 400
    assert response.json() == {"ownership": ["选择一个有效的选项。 martian 不在可用的选项中。"]}


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200), ("miyi_officer", 404),
    ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 200), ("worker_user", 200),
])
def test_retrieve_matrix(personas, who, status):
    response = client_as(personas, who).get(f"{URL}{personas.steel.pk}/")

    assert response.status_code == status


@pytest.fixture
def union_fact(personas) -> EmployerFact:
    response = client_as(personas, "steel_hr").post(f"{URL}{personas.steel.pk}/facts/", {
        "kind": "union", "is_independent": True, "valid_from": "2005-05-01"}, format="json")
    assert response.status_code == 201
    return EmployerFact.objects.get(pk=response.json()["id"])


def test_retrieve_shows_the_governance_facts(personas, union_fact):
    body = client_as(personas, "dongqu_officer").get(f"{URL}{personas.steel.pk}/").json()

    assert {key: body[key] for key in ("uscc", "name", "district", "district_name", "industry", "ownership",
                                       "is_above_scale", "headcount", "version")} == {
        "uscc": "915104002043502888", "name": "攀钢集团有限公司", "district": "510402", "district_name": "东区",
        "industry": "31", "ownership": "state_owned", "is_above_scale": True, "headcount": 1, "version": 1}
    assert body["facts"] == [{"id": union_fact.pk, "employer": personas.steel.pk, "kind": "union",
                              "is_independent": True, "valid_from": "2005-05-01", "valid_to": None, "note": "",
                              "version": 1}]


def test_leader_sees_the_employer_but_not_its_facts(personas, union_fact):
    body = client_as(personas, "leader").get(f"{URL}{personas.steel.pk}/").json()

    assert (body["name"], body["facts"]) == ("攀钢集团有限公司", [])


# ---------------------------------------------------------------------------------------------- create


def new_employer(**extra) -> dict:
    return {"uscc": NEW_USCC, "name": "攀枝花市东区钒钛新材料有限公司", "district": "510402", "industry": "32",
            "ownership": "private", **extra}


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 201), ("union_officer", 403), ("dongqu_officer", 201), ("miyi_officer", 400),
    ("steel_hr", 403), ("small_firm_hr", 403), ("training_school", 403), ("leader", 403), ("worker_user", 403),
])
def test_create_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(URL, new_employer(), format="json")

    if status != 201:
        assert_refused(response, status, before)
        if status == 400:
            assert response.json() == {"district": ["只能登记本区县的用人单位。"]}
        return
    assert response.status_code == 201
    employer = Employer.objects.get(pk=response.json()["id"])
    assert (employer.uscc, employer.district_id, employer.is_above_scale, response.json()["facts"]) == (
        NEW_USCC, "510402", False, [])
    assert last_change(employer.pk) == (ChangeAction.CREATE, Channel.API, getattr(personas, who).username)


@pytest.mark.parametrize(("change", "errors"), [
    ({"uscc": NEW_USCC[:-1] + ("0" if NEW_USCC[-1] != "0" else "1")},
     {"uscc": ["统一社会信用代码校验码错误，请核对代码"]}),
    ({"uscc": "915104002043502888"}, {"uscc": ["该统一社会信用代码已登记。"]}),
    ({"district": "510000"}, {"district": ["编号（代码）“510000” 不存在。"]}),
    ({"industry": "C"}, {"industry": ["编号（代码）“C” 不存在。"]}),
    ({"ownership": "martian"}, {"ownership": ["“martian” 不是有效的选项。"]}),
])
def test_create_with_bad_input_is_refused_in_chinese(personas, change, errors):
    before = registry_state()

    response = client_as(personas, "city_admin").post(URL, new_employer(**change), format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


# ---------------------------------------------------------------------------------------------- update


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 403), ("dongqu_officer", 200), ("miyi_officer", 404),
    ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403), ("worker_user", 403),
])
def test_update_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).patch(f"{URL}{personas.steel.pk}/",
                                              {"version": 1, "address": "攀枝花市东区向阳村"}, format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    personas.steel.refresh_from_db()
    assert (personas.steel.address, personas.steel.version, personas.steel.name) == (
        "攀枝花市东区向阳村", 2, "攀钢集团有限公司")
    assert last_change(personas.steel.pk) == (ChangeAction.UPDATE, Channel.API, getattr(personas, who).username)


def test_update_with_a_stale_version_is_refused(personas):
    client = client_as(personas, "steel_hr")
    client.patch(f"{URL}{personas.steel.pk}/", {"version": 1, "address": "一"}, format="json")
    before = registry_state()

    response = client.patch(f"{URL}{personas.steel.pk}/", {"version": 1, "address": "二"}, format="json")

    assert_refused(response, 409, before)
    personas.steel.refresh_from_db()
    assert personas.steel.address == "一"


def test_district_officer_cannot_move_an_employer_out_of_their_district(personas):
    before = registry_state()

    response = client_as(personas, "dongqu_officer").patch(f"{URL}{personas.steel.pk}/",
                                                           {"version": 1, "district": "510421"}, format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"district": ["用人单位迁往其他区县，须由市级主管部门变更所在区县。"]}


# ---------------------------------------------------------------------------------------------- facts and history


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 201), ("union_officer", 403), ("dongqu_officer", 201), ("miyi_officer", 404),
    ("steel_hr", 201), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403), ("worker_user", 403),
])
def test_fact_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(f"{URL}{personas.steel.pk}/facts/", {
        "kind": "workers_congress", "valid_from": "2010-01-01", "note": "第一届职代会"}, format="json")

    if status != 201:
        assert_refused(response, status, before)
        return
    assert response.status_code == 201
    fact = EmployerFact.objects.get()
    assert (fact.kind, fact.note, fact.employer) == ("workers_congress", "第一届职代会", personas.steel)
    entry = ChangeLogEntry.objects.get(content_type__model="employerfact", object_id=fact.pk)
    assert (entry.channel, entry.parent_object_id) == (Channel.API, str(personas.steel.pk))


@pytest.mark.parametrize(("payload", "errors"), [
    ({"kind": "workers_congress", "valid_from": "2010-01-01", "is_independent": True},
     {"is_independent": ["“单独建制”只适用于工会。"]}),
    ({"kind": "union", "valid_from": "2010-01-01", "valid_to": "2009-01-01"},
     {"valid_to": ["终止日期不能早于起始日期。"]}),
    ({"kind": "picnic", "valid_from": "2010-01-01"}, {"kind": ["“picnic” 不是有效的选项。"]}),
])
def test_fact_with_bad_input_is_refused_in_chinese(personas, payload, errors):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(f"{URL}{personas.steel.pk}/facts/", payload, format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200), ("miyi_officer", 404),
    ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403), ("worker_user", 403),
])
def test_history_matrix(personas, union_fact, who, status):
    response = client_as(personas, who).get(f"{URL}{personas.steel.pk}/history/")

    assert response.status_code == status
    if status == 200:
        rows = response.json()["results"]
        assert [(row["object_type"], row["action"], row["channel"]) for row in rows] == [
            ("employerfact", "create", "api"), ("employer", "create", "system")]
