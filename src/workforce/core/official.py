"""The form of the documents the platform issues (the supervision annual report, the indicators report),
following GB/T 9704-2012 《党政机关公文格式》 where it applies: A4 with the standard's margins (top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm), a centred title in a serif face standing in for 小标宋, body text
in a serif face standing in for 仿宋, page numbers "— 1 —" below the type area (odd pages on the right, even
on the left, one character in), and the issuing office with the date written "2026年12月8日".

One module for the three formats: ``OfficialPDF`` (fpdf2), ``official_docx`` (python-docx), and the
workbook helpers ``xlsx_title``/``xlsx_print_setup`` (xlsxwriter); ``download`` serves any of them under a
Chinese file name (RFC 6266 ``filename*``) with an ASCII fallback.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF

from workforce.core.fonts import document_faces

logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter reports every glyph at INFO

TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26  # margins in mm (GB/T 9704-2012 §5.2.1)
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 10.5  # 五号
MM_PER_PT = 25.4 / 72

# The office that issues the documents unless the supervision office writes another on the report.
DEFAULT_ISSUER = _("攀枝花市产业工人队伍建设改革督查室")

# Word names the faces, and the reader's machine supplies them: the title in the serif face the PDF embeds
# (standing in for 小标宋), headings in 黑体, body text in 仿宋, digits and Latin letters in Times New Roman.
DOCX_TITLE_FACE = "Noto Serif CJK SC"
DOCX_HEADING_FACE = "黑体"  # not translated: a font's name
DOCX_BODY_FACE = "仿宋"  # not translated: a font's name
DOCX_LATIN_FACE = "Times New Roman"
LANGUAGE = "zh-CN"

XLSX_TITLE_FACE = "Noto Serif CJK SC"
COUNT_FORMAT = '#,##0"人"'  # a count of people: 1,182人, stored as the number 1182  # not translated: a number format
NUMBER_FORMAT = "#,##0"
# A rate is stored in per cent as the plan, the pages and the API give it (85.12 shows 85.12%), so a cell
# reads the same number the page shows; its unit is in the format, not in the text.
PERCENT_FORMAT = '0.00"%"'
POINTS_FORMAT = '0.00" 个百分点"'  # a difference of two rates, in percentage points  # not translated: a number format
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # not translated: a date format


def chinese_date(day: datetime.date) -> str:
    """``2026年12月8日``: the date as a document writes it (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"  # not translated: the standard's date form


def page_number(number: int) -> str:
    """``— 1 —``: the page number between two one-character dashes."""
    return f"— {number} —"


# Line breaking in Chinese (GB/T 15834 and the usual 避头尾 rule): a line never starts with closing
# punctuation or a unit sign, never ends with opening punctuation, and a number or a Latin word is never
# split ("2018", "100.00%", "GB/T").
NO_LINE_START = set("，。、；：？！）》〕】」』”’%‰·…—～")
NO_LINE_END = set("（《〔【「『“‘")
# Where a title may be broken (after these words, or before an opening bracket): a title line is cut between
# words, never inside one (GB/T 9704 §7.3.3: 词意完整，排列对称).
TITLE_BREAKS = ("年度", "改革", "工作", "情况", "指标报告", "报告")  # not translated: Chinese words


def _tokens(text: str) -> list[str]:
    """``text`` cut into what a line break may not split: runs of digits and Latin letters (with the signs
    inside a number), and single other characters."""
    def joins(char: str) -> bool:
        return char.isascii() and (char.isalnum() or char in ".%/-:,")

    tokens: list[str] = []
    for char in text:
        if joins(char) and tokens and joins(tokens[-1][-1]):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width_of: Callable[[str], float], room: float, *, first_indent: float = 0) -> list[str]:
    """``text`` broken into lines at most ``room`` wide (the first ``first_indent`` narrower), following the
    rules above; a token wider than a whole line is cut by character."""
    lines: list[list[str]] = [[]]
    for token in _tokens(text):
        for piece in list(token) if width_of(token) > room else [token]:
            line = lines[-1]
            limit = room - (first_indent if len(lines) == 1 else 0)
            if not line or width_of("".join(line) + piece) <= limit:
                line.append(piece)
                continue
            carried: list[str] = []
            while (carried or [piece])[0][0] in NO_LINE_START and len(line) > 1:
                carried.insert(0, line.pop())  # the character before goes down with it
            while len(line) > 1 and line[-1][-1] in NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append([*carried, piece])
    return ["".join(line) for line in lines]


