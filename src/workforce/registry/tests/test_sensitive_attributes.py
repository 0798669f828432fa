"""Decision 0009: hukou, political status (and the migrant flag and dated facts that reveal them) are
masked for everyone on every surface and revealed only by the logged unmask; union membership is shown
to the roles that manage memberships and to the worker themself, hidden from read-only roles.

The world: 李梅 (米易县 mine) has a rural hukou, so she is a migrant worker, became a party member in
2024 and has been a union member since 2020; 张三 (steel, 东区) is a party member and a union member.
The 米易县 officer may unmask her; the union's department officer reads city-wide but may not unmask
and does not manage memberships; the 东区 officer does not see her at all.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from workforce.core.choices import AccessEvent, Channel
from workforce.core.models import AccessLogEntry
from workforce.registry import services
from workforce.registry.choices import HukouType, PoliticalStatus
from workforce.registry.memberships import is_member, memberships_of
from workforce.registry.services.facts import is_migrant_now
from workforce.registry.tests.api_support import client_as

# The labels and codes that must not leave the server unmasked (registry/choices.py).
RURAL, PARTY = str(HukouType.RURAL.label), str(PoliticalStatus.CPC_MEMBER.label)  # 农村户口, 中共党员
MASSES = str(PoliticalStatus.MASSES.label)  # 群众: her value before 2024, in the change log
MASKED_CODES = ('"rural"', '"cpc_member"', '"masses"', "hukou_type\": \"", "is_migrant")
MEMBER_SINCE = "2020-05-01"
HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/registry/workers/"


@pytest.fixture
def li_mei(personas):
    worker = personas.miyi_worker
    services.update_worker(worker, {"political_status": PoliticalStatus.CPC_MEMBER}, expected_version=worker.version,
                           effective_on=datetime.date(2024, 7, 1), acting_user=None, channel=Channel.SYSTEM)
    services.start_union_membership(worker, datetime.date(2020, 5, 1), employer=personas.miyi_mine, acting_user=None,
                                    channel=Channel.SYSTEM)
    zhang = personas.steel_worker
    services.update_worker(zhang, {"political_status": PoliticalStatus.CPC_MEMBER}, expected_version=zhang.version,
                           acting_user=None, channel=Channel.SYSTEM)
    services.start_union_membership(zhang, datetime.date(2020, 5, 1), employer=personas.steel, acting_user=None,
                                    channel=Channel.SYSTEM)
    worker.refresh_from_db()
    assert (worker.hukou_type, worker.political_status, is_migrant_now(worker), is_member(worker)) == (
        HukouType.RURAL, PoliticalStatus.CPC_MEMBER, True, True)
    return worker


def assert_masked(text: str) -> None:
    assert RURAL not in text and PARTY not in text and MASSES not in text
    assert "农民工" not in text


def unmask_log() -> list[tuple]:
    return list(AccessLogEntry.objects.filter(event=AccessEvent.UNMASK).values_list("username", "target"))


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# ------------------------------------------------------------------------------------------ worker page


@pytest.mark.parametrize("who", ["city_admin", "miyi_officer", "union_officer"])
def test_the_worker_page_masks_hukou_political_status_and_the_migrant_flag_for_everyone(personas, sign_in,
                                                                                       li_mei, who):
    response = sign_in(getattr(personas, who)).get(li_mei.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert_masked(content)  # the facts, the badges and the change-log timeline alike
    assert content.count("已隐藏") >= 3  # hukou and political status in the sensitive block, the timeline
    assert "<th scope=\"row\">政治面貌</th>" in content  # the change is listed, its values are not
    assert not AccessLogEntry.objects.exists()


def test_the_worker_themself_sees_their_page_masked_too(personas, sign_in, li_mei):
    content = sign_in(personas.worker_user).get(personas.steel_worker.get_absolute_url()).content.decode()

    assert PARTY not in content and MASSES not in content and "城镇户口" not in content
    assert MEMBER_SINCE in content and "badge--union" in content  # their own membership is shown
    assert reverse("registry:worker_unmask", args=[personas.steel_worker.pk]) in content


def test_union_membership_is_shown_to_a_role_that_manages_memberships(personas, sign_in, li_mei):
    content = sign_in(personas.miyi_officer).get(li_mei.get_absolute_url()).content.decode()

    assert MEMBER_SINCE in content and "badge--union" in content
    assert reverse("registry:membership_start", args=[li_mei.pk]) in content


def test_union_membership_is_hidden_from_a_read_only_role(personas, sign_in, li_mei):
    content = sign_in(personas.union_officer).get(li_mei.get_absolute_url()).content.decode()

    assert "会籍信息已隐藏。" in content
    assert MEMBER_SINCE not in content and "badge--union" not in content
    assert "入会" not in content  # nor the membership's rows on the change-log timeline


def test_the_list_shows_neither_migrant_nor_a_hidden_union_badge(personas, sign_in, li_mei):
    hidden = sign_in(personas.union_officer).get(reverse("registry:worker_list")).content.decode()
    shown = sign_in(personas.miyi_officer).get(reverse("registry:worker_list")).content.decode()

    assert "李梅" in hidden and "badge--union" not in hidden and "农民工" not in hidden
    assert "李梅" in shown and "badge--union" in shown and "badge--info" not in shown


# ------------------------------------------------------------------------------------------- unmask page


def test_unmasking_on_the_page_reveals_the_masked_attributes_and_logs_once(personas, sign_in, li_mei):
    response = sign_in(personas.miyi_officer).post(reverse("registry:worker_unmask", args=[li_mei.pk]), **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert RURAL in content and PARTY in content and MASSES in content  # the dated facts too
    assert "2024-07-01" in content and "510421199002023340" in content
    assert re.search(r"农民工</span> <span class=\"mono\">是", content)
    assert unmask_log() == [("miyi", f"worker:{li_mei.pk}")]


def test_a_read_only_role_granted_unmasking_sees_the_membership_there(personas, sign_in, li_mei):
    officer = personas.union_officer
    officer.user_permissions.add(Permission.objects.get(codename="unmask_worker"))

    content = sign_in(officer).post(reverse("registry:worker_unmask", args=[li_mei.pk]), **HTMX).content.decode()

    assert MEMBER_SINCE in content and RURAL in content
    assert unmask_log() == [("union", f"worker:{li_mei.pk}")]


@pytest.mark.parametrize(("who", "status"), [("union_officer", 403), ("dongqu_officer", 404)])
def test_unmasking_without_permission_or_out_of_scope_reveals_and_logs_nothing(personas, sign_in, li_mei, who,
                                                                               status):
    response = sign_in(getattr(personas, who)).post(reverse("registry:worker_unmask", args=[li_mei.pk]), **HTMX)

    assert response.status_code == status
    assert_masked(response.content.decode())
    assert unmask_log() == []


# -------------------------------------------------------------------------------------------- edit form


def test_the_edit_form_does_not_put_the_stored_hukou_or_political_status_into_the_page(personas, sign_in, li_mei):
    body = sign_in(personas.miyi_officer).get(reverse("registry:worker_edit", args=[li_mei.pk])).content.decode()

    selected = re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', body)
    assert ("", "不变（已隐藏）") in selected
    assert not {value for value, _label in selected} & {HukouType.RURAL, PoliticalStatus.CPC_MEMBER}
    assert "当前值已隐藏" in body


def test_saving_the_edit_form_with_the_blank_choices_keeps_the_stored_values(personas, sign_in, li_mei):
    client = sign_in(personas.miyi_officer)
    form = {"version": li_mei.version, "name": "李梅", "id_number": "", "phone": "", "hukou_type": "",
            "political_status": "", "education": "senior", "new_employment_group": ""}

    response = client.post(reverse("registry:worker_edit", args=[li_mei.pk]), form)

    li_mei.refresh_from_db()
    assert response.status_code == 302
    assert (li_mei.education, li_mei.hukou_type, li_mei.political_status) == ("senior", "rural", "cpc_member")


def test_choosing_a_value_on_the_edit_form_corrects_it(personas, sign_in, li_mei):
    client = sign_in(personas.miyi_officer)
    form = {"version": li_mei.version, "name": "李梅", "id_number": "", "phone": "", "hukou_type": "urban",
            "political_status": "", "education": "", "new_employment_group": ""}

    response = client.post(reverse("registry:worker_edit", args=[li_mei.pk]), form)

    li_mei.refresh_from_db()
    assert response.status_code == 302
    assert (li_mei.hukou_type, is_migrant_now(li_mei), li_mei.political_status) == ("urban", False, "cpc_member")


# ---------------------------------------------------------------------------------------------- filters


@pytest.mark.parametrize("query", [{"hukou": "rural"}, {"migrant": "true"}, {"union": "false"},
                                   {"union_member_on": "2021-01-01"}, {"hukou": "martian"}])
def test_a_read_only_role_has_no_filter_on_a_masked_attribute_and_a_crafted_one_is_ignored(personas, sign_in,
                                                                                          li_mei, query):
    page = sign_in(personas.union_officer).get(reverse("registry:worker_list"), query)
    api = client_as(personas, "union_officer").get(API, query)

    content = page.content.decode()
    assert page.status_code == 200
    assert "张三" in content and "李梅" in content  # unfiltered
    assert 'name="hukou"' not in content and 'name="migrant"' not in content and 'name="union"' not in content
    assert api.status_code == 200
    assert {row["name"] for row in api.json()["results"]} == {"张三", "李梅"}


def test_the_masked_filters_work_for_a_role_that_may_unmask(personas, sign_in, li_mei):
    content = sign_in(personas.city_admin).get(reverse("registry:worker_list"), {"migrant": "true"}).content.decode()

    assert 'name="hukou"' in content and 'name="union"' in content
    assert "李梅" in content and "张三" not in content


def test_the_masked_filters_stay_within_scope(personas, sign_in, li_mei):
    page = sign_in(personas.dongqu_officer).get(reverse("registry:worker_list"), {"hukou": "rural"})
    api = client_as(personas, "dongqu_officer").get(API, {"migrant": "true"})

    assert "李梅" not in page.content.decode() and "没有符合条件的职工。" in page.content.decode()
    assert api.json()["results"] == []


# ---------------------------------------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_leaves_out_hukou_and_a_hidden_membership(personas, sign_in, li_mei, fmt):
    response = sign_in(personas.union_officer).get(f"/registry/workers/export.{fmt}?unmasked=1&hukou=rural")

    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert rows[0] == ["姓名", "公民身份号码", "性别", "出生日期", "手机号码", "区县", "当前单位", "当前职业",
                       "最高技能等级", "已签劳动合同"]
    assert {row[0] for row in rows[1:]} == {"张三", "李梅"}  # the crafted hukou filter was ignored
    assert_masked(str(rows))
    assert unmask_log() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_masked_export_by_a_role_that_manages_memberships_has_the_membership_but_not_hukou(personas, sign_in,
                                                                                            li_mei, fmt):
    rows = read_csv(sign_in(personas.miyi_officer).get(f"/registry/workers/export.{fmt}")) if fmt == "csv" else \
        read_xlsx(sign_in(personas.miyi_officer).get(f"/registry/workers/export.{fmt}"))

    assert rows[0][-2:] == ["已签劳动合同", "工会会员"]
    assert rows[1][0] == "李梅" and rows[1][-1] in ("是", True)
    assert_masked(str(rows))
    assert unmask_log() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unmasked_export_has_the_hukou_and_migrant_columns_and_is_logged(personas, sign_in, li_mei, fmt):
    response = sign_in(personas.miyi_officer).get(f"/registry/workers/export.{fmt}?unmasked=1")

    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert rows[0][-4:] == ["已签劳动合同", "工会会员", "户口性质", "农民工"]
    assert [row[0] for row in rows[1:]] == ["李梅"]  # her district's workers only
    assert rows[1][-2] == RURAL and rows[1][-1] in ("是", True)
    assert unmask_log() == [("miyi", f"workers.{fmt}")]


# -------------------------------------------------------------------------------------------------- API


@pytest.mark.parametrize("who", ["city_admin", "miyi_officer", "union_officer"])
def test_the_api_list_detail_and_history_carry_no_masked_attribute(personas, li_mei, who):
    client = client_as(personas, who)

    for url in (API, f"{API}{li_mei.pk}/", f"{API}{li_mei.pk}/history/"):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200, url
        assert not [code for code in MASKED_CODES if code in text], url
        assert_masked(text)
    history = client.get(f"{API}{li_mei.pk}/history/").json()["results"]
    assert {"before": {"political_status": "已隐藏"}, "after": {"political_status": "已隐藏"}} in [
        {"before": row["before"], "after": row["after"]} for row in history]
    assert not AccessLogEntry.objects.exists()


def test_the_api_shows_union_membership_to_a_role_that_manages_it(personas, li_mei):
    detail = client_as(personas, "miyi_officer").get(f"{API}{li_mei.pk}/").json()

    assert detail["is_union_member"] is True
    assert [row["valid_from"] for row in detail["memberships"]] == [MEMBER_SINCE]


def test_the_api_hides_union_membership_from_a_read_only_role(personas, li_mei):
    client = client_as(personas, "union_officer")
    [membership] = memberships_of(li_mei)

    detail = client.get(f"{API}{li_mei.pk}/").json()
    rows = client.get(API).json()["results"]

    assert (detail["is_union_member"], detail["memberships"]) == (None, None)
    assert {row["is_union_member"] for row in rows} == {None}
    assert client.get(f"{API}{li_mei.pk}/memberships/").status_code == 403
    assert client.get(f"/api/registry/memberships/{membership.pk}/").status_code == 403
    assert MEMBER_SINCE not in str(client.get(f"{API}{li_mei.pk}/history/").json())


def test_the_api_unmask_returns_the_masked_attributes_and_logs_once(personas, li_mei):
    response = client_as(personas, "miyi_officer").post(f"{API}{li_mei.pk}/unmask/")

    body = response.json()
    assert response.status_code == 200
    assert (body["hukou_type"], body["political_status"], body["is_migrant"], body["is_union_member"]) == (
        "rural", "cpc_member", True, True)
    assert [(fact["kind"], fact["value"], fact["valid_to"]) for fact in body["facts"]] == [
        ("hukou_type", "rural", None), ("political_status", "masses", "2024-06-30"),
        ("political_status", "cpc_member", None)]
    assert [row["valid_from"] for row in body["memberships"]] == [MEMBER_SINCE]
    assert unmask_log() == [("miyi", f"worker:{li_mei.pk}")]


@pytest.mark.parametrize(("who", "status"), [("union_officer", 403), ("dongqu_officer", 404), ("steel_hr", 404)])
def test_the_api_unmask_refuses_without_permission_or_out_of_scope(personas, li_mei, who, status):
    response = client_as(personas, who).post(f"{API}{li_mei.pk}/unmask/")

    assert response.status_code == status
    assert_masked(response.content.decode())
    assert unmask_log() == []


# ------------------------------------------------------------- HR and a membership at another enterprise


@pytest.fixture
def zhang_also_at_the_small_firm(personas, li_mei):
    """张三 (a union member through the steel works' union) also works at the small firm, whose HR manages
    memberships but must not learn of one held through another enterprise's union."""
    services.add_employment(personas.steel_worker, {"employer": personas.small_firm,
                                                    "start_date": datetime.date(2021, 1, 1)},
                            acting_user=None, channel=Channel.SYSTEM)
    return personas.steel_worker


def test_hr_is_not_shown_a_membership_held_through_another_enterprises_union(personas, sign_in,
                                                                             zhang_also_at_the_small_firm):
    zhang, client = zhang_also_at_the_small_firm, sign_in(personas.small_firm_hr)

    listing = client.get(reverse("registry:worker_list")).content.decode()
    page = client.get(zhang.get_absolute_url()).content.decode()
    members = client.get(reverse("registry:worker_list") + "?union=true").content.decode()
    members_then = client.get(reverse("registry:worker_list") + "?union_member_on=2022-01-01").content.decode()
    non_members = client.get(reverse("registry:worker_list") + "?union=false").content.decode()
    unmasked = client.post(reverse("registry:worker_unmask", args=[zhang.pk]), **HTMX).content.decode()
    exported = read_csv(client.get("/registry/workers/export.csv"))

    assert "张三" in listing and "badge--union" not in listing
    assert "badge--union" not in page and MEMBER_SINCE not in page
    assert "张三" not in members and "张三" not in members_then and "张三" in non_members
    assert MEMBER_SINCE not in unmasked
    assert exported[0][-1] == "工会会员" and exported[1][0] == "张三" and exported[1][-1] == "否"


def test_hr_is_shown_a_membership_in_their_own_enterprises_union(personas, sign_in, zhang_also_at_the_small_firm):
    zhang = zhang_also_at_the_small_firm
    services.end_union_membership(memberships_of(zhang)[0], datetime.date(2021, 5, 31), acting_user=None,
                                  channel=Channel.SYSTEM)  # moved to the small firm's union
    services.start_union_membership(zhang, datetime.date(2021, 6, 1), employer=personas.small_firm,
                                    acting_user=None, channel=Channel.SYSTEM)
    client = sign_in(personas.small_firm_hr)

    assert "badge--union" in client.get(reverse("registry:worker_list")).content.decode()
    assert "badge--union" in client.get(zhang.get_absolute_url()).content.decode()
    assert "张三" in client.get(reverse("registry:worker_list") + "?union=true").content.decode()


def test_the_api_tells_hr_only_of_membership_through_their_own_enterprises_union(personas,
                                                                                zhang_also_at_the_small_firm):
    zhang, client = zhang_also_at_the_small_firm, client_as(personas, "small_firm_hr")

    assert client.get(f"{API}{zhang.pk}/").json()["is_union_member"] is False
    assert [row["is_union_member"] for row in client.get(API).json()["results"]] == [False]
    assert client.get(f"{API}?union=true").json()["results"] == []
    lookup = client.post(f"{API}lookup/", {"id_number": zhang.id_number}, format="json")
    assert lookup.json()["is_union_member"] is False
    assert client_as(personas, "steel_hr").get(f"{API}{zhang.pk}/").json()["is_union_member"] is True


def test_hr_reads_only_the_roll_changes_and_memberships_of_their_own_enterprises_union(personas,
                                                                                       zhang_also_at_the_small_firm):
    """A membership change is logged on the worker with the roll masked (decision 0009); the sealed reference
    it keeps lets the history show it only to those who may know of that membership: HR of another enterprise
    learns neither of the membership nor of its changes, here or at ``/memberships/{id}/`` (decision 0002)."""
    from workforce.registry import selectors

    zhang = zhang_also_at_the_small_firm
    [steel] = memberships_of(zhang)
    services.end_union_membership(steel, datetime.date(2021, 5, 31), acting_user=None, channel=Channel.SYSTEM)
    small = services.start_union_membership(zhang, datetime.date(2021, 6, 1), employer=personas.small_firm,
                                            acting_user=None, channel=Channel.SYSTEM)

    def roll_changes(who):
        history = selectors.mask_history(selectors.worker_history(getattr(personas, who), zhang))
        return [entry.after["union_roll"] for entry in history if "union_roll" in entry.after]

    assert roll_changes("city_admin") == ["已隐藏"] * 3
    assert roll_changes("steel_hr") == ["已隐藏"] * 2  # its union's start and end
    assert roll_changes("small_firm_hr") == ["已隐藏"]  # its own union's start only
    assert roll_changes("union_officer") == []  # not shown memberships at all
    small_hr = client_as(personas, "small_firm_hr")
    assert small_hr.get(f"/api/registry/memberships/{small.pk}/").json()["employer"] == personas.small_firm.pk
    assert small_hr.get(f"/api/registry/memberships/{steel.pk}/").status_code == 404
    assert small_hr.post(f"/api/registry/memberships/{steel.pk}/end/", {"valid_to": "2024-01-01"},
                         format="json").status_code == 404
    assert [row["id"] for row in small_hr.get(f"{API}{zhang.pk}/memberships/").json()] == [small.pk]
