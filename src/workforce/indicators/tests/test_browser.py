"""End to end in headless Chromium: open the dashboard, change the date, drill down from a district's
figure to its workers."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.conftest import sign_in_in_browser
from workforce.indicators.models import Indicator
from workforce.indicators.tests.support import build_town

pytestmark = pytest.mark.browser


@pytest.fixture
def town_with_device(reference_data, personas):
    town = build_town(personas)
    device = TOTPDevice.objects.create(user=personas.city_admin, name="phone", confirmed=True)
    return town, device


def test_admin_changes_the_date_and_drills_down_to_a_districts_workers(page, town_with_device, tmp_path):
    _town, device = town_with_device
    # The plan's 90% applies to every district here: the districts' chart draws it, with a legend.
    Indicator.objects.filter(code="labor_contract_rate").update(target_per_district=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_in_browser(page, device, "/indicators/?on=2020-12-31")

    # The charts are drawn (ECharts from our own static files, under the strict CSP).
    page.locator('[data-chart="labor_contract_rate"][data-drawn="true"]').wait_for()
    page.locator('[data-chart="labor_contract_rate"] canvas').first.wait_for()
    drawn = page.evaluate("""() => {
        const chart = (code) => echarts.getInstanceByDom(document.querySelector(`[data-chart="${code}"]`));
        const rate = chart("labor_contract_rate"), count = chart("skilled_talents");
        const option = rate.getOption();
        return {legend: option.legend[0].show, names: option.series.map((series) => series.name),
                tooltip: option.tooltip[0].valueFormatter(1234.5), axis: option.yAxis[0].axisLabel.formatter(120000),
                countLines: count.getOption().series.filter((series) => series.markLine).length,
                countNote: count.getOption().title[0].subtext};
    }""")
    assert drawn == {"legend": True, "names": ["各县（区）数值", "目标 ≥90.00%（2020年）"], "tooltip": "1,234.5%",
                     "axis": "120,000", "countLines": 0,
                     "countNote": "全市目标 ≥120,000人（2020年），为全市合计，不与各县（区）比较"}, drawn
    page.locator("#district-comparison").scroll_into_view_if_needed()
    page.locator('[data-chart="labor_contract_rate"]').screenshot(path=tmp_path / "labor_contract_rate.png")
    page.locator('[data-chart="skilled_talents"]').screenshot(path=tmp_path / "skilled_talents.png")
    assert errors == []

    # Change the date: the figures are those of 2020-12-31.
    page.get_by_label("统计日期").fill("2020-12-31")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"on=2020-12-31"))
    card = page.locator('[data-indicator="labor_contract_rate"]')
    assert card.locator(".indicator-card__value").inner_text() == "66.67%"

    # Drill down from 仁和区's figure to the workers behind it.
    row = page.locator("#district-comparison tr", has_text="劳动合同签订率")
    row.locator('a[data-district="510411"]').click()
    page.wait_for_url(re.compile(r"/indicators/labor_contract_rate/records/.*key=510411"))
    records = page.locator("#records")
    records.get_by_role("link", name="王五").wait_for()
    assert records.get_by_text("张三").count() == 0 and records.get_by_text("李梅").count() == 0


def test_admin_adds_the_next_periods_target_and_the_trend_draws_both(page, town_with_device):
    _town, device = town_with_device
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_in_browser(page, device, "/indicators/labor_contract_rate/?on=2021-01-01")
    history = page.locator("#target-history")
    assert "未达成" in history.inner_text() and "66.67%" in history.inner_text()

    form = page.locator("#target-form")
    form.get_by_label("目标值").fill("95")
    form.get_by_label("目标日期").fill("2025-12-31")
    form.get_by_role("button", name="添加目标").click()
    page.get_by_text("已添加下一期目标。").wait_for()
    page.locator('#target-history tr[data-due="2025-12-31"]').wait_for()

    chart = page.locator('[data-chart="trend"][data-drawn="true"]')
    chart.wait_for()
    drawn = page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.querySelector('[data-chart="trend"]')).getOption();
        return {segments: option.series[0].markLine.data.length, dots: option.series[0].markPoint.data.length,
                axis: option.xAxis[0].data.includes("2025-12")};
    }""")
    assert drawn == {"segments": 2, "dots": 2, "axis": True} and errors == []
