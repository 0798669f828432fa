"""The report for a chosen date, to hand to the city's leaders: every indicator with its value, target, gap
and status, each district's figures, and a chart per indicator; as ``.xlsx`` (xlsxwriter, native Excel
charts) and as PDF (fpdf2, with a Chinese font embedded as a subset: docs/decisions/0006-indicators.md).

Aggregates only: no personal data is in either file.
"""

from __future__ import annotations

import datetime
import io
import logging
import tempfile

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _

from workforce.core.exports import neutralise
from workforce.core.fonts import chinese_font
from workforce.indicators.choices import Status, Unit
from workforce.indicators.disclosure import MARK
from workforce.indicators.figures import Figure, Row, status_text
from workforce.indicators.wording import gap_amount

logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter reports every glyph at INFO


def _value(figure_value, indicator) -> float | None:
    if figure_value is None:
        return None
    return float(figure_value)


def _text(value, indicator) -> str:
    if value is None:
        return "—"
    if indicator.unit == Unit.PERCENT:
        return f"{value:.2f}%"
    return f"{int(value):,}"


def _figure_text(figure: Figure, indicator) -> str:
    return MARK if figure.is_suppressed else _text(figure.value, indicator)


def _write_figure(sheet, row: int, column: int, figure: Figure, indicator, number_format, text_format) -> None:
    """A figure's value as a number; the suppression mark (``disclosure``) as text when it is withheld."""
    if figure.is_suppressed:
        sheet.write_string(row, column, MARK, text_format)
    else:
        sheet.write(row, column, _value(figure.value, indicator), number_format)


def _count(figure: Figure, part: str):
    return MARK if figure.is_suppressed else getattr(figure, part)


def _status(status: str) -> str:
    return str(Status(status).label)


def _filename(on: datetime.date, suffix: str) -> str:
    return f"indicators-{on.isoformat()}.{suffix}"


def report_title(on: datetime.date) -> str:
    return _("攀枝花市产业工人队伍建设改革目标指标报告（截至 %(day)s）") % {"day": on.isoformat()}


