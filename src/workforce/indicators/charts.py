"""ECharts options of the indicator pages, built here and handed to the page as JSON (``json_script``):
the page's script only draws them, so no number is computed in the browser."""

from __future__ import annotations

import datetime
import math

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workforce.indicators.figures import PLAN_DATE, Row, Series, month_ends, unit_suffix
from workforce.indicators.models import Indicator, Target

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
CURRENT_TARGET_COLOUR = "#dc2626"
OTHER_TARGET_COLOUR = "#64748b"


def _target_label(target: Target) -> str:
    """"目标 90.00" over the target's year: two short lines fit the margin kept for them."""
    return _("目标 %(value)s") % {"value": f"{target.value:g}"} + f"\n{target.due_on.year}"


def _target_line(target: Target | None) -> dict:
    """The target in force as a dashed line across the plot, labelled right of it."""
    if target is None:
        return {}
    return {"markLine": {"symbol": "none", "lineStyle": {"color": CURRENT_TARGET_COLOUR, "type": "dashed"},
                         "label": {"position": "end", "formatter": _target_label(target)},
                         "data": [{"yAxis": float(target.value)}]}}


def _right(has_target: bool, margin: int) -> int:
    """The grid's right margin: ``margin``, plus room for the target's label when there is a target."""
    return margin + (TARGET_LABEL_WIDTH if has_target else 0)


def district_chart(row: Row, on) -> dict:
    """Bars of the indicator's value in each district, with the target line; a click opens the records."""
    indicator, target = row.indicator, row.city.target
    return {
        "grid": {"left": 48, "right": _right(target is not None, 8), "top": 24, "bottom": 40},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [figure.label for figure in row.districts],
                  "axisLabel": {"interval": 0, "fontSize": 11}},
        "yAxis": {"type": "value", "name": unit_suffix(indicator)},
        "series": [{"type": "bar", "name": indicator.display_name, "barMaxWidth": 28,
                    "itemStyle": {"color": PALETTE[0]},
                    "data": [_number(figure.value) for figure in row.districts], **_target_line(target)}],
        "links": [records_url(indicator, on, "district", figure.key) for figure in row.districts],
    }


def dashboard_charts(rows: list[Row], on) -> dict[str, dict]:
    """One district chart per indicator, keyed by indicator code."""
    return {row.indicator.code: district_chart(row, on) for row in rows}


def _month(day) -> str:
    return day.isoformat()[:7]


def target_segments(indicator: Indicator, months: list[str], current: Target | None) -> dict:
    """Every target of the indicator on the trend, each against its own period: a dashed segment at its value
    from the start of its period (the baseline date, or the previous target's date) to its own date, ending
    in a dot. The latest target ends at the axis's end and is labelled in the margin right of the plot; the
    earlier ones are labelled above their segment's end. The target in force is red, the others grey."""
    targets = indicator.targets
    if not targets or not months:
        return {}
    segments, points = [], []
    start = _month(indicator.baseline_date or PLAN_DATE)
    for target in targets:
        end = _month(target.due_on)
        if end < months[0]:  # a period wholly before the axis
            start = end
            continue
        colour = CURRENT_TARGET_COLOUR if target == current else OTHER_TARGET_COLOUR
        is_last = target == targets[-1]
        # A segment's style and label are read from its first point (ECharts).
        segments.append([
            {"coord": [max(start, months[0]), float(target.value)],
             "lineStyle": {"color": colour, "type": "dashed", "width": 2},
             "label": {"position": "end" if is_last else "insideEndTop", "formatter": _target_label(target),
                       "color": colour}},
            {"coord": [end, float(target.value)]},
        ])
        points.append({"coord": [end, float(target.value)], "itemStyle": {"color": colour}})
        start = end
    return {"markLine": {"symbol": "none", "silent": True, "data": segments},
            "markPoint": {"symbol": "circle", "symbolSize": 8, "silent": True, "label": {"show": False},
                          "data": points}}


def trend_chart(indicator: Indicator, series: Series, current: Target | None = None) -> dict:
    """The monthly trend since 2015 for the city (and each district, off by default), with every target of
    the indicator against its own date (``target_segments``): the axis runs on to the latest target's date,
    so a target still ahead shows where the line has to get to and by when."""
    days = [_month(day) for day in series.days]
    targets = indicator.targets
    if targets and _month(targets[-1].due_on) > days[-1]:
        last = series.days[-1]
        days += [_month(day) for day in month_ends(last + datetime.timedelta(days=1), targets[-1].due_on)
                 if _month(day) > days[-1]]
    lines = [{"type": "line", "name": _("全市"), "showSymbol": False, "lineStyle": {"width": 3},
              "data": [_number(figure.value) for figure in series.city],
              **target_segments(indicator, days, current)}]
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
    values += [float(target.value) for target in targets]  # keep every target in view
    top = math.ceil(max(values) * 1.05) if values else None
    return {
        "grid": {"left": 56, "right": _right(bool(targets), 16), "top": 48, "bottom": 64},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "selected": selected},
        "xAxis": {"type": "category", "data": days},
        "yAxis": {"type": "value", "name": unit_suffix(indicator), "scale": True, "max": top},
        "dataZoom": [{"type": "inside"}, {"type": "slider", "height": 20, "bottom": 8}],
        "series": lines,
    }
