"""Reading an employer's staff roster (花名册) upload: find the header, match columns by name, and yield
each data row with its values normalised and its problems listed, one row at a time.

The entry point is :func:`read_roster`. File-level refusals are :class:`RosterFileError` (the whole upload
is refused); cell-level problems are :class:`CellProblem` objects on each :class:`ParsedRow` (the row is
shown in the preview with its errors and warnings). All messages are Chinese and safe to show.

Streaming: rows are produced lazily and only the first rows (to find the header) are held, so a 1,000,000
row CSV is never in memory at once unless the caller collects it. Workbooks are read by python-calamine,
which holds one sheet's cells in native memory while its rows are yielded. Normalised values of columns
with few distinct values (dates, choices, yes/no, skill levels, occupations, employers' codes) are cached per
column.

The per-value normalisers (:func:`normalize_text`, :func:`parse_date`, :func:`parse_bool`,
:func:`parse_skill_level`, :func:`normalize_id_cell`, :func:`normalize_uscc_cell`,
:func:`normalize_phone_cell`, :func:`choice_value`) live in ``cells``: plain functions that raise
:class:`CellValueError`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from operator import call, itemgetter
from pathlib import Path

from django.utils.translation import gettext_noop

from workforce.core.messages import Message
from workforce.imports.cells import (  # the per-value normalisers; re-exported for the importer's callers
    CHOICE_ALIASES,
    MSG_ID_AS_NUMBER,
    NAME_MAX,
    PHONE_MAX,
    CellValueError,
    _compact,
    _parser,
    _token,
    choice_value,
    normalize_id_cell,
    normalize_phone_cell,
    normalize_text,
    normalize_uscc_cell,
    parse_bool,
    parse_date,
    parse_skill_level,
)
from workforce.imports.columns import COLUMNS_BY_KEY, ROSTER_COLUMNS, Column
from workforce.imports.readers import (
    MB,
    MSG_EMPTY_FILE,
    XLS_FORMULA,
    RawSheet,
    RosterFileError,
    cell_text,
    check_safety,
    check_size,
    iter_csv_sheet,
    iter_workbook_sheets,
    scan_xlsx,
    sniff_format,
)

__all__ = [
    "CHOICE_ALIASES",
    "MSG_ID_AS_NUMBER",
    "NAME_MAX",
    "PHONE_MAX",
    "CellProblem",
    "CellValueError",
    "ParsedRow",
    "RosterFileError",
    "RosterHeader",
    "check_safety",
    "choice_value",
    "find_header",
    "match_column",
    "normalize_id_cell",
    "normalize_phone_cell",
    "normalize_text",
    "normalize_uscc_cell",
    "parse_bool",
    "parse_date",
    "parse_skill_level",
    "read_roster",
    "sniff_format",
]

HEADER_SEARCH_ROWS = 30  # title rows and notes above the header are skipped, up to this many rows
HEAD_BYTES = 64 * 1024
_CACHE_LIMIT = 50_000  # distinct values remembered per column
_CACHED_KINDS = frozenset({"date", "bool", "choice", "skill_level", "occupation", "uscc"})
Synonyms = dict[str, tuple[tuple[str, str], ...]]  # column key -> (written, stored value) pairs
FOOTER_WORDS = (  # not translated: the words of roster footers
    "合计", "总计", "小计", "共计", "制表人", "制表", "填表人", "填报人", "审核人", "审核", "负责人",
    "单位负责人", "填报日期", "制表日期", "备注", "注：", "注:", "说明")
_MEMO_TYPES = frozenset({str, datetime.date, datetime.datetime})  # cell types a memo may keep, see _Memo
_KEY_COLUMNS = frozenset({"id_number", "name"})  # a formula here is an error, elsewhere a warning
_ONLY_TEXT = {str}
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no.", "#"})  # not translated: row counters, not reported

MSG_NO_DATA = Message(gettext_noop("文件中没有数据行"))
MSG_EMPTY_WORKBOOK = Message(gettext_noop("工作簿是空的：工作表中没有任何内容；请确认上传的是填写好的花名册"))
MSG_EMPTY_CSV = Message(gettext_noop("文件中没有任何内容；请确认上传的是填写好的花名册"))
MSG_FOOTER = gettext_noop("表尾的合计/签字行（“%(text)s”），不是职工数据，已跳过")
MSG_TOO_MANY_FIELDS = gettext_noop("该行有 %(fields)d 个字段，多于表头的 %(width)d 列，多出的“%(extra)s”没有读取："
                                   "可能是某个单元格中含有未加引号的逗号%(where)s")
MSG_TOO_FEW_FIELDS = gettext_noop("该行只有 %(fields)d 个字段，少于表头的 %(width)d 列，缺少的列按空白处理："
                                  "可能是某个单元格中的换行未加引号，把一行断成了两行%(where)s")
MSG_UNTERMINATED = gettext_noop(
    "引号未闭合：从这一行起到“%(text)s”的内容都被读进了一个单元格%(where)s；请检查该行的引号")
MSG_TEXT_LINE = gettext_noop("（文本第 %(line)d 行）")
MSG_REQUIRED = Message(gettext_noop("必填项为空"))
MSG_FORMULA = Message(gettext_noop("单元格包含公式，已按公式文本读取，未计算"))
MSG_XLS_FORMULA = Message(gettext_noop(
    "单元格包含公式（.xls 文件读不出公式文本，也不会计算它），请改为直接填写内容，或另存为 .xlsx 后上传"))
MSG_TOO_MANY_ROWS = gettext_noop("数据行超过上限 %(limit)s 行；请拆分为多个文件后分批上传")
MSG_NO_HEADER = gettext_noop(
    "未找到表头：前 %(rows)d 行中没有包含“姓名”“公民身份号码”等列名的行；请使用系统提供的花名册模板")
MSG_MISSING_COLUMNS = gettext_noop("缺少必填列：%(columns)s；请检查表头，可参照系统提供的花名册模板")


@dataclass(slots=True)
class CellProblem:
    """A problem with one cell: ``row`` is the spreadsheet row number as the user sees it, ``column`` the
    header text as in the file, ``value`` the cell's original text, ``message`` Chinese, ``severity``
    ``"error"`` (the row cannot be imported as it is) or ``"warning"``."""

    row: int
    column: str
    value: str
    message: str
    severity: str = "error"


@dataclass(slots=True)
class ParsedRow:
    """One non-empty data row. ``values`` maps the key of every column present in the file to its
    normalised value (``str``, ``datetime.date``, ``bool``, ``int`` for ``skill_level``, or ``None`` when
    the cell is empty or has an error); columns absent from the file are absent from ``values``. ``raw``
    maps the same keys to the original cell text; ``problems`` lists the row's cell problems."""

    number: int
    values: dict[str, object]
    raw: dict[str, str]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class RosterHeader:
    """The matched header: ``columns`` file column index (0 = column A) -> column key; ``headers`` key ->
    header text as in the file; ``unknown`` header texts not recognised (to show as warnings);
    ``duplicates`` header texts naming a column already matched to the left (ignored, to show as
    warnings); ``missing_required`` the Chinese headers of required columns that are absent;
    ``header_rows`` 1, or 2 for a two-row (merged) header; ``row`` the number of its last row;
    ``sheet`` the worksheet name (``""`` for CSV); ``notices`` rows the reader skipped (a totals footer),
    appended while the rows are read."""

    columns: dict[int, str]
    headers: dict[str, str]
    unknown: list[str]
    missing_required: list[str]
    header_rows: int = 1
    duplicates: list[str] = field(default_factory=list)
    row: int = 1
    sheet: str = ""
    width: int = 0  # cells in the header row, blank ones included (a CSV record should have as many)
    notices: list[tuple[int, str]] = field(default_factory=list)  # (row, message): rows skipped, filled as read


