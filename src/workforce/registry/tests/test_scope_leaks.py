"""What a viewer must not learn through a worker they legitimately see (issue 13, decision 0002): an
enterprise's HR learns nothing of the jobs its former staff hold elsewhere, in any door; district scope
follows every open spell and an employer's move; only city-wide staff move an employer."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.http import QueryDict

from workforce.core.choices import Channel
from workforce.reference.models import Division, Occupation
from workforce.registry import selectors, services
from workforce.registry.models import Employer, EmploymentSpell, Worker
from workforce.registry.tests.api_support import client_as, registry_state

MOVED_ON = datetime.date(2025, 1, 1)


@pytest.fixture
def moved_on(personas):
    """张三 left the steel company (东区) at the end of 2024 and works at the 米易县 mine since, as a miner
    under a signed contract: what the steel company's HR must not learn."""
    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)
    services.end_employment(spell, MOVED_ON - datetime.timedelta(days=1), expected_version=1, acting_user=None,
                            channel=Channel.SYSTEM)
    occupation = Occupation.objects.order_by("code").last()
    services.add_employment(personas.steel_worker, {
        "employer": personas.miyi_mine, "start_date": MOVED_ON, "occupation": occupation,
        "is_contract_signed": True, "contract_type": "open_ended", "contract_start": MOVED_ON,
    }, acting_user=None, channel=Channel.SYSTEM)
    personas.steel_worker.refresh_from_db()
    return occupation


def test_the_registry_holds_the_new_job(personas, moved_on):
    worker = personas.steel_worker
    assert (worker.current_employer_id, worker.district_id, worker.has_signed_contract) == (
        personas.miyi_mine.pk, "510421", True)


def test_api_list_and_detail_withhold_the_job_elsewhere(personas, moved_on):
    client = client_as(personas, "steel_hr")

    row = client.get("/api/registry/workers/").json()["results"][0]
    detail = client.get(f"/api/registry/workers/{personas.steel_worker.pk}/").json()

    for body in (row, detail):
        assert {key: body[key] for key in ("district", "district_name", "current_employer", "current_employer_name",
                                            "current_occupation", "current_occupation_name",
                                            "has_signed_contract")} == {
            "district": None, "district_name": None, "current_employer": None, "current_employer_name": None,
            "current_occupation": None, "current_occupation_name": None, "has_signed_contract": False}
    assert [spell["employer"] for spell in detail["spells"]] == [personas.steel.pk]


def test_api_shows_hr_their_own_current_staff_as_before(personas):
    row = client_as(personas, "steel_hr").get("/api/registry/workers/").json()["results"][0]

    assert (row["current_employer_name"], row["district_name"]) == ("攀钢集团有限公司", "东区")


def test_a_city_officer_still_sees_the_job_elsewhere(personas, moved_on):
    row = client_as(personas, "city_admin").get(f"/api/registry/workers/{personas.steel_worker.pk}/").json()

    assert (row["current_employer_name"], row["district"], row["has_signed_contract"]) == (
        "米易县白马铁矿", "510421", True)


@pytest.mark.parametrize("query", [
    "employer={miyi}", "district=510421", "industry=B", "contract=true", "occupation={occupation}",
    "as_of=2025-06-01", "as_of=2025-06-01&employer={miyi}", "as_of=2026-01-01&employer={steel}",
])
def test_filters_do_not_find_former_staff_by_their_job_elsewhere(personas, moved_on, query):
    query = query.format(miyi=personas.miyi_mine.pk, steel=personas.steel.pk, occupation=moved_on.code)

    body = client_as(personas, "steel_hr").get(f"/api/registry/workers/?{query}").json()

    assert (body["count"], body["results"]) == (0, [])


@pytest.mark.parametrize("query", ["as_of=2020-06-01", "as_of=2020-06-01&employer={steel}", "contract=false"])
def test_filters_still_find_former_staff_by_what_hr_knows(personas, moved_on, query):
    body = client_as(personas, "steel_hr").get(
        f"/api/registry/workers/?{query.format(steel=personas.steel.pk)}").json()

    assert [row["name"] for row in body["results"]] == ["张三"]


