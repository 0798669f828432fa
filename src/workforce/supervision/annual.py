"""The annual report to the city's leaders (§III(三) "每年听取1次…推进情况汇报"): a narrative (总体情况、主要
做法和成效、存在的问题、下一步工作) drafted from the data and edited by the supervision office, then the
progress of every measure, overdue items, inspection findings and the status of the indicators (those linked
to each measure and the city's), computed with the indicators app's dashboard figures; as ``.docx``, PDF and
``.xlsx`` in the form of GB/T 9704 (``core.official``).

No personal data: departments, measures and the texts the departments reported. Departments are named by
their official names today (``accounts.departments``) throughout.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from django.db.models import Q
from django.http import FileResponse
from django.utils.translation import gettext as _

from workforce.core import official
from workforce.core.official import Amount
from workforce.indicators import figures
from workforce.indicators.choices import Direction, Status, Unit
from workforce.indicators.disclosure import MARK
from workforce.indicators.models import Indicator
from workforce.indicators.reports import gap_cell
from workforce.supervision import dues
from workforce.supervision.choices import DepartmentRole, ReportStatus, TaskStatus
from workforce.supervision.models import AnnualNarrative, Finding, Plan, ProgressReport, Task


@dataclass
class IndicatorLine:
    """An indicator of the indicators app as of the report's day: value, target, gap and status.
    ``code`` alone (the rest empty) when a task names a code the indicators app does not have."""

    code: str
    name: str = ""
    value: Amount | str = ""  # the suppression mark (disclosure) as text
    target: Amount | None = None
    target_year: str = ""
    gap: Amount | str | None = None  # a shortfall, or the words for a reached target or none (gap_cell)
    status: str = ""  # indicators.choices.Status
    status_text: str = ""

    @property
    def is_behind(self) -> bool:
        return self.status in (Status.BEHIND, Status.MISSED)

    @property
    def is_good(self) -> bool:
        return self.status in (Status.MET, Status.ON_TRACK, Status.ACHIEVED)


@dataclass
class MeasureProgress:
    """One measure's year: its units, tasks, reports and what the departments reported (accepted only),
    and the indicators linked to it."""

    measure: object
    leads: list[str]
    responsibles: list[str]
    tasks: int = 0
    tasks_done: int = 0
    reports_due: int = 0  # reports of the year's periods whose deadline has come by the report's day, or accepted
    reports_accepted: int = 0  # of those, accepted
    overdue: int = 0
    indicator_codes: list[str] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    accepted_texts: list[tuple[str, str, str]] = field(default_factory=list)  # department, period, text


@dataclass
class Narrative:
    """The report's text: the office's stored one (``AnnualNarrative``) or the draft from the data."""

    issuer: str
    overview: str
    practices: str
    problems: str
    next_steps: str
    version: int | None = None  # the stored text's version; None for a draft

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(_("一、总体情况"), self.overview), (_("二、主要做法和成效"), self.practices),
                (_("三、存在的问题"), self.problems), (_("四、下一步工作"), self.next_steps)]


@dataclass
class AnnualReport:
    plan: Plan
    year: int
    on: datetime.date  # figures as of this day: the year's end, or today within the year
    issued_on: datetime.date  # the date under the issuing office: the day the report is made
    measures: list[MeasureProgress]
    overdue: list[tuple[str, str, str, datetime.date]]  # kind, department, item, due date
    findings: list[Finding]
    indicators: list[IndicatorLine]  # every active indicator, city-wide
    narrative: Narrative | None = None

    @property
    def title(self) -> str:
        return _("%(year)d年度产业工人队伍建设改革推进情况报告") % {"year": self.year}

    @property
    def basis(self) -> str:
        return _("依据：%(plan)s（%(number)s）；统计截至%(on)s。") % {
            "plan": self.plan.title, "number": self.plan.document_number, "on": official.chinese_date(self.on)}

    @property
    def reporting_rule(self) -> str:
        """The reporting rule in force, said to be the office's choice: the plan asks only for regular
        supervision (§III(三) "建立监督检查和信息反馈制度，定期…督促检查")."""
        if self.plan.reporting_starts_on is None:
            return _("定期报告尚未开始。")
        return _("进展报告自%(start)s起按%(frequency)s报送、期满后%(days)d个%(unit)s内报送，为改革督查室确定的"
                 "工作安排，并非方案原文的规定（方案要求“定期”督促检查）；报送时限已到的为“应报”，过时限"
                 "未报送或被退回未重报的为“逾期”。") % {
            "start": official.chinese_date(self.plan.reporting_starts_on),
            "frequency": self.plan.get_report_frequency_display(), "days": self.plan.report_due_days,
            "unit": self.plan.get_report_due_unit_display()}

    @property
    def reports_due(self) -> int:
        return sum(row.reports_due for row in self.measures)

    @property
    def reports_accepted(self) -> int:
        return sum(row.reports_accepted for row in self.measures)


def _amount(value: Decimal | None, unit: str, sign: str = "") -> Amount:
    return Amount(value, Amount.PERCENT if unit == Unit.PERCENT else Amount.COUNT, sign)


def indicator_lines(on: datetime.date) -> dict[str, IndicatorLine]:
    """Every active indicator on ``on``, city-wide, keyed by code: the figures the indicators dashboard
    shows (``indicators.figures.dashboard``)."""
    lines = {}
    for row in figures.dashboard(on):
        indicator, city = row.indicator, row.city
        sign = "≥" if indicator.direction == Direction.AT_LEAST else "≤"

        def shown(figure, unit=indicator.unit) -> str:
            return MARK if figure.is_suppressed else _amount(figure.value, unit).text()

        # The target in force on the day and its status, as the indicators dashboard decides them: from
        # the target's date on, reached or not on that date (figures.assessment_of).
        lines[indicator.code] = IndicatorLine(
            code=indicator.code, name=indicator.display_name,
            value=MARK if city.figure.is_suppressed else _amount(city.figure.value, indicator.unit),
            target=None if city.target is None else _amount(city.target.value, indicator.unit, sign),
            target_year="" if city.target is None else _("%(year)d年") % {"year": city.target.due_on.year},
            gap=None if (city.settled or city.figure).is_suppressed else gap_cell(city.gap, indicator),
            status=city.status, status_text=figures.status_text(city, shown))
    return lines


def _clause_measures(clause: str) -> set[int]:
    """The measures an indicator's plan clause names: "一（二）、§6" → {6}."""
    return {int(number) for number in re.findall(r"§(\d+)", clause)}