# ------------------------------------------------------------------------------------------ headers

_REQUIRED_MARKS = re.compile(r"^\*+|\*+$|\((?:必填|选填|必填项)\)$")  # not translated: a pattern
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|〔.*?〕")


def _header_token(text: str) -> str:
    return _REQUIRED_MARKS.sub("", _token(text))


@cache
def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in ROSTER_COLUMNS:
        for name in (column.header, *column.synonyms, column.key):
            table.setdefault(_header_token(name), column.key)
    return table


def match_column(header_text: str) -> str | None:
    """Return the key of the roster column a header names, or None. Matching ignores whitespace (also
    inside: ``姓 名``), case, full-width forms, a ``*`` or ``(必填)`` mark, and, failing that, bracketed
    notes such as ``出生日期（yyyy-mm-dd）``."""
    table = _header_table()
    token = _header_token(header_text)
    if not token:
        return None
    found = table.get(token)
    if found is None:
        stripped = _BRACKETED.sub("", token)
        found = table.get(stripped) if stripped and stripped != token else None
    return found


def _header_cells(cells: list) -> list[str]:
    return [" ".join(cell_text(cell).split()) if cell != "" else "" for cell in cells]


Mapping = list[tuple[int, str, str | None]]  # (column index, header text, key or None)


def _single(cells: list[str]) -> Mapping:
    return [(index, text, match_column(text) if text else None) for index, text in enumerate(cells)]


