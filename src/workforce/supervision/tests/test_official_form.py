"""Reports in official form (issue 16 points 10–13): the annual supervision report and the indicators report
opened as their readers open them (python-docx, openpyxl, a PDF reader) — A4 with GB/T 9704's margins,
zh-CN, Chinese faces, page numbers "— 1 —", numbers stored as numbers, one name per department, the
narrative edited by the office with its history, one count of due and overdue items everywhere, charts
that do not compare a district with the city-wide target, and Chinese file names."""

from __future__ import annotations

import datetime
import io
import re
from types import SimpleNamespace
from urllib.parse import quote

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from workforce.accounts.departments import DEPARTMENTS
from workforce.core import official
from workforce.core.changelog import StaleRecordError, history_for
from workforce.indicators import reports as indicator_reports
from workforce.indicators.choices import Unit
from workforce.supervision import annual, dues, selectors
from workforce.supervision.choices import ReviewDecision
from workforce.supervision.models import AnnualNarrative, ProgressReport
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap
from workforce.supervision.services.annual import do_save_narrative
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tests.conftest import department
from workforce.supervision.tests.test_office import office  # noqa: F401 (a fixture)
from workforce.supervision.tests.test_pages import work  # noqa: F401 (a fixture)
from workforce.supervision.tests.test_reports import reporting  # noqa: F401 (a fixture)

D = datetime.date
FORMER_NAMES = {former for known in DEPARTMENTS for former in known.former_names}
CURRENT_NAMES = {known.name for known in DEPARTMENTS}


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _pdf(content: bytes):
    import pypdf
    return pypdf.PdfReader(io.BytesIO(content))


def _text(page) -> str:
    """A page's text; pypdf gives a CID font's characters with NULs between them."""
    return page.extract_text().replace("\x00", "")


@pytest.fixture
def year_of_work(work, officers):  # noqa: F811
    """2020 with one accepted report and an overdue milestone."""
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    report_services.do_save_and_submit_report(report, "一季度厂务公开进展", expected_version=None,
                                              acting_user=officers.sasac)
    report_services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    roadmap.do_add_milestone(work["hrss_eight"], "出方案", DeadlineInput(due_date=D(2020, 3, 1)),
                             acting_user=officers.hrss)
    return work