def build_annual_report(plan: Plan, year: int, today: datetime.date) -> AnnualReport:
    """The report of ``year``; overdue items are counted and indicators computed as of the year's end, or
    ``today`` within the year. A measure's indicators are those its tasks name and those whose plan clause
    cites it (§N). Overdue items are those every page counts (``dues.overdue_items``); a report is owed
    ("应报") once its deadline has come (``dues``). The narrative is the office's stored text of the year,
    else the draft (``draft_narrative``)."""
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
    # Owed: the deadline has come; a report accepted ahead of its deadline counts as owed and done.
    owed = reports.filter(Q(pk__in=reports.due(on).values("pk")) | Q(status=ReportStatus.ACCEPTED))
    for report in owed.select_related("department").order_by("period_start", "department__name"):
        row = progress[report.measure_id]
        row.reports_due += 1
        if report.status == ReportStatus.ACCEPTED:
            row.reports_accepted += 1
            row.accepted_texts.append((report.department.name, report.period_label, report.body))
    overdue: list[tuple[str, str, str, datetime.date]] = []
    for item in dues.overdue_items(on, plan=plan):
        progress[item.measure_id].overdue += 1
        overdue.append((item.kind_label, item.department, item.title, item.due_date))
    findings = list(Finding.objects.filter(round__plan=plan, round__started_on__range=(start, end))
                    .select_related("round", "measure", "department").prefetch_related("rectifications")
                    .order_by("round__started_on", "measure__number"))
    overdue.sort(key=lambda row: (row[3], row[1]))
    report = AnnualReport(plan, year, on, today, list(progress.values()), overdue, findings,
                          list(indicators.values()))
    stored = AnnualNarrative.objects.filter(plan=plan, year=year).first()
    report.narrative = draft_narrative(report) if stored is None else Narrative(
        stored.issuer, stored.overview, stored.practices, stored.problems, stored.next_steps, stored.version)
    return report


