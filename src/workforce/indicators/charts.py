"""ECharts options of the indicator pages, built here and handed to the page as JSON (``json_script``):
the page's script only draws them, so no number is computed in the browser."""

from __future__ import annotations

import datetime
import math

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workforce.core.official import Amount
from workforce.indicators.choices import Direction, Unit
from workforce.indicators.disclosure import MARK
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


def district_target(indicator: Indicator, target: Target | None) -> Target | None:
    """The target a district's figure is compared with, drawn over the districts' bars (pages and reports):
    the city's target only when the plan asks every district to reach it (``target_per_district``, a share).
    A count's target is a city-wide total (12万 skilled talents) and is never compared with one district."""
    if target is None or indicator.unit != Unit.PERCENT or not indicator.target_per_district:
        return None
    return target


def target_text(target: Target, indicator: Indicator) -> str:
    """"≥90.00%（2020年）", "≥120,000人（2020年）": the target's value in its unit, and its year."""
    sign = "≥" if indicator.direction == Direction.AT_LEAST else "≤"
    kind = Amount.PERCENT if indicator.unit == Unit.PERCENT else Amount.COUNT
    year = _("%(year)d年") % {"year": target.due_on.year}
    return f"{Amount(target.value, kind, sign).text()}（{year}）"


def city_target_note(indicator: Indicator, target: Target | None) -> str:
    """What a district chart says of a city-wide target it does not draw (empty when it draws it)."""
    if target is None or district_target(indicator, target) is not None:
        return ""
    if indicator.unit == Unit.PERCENT:
        note = _("全市目标 %(target)s，只与全市数值比较，不与各县（区）比较")
    else:
        note = _("全市目标 %(target)s，为全市合计，不与各县（区）比较")
    return note % {"target": target_text(target, indicator)}


def value_text(figure, indicator: Indicator) -> str:
    """A figure as a chart's label: "66.67%", "1,182人", the suppression mark, or "—" without a value."""
    if figure.is_suppressed:
        return MARK
    if figure.value is None:
        return "—"
    kind = Amount.PERCENT if indicator.unit == Unit.PERCENT else Amount.COUNT
    return Amount(figure.value, kind).text()


def value_unit(indicator: Indicator) -> str:
    """The unit a chart's axis and tooltip give its values in."""
    return "%" if indicator.unit == Unit.PERCENT else _("人")


def district_chart(row: Row, on) -> dict:
    """Bars of the indicator's value in each district, each labelled with its value and unit; a click opens the
    records. A target line is drawn only where it applies to a district (``district_target``), with its own
    legend entry, and then the values are written under the districts' names, outside the plot, so the line
    never crosses a label; a city-wide target is stated in the chart's subtitle instead."""
    indicator = row.indicator
    is_rate = indicator.unit == Unit.PERCENT
    target = district_target(indicator, row.city.target)
    labels_on_axis = target is not None
    names = [figure.label for figure in row.districts]
    if labels_on_axis:
        names = [f"{figure.label}\n{value_text(figure, indicator)}" for figure in row.districts]
    data = [{"value": _number(figure.value),
             "label": {"show": not labels_on_axis, "position": "top", "formatter": value_text(figure, indicator)}}
            for figure in row.districts]
    series: list[dict] = [{"type": "bar", "name": _("各县（区）数值"), "barMaxWidth": 28,
                           "itemStyle": {"color": PALETTE[0]}, "data": data}]
    note = city_target_note(indicator, row.city.target)
    values = [float(figure.value) for figure in row.districts if figure.value is not None]
    if target is not None:
        # A line series of its own (no points) carries the target's legend entry and the dashed line.
        series.append({"type": "line", "name": _("目标 %(target)s") % {"target": target_text(target, indicator)},
                       "data": [], "symbol": "none",
                       "itemStyle": {"color": CURRENT_TARGET_COLOUR},
                       "lineStyle": {"color": CURRENT_TARGET_COLOUR, "type": "dashed"},
                       "markLine": {"symbol": "none", "silent": True, "label": {"show": False},
                                    "lineStyle": {"color": CURRENT_TARGET_COLOUR, "type": "dashed", "width": 2},
                                    "data": [{"yAxis": float(target.value)}]}})
        values.append(float(target.value))
    return {
        # One line above the plot: the legend of a drawn target, or the note of a city-wide one.
        "title": {"text": "", "subtext": note, "left": "center", "top": 0, "padding": 0, "itemGap": 0,
                  "subtextStyle": {"fontSize": 11, "color": "#475569"}},
        "legend": {"show": target is not None, "top": 0, "left": "center", "itemHeight": 8,
                   "textStyle": {"fontSize": 11}},
        # The value axis's unit sits above it, under the legend or the note.
        "grid": {"left": 56, "right": 16, "top": 48 if (note or target) else 24,
                 "bottom": 48 if labels_on_axis else 40},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "fontSize": 11}},
        "yAxis": {"type": "value", "name": value_unit(indicator), "minInterval": 0 if is_rate else 1,
                  "max": _axis_top(values, indicator) if values else None},
        "series": series,
        "valueUnit": value_unit(indicator),
        "links": [records_url(indicator, on, "district", figure.key) for figure in row.districts],
    }


def _axis_top(values: list[float], indicator: Indicator) -> float:
    """A round axis maximum above the tallest bar or line, with room for the bars' value labels (a share's
    axis never beyond 100%)."""
    peak = max(values) * 1.15 or 1.0
    magnitude = 10 ** math.floor(math.log10(peak))
    step = magnitude / 2 if peak / magnitude <= 5 else magnitude
    top = math.ceil(peak / step) * step
    return min(top, 100.0) if indicator.unit == Unit.PERCENT else float(math.ceil(top))  # whole people


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
        "valueUnit": value_unit(indicator),
    }