def _combined(top: list[str], bottom: list[str], spans: dict[int, str], fill_forward: bool) -> Mapping:
    """Header texts of a two-row header: under a merged (or, without merge information, a blank-extended)
    top cell, try the top text followed by the lower cell (``劳动合同`` + ``类型``), else the lower cell."""
    mapping: Mapping = []
    group = ""
    for index in range(max(len(top), len(bottom))):
        upper = top[index] if index < len(top) else ""
        lower = bottom[index] if index < len(bottom) else ""
        if upper:
            group = upper
        prefix = upper or (group if fill_forward else spans.get(index, ""))
        if not lower:
            mapping.append((index, upper, match_column(upper) if upper else None))
            continue
        if prefix:
            key = match_column(prefix + lower)
            if key is not None:
                mapping.append((index, prefix + lower, key))
                continue
        mapping.append((index, lower, match_column(lower)))
    return mapping


def _score(mapping: Mapping) -> int:
    return len({key for _, _, key in mapping if key is not None})


def find_header(
    rows: list[tuple[int, list]], merged: Iterable[tuple[int, int, int, int]] = ()
) -> tuple[RosterHeader, int] | None:
    """Find the header among the first rows of a sheet: the first row naming at least two known columns,
    combined with the row below it (or above it) when that matches more columns, as with a two-row
    government-style header whose top row has merged cells (``劳动合同`` over ``类型``/``起始日期``).
    ``merged`` is :attr:`RawSheet.merged`; without it (CSV) a blank top cell continues the text to its
    left. Returns the header and the position in ``rows`` of the first row after it, or None."""
    texts = [(number, _header_cells(cells)) for number, cells in rows]
    merged = list(merged)
    position = next((i for i, (_, cells) in enumerate(texts) if _score(_single(cells)) >= 2), None)
    if position is None:
        return None
    number, cells = texts[position]

    def spans(row_number: int) -> dict[int, str]:
        top = next(row_cells for n, row_cells in texts if n == row_number)
        return {
            column: top[first_col] if first_col < len(top) else ""
            for first_row, first_col, _, last_col in merged
            if first_row == row_number and last_col > first_col
            for column in range(first_col, last_col + 1)
        }

    options = [(_single(cells), 1, position + 1)]
    if position + 1 < len(texts) and texts[position + 1][0] == number + 1:
        below = texts[position + 1][1]
        options.append((_combined(cells, below, spans(number), not merged), 2, position + 2))
    if position > 0 and texts[position - 1][0] == number - 1 and any(texts[position - 1][1]):
        above = texts[position - 1][1]
        options.append((_combined(above, cells, spans(number - 1), not merged), 2, position + 1))
    mapping, header_rows, data_start = max(options, key=lambda option: _score(option[0]))

    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, text, key in mapping:
        if not text:
            continue
        if key is None:
            if _header_token(text) not in IGNORED_HEADERS:
                unknown.append(text)
        elif key in headers:
            duplicates.append(text)
        else:
            columns[index] = key
            headers[key] = text
    missing = [column.header for column in ROSTER_COLUMNS if column.required and column.key not in headers]
    header = RosterHeader(
        columns=columns, headers=headers, unknown=unknown, missing_required=missing, header_rows=header_rows,
        duplicates=duplicates, row=rows[data_start - 1][0],
        width=max(len(cells) for _, cells in rows[data_start - header_rows:data_start]),
    )
    return header, data_start


