"""Targets over time (issue 15 point 12): a target whose date has come is reached or not as of that date
(达成 / 未达成, on the value of that date), never "behind"; the administrator adds the next period's target
(the same indicator, a new value by a later date) through one service, from the page or the API; the
dashboard, the indicator page, its chart, the reports and the supervision's annual report all read the
target in force and its status from the same definition (``figures.assessment_of``)."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.indicators import charts, figures, services
from workforce.indicators.choices import Status
from workforce.indicators.figures import Figure, Series
from workforce.indicators.models import Indicator, IndicatorTarget, Target
from workforce.indicators.tests.support import D0, D1, D, build_town
from workforce.supervision.annual import indicator_lines

CONTRACTS = "labor_contract_rate"  # 90% by 2020-12-31; 66.67% (2 of 3) on D0, 33.33% (1 of 3) on D1
BY_2025 = D(2025, 12, 31)


@pytest.fixture
def town(personas):
    return build_town(personas)


def contracts() -> Indicator:
    return Indicator.objects.get(code=CONTRACTS)


def add_2025_target(value: str = "95", acting_user=None) -> IndicatorTarget:
    return services.add_target(contracts(), Decimal(value), BY_2025, acting_user=acting_user,
                               channel=Channel.SYSTEM)


def percent(numerator: int, denominator: int) -> Figure:
    return Figure("", "", numerator, denominator, False)


# ----------------------------------------------------------------------- status before, at and after the date


def test_before_the_date_the_status_is_progress_towards_the_target(db):
    indicator = contracts()
    assert figures.assess(indicator, percent(60, 100), D(2020, 12, 30), Decimal("50")).status == Status.BEHIND
    assert figures.assess(indicator, percent(90, 100), D(2020, 12, 30), Decimal("50")).status == Status.MET


@pytest.mark.parametrize(("numerator", "status", "gap"), [
    (90, Status.ACHIEVED, Decimal("0.00")), (95, Status.ACHIEVED, Decimal("-5.00")),
    (60, Status.MISSED, Decimal("30.00"))])
def test_on_the_targets_date_it_is_reached_or_not_on_that_days_value(db, numerator, status, gap):
    assessment = figures.assess(contracts(), percent(numerator, 100), D0, Decimal("50"))

    assert (assessment.status, assessment.gap, assessment.expected) == (status, gap, None)
    assert assessment.settled == percent(numerator, 100) and assessment.target == Target(Decimal("90.00"), D0, True)


def test_after_the_date_the_status_is_the_one_of_that_date_whatever_the_value_today(db):
    today = percent(95, 100)  # reached now, but not on the target's date
    missed = figures.assess(contracts(), today, D(2026, 12, 7), None, settled=percent(60, 100))
    assert (missed.status, missed.gap, missed.figure.value) == (Status.MISSED, Decimal("30.00"), Decimal("95.00"))
    achieved = figures.assess(contracts(), percent(10, 100), D(2026, 12, 7), None, settled=percent(92, 100))
    assert (achieved.status, achieved.gap) == (Status.ACHIEVED, Decimal("-2.00"))


def test_a_past_target_is_not_judged_without_the_figure_of_its_date(db):
    with pytest.raises(ValueError, match="figure of that date"):
        figures.assess(contracts(), percent(95, 100), D1, None)


def test_after_the_date_the_dashboard_reads_not_met_with_the_value_of_that_date(town):
    row = next(row for row in figures.dashboard(D1) if row.indicator.code == CONTRACTS)

    assert row.city.status == Status.MISSED and row.city.target == Target(Decimal("90.00"), D0, True)
    assert (row.city.settled.value, row.city.figure.value, row.city.gap) == (
        Decimal("66.67"), Decimal("33.33"), Decimal("23.33"))


def test_the_target_in_force_is_the_next_unmet_else_the_last_ahead_else_the_latest(db):
    indicator = contracts()
    services.add_target(indicator, Decimal("95"), BY_2025, acting_user=None, channel=Channel.SYSTEM)
    services.add_target(indicator, Decimal("98"), D(2030, 12, 31), acting_user=None, channel=Channel.SYSTEM)
    plan, next_one, last = indicator.targets

    assert figures.target_in_force(indicator, D(2019, 6, 1), Decimal("50")) == plan
    assert figures.target_in_force(indicator, D(2019, 6, 1), Decimal("91")) == next_one  # 2020's reached early
    assert figures.target_in_force(indicator, D(2019, 6, 1), Decimal("99")) == last
    assert figures.target_in_force(indicator, D0, Decimal("50")) == next_one  # 2020's date has come
    assert figures.target_in_force(indicator, D(2031, 1, 1), Decimal("50")) == last
    assert figures.target_in_force(Indicator.objects.get(code="worker_party_members"), D0, Decimal("5")) is None


def test_a_later_periods_path_starts_at_the_previous_targets_date_and_value(town):
    add_2025_target()
    indicator = contracts()
    halfway = D(2023, 6, 30)  # 911 of 1,826 days from 2020-12-31 to 2025-12-31

    assessment = figures.assess_against(indicator, percent(80, 100), halfway, indicator.targets[1])

    # 66.67% on 2020-12-31 (the registry) → 95% by 2025-12-31: 66.67 + 28.33 × 911 / 1,826 half way.
    assert (assessment.status, assessment.expected) == (Status.BEHIND, Decimal("80.80"))


def test_with_the_next_periods_target_the_dashboard_measures_progress_towards_it(town):
    add_2025_target()

    row = next(row for row in figures.dashboard(D1) if row.indicator.code == CONTRACTS)
    assert row.city.target == Target(Decimal("95.00"), BY_2025) and row.city.status == Status.BEHIND
    assert row.city.settled is None and row.city.gap == Decimal("61.67")
    later = next(row for row in figures.dashboard(D(2026, 1, 1)) if row.indicator.code == CONTRACTS)
    assert (later.city.target.due_on, later.city.status, later.city.settled.value) == (
        BY_2025, Status.MISSED, Decimal("33.33"))


def test_every_target_keeps_its_own_outcome_on_the_indicator_page(town):
    add_2025_target()
    indicator = contracts()

    history = figures.target_history(indicator, figures.city_figure(indicator, D1), D1)

    assert [(item.target.due_on, item.status) for item in history] == [(D0, Status.MISSED),
                                                                       (BY_2025, Status.BEHIND)]
    assert history[0].settled.value == Decimal("66.67") and history[1].settled is None


# -------------------------------------------------------------------------------------------- the service


def test_adding_the_next_periods_target_keeps_a_change_log_row_under_the_indicator(personas):
    target = add_2025_target(acting_user=personas.city_admin)

    assert (target.value, target.due_on) == (Decimal("95"), BY_2025)
    entry = ChangeLogEntry.objects.get(content_type__model="indicatortarget", object_id=str(target.pk))
    assert (entry.action, entry.after, entry.user) == (
        ChangeAction.CREATE, {"value": "95", "due_on": "2025-12-31"}, personas.city_admin)
    assert entry.parent_object_id == str(contracts().pk)


@pytest.mark.parametrize(("code", "value", "due_on", "field", "message"), [
    (CONTRACTS, "95", D(2020, 6, 30), "due_on", "目标日期须晚于上一期目标的日期（2020-12-31）。"),
    (CONTRACTS, "95", D0, "due_on", "该指标已有 2020-12-31 的目标，不能重复添加。"),
    (CONTRACTS, "95", D(2101, 1, 1), "due_on", "目标日期须在 2100 年以前。"),
    (CONTRACTS, "100.5", BY_2025, "value", "百分比指标的数值须在 0 至 100 之间。"),
    (CONTRACTS, "-1", BY_2025, "value", "百分比指标的数值须在 0 至 100 之间。"),
    (CONTRACTS, "95.125", BY_2025, "value", "数值最多保留两位小数。"),
    ("skilled_talents", "150000.5", BY_2025, "value", "人数指标的数值须为不小于 0 的整数。"),
    ("worker_party_members", "10", D(2018, 12, 13), "due_on", "目标日期须晚于基期日期（2018-12-13）。"),
])
def test_a_target_out_of_order_or_range_is_refused_with_the_reason_and_changes_nothing(
        db, code, value, due_on, field, message):
    with pytest.raises(ValidationError) as refused:
        services.add_target(Indicator.objects.get(code=code), Decimal(value), due_on, acting_user=None,
                            channel=Channel.SYSTEM)

    assert refused.value.message_dict == {field: [message]}
    assert not IndicatorTarget.objects.exists() and not ChangeLogEntry.objects.filter(
        content_type__model="indicatortarget").exists()


def test_the_same_period_is_not_added_twice(db):
    add_2025_target()
    with pytest.raises(ValidationError, match="该指标已有 2025-12-31 的目标"):
        add_2025_target("96")
    assert IndicatorTarget.objects.count() == 1


def test_a_monitored_indicator_gets_its_first_target_after_its_baseline_date(db):
    indicator = Indicator.objects.get(code="worker_party_members")
    services.add_target(indicator, Decimal("12"), BY_2025, acting_user=None, channel=Channel.SYSTEM)
    assert Indicator.objects.get(pk=indicator.pk).targets == [Target(Decimal("12.00"), BY_2025)]


def test_the_edit_page_says_its_target_is_the_plans_and_where_the_next_ones_go(db, personas, sign_in):
    page = sign_in(personas.city_admin).get(reverse("indicators:edit", args=[CONTRACTS])).content.decode()
    assert "此处的目标值和目标日期为方案目标" in page


def test_the_plan_targets_date_cannot_move_past_a_later_target(db):
    add_2025_target()
    indicator = contracts()
    with pytest.raises(ValidationError) as refused:
        services.update_indicator(indicator, {"target_date": D(2026, 1, 1)}, expected_version=indicator.version,
                                  acting_user=None, channel=Channel.SYSTEM)
    assert refused.value.message_dict == {"target_date": ["方案目标的日期须早于后续阶段目标的日期（2025-12-31）。"]}
    assert contracts().target_date == D0


def test_the_edit_form_refuses_a_share_above_100_percent(db):
    indicator = contracts()
    with pytest.raises(ValidationError) as refused:
        services.update_indicator(indicator, {"target_value": Decimal("120")}, expected_version=indicator.version,
                                  acting_user=None, channel=Channel.SYSTEM)
    assert refused.value.message_dict == {"target_value": ["百分比指标的数值须在 0 至 100 之间。"]}
    assert contracts().target_value == Decimal("90.00")


# ---------------------------------------------------------------------------------------------- the page


def test_the_city_admin_adds_the_next_target_on_the_indicator_page(town, sign_in):
    client = sign_in(town.people.city_admin)
    page = client.get(reverse("indicators:detail", args=[CONTRACTS]), {"on": D1.isoformat()}).content.decode()
    assert 'id="target-form"' in page and 'id="target-history"' in page

    response = client.post(reverse("indicators:target_add", args=[CONTRACTS]),
                           {"value": "95", "due_on": "2025-12-31", "note": "攀委发〔2021〕1号"}, follow=True)

    content = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/indicators/{CONTRACTS}/#targets")
    assert "已添加下一期目标。" in content
    target = IndicatorTarget.objects.get()
    entry = ChangeLogEntry.objects.get(content_type__model="indicatortarget")
    assert (target.value, entry.channel, entry.note) == (Decimal("95.00"), Channel.PAGE, "攀委发〔2021〕1号")
    page = client.get(reverse("indicators:detail", args=[CONTRACTS]), {"on": D1.isoformat()}).content.decode()
    assert 'data-due="2020-12-31"' in page and 'data-due="2025-12-31"' in page
    assert "未达成" in page and "66.67%" in page and "进度滞后" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"value": "95", "due_on": "2020-06-30"}, "目标日期须晚于上一期目标的日期（2020-12-31）。"),
    ({"value": "150", "due_on": "2025-12-31"}, "百分比指标的数值须在 0 至 100 之间。"),
    ({"value": "", "due_on": "2025-12-31"}, "请填写目标值。"),
    ({"value": "95", "due_on": "2025-13-01"}, "日期格式不正确"),
])
def test_a_refused_target_says_why_on_the_page_and_changes_nothing(town, sign_in, data, message):
    response = sign_in(town.people.city_admin).post(reverse("indicators:target_add", args=[CONTRACTS]), data,
                                                    follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not IndicatorTarget.objects.exists()


@pytest.mark.parametrize("who", ["union_officer", "dongqu_officer", "leader"])
def test_only_the_city_admin_sees_the_target_form_and_adds_targets(town, sign_in, who):
    client = sign_in(getattr(town.people, who))
    page = client.get(reverse("indicators:detail", args=[CONTRACTS]), {"on": D1.isoformat()}).content.decode()
    assert 'id="target-history"' in page and 'id="target-form"' not in page
    response = client.post(reverse("indicators:target_add", args=[CONTRACTS]), {"value": "95", "due_on": "2025-12-31"})
    assert response.status_code == 403 and not IndicatorTarget.objects.exists()


def card_of(page: str) -> str:
    start = page.index(f'data-indicator="{CONTRACTS}"')
    return page[start:page.index("</article>", start)]


def test_the_dashboard_shows_the_target_in_force_and_its_status(town, sign_in):
    client = sign_in(town.people.leader)
    before = client.get(reverse("indicators:dashboard"), {"on": D1.isoformat()}).content.decode()
    card = card_of(before)
    assert "未达成" in card and "目标 90.00%（2020）" in card and "2020-12-31 数值 66.67%" in card
    add_2025_target()
    after = client.get(reverse("indicators:dashboard"), {"on": D1.isoformat()}).content.decode()
    card = card_of(after)
    assert "进度滞后" in card and "目标 95.00%（2025）" in card and "数值 66.67%" not in card


# ----------------------------------------------------------------------------------------------- the API


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_adds_the_next_target_with_the_services_rules(town):
    client = api(town.people.city_admin)
    url = f"/api/indicators/{CONTRACTS}/targets/"

    response = client.post(url, {"value": "95", "due_on": "2025-12-31", "note": "市委文件"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"value": "95.00", "due_on": "2025-12-31", "is_plan": False}
    assert ChangeLogEntry.objects.get(content_type__model="indicatortarget").channel == Channel.API
    refused = client.post(url, {"value": "96", "due_on": "2025-12-31"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"due_on": ["该指标已有 2025-12-31 的目标，不能重复添加。"]}
    body = client.get(f"/api/indicators/{CONTRACTS}/", {"on": D1.isoformat()}).json()
    assert body["indicator"]["targets"] == [{"value": "90.00", "due_on": "2020-12-31", "is_plan": True},
                                            {"value": "95.00", "due_on": "2025-12-31", "is_plan": False}]
    assert body["status"] == "behind" and body["target"]["due_on"] == "2025-12-31"


@pytest.mark.parametrize("who", ["leader", "union_officer"])
def test_api_lets_only_the_city_admin_add_targets(town, who):
    response = api(getattr(town.people, who)).post(f"/api/indicators/{CONTRACTS}/targets/",
                                                   {"value": "95", "due_on": "2025-12-31"}, format="json")
    assert response.status_code == 403 and not IndicatorTarget.objects.exists()


def test_schema_describes_adding_a_target(db):
    schema = APIClient().get("/api/schema/").content.decode()
    assert "/api/indicators/{code}/targets/" in schema and "TargetInput" in schema and "settled_value" in schema


# --------------------------------------------------------------------------------------------- the chart


def test_the_trend_shows_each_target_against_its_own_period_labelled_beside_it(db):
    add_2025_target()
    indicator = contracts()
    days = figures.month_ends(figures.SERIES_START, D(2024, 12, 31))
    series = Series(days, [percent(70, 100)] * len(days), {})

    chart = charts.trend_chart(indicator, series, current=indicator.targets[1])

    assert chart["xAxis"]["data"][0] == "2015-01" and chart["xAxis"]["data"][-1] == "2025-12"  # runs on to 2025
    city = chart["series"][0]
    assert len(city["data"]) == len(days)  # no figures invented for the months ahead
    first, second = city["markLine"]["data"]  # the plan's from its baseline date, the next from the plan's date
    assert [first[0]["coord"], first[1]["coord"]] == [["2018-12", 90.0], ["2020-12", 90.0]]
    assert [second[0]["coord"], second[1]["coord"]] == [["2020-12", 95.0], ["2025-12", 95.0]]
    assert first[0]["label"] == {"position": "insideEndTop", "formatter": "目标 90.00\n2020",
                                 "color": charts.OTHER_TARGET_COLOUR}
    # The latest target ends at the axis's end: its label goes in the margin right of the plot.
    assert second[0]["label"] == {"position": "end", "formatter": "目标 95.00\n2025",
                                  "color": charts.CURRENT_TARGET_COLOUR}
    assert chart["grid"]["right"] == 16 + charts.TARGET_LABEL_WIDTH
    assert [point["coord"] for point in city["markPoint"]["data"]] == [["2020-12", 90.0], ["2025-12", 95.0]]


def test_the_district_bars_carry_the_target_in_force_only(db):
    add_2025_target()
    indicator = contracts()
    indicator.target_per_district = True  # drawn over the districts' bars only when it applies to each
    row = SimpleNamespace(indicator=indicator, districts=[], city=SimpleNamespace(target=indicator.targets[1]))

    chart = charts.district_chart(row, D1)

    target = chart["series"][1]
    assert target["markLine"]["data"] == [{"yAxis": 95.0}] and target["name"] == "目标 ≥95.00%（2025年）"


# ------------------------------------------------------------------------------------ reports and supervision


def test_the_xlsx_report_gives_the_status_as_of_the_targets_date(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["xlsx"]), {"on": D1.isoformat()})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[3]]
    row = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "劳动合同签订率")
    found = dict(zip(header, row, strict=True))
    assert (found["数值"], found["目标"], found["目标日期"], found["目标日期数值"], found["状态"]) == (
        33.33, 90, "2020-12-31", 66.67, "未达成")


def test_the_pdf_report_and_the_annual_report_word_the_status_alike(town):
    line = indicator_lines(D1)[CONTRACTS]
    assert (line.value.text(), line.target.text(), line.target_year, line.status_text) == (
        "33.33%", "≥90.00%", "2020年", "未达成（2020-12-31：66.67%）")
    add_2025_target()
    line = indicator_lines(D1)[CONTRACTS]
    assert (line.target.text(), line.target_year, line.status_text) == ("≥95.00%", "2025年", "进度滞后")
    row = next(row for row in figures.dashboard(D(2026, 1, 1)) if row.indicator.code == CONTRACTS)
    assert figures.status_text(row.city, lambda figure: f"{figure.value}%") == "未达成（2025-12-31：33.33%）"


def test_a_later_target_added_in_error_is_removed_and_the_change_log_keeps_it(town, sign_in):
    target = add_2025_target()
    remove = reverse("indicators:target_remove", args=[CONTRACTS, target.pk])
    assert sign_in(town.people.leader).post(remove).status_code == 403
    client = sign_in(town.people.city_admin)
    page = client.get(reverse("indicators:detail", args=[CONTRACTS]), {"on": D1.isoformat()}).content.decode()
    assert f'action="{remove}"' in page

    response = client.post(remove, follow=True)

    assert "已删除 2025-12-31 的目标。" in response.content.decode() and not IndicatorTarget.objects.exists()
    entry = ChangeLogEntry.objects.get(content_type__model="indicatortarget", action=ChangeAction.DELETE)
    assert entry.before == {"value": "95.00", "due_on": "2025-12-31"} and entry.user == town.people.city_admin
    assert client.post(remove).status_code == 404


def test_the_value_on_a_sensitive_targets_date_is_withheld_with_its_gap(town):
    # Union membership is a sensitive attribute (decision 0009): 2 of 3 members on 2020-12-31 is a small cell.
    body = api(town.people.leader).get("/api/indicators/union_membership_coverage/", {"on": D1.isoformat()}).json()
    assert body["status"] == "missed" and body["gap"] is None
    assert body["target"] == {"value": "80.00", "due_on": "2020-12-31", "settled_value": None,
                              "settled_suppressed": True}
    whole = api(town.people.city_admin).get("/api/indicators/union_membership_coverage/", {"on": D1.isoformat()})
    assert whole.json()["target"]["settled_value"] == "66.67" and whole.json()["gap"] == "13.33"
