"""The annual report to the city's leaders (§III(三) "每年听取1次…推进情况汇报"): the progress of every
measure, overdue items, inspection findings and the status of the indicators (those linked to each measure
and the city's), computed with the indicators app's dashboard figures; as ``.xlsx``, PDF and ``.docx``.

No personal data: departments, measures and the texts the departments reported.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _

from workforce.core.exports import neutralise
from workforce.core.fonts import chinese_font
from workforce.indicators import figures
from workforce.indicators.choices import Direction, Unit
from workforce.indicators.models import Indicator
from workforce.supervision.choices import DepartmentRole, ReportStatus, TaskStatus
from workforce.supervision.models import Finding, Milestone, Plan, ProgressReport, Rectification, Task

logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass
class IndicatorLine:
    """An indicator of the indicators app as of the report's day: value, target, gap and status, as text.
    ``code`` alone (the rest empty) when a task names a code the indicators app does not have."""

    code: str
    name: str = ""
    value: str = ""
    target: str = ""
    gap: str = ""
    status: str = ""


@dataclass
class MeasureProgress:
    """One measure's year: its units, tasks, reports and what the departments reported (accepted only),
    and the indicators linked to it."""

    measure: object
    leads: list[str]
    responsibles: list[str]
    tasks: int = 0
    tasks_done: int = 0
    reports_owed: int = 0
    reports_accepted: int = 0
    overdue: int = 0
    indicator_codes: list[str] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    accepted_texts: list[tuple[str, str, str]] = field(default_factory=list)  # department, period, text


@dataclass
class AnnualReport:
    plan: Plan
    year: int
    on: datetime.date
    measures: list[MeasureProgress]
    overdue: list[tuple[str, str, str, datetime.date]]  # kind, department, item, due date
    findings: list[Finding]
    indicators: list[IndicatorLine]  # every active indicator, city-wide

    @property
    def title(self) -> str:
        return _("%(year)d年度产业工人队伍建设改革推进情况报告") % {"year": self.year}

    @property
    def basis(self) -> str:
        return _("依据：%(plan)s（%(number)s）；统计截至 %(on)s") % {
            "plan": self.plan.title, "number": self.plan.document_number, "on": self.on.isoformat()}


def _amount(value: Decimal | None, unit: str) -> str:
    """``85.00%`` or ``120000人``; ``—`` for no value."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{value}%"
    return f"{value.quantize(Decimal(1))}{Unit(unit).label}"


def indicator_lines(on: datetime.date) -> dict[str, IndicatorLine]:
    """Every active indicator on ``on``, city-wide, keyed by code: the figures the indicators dashboard
    shows (``indicators.figures.dashboard``), formatted for the report."""
    lines = {}
    for row in figures.dashboard(on):
        indicator, city = row.indicator, row.city
        sign = "≥" if indicator.direction == Direction.AT_LEAST else "≤"
        # The target in force on the day and its status, as the indicators dashboard decides them: from
        # the target's date on, reached or not on that date (figures.assessment_of).
        target = "—" if city.target is None else (
            f"{sign}{_amount(city.target.value, indicator.unit)}（{city.target.due_on.year}）")
        lines[indicator.code] = IndicatorLine(
            code=indicator.code, name=indicator.display_name, value=_amount(city.figure.value, indicator.unit),
            target=target, gap=_amount(city.gap, indicator.unit),
            status=figures.status_text(city, lambda figure, unit=indicator.unit: _amount(figure.value, unit)))
    return lines


def _clause_measures(clause: str) -> set[int]:
    """The measures an indicator's plan clause names: "一（二）、§6" → {6}."""
    return {int(number) for number in re.findall(r"§(\d+)", clause)}


