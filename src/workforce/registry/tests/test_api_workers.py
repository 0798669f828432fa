"""The workers API: who sees and changes which worker, masking and unmasking, history, lookup by ID
number, merging, "as of" questions, and query counts of the list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workforce.conftest import hire
from workforce.core.choices import AccessEvent, ChangeAction, Channel
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.registry import services
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.tests.api_support import ANONYMOUS, assert_refused, client_as, id_number, registry_state

URL = "/api/registry/workers/"
# 510402 东区, born 1985-03-15, sequence 201 (male).
WANG_ID = "510402198503152016"

EVERYONE = [ANONYMOUS, "city_admin", "union_officer", "dongqu_officer", "miyi_officer", "steel_hr", "small_firm_hr",
            "training_school", "leader", "worker_user"]


def detail_url(worker: Worker, suffix: str = "") -> str:
    return f"{URL}{worker.pk}/{suffix}"


def changes_of(worker: Worker) -> list[tuple[str, str, str]]:
    return list(ChangeLogEntry.objects.filter(content_type__model="worker", object_id=worker.pk)
                .order_by("id").values_list("action", "channel", "user_name"))


# ---------------------------------------------------------------------------------------------- list


@pytest.mark.parametrize(("who", "status", "visible"), [
    (ANONYMOUS, 401, None),
    ("city_admin", 200, {"steel_worker", "miyi_worker"}),
    ("union_officer", 200, {"steel_worker", "miyi_worker"}),
    ("dongqu_officer", 200, {"steel_worker"}),
    ("miyi_officer", 200, {"miyi_worker"}),
    ("steel_hr", 200, {"steel_worker"}),
    ("small_firm_hr", 200, set()),
    ("training_school", 403, None),
    ("leader", 403, None),  # leaders read aggregates, not people
    ("worker_user", 200, {"steel_worker"}),
])
def test_list_shows_each_user_their_scope(personas, who, status, visible):
    response = client_as(personas, who).get(URL)

    assert response.status_code == status
    if visible is not None:
        body = response.json()
        expected = {getattr(personas, name).pk for name in visible}
        assert {row["id"] for row in body["results"]} == expected
        assert (body["count"], body["count_is_exact"]) == (len(expected), True)


def test_list_is_newest_first_and_masks_identifiers(personas):
    body = client_as(personas, "city_admin").get(URL).json()

    assert [row["id"] for row in body["results"]] == [personas.miyi_worker.pk, personas.steel_worker.pk]
    steel = body["results"][1]
    assert steel == {
        "id": personas.steel_worker.pk, "name": "张三", "id_number_masked": "510402********123X",
        "phone_masked": "138****1234", "gender": "M", "birth_date": "1980-01-01", "education": "",
        "new_employment_group": "", "district": "510402", "district_name": "东区",
        "current_employer": personas.steel.pk, "current_employer_name": "攀钢集团有限公司", "current_occupation": None,
        "current_occupation_name": None, "current_skill_level": None, "is_union_member": False,
        "has_signed_contract": False, "is_active": True, "merged_into": None, "version": 1,
    }  # no hukou, political status or migrant flag: decision 0009
    assert "51040219800101123X" not in str(body) and "13800001234" not in str(body)


@pytest.mark.parametrize(("query", "expected"), [
    ({"q": "张"}, {"steel_worker"}),
    ({"district": "510421"}, {"miyi_worker"}),
    ({"industry": "B"}, {"miyi_worker"}),  # 08 mining is section B
    ({"hukou": "rural"}, {"miyi_worker"}),
    ({"migrant": "true"}, {"miyi_worker"}),
    ({"union": "true"}, set()),
    ({"contract": "false"}, {"steel_worker", "miyi_worker"}),
    ({"high_skilled": "false"}, {"steel_worker", "miyi_worker"}),
    ({"employer": "STEEL"}, {"steel_worker"}),
])
def test_list_filters(personas, query, expected):
    if query.get("employer") == "STEEL":
        query = {"employer": personas.steel.pk}

    response = client_as(personas, "city_admin").get(URL, query)

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {getattr(personas, n).pk for n in expected}


@pytest.mark.parametrize(("q", "expected"), [
    ("51040219800101123X", {"steel_worker"}),
    ("510402800101123", {"steel_worker"}),  # the legacy 15-digit card
    ("138-0000-1234", {"steel_worker"}),
    ("510421199002023340", {"miyi_worker"}),
    ("张", {"steel_worker"}),
])
def test_search_takes_identifiers_in_the_body(personas, q, expected):
    response = client_as(personas, "city_admin").post(f"{URL}search/", {"q": q}, format="json")

    assert response.status_code == 200
    assert {row["id"] for row in response.json()} == {getattr(personas, n).pk for n in expected}


@pytest.mark.parametrize("q", ["51040219800101123X", "510402800101123", "138-0000-1234", "13800001234"])
def test_the_list_refuses_an_identifier_in_its_url(personas, q):
    response = client_as(personas, "city_admin").get(URL, {"q": q})

    assert response.status_code == 400
    assert response.json() == {"q": ["身份证号码和手机号码不能放在网址中（网址会被记入访问日志）：请用 POST "
                                     "/api/registry/workers/search/ 或 /api/registry/workers/lookup/ 查找。"]}


@pytest.mark.parametrize("q", ["123X", "0012", "13800"])
def test_a_part_of_a_number_is_refused_with_what_the_search_accepts(personas, q):
    """Issue 15: the list and the search answer 400 with what they accept, not an empty list."""
    client = client_as(personas, "city_admin")
    listed = client.get(URL, {"q": q})
    searched = client.post(f"{URL}search/", {"q": q}, format="json")

    for response in (listed, searched):
        assert response.status_code == 400
        assert "不能按号码的一部分查找" in response.json()["q"][0]


def test_lookup_by_get_is_not_offered(personas):
    response = client_as(personas, "city_admin").get(f"{URL}lookup/", {"id_number": "51040219800101123X"})

    assert response.status_code == 405


def test_filters_stay_within_scope(personas):
    response = client_as(personas, "dongqu_officer").post(f"{URL}search/", {"q": "510421199002023340"}, format="json")

    assert response.json() == []


@pytest.mark.parametrize(("query", "errors"), [
    ({"as_of": "2020-13-01"}, {"as_of": ["日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。"]}),
    ({"union_member_on": "yesterday"}, {"union_member_on": ["日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。"]}),
    ({"employer": "abc"}, {"employer": ["输入整数。"]}),
    ({"employer": "1" * 30}, {"employer": ["确保该值小于或等于9223372036854775807。"]}),
    ({"hukou": "martian"}, {"hukou": ["选择一个有效的选项。 martian 不在可用的选项中。"]}),
])
def test_bad_filter_values_answer_400_in_chinese(personas, query, errors):
    response = client_as(personas, "city_admin").get(URL, query)

    assert response.status_code == 400
    assert response.json() == errors


# ---------------------------------------------------------------------------------------------- as of


@pytest.fixture
def history(personas):
    """A fitter who worked at the small firm from 2018 until mid-2020, and 张三 a union member from 2021."""
    fitter = hire(personas.small_firm, id_number("51041119900505201"), "赵六", start=datetime.date(2018, 1, 1))
    services.end_employment(fitter.spells.get(), datetime.date(2020, 6, 30), expected_version=None,
                            acting_user=None, channel=Channel.SYSTEM)
    services.start_union_membership(personas.steel_worker, datetime.date(2021, 1, 1), acting_user=None,
                                    channel=Channel.SYSTEM)
    return fitter


@pytest.mark.parametrize(("query", "expected"), [
    ({"as_of": "2018-06-01"}, {"fitter"}),
    ({"as_of": "2019-03-01"}, {"fitter", "steel_worker", "miyi_worker"}),
    ({"as_of": "2020-06-30", "employer": "SMALL"}, {"fitter"}),
    ({"as_of": "2020-07-01", "employer": "SMALL"}, set()),
    ({"as_of": "2020-01-01", "employer": "SMALL"}, {"fitter"}),
    ({"employer": "SMALL"}, set()),  # today the small firm employs nobody
    ({"as_of": "2020-12-31", "employer": "STEEL"}, {"steel_worker"}),
    ({"union_member_on": "2020-12-31"}, set()),
    ({"union_member_on": "2021-06-01"}, {"steel_worker"}),
])
def test_as_of_questions_are_answered_from_the_spells(personas, history, query, expected):
    employers = {"SMALL": personas.small_firm.pk, "STEEL": personas.steel.pk}
    query = {key: employers.get(value, value) for key, value in query.items()}

    response = client_as(personas, "city_admin").get(URL, query)

    assert response.status_code == 200
    named = {"fitter": history.pk, "steel_worker": personas.steel_worker.pk, "miyi_worker": personas.miyi_worker.pk}
    assert {row["id"] for row in response.json()["results"]} == {named[name] for name in expected}


def test_as_of_stays_within_scope(personas, history):
    response = client_as(personas, "miyi_officer").get(URL, {"as_of": "2019-03-01"})

    assert [row["id"] for row in response.json()["results"]] == [personas.miyi_worker.pk]


# ---------------------------------------------------------------------------------------------- query counts


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_rows(personas):
    client = client_as(personas, "city_admin")
    client.get(URL)  # the user's permissions are now cached, as for any later request of theirs
    assert Worker.objects.count() == 2
    with_two = list_queries(client)
    for n in range(18):
        hire(personas.steel, id_number(f"510402199001010{n:02d}"), f"工人{n}")

    with_twenty = list_queries(client)

    assert with_two == with_twenty == 2  # the page and its capped count


def test_first_list_request_query_count(personas, django_assert_num_queries):
    client = client_as(personas, "steel_hr")

    # the user's own and the role's permissions, the page, its count, and the spells at HR's own employer
    with django_assert_num_queries(5):
        client.get(URL)


# ---------------------------------------------------------------------------------------------- detail


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 200),
])
def test_retrieve_matrix(personas, who, status):
    response = client_as(personas, who).get(detail_url(personas.steel_worker))

    assert response.status_code == status


def test_retrieve_shows_facts_and_no_plaintext(personas):
    body = client_as(personas, "city_admin").get(detail_url(personas.steel_worker)).json()

    assert body["id_number_masked"] == "510402********123X"
    assert "id_number" not in body and "phone" not in body
    assert [(spell["employer_name"], spell["start_date"], spell["end_date"]) for spell in body["spells"]] == [
        ("攀钢集团有限公司", "2019-03-01", None)]
    assert body["certificates"] == [] and body["memberships"] == []
    assert {(fact["kind"], fact["value"], fact["valid_from"]) for fact in body["facts"]} == {
        ("education", "", "2019-03-01"), ("new_employment_group", "", "2019-03-01")}  # hukou etc. masked


@pytest.fixture
def steel_worker_also_at_small_firm(personas):
    """张三 worked at the small firm before joining the steel company."""
    services.add_employment(personas.steel_worker, {"employer": personas.small_firm,
                                                    "start_date": datetime.date(2015, 1, 1),
                                                    "end_date": datetime.date(2018, 12, 31)},
                            acting_user=None, channel=Channel.SYSTEM)
    return personas.steel_worker


@pytest.mark.parametrize(("who", "employers"), [
    ("steel_hr", ["攀钢集团有限公司"]),
    ("small_firm_hr", ["攀枝花市仁和区小微机修店"]),
    ("city_admin", ["攀钢集团有限公司", "攀枝花市仁和区小微机修店"]),
])
def test_hr_sees_only_the_spells_at_their_employer(personas, steel_worker_also_at_small_firm, who, employers):
    client = client_as(personas, who)

    detail = client.get(detail_url(personas.steel_worker)).json()
    spells = client.get(detail_url(personas.steel_worker, "spells/")).json()

    assert [spell["employer_name"] for spell in detail["spells"]] == employers
    assert [spell["employer_name"] for spell in spells] == employers


def test_hr_history_leaves_out_spells_at_other_employers(personas, steel_worker_also_at_small_firm):
    rows = client_as(personas, "steel_hr").get(detail_url(personas.steel_worker, "history/")).json()["results"]

    assert "攀枝花市仁和区小微机修店" not in str(rows)
    assert [(row["object_type"], row["action"]) for row in rows] == [
        ("employmentspell", "create"), ("worker", "create")]


# ---------------------------------------------------------------------------------------------- create


def new_worker(employer_pk: int | None = None, **extra) -> dict:
    payload = {"name": "王五", "id_number": WANG_ID, "phone": "13900001111", "hukou_type": "rural", **extra}
    if employer_pk is not None:
        payload["employment"] = {"employer": employer_pk, "start_date": "2024-03-01"}
    return payload


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 201), ("union_officer", 403), ("dongqu_officer", 201),
    ("miyi_officer", 400), ("steel_hr", 201), ("small_firm_hr", 400), ("training_school", 403), ("leader", 403),
    ("worker_user", 403),
])
def test_create_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(URL, new_worker(personas.steel.pk), format="json")

    if status != 201:
        assert_refused(response, status, before)
        if status == 400:  # the steel company is outside their scope: it "does not exist" for them
            assert response.json() == {"employment": {"employer": [f"编号（代码）“{personas.steel.pk}” 不存在。"]}}
        return
    assert response.status_code == 201
    body = response.json()
    worker = Worker.objects.get(pk=body["id"])
    assert (body["created"], body["warnings"], body["id_number_masked"]) == (True, [], "510402********2016")
    assert (worker.name, worker.id_number, worker.phone, worker.current_employer) == (
        "王五", WANG_ID, "13900001111", personas.steel)
    assert [(spell["employer"], spell["start_date"]) for spell in body["spells"]] == [(personas.steel.pk,
                                                                                       "2024-03-01")]
    user = getattr(personas, who)
    assert changes_of(worker) == [(ChangeAction.CREATE, Channel.API, user.username)]
    assert ChangeLogEntry.objects.get(content_type__model="employmentspell", object_id=body["spells"][0]["id"]
                                      ).channel == Channel.API


def test_create_with_a_bad_id_number_is_refused_in_chinese(personas):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(
        URL, new_worker(personas.steel.pk, id_number="510402198503152017"), format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"id_number": ["身份证号码校验码错误，请核对号码"]}


@pytest.mark.parametrize(("change", "errors"), [
    ({"hukou_type": "martian"}, {"hukou_type": ["“martian” 不是有效的选项。"]}),
    ({"birth_date": "1985-02-30"}, {"birth_date": ["日期格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。"]}),
    ({"birth_date": "1986-03-15"}, {"birth_date": ["出生日期 1986-03-15 与身份证号码中的 1985-03-15 不一致。"]}),
    ({"phone": "12345"}, None),
    ({"name": ""}, {"name": ["该字段不能为空。"]}),
])
def test_create_with_bad_fields_is_refused_in_chinese(personas, change, errors):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(URL, new_worker(personas.steel.pk, **change), format="json")

    assert_refused(response, 400, before)
    if errors is None:
        assert list(response.json()) == ["phone"]
    else:
        assert response.json() == errors


def test_hr_must_give_the_employment(personas):
    before = registry_state()

    response = client_as(personas, "steel_hr").post(URL, new_worker(), format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"employment": [
        "请填写就业信息（employment）：未在本单位或本区县就业的职工，登记后您将无法查看。"]}


def test_city_admin_may_register_a_worker_without_employment(personas):
    response = client_as(personas, "city_admin").post(URL, new_worker(), format="json")

    assert response.status_code == 201
    assert (response.json()["spells"], response.json()["created"]) == ([], True)


def test_create_of_a_registered_id_number_adds_the_employment(personas):
    payload = {"name": "张三", "id_number": "51040219800101123X", "hukou_type": "urban",
               "employment": {"employer": personas.small_firm.pk, "start_date": "2024-05-01"}}

    response = client_as(personas, "small_firm_hr").post(URL, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["id"], body["created"]) == (personas.steel_worker.pk, False)
    assert [spell["employer_name"] for spell in body["spells"]] == ["攀枝花市仁和区小微机修店"]
    assert Worker.objects.count() == 2


def test_create_warns_of_an_unknown_division(personas):
    payload = new_worker(personas.steel.pk, id_number=id_number("51999919850315201"))

    response = client_as(personas, "steel_hr").post(URL, payload, format="json")

    assert response.status_code == 201
    assert len(response.json()["warnings"]) == 1


# ---------------------------------------------------------------------------------------------- update


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 403), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 403),
])
def test_update_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).patch(detail_url(personas.steel_worker),
                                              {"version": 1, "education": "senior"}, format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (worker.education, worker.version, worker.name) == ("senior", 2, "张三")
    assert response.json()["version"] == 2
    assert changes_of(worker)[-1] == (ChangeAction.UPDATE, Channel.API, getattr(personas, who).username)
    entry = ChangeLogEntry.objects.filter(content_type__model="worker", object_id=worker.pk).latest("id")
    assert (entry.before, entry.after) == ({"education": ""}, {"education": "senior"})


def test_update_with_a_stale_version_is_refused_and_changes_nothing(personas):
    client = client_as(personas, "steel_hr")
    assert client.patch(detail_url(personas.steel_worker), {"version": 1, "education": "senior"},
                        format="json").status_code == 200
    before = registry_state()

    response = client.patch(detail_url(personas.steel_worker), {"version": 1, "name": "张叁"}, format="json")

    assert_refused(response, 409, before)
    assert response.json() == {"detail": "该记录已被他人修改，请刷新后基于最新内容重新编辑。", "code": "stale_version"}
    assert Worker.objects.get(pk=personas.steel_worker.pk).name == "张三"


@pytest.mark.parametrize(("payload", "errors"), [
    ({"name": "张叁"}, {"version": ["该字段是必填项。"]}),
    ({"version": 0}, {"version": ["请确保该值大于或者等于 1。"]}),
    ({"version": "one"}, {"version": ["请填写合法的整数值。"]}),
    ({"version": 1, "gender": "F"}, {"gender": ["出生日期和性别由身份证号码确定，如有错误请更正身份证号码。"]}),
])
def test_update_with_bad_input_is_refused_in_chinese(personas, payload, errors):
    before = registry_state()

    response = client_as(personas, "steel_hr").patch(detail_url(personas.steel_worker), payload, format="json")

    assert_refused(response, 400, before)
    assert response.json() == errors


def test_update_leaves_absent_fields_alone(personas):
    response = client_as(personas, "steel_hr").patch(detail_url(personas.steel_worker),
                                                     {"version": 1, "name": "张叁"}, format="json")

    assert response.status_code == 200
    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (worker.name, worker.phone, worker.hukou_type, worker.political_status) == (
        "张叁", "13800001234", "urban", "masses")


# ---------------------------------------------------------------------------------------------- unmask


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 403), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 200),
])
def test_unmask_matrix(personas, who, status):
    before = registry_state()

    response = client_as(personas, who).post(detail_url(personas.steel_worker, "unmask/"))

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    assert response.json() == {
        "id_number": "51040219800101123X", "phone": "13800001234", "hukou_type": "urban",
        "political_status": "masses", "is_migrant": False, "is_union_member": False, "memberships": [],
        "facts": [{"kind": "hukou_type", "value": "urban", "valid_from": "2019-03-01", "valid_to": None},
                  {"kind": "political_status", "value": "masses", "valid_from": "2019-03-01", "valid_to": None}],
    }
    assert response["Cache-Control"] == "no-store"
    user = getattr(personas, who)
    assert list(AccessLogEntry.objects.values_list("event", "user", "target", "detail")) == [
        (AccessEvent.UNMASK, user.pk, f"worker:{personas.steel_worker.pk}", "张三")]


def test_unmask_needs_post(personas):
    response = client_as(personas, "city_admin").get(detail_url(personas.steel_worker, "unmask/"))

    assert response.status_code == 405
    assert not AccessLogEntry.objects.exists()


# ---------------------------------------------------------------------------------------------- history


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 403),
])
def test_history_matrix(personas, who, status):
    response = client_as(personas, who).get(detail_url(personas.steel_worker, "history/"))

    assert response.status_code == status


def test_history_lists_changes_newest_first(personas):
    client = client_as(personas, "steel_hr")
    client.patch(detail_url(personas.steel_worker), {"version": 1, "phone": "13900002222"}, format="json")

    body = client.get(detail_url(personas.steel_worker, "history/")).json()

    assert body["count"] == 3
    newest = body["results"][0]
    assert {key: newest[key] for key in ("action", "channel", "user_name", "object_type", "before", "after")} == {
        "action": "update", "channel": "api", "user_name": "steel-hr", "object_type": "worker",
        "before": {"phone_masked": "138****1234"}, "after": {"phone_masked": "139****2222"}}


# ---------------------------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 200), ("small_firm_hr", 404), ("training_school", 403), ("leader", 403),
    ("worker_user", 200),
])
def test_lookup_matrix(personas, who, status):
    response = client_as(personas, who).post(f"{URL}lookup/", {"id_number": "51040219800101123X"}, format="json")

    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == personas.steel_worker.pk


@pytest.mark.parametrize("raw", ["51040219800101123x", " 510402-19800101-123X ", "510402800101123"])
def test_lookup_accepts_the_forms_an_id_number_is_written_in(personas, raw):
    response = client_as(personas, "dongqu_officer").post(f"{URL}lookup/", {"id_number": raw}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == personas.steel_worker.pk


@pytest.mark.parametrize("raw", ["510402198001011230", "not a number", WANG_ID])
def test_lookup_of_an_invalid_or_unknown_number_is_not_found(personas, raw):
    response = client_as(personas, "city_admin").post(f"{URL}lookup/", {"id_number": raw}, format="json")

    assert response.status_code == 404


def test_lookup_without_a_number_asks_for_one(personas):
    response = client_as(personas, "city_admin").post(f"{URL}lookup/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"id_number": ["该字段是必填项。"]}


def test_lookup_query_count(personas, django_assert_num_queries):
    client = client_as(personas, "dongqu_officer")
    client.post(f"{URL}lookup/", {"id_number": "51040219800101123X"}, format="json")

    with django_assert_num_queries(1):
        response = client.post(f"{URL}lookup/", {"id_number": "51040219800101123X"}, format="json")

    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------- merge


@pytest.fixture
def duplicate(personas):
    """张三 registered a second time under a mistyped ID number (one digit off, valid check digit)."""
    return hire(personas.steel, id_number("51040219800101124"), "张三", start=datetime.date(2010, 1, 1))


@pytest.mark.parametrize(("who", "status"), [
    (ANONYMOUS, 401), ("city_admin", 200), ("union_officer", 403), ("dongqu_officer", 200),
    ("miyi_officer", 404), ("steel_hr", 403), ("small_firm_hr", 403), ("training_school", 403), ("leader", 403),
    ("worker_user", 403),
])
def test_merge_matrix(personas, duplicate, who, status):
    before = registry_state()

    response = client_as(personas, who).post(detail_url(personas.steel_worker, "merge/"),
                                             {"duplicate": duplicate.pk, "note": "录入错误"}, format="json")

    if status != 200:
        assert_refused(response, status, before)
        return
    assert response.status_code == 200
    duplicate.refresh_from_db()
    assert (duplicate.is_active, duplicate.merged_into) == (False, personas.steel_worker)
    # Both records said the person works at steel: the overlapping spells became one.
    assert EmploymentSpell.objects.filter(worker=personas.steel_worker).count() == 1
    assert len(response.json()["spells"]) == 1
    assert changes_of(duplicate)[-1] == (ChangeAction.MERGE, Channel.API, getattr(personas, who).username)


def test_merge_of_a_duplicate_out_of_scope_is_refused_as_not_existing(personas):
    before = registry_state()

    response = client_as(personas, "dongqu_officer").post(detail_url(personas.steel_worker, "merge/"),
                                                          {"duplicate": personas.miyi_worker.pk}, format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"duplicate": [f"编号（代码）“{personas.miyi_worker.pk}” 不存在。"]}


def test_merge_with_itself_is_refused_in_chinese(personas):
    before = registry_state()

    response = client_as(personas, "city_admin").post(detail_url(personas.steel_worker, "merge/"),
                                                      {"duplicate": personas.steel_worker.pk}, format="json")

    assert_refused(response, 400, before)
    assert response.json() == {"non_field_errors": ["不能将职工与其自身合并。"]}


def test_merged_workers_leave_the_list(personas, duplicate):
    client = client_as(personas, "city_admin")
    client.post(detail_url(personas.steel_worker, "merge/"), {"duplicate": duplicate.pk}, format="json")

    listed = {row["id"] for row in client.get(URL).json()["results"]}
    merged = client.get(detail_url(duplicate)).json()

    assert duplicate.pk not in listed
    assert (merged["is_active"], merged["merged_into"]) == (False, personas.steel_worker.pk)