def _is_numbering_row(cells: list) -> bool:
    """True for a row of column numbers (1, 2, 3, …) that government forms put under the header."""
    numbers = []
    for cell in cells:
        if cell == "":
            continue
        text = _compact(cell).strip("()")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# ------------------------------------------------------------------------------------------ rows


class _Flagged:
    """A converted cell that has problems: ``value`` (None after an error) and ``problems``, a tuple of
    ``(message, severity)``. Plain values are returned bare, so the common case allocates nothing."""

    __slots__ = ("problems", "value")

    def __init__(self, value: object, problems: tuple[tuple[str, str], ...]) -> None:
        self.value = value
        self.problems = problems


def _converter(column: Column, date1904: bool, synonyms: Synonyms | None = None) -> Callable[[object], object]:
    """A function from a raw cell to its normalised value, or to a :class:`_Flagged` when the cell has an
    error or starts with ``=`` (a formula's text). Columns of few distinct values get a memo in front."""
    parse = _parser(column, date1904, (synonyms or {}).get(column.key, ()))
    formula = ((MSG_FORMULA, "error" if column.key in _KEY_COLUMNS else "warning"),)
    xls_formula = ((MSG_XLS_FORMULA, "error"),)

    def convert(cell: object) -> object:
        if cell == "":
            return None
        if cell == XLS_FORMULA:
            return _Flagged(None, xls_formula)
        try:
            value = parse(cell)
        except CellValueError as error:
            if type(cell) is str and cell[0] == "=":
                return _Flagged(None, (*formula, (error.message, "error")))
            return _Flagged(None, ((error.message, "error"),))
        if type(cell) is str and cell[0] == "=":
            return _Flagged(value, formula)
        return value

    if column.kind in _CACHED_KINDS:
        return _Memo(convert).__getitem__
    return convert