def build_annual_report(plan: Plan, year: int, today: datetime.date) -> AnnualReport:
    """The report of ``year``; overdue items are counted and indicators computed as of the year's end, or
    ``today`` within the year. A measure's indicators are those its tasks name and those whose plan clause
    cites it (§N)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    on = min(today, end)
    progress = {}
    for measure in plan.measures.prefetch_related("links__department"):
        links = sorted(measure.links.all(), key=lambda link: link.position)
        # Departments by their official names, as the matrix shows them (accounts/departments.py).
        progress[measure.pk] = MeasureProgress(
            measure, [link.department.name for link in links if link.role == DepartmentRole.LEAD],
            [link.department.name for link in links if link.role == DepartmentRole.RESPONSIBLE])
    tasks = Task.objects.filter(measure__plan=plan, start_date__lte=end, due_date__gte=start).select_related(
        "department")
    for task in tasks:
        row = progress[task.measure_id]
        row.tasks += 1
        row.tasks_done += task.status == TaskStatus.DONE
        row.indicator_codes += [code for code in task.indicator_code_list if code not in row.indicator_codes]
    indicators = indicator_lines(on)
    by_number = {row.measure.number: row for row in progress.values()}
    for indicator in Indicator.objects.filter(is_active=True).order_by("position", "code"):
        for number in sorted(_clause_measures(indicator.clause)):
            if number in by_number and indicator.code not in by_number[number].indicator_codes:
                by_number[number].indicator_codes.append(indicator.code)
    for row in progress.values():
        row.indicators = [indicators.get(code, IndicatorLine(code)) for code in row.indicator_codes]
    reports = ProgressReport.objects.filter(measure__plan=plan, period_start__gte=start, period_end__lte=end)
    for report in reports.select_related("department").order_by("period_start", "department__name"):
        row = progress[report.measure_id]
        row.reports_owed += 1
        if report.status == ReportStatus.ACCEPTED:
            row.reports_accepted += 1
            row.accepted_texts.append((report.department.name, report.period_label, report.body))
    overdue: list[tuple[str, str, str, datetime.date]] = []
    for report in reports.overdue(on).select_related("measure", "department"):
        progress[report.measure_id].overdue += 1
        overdue.append((_("进展报告"), report.department.name, f"{report.measure} {report.period_label}",
                        report.due_date))
    for task in tasks.overdue(on).select_related("measure"):
        progress[task.measure_id].overdue += 1
        overdue.append((_("任务"), task.department.name, f"{task.measure} {task.title}", task.due_date))
    for milestone in Milestone.objects.filter(task__measure__plan=plan).overdue(on).select_related(
            "task__department", "task__measure"):
        progress[milestone.task.measure_id].overdue += 1
        overdue.append((_("任务节点"), milestone.task.department.name, f"{milestone.task.title} · {milestone.title}",
                        milestone.due_date))
    for item in Rectification.objects.filter(finding__measure__plan=plan).overdue(on).select_related(
            "department", "finding"):
        progress[item.finding.measure_id].overdue += 1
        overdue.append((_("整改事项"), item.department.name, item.text, item.due_date))
    findings = list(Finding.objects.filter(round__plan=plan, round__started_on__range=(start, end))
                    .select_related("round", "measure", "department").prefetch_related("rectifications")
                    .order_by("round__started_on", "measure__number"))
    overdue.sort(key=lambda row: (row[3], row[1]))
    return AnnualReport(plan, year, on, list(progress.values()), overdue, findings, list(indicators.values()))


@dataclass
class Table:
    """One table of the report, the same in every format: a heading, column names, rows of cells (text,
    numbers or dates) and relative column widths."""

    heading: str
    columns: list[str]
    rows: list[list]
    widths: list[int]
    sheet: str  # the worksheet's name in the .xlsx


def _rectifications(finding: Finding) -> str:
    return "；".join(f"{item.text}（{item.get_status_display()}）" for item in finding.rectifications.all())


def tables(report: AnnualReport) -> list[Table]:
    """The report's five tables: progress of every measure, overdue items, inspection findings, the
    indicators of each measure and the city-wide indicators."""
    indicator_columns = [_("指标"), _("当前值"), _("目标值"), _("差距"), _("状态")]

    def indicator_cells(line: IndicatorLine) -> list:
        return [line.name or _("%(code)s（指标库中无此指标）") % {"code": line.code}, line.value, line.target,
                line.gap, line.status]

    return [
        Table(_("一、各项举措推进情况"),
              [_("序号"), _("举措"), _("牵头单位"), _("责任单位"), _("任务完成"), _("报告通过/应报"), _("逾期事项")],
              [[row.measure.number, row.measure.title, "、".join(row.leads), "、".join(row.responsibles),
                f"{row.tasks_done}/{row.tasks}", f"{row.reports_accepted}/{row.reports_owed}", row.overdue]
               for row in report.measures], [6, 26, 24, 30, 10, 12, 10], _("举措进展")),
        Table(_("二、逾期事项（%(count)d 项）") % {"count": len(report.overdue)},
              [_("类型"), _("部门"), _("事项"), _("截止日期")], [list(row) for row in report.overdue],
              [12, 24, 60, 12], _("逾期事项")),
        Table(_("三、督查发现与整改（%(count)d 条）") % {"count": len(report.findings)},
              [_("督查"), _("举措"), _("部门"), _("类型"), _("督查发现"), _("整改事项")],
              [[finding.round.title, str(finding.measure), finding.department.name, finding.get_kind_display(),
                finding.text, _rectifications(finding)] for finding in report.findings],
              [24, 26, 20, 10, 50, 40], _("督查发现")),
        Table(_("四、各项举措的目标指标（截至 %(on)s）") % {"on": report.on.isoformat()},
              [_("序号"), _("举措"), *indicator_columns],
              [[row.measure.number, row.measure.title, *indicator_cells(line)]
               for row in report.measures for line in row.indicators], [6, 26, 30, 12, 12, 12, 12], _("举措指标")),
        Table(_("五、全市目标指标（截至 %(on)s）") % {"on": report.on.isoformat()}, indicator_columns,
              [indicator_cells(line) for line in report.indicators], [36, 14, 14, 14, 14], _("全市指标")),
    ]


def accepted_texts(report: AnnualReport) -> list[tuple[str, str]]:
    """What the departments reported (accepted reports), each as (heading, text), measure by measure."""
    return [(f"§{row.measure.number} {row.measure.title} · {department} · {period}", text)
            for row in report.measures for department, period, text in row.accepted_texts]


def _filename(report: AnnualReport, extension: str) -> str:
    return f"annual-report-{report.year}.{extension}"


def xlsx_response(report: AnnualReport) -> FileResponse:
    """One sheet per table, and a last one with the texts of the accepted reports."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    dated = book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name: str, header: list[str], rows: list[list], widths: list[int]):
        page = book.add_worksheet(name)
        page.write_row(0, 0, header, bold)
        for number, width in enumerate(widths):
            page.set_column(number, number, width)
        for index, row in enumerate(rows, start=1):
            for column, cell in enumerate(row):
                value = neutralise(cell)
                if isinstance(value, datetime.date):
                    page.write_datetime(index, column, datetime.datetime.combine(value, datetime.time()), dated)
                elif isinstance(value, str):
                    page.write_string(index, column, value, wrap)
                else:
                    page.write(index, column, value)
        page.freeze_panes(1, 0)

    for table in tables(report):
        sheet(table.sheet, table.columns, table.rows, table.widths)
    sheet(_("报告内容"), [_("举措 · 部门 · 期间"), _("进展情况")], [list(text) for text in accepted_texts(report)],
          [50, 100])
    book.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(report, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _text(cell) -> str:
    return cell.isoformat() if isinstance(cell, datetime.date) else str(cell)


def pdf_bytes(report: AnnualReport) -> bytes:
    """The report as an A4 PDF with the Chinese font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    font = chinese_font()
    pdf.add_font("cjk", "", str(font), **({"collection_font_number": 0} if font.suffix == ".ttc" else {}))
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    heading = FontFace(emphasis="", fill_color=(232, 237, 245))

    def title(text: str, size: int = 13) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("cjk", size=9)

    title(report.title, 16)
    title(report.basis, 9)
    texts = accepted_texts(report)
    for number, table in enumerate(tables(report)):
        title(table.heading)
        if table.rows:
            with pdf.table(col_widths=table.widths, line_height=5, first_row_as_headings=True,
                           headings_style=heading, text_align="LEFT") as grid:
                grid.row(table.columns)
                for row in table.rows:
                    grid.row([_text(cell) for cell in row])
        else:
            pdf.multi_cell(0, 5, _("无。"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        if number == 0:  # the departments' own words follow the progress table
            for heading_text, text in texts:
                title(heading_text, 10)
                pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
    return bytes(pdf.output())


def pdf_response(report: AnnualReport) -> FileResponse:
    return FileResponse(io.BytesIO(pdf_bytes(report)), as_attachment=True, filename=_filename(report, "pdf"),
                        content_type="application/pdf")


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a Word document's XML


def docx_bytes(report: AnnualReport) -> bytes:
    """The report as a Word document: headings and tables in the order of the PDF, Chinese text in 宋体."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        document.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    def text(value) -> str:
        return _XML_INVALID.sub("", _text(value))

    document.add_heading(report.title, level=0)
    document.add_paragraph(report.basis)
    texts = accepted_texts(report)
    for number, table in enumerate(tables(report)):
        document.add_heading(table.heading, level=1)
        if table.rows:
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = name
            for row in table.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = text(value)
        else:
            document.add_paragraph(_("无。"))
        if number == 0:  # the departments' own words follow the progress table, as in the PDF
            for heading_text, body in texts:
                document.add_heading(text(heading_text), level=2)
                document.add_paragraph(text(body))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(report: AnnualReport) -> FileResponse:
    return FileResponse(io.BytesIO(docx_bytes(report)), as_attachment=True, filename=_filename(report, "docx"),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
