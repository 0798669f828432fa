"""The report for a chosen date, to hand to the city's leaders: every indicator with its value, target, gap
and status, each district's figures, and a chart per indicator; as ``.xlsx`` (xlsxwriter, native Excel
charts) and as PDF (fpdf2, a Chinese serif face embedded as a subset: docs/decisions/0006-indicators.md),
both in the form of GB/T 9704 (``core.official``): A4 with its margins, a centred title, the issuing office
and date, page numbers "— 1 —", numbers stored as numbers with their units in the cell format.

Aggregates only: no personal data is in either file. The values are read from the dashboard's figure
objects (``figures.Row``); this module only lays them out.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core import official
from workforce.core.official import Amount
from workforce.indicators import charts, wording
from workforce.indicators.choices import Direction, Status, Unit
from workforce.indicators.disclosure import MARK
from workforce.indicators.figures import Figure, Row, status_text


def _kind(indicator) -> str:
    return Amount.PERCENT if indicator.unit == Unit.PERCENT else Amount.COUNT


def _amount(value, indicator, sign: str = "") -> Amount:
    return Amount(value, _kind(indicator), sign)


def gap_cell(gap: Decimal | None, indicator) -> Amount | str:
    """A gap as a report's cell: a shortfall is a number in its unit (percentage points for a rate, people for
    a count), stored as a number in a workbook; otherwise the words the pages use (``wording.gap_amount``):
    "已达到" once reached, never a negative gap, and "—" without a target."""
    if gap is None or gap <= 0:
        return wording.gap_amount(gap, indicator)
    return Amount(gap, Amount.POINTS if indicator.unit == Unit.PERCENT else Amount.COUNT)


def _figure_text(figure: Figure, indicator) -> str:
    """A figure as the PDF shows it: "66.67%", "1,182人", or the suppression mark (``disclosure``)."""
    return MARK if figure.is_suppressed else _amount(figure.value, indicator).text()


def _write(cells: official.XlsxCells, sheet, row: int, column: int, figure: Figure, indicator) -> None:
    """A figure's value as a number in its unit's format; the suppression mark as text when it is withheld."""
    cells.write(sheet, row, column, MARK if figure.is_suppressed else _amount(figure.value, indicator))


def _count(figure: Figure, part: str):
    return MARK if figure.is_suppressed else getattr(figure, part)


def _status(status: str) -> str:
    return str(Status(status).label)


def _sign(indicator) -> str:
    return "≥" if indicator.direction == Direction.AT_LEAST else "≤"


def _target_text(target, indicator) -> str:
    """"≥90.00%（2020年）": the target's value and year (as the pages' charts write it)."""
    return charts.target_text(target, indicator)


def _filename(on: datetime.date, suffix: str) -> tuple[str, str]:
    """The download's Chinese name and its ASCII fallback."""
    return (_("产业工人队伍建设改革目标指标报告（截至%(day)s）") % {"day": official.chinese_date(on)} + f".{suffix}",
            f"indicators-{on.isoformat()}.{suffix}")


def report_title(on: datetime.date) -> str:
    return _("攀枝花市产业工人队伍建设改革目标指标报告（截至 %(day)s）") % {"day": official.chinese_date(on)}


def _signed_off(on: datetime.date) -> str:
    return f"{official.DEFAULT_ISSUER}　{official.chinese_date(on)}"