def test_worker_pages_and_export_withhold_the_job_elsewhere(personas, moved_on, sign_in):
    client = sign_in(personas.steel_hr)
    worker = personas.steel_worker

    responses = [client.get(url) for url in (
        "/registry/workers/", f"/registry/workers/{worker.pk}/", f"/registry/employers/{personas.steel.pk}/")]
    export = b"".join(client.get("/registry/workers/export.csv").streaming_content).decode("utf-8-sig")

    # The filter form lists every occupation and district by name; the employer's name is the job's.
    for body in [*(response.content.decode() for response in responses), export]:
        assert personas.miyi_mine.name not in body
    assert [row.summary for row in responses[0].context["page"].rows] == [
        selectors.Summary(None, None, None, "", False)]
    assert responses[1].context["worker"].summary == selectors.Summary(None, None, None, "", False)
    assert moved_on.name not in export
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[1][5:10] == ["", "", "", "", "否"]  # district, employer, occupation, level, contract


def test_lookup_withholds_the_job_elsewhere(personas, moved_on):
    body = client_as(personas, "steel_hr").post("/api/registry/workers/lookup/",
                                                {"id_number": "51040219800101123X"}, format="json").json()

    assert (body["name"], body["current_employer_name"], body["district"]) == ("张三", None, None)


# ---------------------------------------------------------------------------------------- district scope


def names_seen_by(user) -> set[str]:
    return set(Worker.objects.visible_to(user).values_list("name", flat=True))


