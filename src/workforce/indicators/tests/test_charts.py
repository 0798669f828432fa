"""The target line's label sits right of the plot, in room kept for it, never over the last bar (issue 15
point 11: "目标 90.00" was drawn over 单独建制率's and 集体协商's last bars)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from workforce.indicators.charts import TARGET_LABEL_WIDTH, district_chart
from workforce.indicators.models import Indicator, Target


def _chart(target):
    indicator = Indicator(code="union_branch_rate", name="单独建制率", target_value=target, unit="%")
    current = Target(target, datetime.date(2020, 12, 31)) if target is not None else None
    return district_chart(SimpleNamespace(indicator=indicator, districts=[], city=SimpleNamespace(target=current)),
                          datetime.date(2026, 12, 7))


def test_the_target_label_is_drawn_right_of_the_plot_in_room_kept_for_it():
    chart = _chart(Decimal("90.00"))

    assert chart["series"][0]["markLine"]["label"] == {"position": "end", "formatter": "目标 90.00\n2020"}
    assert chart["grid"]["right"] == 8 + TARGET_LABEL_WIDTH


def test_a_chart_without_a_target_keeps_its_narrow_margin():
    chart = _chart(None)

    assert "markLine" not in chart["series"][0]
    assert chart["grid"]["right"] == 8