class _Memo(dict):
    """Converted values by raw cell, up to ``_CACHE_LIMIT`` of them; a hit is one C-level dict lookup.
    Only text and date cells (a workbook's date columns) are remembered: ``True == 1 == 1.0`` would mix
    up numbers and booleans, while a date equals no text, number or datetime."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[object], object]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, cell: object) -> object:
        value = self.convert(cell)
        if type(cell) in _MEMO_TYPES and len(self) < _CACHE_LIMIT:
            self[cell] = value
        return value


def _tuple_getter(items: list) -> Callable[[object], tuple]:
    """itemgetter that always returns a tuple (itemgetter of one item returns the bare item)."""
    if len(items) == 1:
        return lambda container: (container[items[0]],)  # type: ignore[index]
    return itemgetter(*items) if items else (lambda container: ())


def _footer_text(cells: list) -> str | None:
    """The text of a totals or signature row under the data (``合计 50人``, ``制表人：…``), else None."""
    first = next((normalize_text(cell) for cell in cells if cell != "" and normalize_text(cell)), None)
    if first and first.replace(" ", "").startswith(FOOTER_WORDS):
        return " ".join(text for text in (normalize_text(cell) for cell in cells if cell != "") if text)[:100]
    return None


def _looks_like_id(value: object) -> bool:
    return value is not None and sum(character.isdigit() for character in str(value)) >= 15


def _record_problems(number: int, cells: list, header: RosterHeader, sheet: RawSheet) -> list[CellProblem]:
    """A CSV record whose number of fields differs from the header's, or with an unclosed quote, at the
    record's own row (and text line, when a quoted line break shifted them apart)."""
    line = sheet.lines.get(number)
    where = Message(MSG_TEXT_LINE, line=line) if line else ""
    unclosed = next((cell for cell in cells if "\n" in cell and ("," in cell or "\t" in cell)), None)
    if unclosed is not None:
        return [CellProblem(number, "", "", Message(MSG_UNTERMINATED, text=unclosed.rsplit("\n", 1)[-1][:30],
                                                    where=where))]
    extra = [cell for cell in cells[header.width:] if cell.strip()]
    if extra:
        return [CellProblem(number, "", "", Message(MSG_TOO_MANY_FIELDS, fields=len(cells), width=header.width,
                                                    extra=",".join(extra)[:60], where=where))]
    if len(cells) < header.width:
        return [CellProblem(number, "", "", Message(MSG_TOO_FEW_FIELDS, fields=len(cells), width=header.width,
                                                    where=where), "warning")]
    return []


def _rows_of(
    rows: Iterator[tuple[int, list]],
    header: RosterHeader,
    sheet: RawSheet,
    max_rows: int,
    synonyms: Synonyms,
) -> Iterator[ParsedRow]:
    """Normalise each non-empty data row (one where a known column has a value or an error). Written for
    speed: the mapped cells are picked in C (itemgetter) and each goes through one converter call. A
    totals footer is skipped (``header.notices``); a CSV record with more or fewer fields than the
    header has a problem of its own."""
    indices = sorted(header.columns)
    keys = tuple(header.columns[index] for index in indices)
    width = len(keys)
    converters = tuple(_converter(COLUMNS_BY_KEY[key], sheet.date1904, synonyms) for key in keys)
    csv_width = header.width if sheet.cells_are_text else 0
    headers = header.headers
    required = tuple((key, headers[key]) for key in keys if COLUMNS_BY_KEY[key].required)
    pick_required = _tuple_getter([key for key, _ in required])
    pick = _tuple_getter(indices)
    contiguous = indices == list(range(width))  # every column known and in place: use the row itself
    need = indices[-1] + 1
    padding = [""] * need
    formulas = sheet.formulas()
    is_text = sheet.cells_are_text
    count = 0
    for number, cells in rows:
        fields = len(cells)
        if len(cells) < need:
            cells = cells + padding[len(cells) :]
        if formulas and number in formulas:
            cells = list(cells)
            for index, formula in formulas[number].items():
                if index < need:
                    cells[index] = formula
        picked = cells if contiguous and len(cells) == width else pick(cells)
        if picked.count("") == width:
            continue
        converted = list(map(call, converters, picked))
        problems: list[CellProblem] | None = None
        failed: set[str] | None = None
        if _Flagged in map(type, converted):
            problems = []
            failed = set()
            for position, value in enumerate(converted):
                if type(value) is _Flagged:
                    key = keys[position]
                    text = cell_text(picked[position])
                    for message, severity in value.problems:
                        problems.append(CellProblem(number, headers[key], text, message, severity))
                        if severity == "error":
                            failed.add(key)
                    converted[position] = value.value
        elif converted.count(None) == width:
            continue  # only blanks and spaces
        else:
            problems = []
        values = dict(zip(keys, converted, strict=False))
        if csv_width and (fields != csv_width or (number in sheet.lines and any("\n" in cell for cell in cells))):
            problems.extend(_record_problems(number, cells[:fields], header, sheet))
        if None in pick_required(values):
            footer = _footer_text(cells) if not _looks_like_id(values.get("id_number")) else None
            if footer is not None:
                header.notices.append((number, Message(MSG_FOOTER, text=footer)))
                continue
            for key, header_text in required:
                if values[key] is None and (failed is None or key not in failed):
                    problems.append(CellProblem(number, header_text, "", MSG_REQUIRED))
        if count == 0 and _is_numbering_row(cells):
            continue
        count += 1
        if count > max_rows:
            raise RosterFileError(Message(MSG_TOO_MANY_ROWS, limit=f"{max_rows:,}"))
        if is_text or set(map(type, picked)) == _ONLY_TEXT:
            raw = dict(zip(keys, picked, strict=True))
        else:
            raw = dict(zip(keys, [cell if type(cell) is str else cell_text(cell) for cell in picked], strict=True))
        yield ParsedRow(number, values, raw, problems)