def test_a_worker_with_jobs_in_two_districts_is_seen_by_both(personas):
    services.add_employment(personas.miyi_worker, {"employer": personas.steel, "start_date": datetime.date(2024, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)

    assert (names_seen_by(personas.dongqu_officer), names_seen_by(personas.miyi_officer)) == (
        {"张三", "李梅"}, {"李梅"})


def test_a_worker_who_moved_district_is_seen_by_the_new_district_only(personas, moved_on):
    assert (names_seen_by(personas.dongqu_officer), names_seen_by(personas.miyi_officer)) == (
        set(), {"张三", "李梅"})


def test_an_employer_that_moves_takes_its_workers_with_it(personas):
    mine = personas.miyi_mine
    services.update_employer(mine, {"district": Division.objects.get(code="510402")}, expected_version=mine.version,
                             acting_user=personas.city_admin, channel=Channel.PAGE)

    assert (names_seen_by(personas.dongqu_officer), names_seen_by(personas.miyi_officer)) == ({"张三", "李梅"}, set())
    assert Worker.objects.get(pk=personas.miyi_worker.pk).district_id == "510402"
    response = client_as(personas, "miyi_officer").post(f"/api/registry/workers/{personas.miyi_worker.pk}/unmask/")
    assert response.status_code == 404


def test_a_former_worker_follows_their_last_employer_when_it_moves(personas):
    spell = EmploymentSpell.objects.get(worker=personas.miyi_worker)
    services.end_employment(spell, datetime.date(2024, 6, 30), expected_version=1, acting_user=None,
                            channel=Channel.SYSTEM)
    mine = Employer.objects.get(pk=personas.miyi_mine.pk)

    services.update_employer(mine, {"district": Division.objects.get(code="510411")}, expected_version=mine.version,
                             acting_user=personas.city_admin, channel=Channel.PAGE)

    assert Worker.objects.get(pk=personas.miyi_worker.pk).district_id == "510411"
    assert names_seen_by(personas.miyi_officer) == set()


def test_enterprise_hr_cannot_move_their_employer(personas):
    before = registry_state()

    response = client_as(personas, "steel_hr").patch(f"/api/registry/employers/{personas.steel.pk}/",
                                                     {"version": 1, "district": "510421"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"district": ["用人单位迁往其他区县，须由市级主管部门变更所在区县。"]}
    assert registry_state() == before


def test_enterprise_hr_may_still_edit_their_employers_address(personas):
    response = client_as(personas, "steel_hr").patch(f"/api/registry/employers/{personas.steel.pk}/",
                                                     {"version": 1, "address": "东区弄弄坪"}, format="json")

    assert response.status_code == 200


def test_the_edit_page_offers_hr_no_district_to_choose(personas, sign_in):
    form = sign_in(personas.steel_hr).get(f"/registry/employers/{personas.steel.pk}/edit/").context["form"]

    assert form.fields["district"].disabled is True


# ------------------------------------------------------------------------------ no identifier in a URL


def test_the_filter_form_seals_an_id_number_into_the_url(personas, sign_in):
    client = sign_in(personas.dongqu_officer)

    response = client.post("/registry/workers/", {"q": "51040219800101123X", "district": ""})

    assert response.status_code == 303
    assert "51040219800101123X" not in response["Location"] and "?q=~" in response["Location"]
    page = client.get(response["Location"])
    assert [row.name for row in page.context["page"].rows] == ["张三"]
    assert "51040219800101123X" not in page.content.decode()  # the search box shows it masked
    assert 'value="510402********123X"' in page.content.decode()


def test_the_htmx_form_pushes_the_sealed_url(personas, sign_in):
    response = sign_in(personas.dongqu_officer).post("/registry/workers/", {"q": "138-0000-1234"},
                                                     HTTP_HX_REQUEST="true")

    assert [row.name for row in response.context["page"].rows] == ["张三"]
    assert response["HX-Push-Url"].startswith("/registry/workers/?q=~")
    assert "13800001234" not in response["HX-Push-Url"]


def test_a_masked_search_sent_back_keeps_the_sealed_one(personas, sign_in):
    sealed = selectors.seal_search("51040219800101123X")

    response = sign_in(personas.dongqu_officer).post(
        "/registry/workers/", {"q": "510402********123X", "q_sealed": sealed, "contract": "false"})

    assert QueryDict(response["Location"].split("?")[1]) == QueryDict(f"q={sealed}&contract=false")


def test_an_old_link_with_an_id_number_is_sent_to_the_sealed_one(personas, sign_in):
    client = sign_in(personas.dongqu_officer)

    for url in ("/registry/workers/?q=51040219800101123X", "/registry/workers/export.csv?q=51040219800101123X"):
        response = client.get(url)
        assert response.status_code == 303
        assert "51040219800101123X" not in response["Location"]


def test_a_sealed_search_exports_what_it_found(personas, sign_in):
    sealed = selectors.seal_search("51040219800101123X")

    response = sign_in(personas.dongqu_officer).get("/registry/workers/export.csv", {"q": sealed})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["张三"]


def test_a_tampered_sealed_search_finds_nobody(personas, sign_in):
    response = sign_in(personas.dongqu_officer).get("/registry/workers/", {"q": "~bm90LWEtdG9rZW4="})

    assert list(response.context["page"].rows) == []


# ---------------------------------------------------------------------------------- existence oracles


@pytest.fixture
def zhang_a_member_through_steel(personas):
    """张三 is a union member through the steel works' union, and also works at the small firm."""
    services.start_union_membership(personas.steel_worker, datetime.date(2020, 1, 1), employer=personas.steel,
                                    acting_user=None, channel=Channel.SYSTEM)
    services.add_employment(personas.steel_worker, {"employer": personas.small_firm,
                                                    "start_date": datetime.date(2021, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    return personas.steel_worker


def test_hr_records_a_membership_without_learning_of_one_elsewhere(personas, zhang_a_member_through_steel):
    response = client_as(personas, "small_firm_hr").post(
        f"/api/registry/workers/{zhang_a_member_through_steel.pk}/memberships/", {"valid_from": "2024-05-01"},
        format="json")

    assert response.status_code == 201
    assert (response.json()["employer"], response.json()["employer_name"]) == (
        personas.small_firm.pk, "攀枝花市仁和区小微机修店")


def test_a_membership_hr_can_see_still_refuses_an_overlapping_one(personas, zhang_a_member_through_steel):
    response = client_as(personas, "steel_hr").post(
        f"/api/registry/workers/{zhang_a_member_through_steel.pk}/memberships/", {"valid_from": "2024-05-01"},
        format="json")

    assert (response.status_code, response.json()) == (400, {"valid_from": ["该职工在该日期已是工会会员。"]})


def test_hiring_someone_registered_under_another_name_says_nothing_of_them(personas):
    before = registry_state()

    response = client_as(personas, "small_firm_hr").post("/api/registry/workers/", {
        "id_number": "510421199002023340", "name": "王五", "hukou_type": "urban",
        "employment": {"employer": personas.small_firm.pk, "start_date": "2024-01-01"}}, format="json")

    assert (response.status_code, response.json()) == (400, {"name": ["姓名与身份证号码不符，请核对居民身份证。"]})
    assert "李梅" not in response.content.decode() and "米易" not in response.content.decode()
    assert registry_state() == before


def test_hiring_someone_registered_shows_them_as_a_new_employee_only(personas):
    response = client_as(personas, "small_firm_hr").post("/api/registry/workers/", {
        "id_number": "510421199002023340", "name": "李梅", "hukou_type": "urban",
        "employment": {"employer": personas.small_firm.pk, "start_date": "2024-01-01"}}, format="json")

    body = response.json()
    assert (response.status_code, body["created"], body["current_employer_name"], body["district"]) == (
        201, False, "攀枝花市仁和区小微机修店", "510411")
    assert [spell["employer"] for spell in body["spells"]] == [personas.small_firm.pk]
    assert "米易" not in response.content.decode()


def test_hr_is_not_told_who_elsewhere_changed_a_worker(personas, moved_on):
    mine_hr = personas.small_firm_hr.__class__.objects.create(username="mine-hr", role=personas.small_firm_hr.role,
                                                             employer=personas.miyi_mine)
    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    services.update_worker(worker, {"education": "senior"}, expected_version=worker.version,
                           acting_user=mine_hr, channel=Channel.PAGE)

    history = client_as(personas, "steel_hr").get(f"/api/registry/workers/{worker.pk}/history/").json()["results"]
    own_view = client_as(personas, "city_admin").get(f"/api/registry/workers/{worker.pk}/history/").json()["results"]

    assert history[0]["user_name"] == "其他单位或部门的用户"
    assert own_view[0]["user_name"] == "mine-hr"


def test_hr_does_not_learn_a_former_employees_migrant_status_from_a_job_elsewhere(personas, moved_on):
    """张三, of rural hukou, works at the mine (non-farm) now: a migrant worker, which his former employer's
    HR, who may unmask, must not learn from the job elsewhere; at the steel works he is no longer employed."""
    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    services.update_worker(worker, {"hukou_type": "rural"}, expected_version=worker.version, acting_user=None,
                           channel=Channel.SYSTEM)
    client = client_as(personas, "steel_hr")

    assert client.get("/api/registry/workers/?migrant=true").json()["results"] == []
    assert client.post(f"/api/registry/workers/{worker.pk}/unmask/").json()["is_migrant"] is False
    assert client_as(personas, "city_admin").post(f"/api/registry/workers/{worker.pk}/unmask/").json()[
        "is_migrant"] is True


def test_the_district_filter_finds_a_worker_in_each_district_they_work_in(personas):
    services.add_employment(personas.miyi_worker, {"employer": personas.steel, "start_date": datetime.date(2024, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    client = client_as(personas, "city_admin")

    assert {row["name"] for row in client.get("/api/registry/workers/?district=510402").json()["results"]} == {
        "张三", "李梅"}
    assert {row["name"] for row in client.get("/api/registry/workers/?district=510421").json()["results"]} == {
        "李梅"}


def test_hr_sees_on_the_employer_page_a_staff_member_whose_main_job_is_elsewhere(personas, sign_in):
    services.add_employment(personas.miyi_worker, {"employer": personas.steel, "start_date": datetime.date(2018, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)  # 李梅's main job stays at the mine

    staff = sign_in(personas.steel_hr).get(f"/registry/employers/{personas.steel.pk}/").context["staff"]

    assert {worker.name for worker in staff} == {"张三", "李梅"}
    assert [worker.summary.employer for worker in staff] == [personas.steel, personas.steel]


@pytest.mark.parametrize(("role", "shown"), [
    ("city_admin", True), ("union_officer", True), ("dongqu_officer", True), ("steel_hr", True),
    ("worker_user", False), ("leader", False),
])
def test_the_employer_page_offers_its_staff_list_only_to_users_who_can_open_all_of_it(personas, sign_in, role,
                                                                                       shown):
    """Issue 15 point 15: a worker opening their employer's page saw 查看全部在册职工（6670 人）, a link to a
    list of themself; the staff section and its headcount link are for users whose scope covers them."""
    response = sign_in(getattr(personas, role)).get(f"/registry/employers/{personas.steel.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    link = f"/registry/workers/?employer={personas.steel.pk}"
    assert (link in content, "查看全部在册职工" in content, response.context["can_see_staff"]) == (shown, shown, shown)
    assert len(response.context["staff"]) == (1 if shown else 0)


def test_a_district_officer_is_not_offered_the_staff_of_an_employer_outside_the_district(personas):
    from workforce.registry.querysets import sees_whole_staff

    assert sees_whole_staff(personas.miyi_officer, personas.miyi_mine)
    assert not sees_whole_staff(personas.miyi_officer, personas.steel)
    assert not sees_whole_staff(personas.steel_hr, personas.small_firm)
    assert not sees_whole_staff(personas.training_school, personas.steel)


# ------------------------------------------------------------------------------------------- post category


@pytest.fixture
def two_posts(personas):
    """张三 a technician at the steel company and, since 2024, a front-line worker at the small firm as well;
    李梅's post at the mine is not reported."""
    EmploymentSpell.objects.filter(worker=personas.steel_worker).update(post_category="technical")
    services.add_employment(personas.steel_worker, {
        "employer": personas.small_firm, "start_date": datetime.date(2024, 1, 1), "post_category": "front_line",
    }, acting_user=None, channel=Channel.SYSTEM)


@pytest.mark.parametrize(("who", "query", "expected"), [
    ("city_admin", "post_category=front_line", ["张三"]),
    ("city_admin", "post_category=technical", ["张三"]),
    ("city_admin", "post_category=management", []),
    ("city_admin", "post_category=none", ["李梅"]),
    ("city_admin", "post_category=front_line&as_of=2023-06-01", []),  # the second job starts in 2024
    ("city_admin", "post_category=technical&as_of=2023-06-01", ["张三"]),
    # The steel company's HR knows 张三's post there only, never his post at the other employer.
    ("steel_hr", "post_category=front_line", []),
    ("steel_hr", "post_category=technical", ["张三"]),
    ("small_firm_hr", "post_category=front_line", ["张三"]),
    ("small_firm_hr", "post_category=technical", []),
    ("miyi_officer", "post_category=none", ["李梅"]),
    ("miyi_officer", "post_category=technical", []),  # 张三 is not in 米易县's scope at all
])
def test_the_post_category_filter_answers_as_the_viewer_may_know_it(personas, two_posts, who, query, expected):
    body = client_as(personas, who).get(f"/api/registry/workers/?{query}").json()
    assert sorted(row["name"] for row in body["results"]) == expected


def test_the_worker_list_page_filters_by_post_category_and_refuses_an_unknown_one(personas, two_posts, sign_in):
    client = sign_in(personas.steel_hr)
    page = client.get("/registry/workers/")
    content = page.content.decode()
    assert 'name="post_category"' in content and '<option value="front_line">一线职工' in content
    filtered = client.get("/registry/workers/", {"post_category": "front_line"}).content.decode()
    assert "张三" not in filtered
    assert "张三" in client.get("/registry/workers/", {"post_category": "technical"}).content.decode()
    bad = client_as(personas, "city_admin").get("/api/registry/workers/?post_category=worker")
    assert bad.status_code == 400
    assert bad.json() == {"post_category": ["选择一个有效的选项。 worker 不在可用的选项中。"]}
