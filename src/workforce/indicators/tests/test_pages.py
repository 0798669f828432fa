"""The indicator pages, the reports and the API, as each persona meets them."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.models import Indicator
from workforce.indicators.tests.support import D0, build_town

ON = {"on": D0.isoformat()}


@pytest.fixture
def town(personas):
    return build_town(personas)


# ----------------------------------------------------------------------------------- who may see what


@pytest.mark.parametrize(("who", "status"), [
    ("city_admin", 200), ("union_officer", 200), ("dongqu_officer", 200), ("leader", 200),
    ("steel_hr", 403), ("training_school", 403), ("worker_user", 403),
])
def test_dashboard_is_for_staff_and_leaders(town, sign_in, who, status):
    response = sign_in(getattr(town.people, who)).get(reverse("indicators:dashboard"), ON)
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    response = client.get(reverse("indicators:dashboard"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_dashboard_shows_every_indicator_with_value_target_and_status(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:dashboard"), ON)
    content = response.content.decode()
    assert content.count('class="indicator-card"') == Indicator.objects.count()
    assert "66.67%" in content  # labour contracts, city
    # D0 is the plan's targets' date: reached or not on that day, with the value then.
    assert "劳动合同签订率" in content and "未达成" in content and "监测指标" in content
    assert "进度滞后" not in content and "2020-12-31 数值" in content
    assert 'id="charts"' in content and "echarts.min.js" in content
    assert "district-comparison" in content


def test_leaders_read_figures_but_do_not_open_workers(town, sign_in):
    client = sign_in(town.people.leader)
    content = client.get(reverse("indicators:dashboard"), ON).content.decode()
    assert 'data-district="510402"' in content  # employer indicators can be opened (leaders see employers)
    assert client.get(reverse("indicators:records", args=["labor_contract_rate"]), ON).status_code == 403
    assert client.get(reverse("indicators:records", args=["soe_workers_congress"]), ON).status_code == 200


# ---------------------------------------------------------------------------------------- drill-down


def test_drill_down_lists_the_workers_behind_a_district_figure(town, sign_in):
    response = sign_in(town.people.city_admin).get(
        reverse("indicators:records", args=["labor_contract_rate"]),
        ON | {"part": "numerator", "breakdown": "district", "key": "510411"})
    content = response.content.decode()
    assert "王五" in content and "张三" not in content and "李梅" not in content


def test_drill_down_stays_within_the_officers_district(town, sign_in):
    client = sign_in(town.people.dongqu_officer)
    numerator = client.get(reverse("indicators:records", args=["labor_contract_rate"]), ON).content.decode()
    assert "张三" in numerator and "王五" not in numerator  # 王五's signed contract is in 仁和区
    denominator = client.get(reverse("indicators:records", args=["labor_contract_rate"]),
                             ON | {"part": "denominator", "breakdown": "district", "key": "510421"})
    assert "李梅" not in denominator.content.decode()  # 米易县's worker is not the 东区 officer's


def test_drill_down_of_an_employer_indicator_lists_employers(town, sign_in):
    response = sign_in(town.people.union_officer).get(
        reverse("indicators:records", args=["soe_affairs_disclosure"]), ON | {"part": "denominator"})
    content = response.content.decode()
    assert "攀钢集团有限公司" in content and "米易县白马铁矿" in content and "小微机修店" not in content


def test_an_unknown_indicator_is_not_found(town, sign_in):
    assert sign_in(town.people.city_admin).get("/indicators/nothing/").status_code == 404


def test_indicator_page_shows_trend_breakdowns_and_drill_down_links(town, sign_in):
    response = sign_in(town.people.city_admin).get(reverse("indicators:detail", args=["labor_contract_rate"]), ON)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="trend"' in content and "2015-01" in content
    for breakdown in ("district", "industry", "ownership", "size"):
        assert f'data-breakdown="{breakdown}"' in content
    assert "part=denominator&amp;breakdown=district&amp;key=510421" in content


# ------------------------------------------------------------------------------------------- editing


def edit_data(indicator: Indicator, **changes) -> dict:
    data = {"name": indicator.name, "name_en": indicator.name_en, "clause": indicator.clause,
            "description": indicator.description, "description_en": indicator.description_en,
            "baseline_value": indicator.baseline_value or "", "baseline_date": indicator.baseline_date or "",
            "target_value": indicator.target_value or "", "target_date": indicator.target_date or "",
            "direction": indicator.direction, "department": indicator.department_id or "",
            "breakdowns": indicator.breakdowns, "is_active": "on", "version": indicator.version}
    return data | changes


def test_the_city_admin_changes_a_target_and_the_history_keeps_it(town, sign_in):
    indicator = Indicator.objects.get(code="labor_contract_rate")
    client = sign_in(town.people.city_admin)
    response = client.post(reverse("indicators:edit", args=[indicator.code]),
                           edit_data(indicator, target_value="95", note="市政府2021年调整"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target_value, indicator.version) == (95, 2)
    entry = ChangeLogEntry.objects.get(object_id=str(indicator.pk), content_type__app_label="indicators")
    assert entry.before == {"target_value": "90.00"} and entry.after == {"target_value": "95"}
    assert entry.note == "市政府2021年调整" and entry.user == town.people.city_admin
    page = client.get(reverse("indicators:detail", args=[indicator.code]), ON).content.decode()
    assert 'id="history"' in page


def test_a_stale_edit_is_refused_and_changes_nothing(town, sign_in):
    indicator = Indicator.objects.get(code="labor_contract_rate")
    client = sign_in(town.people.city_admin)
    stale = edit_data(indicator, target_value="95")
    client.post(reverse("indicators:edit", args=[indicator.code]), edit_data(indicator, target_value="92"))
    response = client.post(reverse("indicators:edit", args=[indicator.code]), stale)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target_value == 92


def test_a_target_without_its_date_is_refused(town, sign_in):
    indicator = Indicator.objects.get(code="labor_contract_rate")
    response = sign_in(town.people.city_admin).post(reverse("indicators:edit", args=[indicator.code]),
                                                    edit_data(indicator, target_date=""))
    assert "目标值和目标日期须同时填写或同时留空" in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).version == 1


@pytest.mark.parametrize("who", ["union_officer", "dongqu_officer", "leader"])
def test_only_the_city_admin_edits_indicators(town, sign_in, who):
    indicator = Indicator.objects.get(code="labor_contract_rate")
    response = sign_in(getattr(town.people, who)).post(reverse("indicators:edit", args=[indicator.code]),
                                                       edit_data(indicator, target_value="50"))
    assert response.status_code == 403
    assert Indicator.objects.get(pk=indicator.pk).target_value == 90


# --------------------------------------------------------------------------------------- bad input


def test_a_bad_date_shows_a_message_and_the_figures_of_today(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:dashboard"), {"on": "2020-13-01"})
    assert response.status_code == 200
    assert "日期格式不正确，应为 YYYY-MM-DD" in response.content.decode()


def test_a_date_outside_the_registry_years_is_refused_with_a_message(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:detail", args=["labor_contract_rate"]),
                                               {"on": "9999-12-31"})
    assert response.status_code == 200
    assert "统计日期须在 2000 年至 2100 年之间。" in response.content.decode()


@pytest.mark.parametrize(("query", "message"), [
    ({"on": "2020-02-30"}, "日期格式不正确"),
    ({"breakdown": "religion", "key": "x"}, "未知的分组维度：religion。"),
    ({"part": "everything"}, "未知的明细类型：everything。"),
    ({"breakdown": "district"}, "按分组查看明细时须指明分组。"),
])
def test_records_of_a_figure_the_page_cannot_name_say_why_and_list_nothing(town, sign_in, query, message):
    response = sign_in(town.people.city_admin).get(reverse("indicators:records", args=["labor_contract_rate"]),
                                                   query)
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content and 'id="records"' not in content


def test_records_of_an_unknown_cell_are_an_empty_list(town, sign_in):
    response = sign_in(town.people.city_admin).get(reverse("indicators:records", args=["labor_contract_rate"]),
                                                   ON | {"breakdown": "size", "key": "nobody"})
    assert response.status_code == 200
    assert "您的数据范围内没有对应的记录。" in response.content.decode()


def test_records_of_an_unknown_indicator_are_not_found(town, sign_in):
    response = sign_in(town.people.city_admin).get(reverse("indicators:records", args=["nothing"]), ON)
    assert response.status_code == 404


def test_a_report_in_an_unknown_format_is_not_found(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["docx"]), ON)
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).exists()


# ------------------------------------------------------------------------------------ quality, reports


def test_data_quality_shows_districts_and_the_coverage_of_each_indicator(town, sign_in):
    response = sign_in(town.people.union_officer).get(reverse("indicators:quality"), ON)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="coverage"' in content and 'id="quality-districts"' in content and "米易县" in content
    assert 'id="quality-employers"' in content and "攀钢集团有限公司" in content


def test_data_quality_checks_the_post_category_like_the_other_fields(town, sign_in):
    """Issue 16 point 3 added the post category (岗位类别) to spells; the front-line figures count by it, so
    the data-quality page checks it as it checks the occupation, the contract and the hukou."""
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from workforce.indicators import quality
    from workforce.registry.choices import PostCategory
    from workforce.registry.models import EmploymentSpell

    steel = town.people.steel
    today = timezone.localdate()
    open_spells = EmploymentSpell.objects.on(today).filter(employer=steel)
    open_spells.update(post_category="", occupation=EmploymentSpell.objects.first().occupation)
    cache.clear()
    before = quality.employer_quality(("post", 1))[steel.pk]
    assert before.records >= 1 and before.post == 0 and before.post_share == 0.0
    assert not before.is_good_on(today)
    # Everything else in order: the post category alone decides.
    complete = quality.Quality("1", "x", 10, occupation=10, contract=10, post=10, hukou=10, valid=10,
                               last_roster=today - datetime.timedelta(days=1))
    assert complete.is_good_on(today)
    complete.post = 8
    assert not complete.is_good_on(today) and complete.post_share == 80.0

    open_spells.update(post_category=PostCategory.FRONT_LINE)
    cache.clear()
    after = quality.employer_quality(("post", 2))[steel.pk]
    assert after.post == after.records and after.post_share == 100.0
    content = sign_in(town.people.union_officer).get(reverse("indicators:quality"), ON).content.decode()
    assert content.count("岗位类别已填") == 2 and "岗位类别、户口性质的比例" in content
    districts = quality.by_district({steel.pk: after}, {steel.pk: "510402"}, {"510402": "东区"})
    assert districts[0].post == after.post and districts[0].post_share == 100.0


def test_the_xlsx_report_holds_every_indicator_and_district(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["xlsx"]), ON)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = book.worksheets[0]
    names = [row[0].value for row in summary.iter_rows(min_row=4)]
    assert "劳动合同签订率" in names and len(names) == Indicator.objects.count()
    row = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == "劳动合同签订率")
    assert row[3] == 66.67 and row[4] == 90 and row[6] == 66.67 and row[8:11] == ("未达成", 2, 3)
    assert book.worksheets[1]["C3"].value == "东区"
    assert AccessLogEntry.objects.filter(event=AccessEvent.EXPORT, target="indicators:report.xlsx").exists()


def test_the_pdf_report_embeds_a_chinese_font(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["pdf"]), ON)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and b"/FontFile" in content and b"NotoSerifCJKSC" in content
    assert response["Content-Disposition"] == (
        "attachment; filename=\"indicators-2020-12-31.pdf\"; filename*=UTF-8''"
        + quote("产业工人队伍建设改革目标指标报告（截至2020年12月31日）.pdf"))


# ------------------------------------------------------------------------------------------------ API


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_every_indicator_value_on_a_date(town):
    response = api(town.people.leader).get("/api/indicators/", ON)
    assert response.status_code == 200
    contracts = next(item for item in response.json() if item["indicator"]["code"] == "labor_contract_rate")
    assert (contracts["value"], contracts["numerator"], contracts["denominator"]) == ("66.67", 2, 3)
    assert contracts["status"] == "missed" and contracts["gap"] == "23.33"
    assert contracts["target"] == {"value": "90.00", "due_on": "2020-12-31", "settled_value": "66.67",
                                   "settled_suppressed": False}
    assert {d["key"]: d["numerator"] for d in contracts["districts"]}["510411"] == 1


def test_api_gives_one_indicator_with_its_breakdowns(town):
    response = api(town.people.union_officer).get("/api/indicators/soe_affairs_disclosure/", ON)
    body = response.json()
    assert set(body["breakdowns"]) == {"district", "industry", "ownership", "size"}
    assert {f["key"]: (f["numerator"], f["denominator"]) for f in body["breakdowns"]["ownership"]} == {
        "state_owned": (0, 1), "state_controlled": (1, 1)}


def test_api_serves_the_monthly_series_of_a_district(town):
    response = api(town.people.city_admin).get("/api/indicators/labor_contract_rate/series/",
                                              {"until": "2021-01-31", "district": "510411"})
    points = response.json()["points"]
    assert points[0]["on"] == "2015-01-31" and len(points) == 73
    assert points[-2] == {"on": "2020-12-31", "value": "100.00", "numerator": 1, "denominator": 1, "suppressed": False}
    assert points[-1]["denominator"] == 1  # 赵六 from 2021-01-01, unsigned
    bad = api(town.people.city_admin).get("/api/indicators/labor_contract_rate/series/", {"district": "999999"})
    assert bad.status_code == 400


@pytest.mark.parametrize(("path", "query", "message"), [
    ("/api/indicators/", {"on": "2020-13-01"}, "日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。"),
    ("/api/indicators/labor_contract_rate/", {"on": "1999-12-31"}, "统计日期须在 2000 年至 2100 年之间。"),
    ("/api/indicators/labor_contract_rate/series/", {"until": "9999-12-31"}, "统计日期须在 2000 年至 2100 年之间。"),
])
def test_api_refuses_a_bad_date_with_the_reason(town, path, query, message):
    response = api(town.people.leader).get(path, query)
    assert response.status_code == 400
    assert response.json() == {next(iter(query)): [message]}


def test_api_does_not_find_an_unknown_indicator(town):
    assert api(town.people.leader).get("/api/indicators/nothing/series/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("steel_hr", 403), ("worker_user", 403), ("leader", 200)])
def test_api_needs_the_indicator_permission(town, who, status):
    assert api(getattr(town.people, who)).get("/api/indicators/").status_code == status


def test_schema_describes_the_indicators_api(db):
    schema = APIClient().get("/api/schema/").content.decode()
    assert "/api/indicators/{code}/series/" in schema


def test_both_skill_figures_are_on_the_dashboard_api_report_and_drill_down(town, sign_in):
    """The certified figure and the one counting reported levels (decision 0013), each a definition of its own."""
    admin = sign_in(town.people.city_admin)
    dashboard = admin.get(reverse("indicators:dashboard"), ON).content.decode()
    assert "高技能人才占技能人才比例（含单位填报等级）" in dashboard and "66.67%" in dashboard
    listed = {item["indicator"]["code"]: (item["numerator"], item["denominator"], item["value"])
              for item in api(town.people.leader).get("/api/indicators/", ON).json()}
    assert listed["high_skilled_share"] == (1, 1, "100.00")
    assert listed["high_skilled_share_with_reported"] == (2, 3, "66.67")
    assert listed["skilled_talents_with_reported"] == (3, 3, "3.00")
    body = api(town.people.leader).get("/api/indicators/skilled_talents_with_reported/", ON).json()
    assert {f["key"]: f["numerator"] for f in body["breakdowns"]["district"] if f["numerator"]} == {
        "510402": 1, "510411": 1, "510421": 1}
    # 李梅 counts on her employer's report of level 2 (no certificate yet): in the reported figure only
    reported = admin.get(reverse("indicators:records", args=["high_skilled_share_with_reported"]),
                         ON | {"part": "numerator"}).content.decode()
    certified = admin.get(reverse("indicators:records", args=["high_skilled_share"]),
                          ON | {"part": "numerator"}).content.decode()
    assert "李梅" in reported and "张三" in reported and "王五" not in reported
    assert "李梅" not in certified and "张三" in certified
    book = load_workbook(io.BytesIO(b"".join(admin.get(reverse("indicators:report", args=["xlsx"]), ON)
                                              .streaming_content)))
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert rows["高技能人才占技能人才比例（含单位填报等级）"][9:11] == (2, 3)


def test_an_empty_registry_shows_every_indicator_without_data(personas, sign_in):
    from workforce.registry.models import Certificate, Employer, EmployerFact, EmploymentSpell, Worker

    for model in (EmploymentSpell, Certificate, EmployerFact):
        model.objects.all().delete()
    response = sign_in(personas.leader).get(reverse("indicators:dashboard"), ON)
    content = response.content.decode()
    ratios = sum(not DEFINITIONS[indicator.definition].is_count for indicator in Indicator.objects.all())
    assert response.status_code == 200 and content.count("无数据") >= ratios  # a count of nobody is 0
    assert Worker.objects.exists() and Employer.objects.exists()