def xlsx_report(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = ""
                ) -> FileResponse:
    """The report as a workbook: a summary, the districts' figures and the charts. ``legend`` explains the
    mark of suppressed cells (``disclosure``), written under both titles."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True, "bg_color": "#E8EDF5", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = book.add_format({"border": 1, "num_format": "#,##0.00"})
    # A gap is a number in its unit: percentage points for a share, persons for a headcount (wording).
    gap_formats = {Unit.PERCENT: book.add_format({"border": 1, "num_format": f'0.00" {_("个百分点")}"'}),
                   Unit.PERSONS: book.add_format({"border": 1, "num_format": f'#,##0" {_("人")}"'})}
    summary = book.add_worksheet(_("指标汇总"))
    summary.write(0, 0, report_title(on), title)
    header = [_("指标"), _("方案条款"), _("牵头单位"), _("数值"), _("目标"), _("目标日期"), _("目标日期数值"),
              _("差距"), _("状态"), _("分子"), _("分母"), _("口径说明")]
    summary.write_row(2, 0, header, bold)
    for i, row in enumerate(rows, 3):
        indicator, city = row.indicator, row.city
        summary.write(i, 0, neutralise(indicator.display_name), cell)
        summary.write(i, 1, neutralise(indicator.clause), cell)
        summary.write(i, 2, neutralise(str(indicator.department or "")), cell)
        _write_figure(summary, i, 3, city.figure, indicator, number, cell)
        # The target in force on the day (figures.target_in_force), and once its date has come the value then.
        target = city.target
        summary.write(i, 4, _value(target.value, indicator) if target else None, number)
        summary.write(i, 5, target.due_on.isoformat() if target else "", cell)
        if city.settled is not None:
            _write_figure(summary, i, 6, city.settled, indicator, number, cell)
        else:
            summary.write(i, 6, "", cell)
        if (city.settled or city.figure).is_suppressed:  # the gap would give the value away
            summary.write_string(i, 7, MARK, cell)
        elif city.gap is not None and city.gap > 0:  # a number (percentage points for a share)
            summary.write(i, 7, _value(city.gap, indicator), gap_formats.get(indicator.unit, number))
        else:  # reached: no negative gap; without a target "—", never 0 (wording)
            summary.write_string(i, 7, gap_amount(city.gap, indicator), cell)
        summary.write(i, 8, _status(city.status), cell)
        summary.write(i, 9, _count(city.figure, "numerator"), cell)
        summary.write(i, 10, _count(city.figure, "denominator") if not city.figure.is_count else "", cell)
        summary.write(i, 11, neutralise(indicator.display_description), cell)
    if legend:
        summary.write_string(1, 0, legend)
    summary.set_column(0, 0, 36)
    summary.set_column(1, 10, 13)
    summary.set_column(11, 11, 60)

    by_district = book.add_worksheet(_("分县（区）"))
    by_district.write(0, 0, report_title(on), title)
    by_district.write_row(2, 0, [_("指标"), _("全市")] + [name for _code, name in districts], bold)
    for i, row in enumerate(rows, 3):
        by_district.write(i, 0, neutralise(row.indicator.display_name), cell)
        _write_figure(by_district, i, 1, row.city.figure, row.indicator, number, cell)
        for j, figure in enumerate(row.districts, 2):
            _write_figure(by_district, i, j, figure, row.indicator, number, cell)
    if legend:
        by_district.write_string(1, 0, legend)
    by_district.set_column(0, 0, 36)
    by_district.set_column(1, len(districts) + 1, 12)

    charts = book.add_worksheet(_("图表"))
    sheet_name = by_district.get_name()
    for i, row in enumerate(rows):
        chart = book.add_chart({"type": "column"})
        chart.add_series({"name": row.indicator.display_name,
                          "categories": [sheet_name, 2, 2, 2, len(districts) + 1],
                          "values": [sheet_name, 3 + i, 2, 3 + i, len(districts) + 1]})
        chart.set_title({"name": row.indicator.display_name, "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        charts.insert_chart(1 + (i // 2) * 16, (i % 2) * 9, chart, {"x_scale": 1.1, "y_scale": 1.0})
    book.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(on, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def pdf_bytes(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = "") -> bytes:
    """The report as a landscape A4 PDF, the Chinese font embedded (subset); ``legend`` explains the mark of
    suppressed cells (``disclosure``), under the table."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", format="A4")
    font = chinese_font()
    options = {"collection_font_number": 0} if font.suffix == ".ttc" else {}
    pdf.add_font("cjk", "", str(font), **options)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, report_title(on), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    header = [_("指标"), _("数值"), _("目标"), _("差距"), _("状态")] + [name for _code, name in districts]
    widths = [56, 20, 26, 18, 34] + [max(14, int(123 / max(1, len(districts))))] * len(districts)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5, first_row_as_headings=True,
                   headings_style=FontFace(emphasis="", fill_color=(232, 237, 245))) as table:
        table.row(header)
        for row in rows:
            indicator, city = row.indicator, row.city
            target = (f"{_text(city.target.value, indicator)}（{city.target.due_on.year}）" if city.target
                      else "—")
            table.row([indicator.display_name, _figure_text(city.figure, indicator), target,
                       MARK if (city.settled or city.figure).is_suppressed else gap_amount(city.gap, indicator),
                       status_text(city, lambda figure, shown=indicator: _figure_text(figure, shown))]
                      + [_figure_text(figure, indicator) for figure in row.districts])
    if legend:
        pdf.ln(2)
        pdf.multi_cell(0, 5, legend, new_x="LMARGIN", new_y="NEXT")
    for i, row in enumerate(rows):
        if i % 4 == 0:
            pdf.add_page()
        _bar_chart(pdf, row, x=10 + (i % 2) * 140, y=20 + ((i % 4) // 2) * 90, width=130, height=75)
    return bytes(pdf.output())


def _bar_chart(pdf, row: Row, x: float, y: float, width: float, height: float) -> None:
    """Bars of each district's value with the target as a dashed red line, drawn with PDF primitives."""
    indicator = row.indicator
    pdf.set_font("cjk", size=10)
    pdf.set_xy(x, y)
    pdf.cell(width, 6, f"{indicator.display_name}（{_('全市')} {_figure_text(row.city.figure, indicator)}）")
    values = [float(figure.value) if figure.value is not None else 0.0 for figure in row.districts]
    target = float(row.city.target.value) if row.city.target is not None else None
    top = max(values + ([target] if target else []) + [1.0]) * 1.1
    plot_y, plot_height = y + 10, height - 20
    pdf.set_draw_color(150, 150, 150)
    pdf.line(x, plot_y + plot_height, x + width, plot_y + plot_height)
    slot = width / max(1, len(values))
    pdf.set_font("cjk", size=7)
    for i, (value, figure) in enumerate(zip(values, row.districts, strict=True)):
        bar = plot_height * value / top
        pdf.set_fill_color(29, 78, 216)
        pdf.rect(x + i * slot + slot * 0.2, plot_y + plot_height - bar, slot * 0.6, bar, style="F")
        pdf.set_xy(x + i * slot, plot_y + plot_height - bar - 4)
        pdf.cell(slot, 4, _figure_text(figure, indicator), align="C")
        pdf.set_xy(x + i * slot, plot_y + plot_height + 1)
        pdf.cell(slot, 4, figure.label, align="C")
    if target:
        level = plot_y + plot_height - plot_height * target / top
        pdf.set_draw_color(220, 38, 38)
        pdf.set_dash_pattern(dash=1.5, gap=1)
        pdf.line(x, level, x + width, level)
        pdf.set_dash_pattern()


def pdf_report(on: datetime.date, rows: list[Row], districts: list[tuple[str, str]], legend: str = ""
               ) -> FileResponse:
    return FileResponse(io.BytesIO(pdf_bytes(on, rows, districts, legend)), as_attachment=True,
                        filename=_filename(on, "pdf"), content_type="application/pdf")