def _open_sheets(path: Path, fmt: str, formula_members: set[str]) -> Iterator[RawSheet]:
    if fmt == "csv":
        yield iter_csv_sheet(path)
    else:
        yield from iter_workbook_sheets(path, fmt, formula_members=formula_members)


def read_roster(
    path: str | Path,
    filename: str,
    *,
    max_rows: int = 1_000_000,
    max_bytes: int = 100 * MB,
    max_uncompressed_bytes: int = 200 * MB,
    synonyms: Synonyms | None = None,
) -> tuple[RosterHeader, Iterator[ParsedRow]]:
    """Open an uploaded roster and return its header and a lazy iterator of its non-empty data rows.

    ``filename`` is the name the user gave (its extension is checked against the content, see
    :func:`sniff_format`). The file is checked (:func:`check_safety`) before any parser opens it. The
    header is looked for in the first 30 rows of the first visible worksheet that has one (see
    :func:`find_header`); rows above it are titles, a row of column numbers right below it is skipped.
    Raises :class:`RosterFileError` before returning for: an empty or unsafe file, a wrong or unsupported
    type, no header, missing required columns, no data rows. The iterator raises
    :class:`RosterFileError` when the file's data rows pass ``max_rows`` (or a CSV turns out to be
    undecodable further on): the caller must be consuming it before anything is committed, which holds
    since rows are committed only after the preview has read them all.

    Formulas: ``.xlsx`` formula cells give their formula text (``=A1&B1``), never a computed value, with
    a warning (an error in the name and ID number columns); so does any text starting with ``=``. For
    ``.xls`` formula cells are not detected and calamine's cached result is read.

    ``synonyms`` adds the administrator's ways of writing coded values (``imports.synonyms``).
    """
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        raise RosterFileError(MSG_EMPTY_FILE)
    fmt = sniff_format(head, filename)
    formula_members: set[str] = set()
    if fmt == "xlsx":  # check_safety's checks, keeping what the zip scan learnt about formulas
        check_size(path, max_bytes=max_bytes)
        formula_members = scan_xlsx(path, max_uncompressed_bytes=max_uncompressed_bytes)
    else:
        check_safety(path, fmt, max_bytes=max_bytes)

    saw_rows = False
    for sheet in _open_sheets(path, fmt, formula_members):
        first_rows = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
        saw_rows = saw_rows or any(any(cell != "" for cell in cells) for _, cells in first_rows)
        found = find_header(first_rows, sheet.merged)
        if found is not None:
            break
    else:
        if not saw_rows:
            raise RosterFileError(MSG_EMPTY_CSV if fmt == "csv" else MSG_EMPTY_WORKBOOK)
        raise RosterFileError(Message(MSG_NO_HEADER, rows=HEADER_SEARCH_ROWS))
    header, data_start = found
    header.sheet = sheet.name
    if header.missing_required:
        raise RosterFileError(Message(MSG_MISSING_COLUMNS, columns="、".join(header.missing_required)))
    parsed = _rows_of(chain(first_rows[data_start:], sheet.rows), header, sheet, max_rows, synonyms or {})
    first = next(parsed, None)
    if first is None:
        raise RosterFileError(MSG_NO_DATA)
    return header, chain((first,), parsed)