def title_lines(text: str, width_of: Callable[[str], float], room: float) -> list[str]:
    """A title as one line, or as two lines cut between words (after one of ``TITLE_BREAKS`` or before an
    opening bracket), the cut that makes the lines' lengths closest; a title with no such cut that fits is
    cut where ``wrap`` would."""
    if width_of(text) <= room:
        return [text]
    cuts = {text.index(word, start) + len(word)
            for word in TITLE_BREAKS for start in range(len(text)) if text.startswith(word, start)}
    cuts |= {index for index, char in enumerate(text) if char in NO_LINE_END}
    fitting = [(abs(width_of(text[:cut]) - width_of(text[cut:])), cut) for cut in sorted(cuts)
               if 0 < cut < len(text) and width_of(text[:cut]) <= room and width_of(text[cut:].strip()) <= room
               and text[cut] not in NO_LINE_START]
    if not fitting:
        return wrap(text, width_of, room)
    cut = min(fitting)[1]
    return [text[:cut].strip(), text[cut:].strip()]


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text, one a line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- PDF -------------------------------------------------------------------------------------------------

class OfficialPDF(FPDF):
    """An A4 page with the standard's margins and page numbers, and two faces: ``title`` and ``body``."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        title, body = document_faces()
        self.add_font("title", "", str(title.path), **title.fpdf_options())
        self.add_font("body", "", str(body.path), **body.fpdf_options())
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_font("body", size=BODY_PT)

    def footer(self) -> None:
        """The page number 7 mm below the type area; odd pages on the right, even ones on the left, one
        character in from the edge of the type area."""
        self.set_y(self.h - BOTTOM + 7)
        self.set_font("body", size=PAGE_NUMBER_PT)
        indent = PAGE_NUMBER_PT * MM_PER_PT
        odd = self.page_no() % 2 == 1
        self.set_x(self.l_margin if odd else self.l_margin + indent)
        self.cell(self.epw - indent, PAGE_NUMBER_PT * MM_PER_PT, page_number(self.page_no()),
                  align="R" if odd else "L")

    def document_title(self, text: str) -> None:
        """The title centred; a title wider than the type area is cut into two lines between words."""
        self.set_font("title", size=TITLE_PT)
        for line in title_lines(text, self.get_string_width, self.epw):
            self.cell(0, TITLE_PT * MM_PER_PT * 1.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(BODY_PT * MM_PER_PT)

    def lines(self, text: str, *, size: float, face: str = "body", indent: bool = True) -> None:
        """One paragraph: its first line indented two characters, broken by ``wrap``, every line but the
        last set full width by spreading its characters (as Word justifies Chinese)."""
        self.set_font(face, size=size)
        height = size * MM_PER_PT * 1.6
        first_indent = 2 * size * MM_PER_PT if indent else 0
        broken = wrap(text, self.get_string_width, self.epw, first_indent=first_indent)
        for number, line in enumerate(broken):
            left = first_indent if number == 0 else 0
            room = self.epw - left
            spacing = 0.0
            if number < len(broken) - 1 and len(line) > 1:
                spacing = max(0.0, (room - self.get_string_width(line)) / (len(line) - 1)) / MM_PER_PT
                spacing = min(spacing, size / 2)  # never spread a short line across the page
            self.set_x(self.l_margin + left - self.c_margin)  # the text, not the cell's padding, on the margin
            self.set_char_spacing(spacing)
            self.cell(room, height, line, new_x="LMARGIN", new_y="NEXT")
            self.set_char_spacing(0)

    def heading(self, text: str, *, size: float = BODY_PT) -> None:
        """A heading (一、…) in the title's face, indented like a paragraph."""
        self.lines(text, size=size, face="title", indent=size >= BODY_PT)
        self.set_font("body", size=BODY_PT)

    def paragraph(self, text: str, *, size: float = BODY_PT, indent: bool = True) -> None:
        """Body text, each paragraph's first line indented two characters."""
        for line in paragraphs(text) or [""]:
            self.lines(line, size=size, indent=indent)

    def signature(self, issuer: str, day: datetime.date) -> None:
        """The issuing office two characters in from the right, and the date on the next line starting two
        characters to the right of the office's first character (GB/T 9704 §7.3.5.2, no seal); when the
        date is the longer, the date ends two characters in and the office moves right with it."""
        self.ln(BODY_PT * MM_PER_PT * 2)
        self.set_font("body", size=BODY_PT)
        character = BODY_PT * MM_PER_PT
        date = chinese_date(day)
        right = self.l_margin + self.epw - 2 * character
        issuer_x = min(right - self.get_string_width(issuer),
                       right - self.get_string_width(date) - 2 * character)
        for text, x in ((issuer, issuer_x), (date, issuer_x + 2 * character)):
            self.set_x(x - self.c_margin)
            self.cell(self.get_string_width(text) + 2 * self.c_margin, BODY_PT * MM_PER_PT * 1.6, text,
                      new_x="LMARGIN", new_y="NEXT")

    def grid(self, columns: list[str], rows: list[list[str]], widths: list[float], *,
             size: float = TABLE_PT, aligns: list[str] | None = None) -> None:
        """A table in 五号, its heading row repeated on every page it runs over."""
        from fpdf.fonts import FontFace

        self.set_font("body", size=size)
        if not rows:
            self.paragraph(str(_("无。")), size=size, indent=False)
            return
        with self.table(col_widths=widths, line_height=size * MM_PER_PT * 1.5, first_row_as_headings=True,
                        headings_style=FontFace(family="title", emphasis="", fill_color=(240, 240, 240)),
                        text_align=tuple(aligns) if aligns else "LEFT", repeat_headings=1) as table:
            table.row(columns)
            for row in rows:
                table.row(row)
        self.ln(2)