def _list(names: list[str], limit: int = 6) -> str:
    shown = "、".join(names[:limit])
    return shown + (_("等%(count)d项") % {"count": len(names)} if len(names) > limit else "")


def draft_narrative(report: AnnualReport) -> Narrative:
    """The four sections written from the report's figures, for the supervision office to edit."""
    measures = report.measures
    tasks, done = sum(row.tasks for row in measures), sum(row.tasks_done for row in measures)
    rounds = len({finding.round_id for finding in report.findings})
    good = [line for line in report.indicators if line.is_good]
    behind = [line for line in report.indicators if line.is_behind]
    overview = _("%(year)d年，全市按照《%(plan)s》（%(number)s）确定的%(measures)d项改革举措推进工作，"
                 "部署任务%(tasks)d项，截至%(on)s已完成%(done)d项；报送时限已到的进展报告%(due)d份，"
                 "审核通过%(accepted)d份；逾期事项%(overdue)d项。全年开展督查%(rounds)d轮，发现问题"
                 "%(findings)d条。全市%(indicators)d项目标指标中，已达标或进度正常%(good)d项，进度滞后或"
                 "未达成%(behind)d项。") % {
        "year": report.year, "plan": report.plan.title, "number": report.plan.document_number,
        "measures": len(measures), "tasks": tasks, "on": official.chinese_date(report.on), "done": done,
        "due": report.reports_due, "accepted": report.reports_accepted, "overdue": len(report.overdue),
        "rounds": rounds, "findings": len(report.findings), "indicators": len(report.indicators),
        "good": len(good), "behind": len(behind)}
    practices = []
    active = sorted((row for row in measures if row.tasks_done or row.reports_accepted),
                    key=lambda row: (-row.tasks_done, -row.reports_accepted, row.measure.number))
    for number, row in enumerate(active[:8], start=1):
        practices.append(_("（%(n)d）%(measure)s。%(leads)s牵头，完成任务%(done)d项，审核通过进展报告%(accepted)d份。")
                         % {"n": number, "measure": row.measure.title, "leads": "、".join(row.leads),
                            "done": row.tasks_done, "accepted": row.reports_accepted})
    if good:
        practices.append(_("已达标或进度正常的指标：%(names)s。") % {
            "names": "；".join(f"{line.name}{line.value.text() if isinstance(line.value, Amount) else line.value}"
                              for line in good)})
    if not practices:
        practices.append(_("本年度尚无已完成的任务和审核通过的进展报告。"))
    problems = []
    by_department = Counter(row[1] for row in report.overdue)
    if by_department:
        problems.append(_("逾期事项%(count)d项：%(departments)s。") % {
            "count": len(report.overdue), "departments": "；".join(
                _("%(department)s%(count)d项") % {"department": name, "count": count}
                for name, count in by_department.most_common())})
    for line in behind:
        problems.append(_("%(name)s为%(value)s，目标为%(target)s（%(year)s）%(gap)s。") % {
            "name": line.name, "value": line.value.text() if isinstance(line.value, Amount) else line.value,
            "target": line.target.text() if line.target else "—", "year": line.target_year,
            "gap": _("，差距%(gap)s") % {"gap": line.gap.text()} if isinstance(line.gap, Amount) else ""})
    open_items = sum(1 for finding in report.findings for item in finding.rectifications.all()
                     if item.status == "open")
    if open_items:
        problems.append(_("督查发现问题的整改事项尚有%(count)d项未完成。") % {"count": open_items})
    if not problems:
        problems.append(_("截至统计日，无逾期事项，目标指标均已达标或进度正常。"))
    steps = []
    if by_department:
        steps.append(_("督促%(departments)s尽快完成逾期事项，说明逾期原因。") % {
            "departments": _list([name for name, _count in by_department.most_common()])})
    if behind:
        steps.append(_("针对进度滞后的%(names)s，由牵头单位分析原因、提出改进措施。") % {
            "names": _list([line.name for line in behind])})
    steps.append(_("继续实行定期报告和督促检查，按期审核各单位进展报告，推动各项改革举措落地落实。"))
    return Narrative(str(official.DEFAULT_ISSUER), overview, "\n".join(practices), "\n".join(problems),
                     "\n".join(steps))


