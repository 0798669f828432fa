"""ECharts options of the indicator pages, built here and handed to the page as JSON (``json_script``):
the page's script only draws them, so no number is computed in the browser."""

from __future__ import annotations

import math

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workforce.indicators.figures import Row, Series, unit_suffix
from workforce.indicators.models import Indicator

PALETTE = ["#1d4ed8", "#059669", "#d97706", "#7c3aed", "#dc2626", "#0891b2"]


def _number(value) -> float | None:
    return float(value) if value is not None else None


def records_url(indicator: Indicator, on, breakdown: str = "", key: str = "", part: str = "numerator") -> str:
    query = {"on": on.isoformat(), "part": part}
    if breakdown:
        query |= {"breakdown": breakdown, "key": key}
    return reverse("indicators:records", args=[indicator.code]) + "?" + urlencode(query)


# Room right of the plot for the target line's label: drawn inside the plot, it covered the last bar.
TARGET_LABEL_WIDTH = 72


def _target_line(indicator: Indicator) -> dict:
    if indicator.target_value is None:
        return {}
    label = _("目标 %(value)s") % {"value": f"{indicator.target_value:g}"}
    return {"markLine": {"symbol": "none", "lineStyle": {"color": "#dc2626", "type": "dashed"},
                         "label": {"position": "end", "formatter": label},
                         "data": [{"yAxis": float(indicator.target_value)}]}}


def _right(indicator: Indicator, margin: int) -> int:
    """The grid's right margin: ``margin``, plus room for the target's label when there is a target."""
    return margin + (TARGET_LABEL_WIDTH if indicator.target_value is not None else 0)


def district_chart(row: Row, on) -> dict:
    """Bars of the indicator's value in each district, with the target line; a click opens the records."""
    indicator = row.indicator
    return {
        "grid": {"left": 48, "right": _right(indicator, 8), "top": 24, "bottom": 40},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [figure.label for figure in row.districts],
                  "axisLabel": {"interval": 0, "fontSize": 11}},
        "yAxis": {"type": "value", "name": unit_suffix(indicator)},
        "series": [{"type": "bar", "name": indicator.display_name, "barMaxWidth": 28,
                    "itemStyle": {"color": PALETTE[0]},
                    "data": [_number(figure.value) for figure in row.districts], **_target_line(indicator)}],
        "links": [records_url(indicator, on, "district", figure.key) for figure in row.districts],
    }


def dashboard_charts(rows: list[Row], on) -> dict[str, dict]:
    """One district chart per indicator, keyed by indicator code."""
    return {row.indicator.code: district_chart(row, on) for row in rows}


def trend_chart(indicator: Indicator, series: Series) -> dict:
    """The monthly trend since 2015 for the city (and each district, off by default), with the target."""
    days = [day.isoformat()[:7] for day in series.days]
    lines = [{"type": "line", "name": _("全市"), "showSymbol": False, "lineStyle": {"width": 3},
              "data": [_number(figure.value) for figure in series.city], **_target_line(indicator)}]
    selected = {_("全市"): True}
    for position, figures in enumerate(series.by_district.values()):
        if not figures:
            continue
        name = figures[0].label
        selected[name] = False
        lines.append({"type": "line", "name": name, "showSymbol": False,
                      "itemStyle": {"color": PALETTE[(position + 1) % len(PALETTE)]},
                      "data": [_number(figure.value) for figure in figures]})
    values = [value for value in lines[0]["data"] if value is not None]
    if indicator.target_value is not None:  # keep the target line in view
        values.append(float(indicator.target_value))
    top = math.ceil(max(values) * 1.05) if values else None
    return {
        "grid": {"left": 56, "right": _right(indicator, 16), "top": 48, "bottom": 64},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "selected": selected},
        "xAxis": {"type": "category", "data": days},
        "yAxis": {"type": "value", "name": unit_suffix(indicator), "scale": True, "max": top},
        "dataZoom": [{"type": "inside"}, {"type": "slider", "height": 20, "bottom": 8}],
        "series": lines,
    }