# --- Word ------------------------------------------------------------------------------------------------

def _set_faces(style: Any, east_asia: str, *, size: float | None = None, bold: bool | None = None) -> None:
    """A style's faces set outright (the template's theme fonts, which win over named ones, removed) and
    its colour black: the default template's headings are blue Calibri Light."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    properties = style.element.get_or_add_rPr()
    faces = properties.get_or_add_rFonts()
    for name in list(faces.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del faces.attrib[name]
    for name in ("w:ascii", "w:hAnsi", "w:cs"):
        faces.set(qn(name), DOCX_LATIN_FACE)
    faces.set(qn("w:eastAsia"), east_asia)
    for colour in properties.findall(qn("w:color")):
        properties.remove(colour)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _set_language(element: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in element.findall(qn("w:lang")):
        element.remove(old)
    language = OxmlElement("w:lang")
    for name in ("w:val", "w:eastAsia"):
        language.set(qn(name), LANGUAGE)
    element.append(language)


def _page_field(paragraph: Any) -> None:
    """``— PAGE —`` with Word's PAGE field, so each page shows its own number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.add_run("— ").font.size = Pt(PAGE_NUMBER_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —").font.size = Pt(PAGE_NUMBER_PT)


def official_docx() -> Any:
    """A Word document in the standard's form: A4 with its margins, zh-CN, black headings in Chinese faces
    (Title 二号 centred, Heading 1 三号 黑体, Heading 2 三号), body 三号 仿宋, a 五号 style for tables
    ("Table Text"), and page numbers right on odd pages, left on even ones."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.footer_distance = Mm(BOTTOM - 7 - 6)
    document.core_properties.language = LANGUAGE
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(defaults)
    styles = document.styles
    _set_faces(styles["Normal"], DOCX_BODY_FACE, size=BODY_PT)
    _set_language(styles["Normal"].element.get_or_add_rPr())
    _set_faces(styles["Title"], DOCX_TITLE_FACE, size=TITLE_PT, bold=False)
    title = styles["Title"]
    title_properties = title.element.get_or_add_pPr()
    for border in title_properties.findall(qn("w:pBdr")):
        title_properties.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(BODY_PT)
    _set_faces(styles["Heading 1"], DOCX_HEADING_FACE, size=BODY_PT, bold=False)
    _set_faces(styles["Heading 2"], DOCX_BODY_FACE, size=BODY_PT, bold=True)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.space_before = Pt(6)
        styles[name].paragraph_format.space_after = Pt(3)
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(TABLE_PT)
    table_text.paragraph_format.first_line_indent = Pt(0)
    body = styles.add_style("Body Text Indent 2", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    document.settings.odd_and_even_pages_header_footer = True
    for footer, alignment, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                    (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        setattr(paragraph.paragraph_format, side, Pt(PAGE_NUMBER_PT))
        _page_field(paragraph)
    return document


def docx_table(document: Any, columns: list[str], rows: list[list[str]]) -> None:
    """A bordered table in 五号, its heading row repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not rows:
        document.add_paragraph(str(_("无。")), style="Table Text")
        return
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, name in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].style = "Table Text"
        cell.paragraphs[0].add_run(name).bold = True
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.paragraphs[0].style = "Table Text"
            cell.paragraphs[0].add_run(value)


def _characters(text: str) -> float:
    """A text's width in characters of the body size (a digit or a Latin letter is half one)."""
    return sum(0.5 if char.isascii() else 1 for char in text)


