"""The districts' chart on the pages (issue 16 point 13): a district's bar is never compared with a city-wide
target (a count's 120,000 drawn over each district flattened the chart); a target is drawn only where the plan
applies it to every district, with a legend entry, and then no value label can meet the line; values carry
thousands separators and units. The reports' PDF charts follow the same rule (``district_target``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from workforce.core.choices import Channel
from workforce.indicators import services
from workforce.indicators.charts import district_chart, district_target
from workforce.indicators.figures import Figure
from workforce.indicators.models import Indicator, Target

ON = datetime.date(2026, 12, 7)
DUE = datetime.date(2020, 12, 31)


def _chart(unit: str, target: Decimal | None, values: list[int | tuple[int, int]], *, per_district=False):
    indicator = Indicator(code="x", name="指标", unit=unit, target_value=target, target_per_district=per_district)
    current = Target(target, DUE) if target is not None else None
    districts = []
    for i, (name, value) in enumerate(zip(["东区", "西区", "仁和区"], values, strict=False)):
        numerator, denominator = value if isinstance(value, tuple) else (value, None)
        districts.append(Figure(f"5104{i:02d}", name, numerator, denominator, is_count=unit == "persons"))
    row: Any = SimpleNamespace(indicator=indicator, districts=districts, city=SimpleNamespace(target=current))
    return district_chart(row, ON)


def _lines(chart) -> list[dict]:
    return [series for series in chart["series"] if "markLine" in series]


def test_a_city_wide_count_target_is_stated_not_drawn_over_the_districts():
    chart = _chart("persons", Decimal("120000"), [23456, 8120, 1200])
    assert _lines(chart) == [] and len(chart["series"]) == 1
    assert chart["title"]["subtext"] == "全市目标 ≥120,000人（2020年），为全市合计，不与各县（区）比较"
    # The axis fits the districts' bars, not the city's target.
    assert 23456 < chart["yAxis"]["max"] < 40000
    bars = chart["series"][0]["data"]
    assert [bar["label"]["formatter"] for bar in bars] == ["23,456人", "8,120人", "1,200人"]
    assert all(bar["label"]["show"] for bar in bars)
    assert chart["yAxis"]["name"] == chart["valueUnit"] == "人" and chart["yAxis"]["minInterval"] == 1
    assert chart["legend"]["show"] is False


def test_a_rate_target_is_compared_with_the_city_unless_the_plan_applies_it_to_every_district():
    chart = _chart("percent", Decimal("90"), [(3, 4), (1, 3)])
    assert _lines(chart) == []
    assert chart["title"]["subtext"] == "全市目标 ≥90.00%（2020年），只与全市数值比较，不与各县（区）比较"
    assert [bar["label"]["formatter"] for bar in chart["series"][0]["data"]] == ["75.00%", "33.33%"]


def test_a_target_that_applies_to_each_district_has_a_legend_and_never_crosses_a_value_label():
    chart = _chart("percent", Decimal("90"), [(89, 100), (1, 3)], per_district=True)
    [line] = _lines(chart)
    assert line["name"] == "目标 ≥90.00%（2020年）" and chart["legend"]["show"] is True
    assert line["markLine"]["data"] == [{"yAxis": 90.0}] and line["markLine"]["label"]["show"] is False
    assert chart["title"]["subtext"] == ""
    # 89% sits just under the 90% line: the values are written under the districts' names, outside the plot.
    assert not any(bar["label"]["show"] for bar in chart["series"][0]["data"])
    assert chart["xAxis"]["data"] == ["东区\n89.00%", "西区\n33.33%"]
    assert 90 < chart["yAxis"]["max"] <= 100


def test_a_withheld_or_missing_figure_is_labelled_as_such():
    chart = _chart("persons", None, [1200, 0])
    assert chart["series"][0]["data"][1]["label"]["formatter"] == "0人"
    withheld = Figure("510402", "西区", None, None, is_count=True, is_suppressed=True)
    row = SimpleNamespace(indicator=Indicator(code="x", unit="persons"), districts=[withheld],
                          city=SimpleNamespace(target=None))
    assert district_chart(row, ON)["series"][0]["data"][0]["label"]["formatter"] == "*"
    assert chart["title"]["subtext"] == "" and _lines(chart) == []


def test_only_a_share_can_apply_to_each_district():
    count = Indicator(code="x", unit="persons", target_per_district=True)
    assert district_target(count, Target(Decimal("120000"), DUE)) is None
    share = Indicator(code="x", unit="percent", target_per_district=True)
    assert district_target(share, Target(Decimal("90"), DUE)) == Target(Decimal("90"), DUE)
    assert district_target(share, None) is None


@pytest.mark.django_db
def test_a_count_indicator_cannot_be_set_to_apply_its_target_to_each_district():
    indicator = Indicator.objects.get(code="skilled_talents")
    with pytest.raises(ValidationError) as error:
        services.update_indicator(indicator, {"target_per_district": True}, expected_version=indicator.version,
                                  acting_user=None, channel=Channel.SYSTEM)
    assert error.value.message_dict == {"target_per_district": ["人数指标的目标是全市合计，不能适用于各县（区）。"]}
    indicator.refresh_from_db()
    assert indicator.target_per_district is False
    rate = Indicator.objects.get(code="labor_contract_rate")
    services.update_indicator(rate, {"target_per_district": True}, expected_version=rate.version,
                              acting_user=None, channel=Channel.SYSTEM)
    rate.refresh_from_db()
    assert rate.target_per_district is True