@dataclass
class Table:
    """One table of the report, the same in every format: a heading, column names, rows of cells (text,
    whole numbers, dates or ``Amount`` values) and relative column widths."""

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
    indicator_columns = [_("指标"), _("当前值"), _("目标值"), _("目标年份"), _("差距"), _("状态")]

    def indicator_cells(line: IndicatorLine) -> list:
        return [line.name or _("%(code)s（指标库中无此指标）") % {"code": line.code}, line.value,
                line.target or Amount(None, Amount.COUNT), line.target_year,
                Amount(None, Amount.COUNT) if line.gap is None else line.gap,
                line.status_text]

    day = official.chinese_date(report.on)
    return [
        Table(_("表1 各项举措推进情况"),
              [_("序号"), _("举措"), _("牵头单位"), _("责任单位"), _("任务"), _("已完成"), _("应报报告"),
               _("已通过"), _("逾期事项")],
              [[row.measure.number, row.measure.title, "、".join(row.leads), "、".join(row.responsibles),
                row.tasks, row.tasks_done, row.reports_due, row.reports_accepted, row.overdue]
               for row in report.measures], [6, 24, 18, 28, 8, 8, 9, 8, 9], _("举措进展")),
        Table(_("表2 逾期事项（截至%(on)s，%(count)d项）") % {"on": day, "count": len(report.overdue)},
              [_("类型"), _("部门"), _("事项"), _("截止日期")], [list(row) for row in report.overdue],
              [12, 24, 60, 20], _("逾期事项")),
        Table(_("表3 督查发现与整改（%(count)d条）") % {"count": len(report.findings)},
              [_("督查"), _("举措"), _("部门"), _("类型"), _("督查发现"), _("整改事项")],
              [[finding.round.title, str(finding.measure), finding.department.name, finding.get_kind_display(),
                finding.text, _rectifications(finding)] for finding in report.findings],
              [20, 22, 18, 10, 40, 36], _("督查发现")),
        Table(_("表4 各项举措的目标指标（截至%(on)s）") % {"on": day},
              [_("序号"), _("举措"), *indicator_columns],
              [[row.measure.number, row.measure.title, *indicator_cells(line)]
               for row in report.measures for line in row.indicators], [6, 20, 30, 14, 14, 10, 14, 22],
              _("举措指标")),
        Table(_("表5 全市目标指标（截至%(on)s）") % {"on": day}, indicator_columns,
              [indicator_cells(line) for line in report.indicators], [34, 14, 14, 10, 14, 24], _("全市指标")),
    ]


def accepted_texts(report: AnnualReport) -> list[tuple[str, str]]:
    """What the departments reported (accepted reports), each as (heading, text), measure by measure."""
    return [(f"§{row.measure.number} {row.measure.title} · {department} · {period}", text)
            for row in report.measures for department, period, text in row.accepted_texts]


def _filename(report: AnnualReport, extension: str) -> tuple[str, str]:
    """The download's Chinese name and its ASCII fallback."""
    return f"{report.title}.{extension}", f"annual-report-{report.year}.{extension}"


def _narrative(report: AnnualReport) -> Narrative:
    return report.narrative or draft_narrative(report)