def docx_signature(document: Any, issuer: str, day: datetime.date) -> None:
    """The issuing office two characters in from the right and the date below it, starting two characters to
    the right of the office's first character (as ``OfficialPDF.signature``)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    date = chinese_date(day)
    date_in = max(2.0, _characters(issuer) - _characters(date))
    issuer_in = date_in + _characters(date) + 2 - _characters(issuer)
    document.add_paragraph()
    for text, inset in ((issuer, issuer_in), (date, date_in)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(inset * BODY_PT)


# --- Excel -----------------------------------------------------------------------------------------------

def xlsx_title(book: Any, sheet: Any, title: str, subtitle: str, last_column: int) -> None:
    """The title merged across the table's width (row 1) and the issuing office with the date under it
    (row 2); the table starts on row 4."""
    sheet.merge_range(0, 0, 0, last_column, title, book.add_format(
        {"font_name": XLSX_TITLE_FACE, "font_size": 16, "align": "center", "valign": "vcenter"}))
    sheet.set_row(0, 32)
    sheet.merge_range(1, 0, 1, last_column, subtitle, book.add_format({"align": "right"}))


def xlsx_print_setup(sheet: Any, header_row: int, *, landscape: bool = False) -> None:
    """Printed on A4 with the standard's margins, fitted to the page's width, the table's heading row
    repeated on every page, and page numbers "— 1 —" at the foot."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=LEFT / 25.4, right=RIGHT / 25.4, top=TOP / 25.4, bottom=BOTTOM / 25.4)
    sheet.set_footer("&C— &P —")
    sheet.freeze_panes(header_row + 1, 0)


@dataclass(frozen=True)
class Amount:
    """A number of a report's table with its kind: ``COUNT`` (people), ``PERCENT`` (a rate given in per
    cent, e.g. 85.12) or ``POINTS`` (a difference of rates); ``sign`` (≥, ≤) prefixes a target. The text
    formats (PDF, Word) show ``text()``; the workbook stores ``number()`` with ``num_format()``."""

    COUNT = "count"
    PERCENT = "percent"
    POINTS = "points"

    value: Decimal | int | float | None
    kind: str
    sign: str = ""

    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.kind == self.PERCENT:
            return f"{self.sign}{Decimal(self.value):.2f}%"
        if self.kind == self.POINTS:
            return str(_("%(number)s 个百分点")) % {"number": f"{Decimal(self.value):.2f}"}  # as wording.gap_amount
        return f"{self.sign}{int(self.value):,}人"  # not translated: the unit of a count

    def number(self) -> float | None:
        if self.value is None:
            return None
        return float(self.value)

    def num_format(self) -> str:
        prefix = f'"{self.sign}"' if self.sign else ""
        return prefix + {self.PERCENT: PERCENT_FORMAT, self.POINTS: POINTS_FORMAT}.get(self.kind, COUNT_FORMAT)


class XlsxCells:
    """Writes a table's cells by their type: text (wrapped), whole numbers, dates and ``Amount`` values as
    numbers with their formats; one format object per distinct look."""

    def __init__(self, book: Any, base: dict[str, Any] | None = None) -> None:
        self.book = book
        self.base = base or {"border": 1, "valign": "top"}
        self.formats: dict[str, object] = {}

    def format(self, num_format: str | None = None, **extra: Any) -> Any:
        key = repr((num_format, sorted(extra.items())))
        if key not in self.formats:
            options = self.base | extra | ({"num_format": num_format} if num_format else {})
            self.formats[key] = self.book.add_format(options)
        return self.formats[key]

    def write(self, sheet: Any, row: int, column: int, cell: Any) -> None:
        from workforce.core.exports import neutralise

        if isinstance(cell, Amount):
            number = cell.number()
            if number is None:
                sheet.write_string(row, column, "—", self.format(align="center"))
            else:
                sheet.write_number(row, column, number, self.format(cell.num_format()))
        elif isinstance(cell, datetime.date):
            sheet.write_datetime(row, column, datetime.datetime.combine(cell, datetime.time()),
                                 self.format(DATE_FORMAT, align="left"))
        elif isinstance(cell, bool) or cell is None:
            sheet.write_string(row, column, "" if cell is None else str(cell), self.format(text_wrap=True))
        elif isinstance(cell, int | float | Decimal):
            sheet.write_number(row, column, float(cell), self.format(NUMBER_FORMAT))
        else:
            sheet.write_string(row, column, neutralise(str(cell)), self.format(text_wrap=True))


def cell_text(cell: Any) -> str:
    """A table cell as the PDF and Word documents show it."""
    if isinstance(cell, Amount):
        return cell.text()
    if isinstance(cell, datetime.date):
        return chinese_date(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return f"{cell:,}"
    return "" if cell is None else str(cell)


# --- Downloads -------------------------------------------------------------------------------------------

def content_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with the Chinese ``filename*`` (RFC 6266, RFC 5987) and an ASCII ``filename`` for
    clients that do not read it."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(content: bytes | IO[bytes], filename: str, fallback: str, content_type: str) -> FileResponse:
    """A file download named ``filename`` (``fallback`` in ASCII)."""
    handle = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response
