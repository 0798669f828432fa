"""The annual report to the city's leaders (§III(三) "每年听取1次…推进情况汇报"): the progress of every
measure, overdue items, inspection findings and the indicators linked to the tasks; as ``.xlsx`` and PDF.

No personal data: departments, measures and the texts the departments reported.
"""

from __future__ import annotations

import datetime
import io
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from workforce.core.exports import neutralise
from workforce.supervision.choices import DepartmentRole, ReportStatus, TaskStatus
from workforce.supervision.models import Finding, Milestone, Plan, ProgressReport, Rectification, Task

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass
class MeasureProgress:
    """One measure's year: its units, tasks, reports and what the departments reported (accepted only)."""

    measure: object
    leads: list[str]
    responsibles: list[str]
    tasks: int = 0
    tasks_done: int = 0
    reports_owed: int = 0
    reports_accepted: int = 0
    overdue: int = 0
    indicator_codes: list[str] = field(default_factory=list)
    accepted_texts: list[tuple[str, str, str]] = field(default_factory=list)  # department, period, text


@dataclass
class AnnualReport:
    plan: Plan
    year: int
    on: datetime.date
    measures: list[MeasureProgress]
    overdue: list[tuple[str, str, str, datetime.date]]  # kind, department, item, due date
    findings: list[Finding]

    @property
    def title(self) -> str:
        return _("%(year)d年度产业工人队伍建设改革推进情况报告") % {"year": self.year}


def build_annual_report(plan: Plan, year: int, today: datetime.date) -> AnnualReport:
    """The report of ``year``; overdue items are counted as of the year's end, or ``today`` within the year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    on = min(today, end)
    progress = {}
    for measure in plan.measures.prefetch_related("links"):
        links = sorted(measure.links.all(), key=lambda link: link.position)
        progress[measure.pk] = MeasureProgress(
            measure, [link.name_in_plan for link in links if link.role == DepartmentRole.LEAD],
            [link.name_in_plan for link in links if link.role == DepartmentRole.RESPONSIBLE])
    tasks = Task.objects.filter(measure__plan=plan, start_date__lte=end, due_date__gte=start).select_related(
        "department")
    for task in tasks:
        row = progress[task.measure_id]
        row.tasks += 1
        row.tasks_done += task.status == TaskStatus.DONE
        row.indicator_codes += [code for code in task.indicator_code_list if code not in row.indicator_codes]
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
    return AnnualReport(plan, year, on, list(progress.values()), overdue, findings)


def _filename(report: AnnualReport, extension: str) -> str:
    return f"annual-report-{report.year}.{extension}"


def xlsx_response(report: AnnualReport) -> FileResponse:
    """Four sheets: progress of every measure, overdue items, inspection findings, linked indicators."""
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

    sheet(_("举措进展"), [_("序号"), _("举措"), _("牵头单位"), _("责任单位"), _("任务数"), _("已完成任务"),
                      _("应报报告"), _("已通过报告"), _("逾期事项"), _("报告内容")],
          [[row.measure.number, row.measure.title, "、".join(row.leads), "、".join(row.responsibles), row.tasks,
            row.tasks_done, row.reports_owed, row.reports_accepted, row.overdue,
            "\n".join(f"【{dept} {period}】{text}" for dept, period, text in row.accepted_texts)]
           for row in report.measures], [6, 26, 24, 30, 8, 10, 10, 10, 10, 80])
    sheet(_("逾期事项"), [_("类型"), _("部门"), _("事项"), _("截止日期")],
          [list(row) for row in report.overdue], [12, 24, 60, 12])
    sheet(_("督查发现"), [_("督查"), _("举措"), _("部门"), _("类型"), _("督查发现"), _("整改事项"), _("整改状态")],
          [[finding.round.title, str(finding.measure), finding.department.name, finding.get_kind_display(),
            finding.text, "\n".join(item.text for item in finding.rectifications.all()),
            "\n".join(item.get_status_display() for item in finding.rectifications.all())]
           for finding in report.findings], [24, 26, 20, 10, 50, 40, 12])
    sheet(_("关联指标"), [_("序号"), _("举措"), _("指标代码")],
          [[row.measure.number, row.measure.title, "、".join(row.indicator_codes)]
           for row in report.measures if row.indicator_codes], [6, 30, 40])
    book.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(report, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _font() -> Path:
    configured = getattr(settings, "SUPERVISION_REPORT_FONT", None)
    for candidate in ([configured] if configured else []) + FONT_CANDIDATES:
        if candidate and Path(candidate).exists():
            return Path(candidate)
    raise RuntimeError("No CJK font found; install fonts-wqy-microhei (make fonts).")


def pdf_bytes(report: AnnualReport) -> bytes:
    """The report as an A4 PDF with the Chinese font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    font = _font()
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
    title(_("依据：%(plan)s（%(number)s）；统计截至 %(on)s") % {
        "plan": report.plan.title, "number": report.plan.document_number, "on": report.on.isoformat()}, 9)
    title(_("一、各项举措推进情况"))
    with pdf.table(col_widths=(10, 50, 45, 18, 22, 18), line_height=5, first_row_as_headings=True,
                   headings_style=heading, text_align="LEFT") as table:
        table.row([_("序号"), _("举措"), _("牵头单位"), _("任务完成"), _("报告通过/应报"), _("逾期事项")])
        for row in report.measures:
            table.row([str(row.measure.number), row.measure.title, "、".join(row.leads),
                       f"{row.tasks_done}/{row.tasks}", f"{row.reports_accepted}/{row.reports_owed}", str(row.overdue)])
    pdf.ln(3)
    for row in report.measures:
        for department, period, text in row.accepted_texts:
            title(f"§{row.measure.number} {row.measure.title} · {department} · {period}", 10)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    title(_("二、逾期事项（%(count)d 项）") % {"count": len(report.overdue)})
    if report.overdue:
        with pdf.table(col_widths=(20, 40, 100, 22), line_height=5, first_row_as_headings=True,
                       headings_style=heading, text_align="LEFT") as table:
            table.row([_("类型"), _("部门"), _("事项"), _("截止日期")])
            for kind, department, item, due in report.overdue:
                table.row([kind, department, item, due.isoformat()])
    title(_("三、督查发现与整改（%(count)d 条）") % {"count": len(report.findings)})
    for finding in report.findings:
        items = "；".join(f"{item.text}（{item.get_status_display()}）" for item in finding.rectifications.all())
        pdf.multi_cell(0, 5, f"【{finding.round.title}】{finding.measure} · {finding.department.name}："
                             f"{finding.text}" + (f" — {_('整改')}：{items}" if items else ""),
                       new_x="LMARGIN", new_y="NEXT")
    title(_("四、关联指标"))
    linked = [row for row in report.measures if row.indicator_codes]
    for row in linked:
        pdf.multi_cell(0, 5, f"§{row.measure.number} {row.measure.title}：{'、'.join(row.indicator_codes)}",
                       new_x="LMARGIN", new_y="NEXT")
    if not linked:
        pdf.multi_cell(0, 5, _("暂无任务关联目标指标。"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_response(report: AnnualReport) -> FileResponse:
    return FileResponse(io.BytesIO(pdf_bytes(report)), as_attachment=True, filename=_filename(report, "pdf"),
                        content_type="application/pdf")