def test_the_word_document_is_a4_zh_cn_with_black_chinese_headings_and_page_numbers(year_of_work, personas,
                                                                                     sign_in):
    response = sign_in(personas.leader).get("/supervision/annual/?year=2020&format=docx")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"annual-report-2020.docx\"; filename*=UTF-8''"
        + quote("2020年度产业工人队伍建设改革推进情况报告.docx"))
    document = docx.Document(io.BytesIO(_content(response)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    styles_xml = document.styles.element.xml
    assert 'w:eastAsia="zh-CN"' in styles_xml and "Calibri" not in styles_xml.split("<w:style ")[0]
    assert document.core_properties.language == "zh-CN"
    for name, face in (("Title", "Noto Serif CJK SC"), ("Heading 1", "黑体"), ("Normal", "仿宋")):
        style = document.styles[name]
        faces = style.element.rPr.rFonts
        assert faces.get(docx.oxml.ns.qn("w:eastAsia")) == face
        assert not [key for key in faces.attrib if "heme" in key]  # no theme font (Calibri) wins over it
        assert str(style.font.color.rgb) == "000000"
    title = document.paragraphs[0]
    assert (title.style.name, title.text) == ("Title", "2020年度产业工人队伍建设改革推进情况报告")
    assert title.style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    texts = [p.text for p in document.paragraphs]
    for heading in ("一、总体情况", "二、主要做法和成效", "三、存在的问题", "四、下一步工作"):
        assert heading in texts
    assert texts.index("四、下一步工作") < texts.index(str(official.DEFAULT_ISSUER)) < texts.index("附件")
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[texts.index(str(official.DEFAULT_ISSUER)) + 1])
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert 'w:instr="PAGE"' in xml and footer.paragraphs[0].text.startswith("— ")
    progress = document.tables[0]
    assert [cell.text for cell in progress.rows[0].cells][-5:] == ["任务", "已完成", "应报报告", "已通过", "逾期事项"]


def test_the_workbook_stores_numbers_as_numbers_with_a_title_and_a4_print_setup(year_of_work, personas, sign_in):
    response = sign_in(personas.leader).get("/supervision/annual/?year=2020&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(_content(response)))
    for sheet in book.worksheets:
        assert sheet["A1"].value.startswith("2020年度产业工人队伍建设改革推进情况报告")
        assert str(official.DEFAULT_ISSUER) in sheet["A2"].value
        assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # 1 wide, any tall
        assert sheet.print_title_rows == "$4:$4"
        assert sheet.oddFooter.center.text == "— &P —"
    progress = {row[0].value: row for row in book["举措进展"].iter_rows(min_row=5)}
    six = progress[6]
    assert [cell.value for cell in six[4:9]] == [1, 0, 4, 1, 4]  # numbers, not "1/4" text
    city = {row[0].value: row for row in book["全市指标"].iter_rows(min_row=5)}
    total = city["技能人才总量"]
    assert (total[1].value, total[2].value) == (0, 120000)
    assert total[2].number_format == '"≥"#,##0"人"' and total[4].number_format == '#,##0"人"'
    rate = next(row for name, row in city.items() if row[1].data_type == "n" and "率" in name)
    assert rate[1].number_format == '0.00"%"'
    for row in city.values():
        for cell in (row[1], row[2], row[4]):  # value, target, gap: a number, or "—" when there is none
            assert not (isinstance(cell.value, str) and re.search(r"\d", cell.value)), cell.value


def test_the_pdf_is_a4_with_serif_faces_page_numbers_the_office_and_the_date(year_of_work, personas, sign_in):
    response = sign_in(personas.leader).get("/supervision/annual/?year=2020&format=pdf")
    content = _content(response)
    assert b"/MediaBox [0 0 595.28 841.89]" in content  # A4 in points
    assert b"NotoSerifCJKSC" in content
    reader = _pdf(content)
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"— {number} —" in _text(page)
    first = _text(reader.pages[0]).replace("\n", "")
    assert "2020年度产业工人队伍建设改革推进情况报告" in first and "一、总体情况" in first
    whole = "".join(_text(page) for page in reader.pages).replace("\n", "")
    assert whole.index("四、下一步工作") < whole.index(str(official.DEFAULT_ISSUER)) < whole.index("附件")
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("NotoSerifCJKSC" in font for font in fonts)


def test_each_department_has_one_name_in_every_format(year_of_work, personas, sign_in):
    client = sign_in(personas.leader)
    document = docx.Document(io.BytesIO(_content(client.get("/supervision/annual/?year=2020&format=docx"))))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    book = openpyxl.load_workbook(io.BytesIO(_content(client.get("/supervision/annual/?year=2020&format=xlsx"))))
    cells = "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                      for cell in row if cell is not None)
    for where in (text, cells):
        assert "市经济和信息化局" in where and "市教育和体育局" in where
        assert not [name for name in FORMER_NAMES if name in where]
    assert CURRENT_NAMES & set(re.findall(r"市[^、，；\n（）]{1,12}(?:局|委|部|会)", text))


def test_due_and_overdue_are_counted_alike_by_the_report_the_home_page_and_the_matrix(year_of_work, plan,
                                                                                       personas, sign_in):
    # On 2020-03-15 the first quarter's reports are open but not due: only the one accepted ahead of its
    # deadline is counted (owed and done); the others are not owed yet.
    early = annual.build_annual_report(plan, 2020, D(2020, 3, 15))
    assert ProgressReport.objects.filter(measure__plan=plan, period_start__year=2020).count() > 1
    assert early.reports_due == early.reports_accepted == 1
    assert [text for _heading, text in annual.accepted_texts(early)] == ["一季度厂务公开进展"]
    on = D(2020, 12, 31)
    report = annual.build_annual_report(plan, 2020, on)
    assert report.reports_due == ProgressReport.objects.filter(measure__plan=plan, due_date__lte=on).count() > 0
    assert len(report.overdue) == dues.overdue_count(on, plan=plan) == selectors.overdue_count(personas.leader, on)
    assert sum(row.overdue for row in report.measures) == len(report.overdue) > 0
    today = datetime.date.today()
    now = annual.build_annual_report(plan, today.year, today)
    client = sign_in(personas.leader)
    home = client.get("/").content.decode()
    matrix = client.get("/supervision/")
    assert matrix.context["overdue"] == len(now.overdue) > 0
    assert f"逾期事项 {len(now.overdue)} 项" in home
    assert "由改革督查室确定" in matrix.content.decode() and "为改革督查室确定的工作安排" in report.reporting_rule


def test_a_report_is_not_owed_before_its_deadline(reporting):  # noqa: F811
    report = ProgressReport.objects.filter(measure__plan=reporting).order_by("due_date").first()
    assert report not in ProgressReport.objects.due(report.due_date - datetime.timedelta(days=1))
    assert report in ProgressReport.objects.due(report.due_date)
    assert report not in ProgressReport.objects.overdue(report.due_date)
    assert report in ProgressReport.objects.overdue(report.due_date + datetime.timedelta(days=1))


def test_the_office_edits_the_narrative_with_history_and_the_export_uses_it(year_of_work, plan, office,  # noqa: F811
                                                                             personas, sign_in):
    client = sign_in(office)
    page = client.get("/supervision/annual/narrative/?year=2020")
    assert page.status_code == 200 and "根据统计数据生成的草稿" in page.content.decode()
    draft = page.context["form"].initial
    assert "2020年" in draft["overview"] and draft["issuer"] == str(official.DEFAULT_ISSUER)
    data = {"issuer": "攀枝花市产业工人队伍建设改革协调小组办公室", "overview": "全年总体平稳。",
            "practices": "（1）厂务公开。", "problems": "部分报告逾期。", "next_steps": "加强督促。", "version": ""}
    assert client.post("/supervision/annual/narrative/?year=2020", data).status_code == 302
    narrative = AnnualNarrative.objects.get(plan=plan, year=2020)
    client.post("/supervision/annual/narrative/?year=2020", data | {"problems": "两项报告逾期。", "version": 1})
    narrative.refresh_from_db()
    assert narrative.problems == "两项报告逾期。" and narrative.version == 2
    assert [entry.action for entry in history_for(narrative)] == ["update", "create"]
    with pytest.raises(StaleRecordError):
        do_save_narrative(plan, 2020, data, expected_version=1, acting_user=office)
    refused = client.post("/supervision/annual/narrative/?year=2020", data | {"overview": " ", "version": 2})
    assert refused.status_code == 200 and refused.context["form"].errors["overview"]
    with pytest.raises(PermissionDenied):
        do_save_narrative(plan, 2020, data, expected_version=2, acting_user=personas.leader)
    assert sign_in(personas.leader).get("/supervision/annual/narrative/?year=2020").status_code == 403
    document = docx.Document(io.BytesIO(_content(sign_in(personas.leader).get(
        "/supervision/annual/?year=2020&format=docx"))))
    texts = [p.text for p in document.paragraphs]
    assert "两项报告逾期。" in texts and "攀枝花市产业工人队伍建设改革协调小组办公室" in texts


def test_dates_amounts_and_page_numbers_are_written_as_a_document_writes_them():
    assert official.chinese_date(D(2026, 12, 8)) == "2026年12月8日"
    assert official.page_number(1) == "— 1 —"
    assert official.Amount(1182, official.Amount.COUNT).text() == "1,182人"
    assert official.Amount(85, official.Amount.PERCENT, "≥").text() == "≥85.00%"
    rate = SimpleNamespace(unit=Unit.PERCENT)
    assert indicator_reports.gap_cell(None, rate) == "—"  # no target
    assert indicator_reports.gap_cell(official.Decimal("-5"), rate) == "已达到"  # met: no negative gap
    assert indicator_reports.gap_cell(official.Decimal("2.94"), rate).text() == "2.94 个百分点"


def _width(text: str) -> float:
    """A title's width in 二号 (7.76 mm a character, half that for a digit or a Latin letter)."""
    return sum(3.88 if char.isascii() else 7.76 for char in text)


def test_a_long_title_is_cut_into_two_lines_between_words():
    title = "2020年度产业工人队伍建设改革推进情况报告"  # 155 mm in 二号 with the digits: wider than 150 mm
    assert official.title_lines(title, _width, 150) == ["2020年度产业工人队伍建设改革", "推进情况报告"]
    assert official.title_lines("目标指标报告", _width, 156) == ["目标指标报告"]
    dated = "攀枝花市产业工人队伍建设改革目标指标报告（截至 2020年12月31日）"
    assert official.title_lines(dated, _width, 156) == ["攀枝花市产业工人队伍建设改革",
                                                        "目标指标报告（截至 2020年12月31日）"]


def test_body_text_never_splits_a_number_nor_starts_a_line_with_closing_punctuation():
    text = "依据：攀枝花市产业工人队伍建设改革工作方案（攀委发〔2018〕21号）；比例100.00%。"
    lines = official.wrap(text, _width, 20 * 7.76)
    assert "".join(lines) == text
    assert lines == ["依据：攀枝花市产业工人队伍建设改革工作方", "案（攀委发〔2018〕21号）；比例100.00%。"]
    assert official.wrap("一二三四五六七八九十一二三四五六七八九2018年", _width, 20 * 7.76) == [
        "一二三四五六七八九十一二三四五六七八九", "2018年"]  # the number goes down whole
    assert official.wrap("一二三四五六七八九十一二三四五六七八比例100.00%", _width, 20 * 7.76) == [
        "一二三四五六七八九十一二三四五六七八比例", "100.00%"]
    lines = official.wrap("一二三四五六七八九十一二三四五六七八九》。后来", _width, 20 * 7.76)
    assert lines == ["一二三四五六七八九十一二三四五六七八", "九》。后来"]  # 》 and 。 take 九 down with them
    assert official.wrap("甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬（注）", _width, 20 * 7.76) == [
        "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬", "（注）"]
    assert official.wrap("甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛（注）", _width, 20 * 7.76) == [
        "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛", "（注）"]  # （ never ends a line
    assert official.wrap("二〇二〇年", _width, 10 * 7.76, first_indent=2 * 7.76) == ["二〇二〇年"]


def test_a_value_label_is_moved_above_a_target_line_that_would_cross_it():
    # The bar's top at 100 mm: the label sits at 95.5–99.5 mm.
    assert indicator_reports.label_top(100, None) == 95.5
    assert indicator_reports.label_top(100, 150) == 95.5  # the line is below the label
    assert indicator_reports.label_top(100, 97) == 92  # the line would cross it: the label goes above the line
    top = indicator_reports.label_top(100, 97)
    assert not top <= 97 <= top + indicator_reports.LABEL_HEIGHT


def test_the_word_signature_puts_the_date_two_characters_right_of_the_office():
    document = official.official_docx()
    official.docx_signature(document, "攀枝花市产业工人队伍建设改革督查室", D(2026, 12, 8))
    issuer, date = document.paragraphs[-2:]
    assert date.text == "2026年12月8日"
    # 17 characters and 2 in: the office starts 19 from the right; the date (6.5 wide, digits are half a
    # character) starts 2 after it, 17 from the right, so it ends 10.5 in.
    assert issuer.paragraph_format.right_indent.pt == 2 * official.BODY_PT
    assert date.paragraph_format.right_indent.pt == 10.5 * official.BODY_PT
    short = official.official_docx()
    official.docx_signature(short, "市总工会", D(2026, 12, 8))
    issuer, date = short.paragraphs[-2:]  # the date is the longer: it ends 2 in, the office moves right
    assert date.paragraph_format.right_indent.pt == 2 * official.BODY_PT
    assert issuer.paragraph_format.right_indent.pt == 6.5 * official.BODY_PT  # 4 wide, starting 10.5 in