def xlsx_bytes(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = "",
               issued_on: datetime.date | None = None) -> bytes:
    """The report as a workbook: a summary, the districts' figures and the charts; each sheet with the
    title, the issuing office and date, and A4 print setup. ``legend`` explains the mark of suppressed cells
    (``disclosure``), written under both titles."""
    issued_on = issued_on or timezone.localdate()
    handle = io.BytesIO()
    book = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    cells = official.XlsxCells(book)
    heading = cells.format(bold=True, bg_color="#F0F0F0", text_wrap=True, valign="vcenter", align="center")
    right = book.add_format({"align": "right"})

    def titled(sheet, last_column: int) -> None:
        sheet.merge_range(0, 0, 0, last_column, report_title(on), book.add_format(
            {"font_name": official.XLSX_TITLE_FACE, "font_size": 16, "align": "center", "valign": "vcenter"}))
        sheet.set_row(0, 32)
        if legend:
            sheet.write_string(1, 0, legend)
        sheet.write_string(1, last_column, _signed_off(issued_on), right)

    summary = book.add_worksheet(_("指标汇总"))
    header = [_("指标"), _("方案条款"), _("牵头单位"), _("数值"), _("目标"), _("目标日期"), _("目标日期数值"),
              _("差距"), _("状态"), _("分子"), _("分母"), _("口径说明")]
    titled(summary, len(header) - 1)
    summary.write_row(2, 0, header, heading)
    for i, row in enumerate(rows, 3):
        indicator, city = row.indicator, row.city
        cells.write(summary, i, 0, indicator.display_name)
        cells.write(summary, i, 1, indicator.clause)
        cells.write(summary, i, 2, str(indicator.department or ""))
        _write(cells, summary, i, 3, city.figure, indicator)
        # The target in force on the day (figures.target_in_force), and once its date has come the value then.
        target = city.target
        cells.write(summary, i, 4, _amount(target.value if target else None, indicator))
        cells.write(summary, i, 5, target.due_on.isoformat() if target else "—")
        if city.settled is not None:
            _write(cells, summary, i, 6, city.settled, indicator)
        else:
            cells.write(summary, i, 6, Amount(None, Amount.COUNT))
        if (city.settled or city.figure).is_suppressed:  # the gap would give the value away
            cells.write(summary, i, 7, MARK)
        else:
            cells.write(summary, i, 7, gap_cell(city.gap, indicator))
        cells.write(summary, i, 8, _status(city.status))
        cells.write(summary, i, 9, _count(city.figure, "numerator"))
        cells.write(summary, i, 10, _count(city.figure, "denominator") if not city.figure.is_count else "")
        cells.write(summary, i, 11, indicator.display_description)
    summary.set_column(0, 0, 36)
    summary.set_column(1, 10, 13)
    summary.set_column(11, 11, 60)
    official.xlsx_print_setup(summary, 2, landscape=True)

    by_district = book.add_worksheet(_("分县（区）"))
    titled(by_district, len(districts) + 1)
    by_district.write_row(2, 0, [_("指标"), _("全市")] + [name for _code, name in districts], heading)
    for i, row in enumerate(rows, 3):
        cells.write(by_district, i, 0, row.indicator.display_name)
        _write(cells, by_district, i, 1, row.city.figure, row.indicator)
        for j, figure in enumerate(row.districts, 2):
            _write(cells, by_district, i, j, figure, row.indicator)
    by_district.set_column(0, 0, 36)
    by_district.set_column(1, len(districts) + 1, 12)
    official.xlsx_print_setup(by_district, 2)

    charts = book.add_worksheet(_("图表"))
    charts.merge_range(0, 0, 0, 17, report_title(on), book.add_format(
        {"font_name": official.XLSX_TITLE_FACE, "font_size": 16, "align": "center"}))
    sheet_name = by_district.get_name()
    for i, row in enumerate(rows):
        indicator = row.indicator
        number_format = _amount(0, indicator).num_format()
        chart = book.add_chart({"type": "column"})
        # Each district's bar alone: the city-wide target is compared with the city-wide value (the
        # summary), never drawn over a district's bar.
        chart.add_series({"name": indicator.display_name,
                          "categories": [sheet_name, 2, 2, 2, len(districts) + 1],
                          "values": [sheet_name, 3 + i, 2, 3 + i, len(districts) + 1],
                          "data_labels": {"value": True, "num_format": number_format}})
        chart.set_title({"name": f"{indicator.display_name}（{_('全市')} {_figure_text(row.city.figure, indicator)}）",
                         "name_font": {"size": 11}})
        chart.set_y_axis({"num_format": number_format})
        chart.set_legend({"none": True})
        charts.insert_chart(2 + (i // 2) * 16, (i % 2) * 9, chart, {"x_scale": 1.1, "y_scale": 1.0})
    charts.set_paper(9)
    charts.fit_to_pages(1, 0)
    charts.set_footer("&C— &P —")
    book.close()
    return handle.getvalue()


def xlsx_report(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = ""
                ) -> FileResponse:
    return official.download(xlsx_bytes(on, rows, districts, legend), *_filename(on, "xlsx"),
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def overview(on: datetime.date, rows: list[Row]) -> str:
    """One paragraph on where the indicators stand, written from the statuses."""
    counts = {status: sum(1 for row in rows if row.city.status == status) for status in Status.values}
    return _("截至%(on)s，全市%(total)d项目标指标中，已达标或达成%(met)d项，进度正常%(on_track)d项，进度滞后"
             "%(behind)d项，未达成%(missed)d项，监测指标（无目标值）%(monitored)d项，无数据%(no_data)d项。各县（区）"
             "数值见表2；全市目标只与全市数值比较，不与各县（区）数值比较。") % {
        "on": official.chinese_date(on), "total": len(rows),
        "met": counts[Status.MET] + counts[Status.ACHIEVED], "on_track": counts[Status.ON_TRACK],
        "behind": counts[Status.BEHIND], "missed": counts[Status.MISSED], "monitored": counts[Status.MONITORED],
        "no_data": counts[Status.NO_DATA]}


def pdf_bytes(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = "",
              issued_on: datetime.date | None = None) -> bytes:
    """The report as an A4 PDF in the standard's form: title, overview, the issuing office and date, the
    city-wide table, the districts' table, then a chart per indicator; ``legend`` explains the mark of
    suppressed cells (``disclosure``), under the tables."""
    pdf = official.OfficialPDF()
    pdf.set_title(report_title(on))
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.document_title(report_title(on))
    pdf.paragraph(overview(on, rows))
    pdf.signature(str(official.DEFAULT_ISSUER), issued_on or timezone.localdate())
    pdf.add_page()
    pdf.heading(_("表1 全市目标指标"), size=12)
    table = []
    for row in rows:
        indicator, city = row.indicator, row.city
        suppressed = (city.settled or city.figure).is_suppressed
        gap = MARK if suppressed else official.cell_text(gap_cell(city.gap, indicator))
        target = _target_text(city.target, indicator) if city.target else "—"
        table.append([indicator.display_name, _figure_text(city.figure, indicator), target, gap,
                      status_text(city, lambda figure, shown=indicator: _figure_text(figure, shown))])
    pdf.grid([_("指标"), _("数值"), _("目标"), _("差距"), _("状态")], table, [46, 22, 30, 24, 34],
             aligns=["LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"])
    pdf.heading(_("表2 各县（区）数值"), size=12)
    share = (pdf.epw - 40) / (len(districts) + 1)
    pdf.grid([_("指标"), _("全市")] + [name for _code, name in districts],
             [[row.indicator.display_name, _figure_text(row.city.figure, row.indicator)]
              + [_figure_text(figure, row.indicator) for figure in row.districts] for row in rows],
             [40] + [share] * (len(districts) + 1), aligns=["LEFT"] + ["RIGHT"] * (len(districts) + 1))
    if legend:
        pdf.paragraph(legend, size=official.TABLE_PT, indent=False)
    for i, row in enumerate(rows):
        if i % 2 == 0:
            pdf.add_page()
        _bar_chart(pdf, row, x=pdf.l_margin, y=official.TOP + (i % 2) * 115, width=pdf.epw, height=105)
    return bytes(pdf.output())


LABEL_HEIGHT = 4.0  # mm, a value label above its bar


def label_top(bar_top: float, line: float | None) -> float:
    """Where a bar's value label goes (its top edge, in mm down the page): just above the bar, unless the
    target line would cross it, then just above the line, so a target line never crosses a value label."""
    top = bar_top - LABEL_HEIGHT - 0.5
    if line is not None and top - 0.5 <= line <= bar_top:
        top = line - LABEL_HEIGHT - 1
    return top


def _bar_chart(pdf, row: Row, x: float, y: float, width: float, height: float) -> None:
    """Bars of each district's value, labelled with thousands separators and units. A target that applies to
    each district (``charts.district_target``: a share the plan asks every district to reach) is a dashed red
    line with a legend; a city-wide target (a count's total, or a share the plan sets for the city) is stated
    under the title and not drawn over any district's bar."""
    indicator, city = row.indicator, row.city
    pdf.set_font("title", size=12)
    pdf.set_xy(x, y)
    pdf.cell(width, 6, f"{indicator.display_name}（{_('全市')} {_figure_text(city.figure, indicator)}）", align="C")
    pdf.set_font("body", size=8)
    # The same rule as the pages' charts: a target over the districts' bars only where it applies to each.
    target = charts.district_target(indicator, city.target)
    draw_target = target is not None
    target_text = _target_text(target, indicator) if target else ""
    note = charts.city_target_note(indicator, city.target)
    if note:
        pdf.set_xy(x, y + 6)
        pdf.cell(width, 4, note, align="C")
    values = [float(figure.value) if figure.value is not None else 0.0 for figure in row.districts]
    top = max(values + ([float(target.value)] if draw_target else []) + [1.0]) * 1.2
    plot_y, plot_height = y + 14, height - 30
    base = plot_y + plot_height
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.line(x, base, x + width, base)
    level = base - plot_height * float(target.value) / top if draw_target else None
    slot = width / max(1, len(values))
    for i, (value, figure) in enumerate(zip(values, row.districts, strict=True)):
        bar = plot_height * value / top
        pdf.set_fill_color(29, 78, 216)
        pdf.rect(x + i * slot + slot * 0.25, base - bar, slot * 0.5, bar, style="F")
        pdf.set_xy(x + i * slot, label_top(base - bar, level))
        pdf.cell(slot, LABEL_HEIGHT, _figure_text(figure, indicator), align="C")
        pdf.set_xy(x + i * slot, base + 1)
        pdf.cell(slot, 4, figure.label, align="C")
    legend_y = base + 7
    pdf.set_fill_color(29, 78, 216)
    pdf.rect(x + width / 2 - 60, legend_y + 1, 4, 3, style="F")
    pdf.set_xy(x + width / 2 - 55, legend_y)
    pdf.cell(45, 5, _("各县（区）数值"))
    if level is not None:
        pdf.set_draw_color(220, 38, 38)
        pdf.set_line_width(0.4)
        pdf.set_dash_pattern(dash=1.5, gap=1)
        pdf.line(x, level, x + width, level)
        pdf.line(x + width / 2 - 5, legend_y + 2.5, x + width / 2 + 3, legend_y + 2.5)
        pdf.set_dash_pattern()
        pdf.set_xy(x + width / 2 + 5, legend_y)
        pdf.cell(60, 5, _("目标 %(target)s") % {"target": target_text})
    pdf.set_line_width(0.2)


def pdf_report(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = ""
               ) -> FileResponse:
    return official.download(pdf_bytes(on, rows, districts, legend), *_filename(on, "pdf"),
                             "application/pdf")