def xlsx_bytes(report: AnnualReport) -> bytes:
    """A sheet per table, each with the report's title, the issuing office and date, numbers stored as
    numbers with their formats, and A4 print setup (fitted to width, heading row repeated); a first sheet
    with the narrative and a last one with the texts of the accepted reports."""
    handle = io.BytesIO()
    book = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    cells = official.XlsxCells(book)
    heading = cells.format(bold=True, bg_color="#F0F0F0", text_wrap=True, valign="vcenter", align="center")
    narrative = _narrative(report)
    subtitle = f"{narrative.issuer}　{official.chinese_date(report.issued_on)}"

    def sheet(name: str, caption: str, header: list[str], rows: list[list], widths: list[int],
              landscape: bool = False):
        page = book.add_worksheet(name)
        official.xlsx_title(book, page, f"{report.title}　{caption}", subtitle, len(header) - 1)
        page.write_row(3, 0, header, heading)
        for number, width in enumerate(widths):
            page.set_column(number, number, width)
        for index, row in enumerate(rows, start=4):
            for column, cell in enumerate(row):
                cells.write(page, index, column, cell)
        official.xlsx_print_setup(page, 3, landscape=landscape)
        return page

    sections = [[title, text] for title, text in narrative.sections]
    sheet(_("报告正文"), "", [_("部分"), _("内容")], sections + [[_("说明"), report.reporting_rule]], [20, 100])
    for table in tables(report):
        sheet(table.sheet, table.heading, table.columns, table.rows, [width * 1.2 for width in table.widths],
              landscape=len(table.columns) > 6)
    sheet(_("报告内容"), _("各单位进展报告（已通过）"), [_("举措 · 部门 · 期间"), _("进展情况")],
          [list(text) for text in accepted_texts(report)], [50, 100])
    book.close()
    return handle.getvalue()


def xlsx_response(report: AnnualReport) -> FileResponse:
    return official.download(xlsx_bytes(report), *_filename(report, "xlsx"),
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def pdf_bytes(report: AnnualReport) -> bytes:
    """The report as a GB/T 9704 document: title, basis, the narrative, the issuing office and date, then
    the tables and the departments' accepted texts as attachments (附件)."""
    pdf = official.OfficialPDF()
    pdf.set_title(report.title)
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.document_title(report.title)
    narrative = _narrative(report)
    pdf.paragraph(report.basis)
    for title, text in narrative.sections:
        pdf.heading(title)
        pdf.paragraph(text)
    pdf.signature(narrative.issuer, report.issued_on)
    pdf.add_page()
    pdf.heading(_("附件"))
    pdf.paragraph(report.reporting_rule, size=official.TABLE_PT + 1)
    for table in tables(report):
        pdf.heading(table.heading, size=12)
        aligns = ["RIGHT" if isinstance(cell, int | Amount) else "LEFT" for cell in table.rows[0]] \
            if table.rows else None
        pdf.grid(table.columns, [[official.cell_text(cell) for cell in row] for row in table.rows], table.widths,
                 aligns=aligns)
    texts = accepted_texts(report)
    if texts:
        pdf.heading(_("各单位进展报告（已通过）"), size=12)
        for heading_text, text in texts:
            pdf.heading(heading_text, size=official.TABLE_PT + 1)
            pdf.paragraph(text, size=official.TABLE_PT + 1)
    return bytes(pdf.output())


def pdf_response(report: AnnualReport) -> FileResponse:
    return official.download(pdf_bytes(report), *_filename(report, "pdf"), "application/pdf")


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a Word document's XML


def docx_bytes(report: AnnualReport) -> bytes:
    """The report as a Word document in the same order as the PDF, in the form of ``official_docx``."""
    document = official.official_docx()
    document.core_properties.title = report.title

    def text(value) -> str:
        return _XML_INVALID.sub("", official.cell_text(value))

    narrative = _narrative(report)
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(text(report.basis), style="Body Text Indent 2")
    for title, body in narrative.sections:
        document.add_heading(title, level=1)
        for line in official.paragraphs(text(body)):
            document.add_paragraph(line, style="Body Text Indent 2")
    official.docx_signature(document, narrative.issuer, report.issued_on)
    document.add_page_break()
    document.add_heading(_("附件"), level=1)
    document.add_paragraph(text(report.reporting_rule), style="Table Text")
    for table in tables(report):
        document.add_heading(table.heading, level=2)
        official.docx_table(document, table.columns, [[text(cell) for cell in row] for row in table.rows])
    texts = accepted_texts(report)
    if texts:
        document.add_heading(_("各单位进展报告（已通过）"), level=2)
        for heading_text, body in texts:
            document.add_paragraph(text(heading_text), style="Table Text").runs[0].bold = True
            for line in official.paragraphs(text(body)) or [""]:
                document.add_paragraph(line, style="Table Text")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(report: AnnualReport) -> FileResponse:
    return official.download(docx_bytes(report), *_filename(report, "docx"),
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
