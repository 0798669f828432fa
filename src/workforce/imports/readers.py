"""Low-level reading of uploaded roster files: what a file really is, whether it is safe to open, and its
rows as raw cells. Header matching and value normalisation live in :mod:`workforce.imports.parsing`.

Every refusal is a :class:`RosterFileError` whose ``message`` is Chinese and safe to show to the uploader.
Nothing here touches the database.

Safety (the issue's "refused safely" list):

* sizes: the file itself (``max_bytes``); for ``.xlsx`` the zip members are decompressed by this module
  (not trusting the sizes declared in the zip directory) and the upload is refused once their real total
  passes ``max_uncompressed_bytes`` or, above 10 MB, ``max_ratio`` times the file size (zip bombs);
* XML with a ``<!DOCTYPE`` or ``<!ENTITY`` anywhere (external entities, "billion laughs") is refused before
  any XML parser sees it;
* encrypted content: zip members with the encryption flag, and OLE2 containers holding an
  ``EncryptedPackage`` stream (an ``.xlsx`` saved with an open password);
* formulas are never evaluated: for ``.xlsx`` the sheet XML is scanned for ``<f>`` elements and their text
  is handed to the caller; for ``.xls`` the BIFF records show which cells hold a formula (its text would
  need the formula's tokens decoded), and those cells are handed over as ``XLS_FORMULA``.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import html
import io
import mmap
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import olefile
import python_calamine
from django.utils.translation import gettext_noop

from workforce.core.messages import Message

__all__ = [
    "RawSheet",
    "RosterFileError",
    "check_safety",
    "check_size",
    "detect_encoding",
    "iter_csv_sheet",
    "iter_workbook_sheets",
    "scan_xlsx",
    "sniff_format",
]

MB = 1024 * 1024
FORMATS = ("xlsx", "xls", "csv")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY_MAGIC = b"PK\x05\x06"
_CHUNK = 1 << 20
_RATIO_FLOOR = 10 * MB  # below this much XML a high compression ratio is harmless
_MAX_ZIP_MEMBERS = 10_000
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FORBIDDEN_XML = tuple(
    text.encode(encoding)
    for text in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_FORMULA_MARKERS = (b"<f>", b"<f ", b":f>", b":f ")
_ENCRYPTED_STREAMS = ("EncryptedPackage", "EncryptionInfo")

MSG_EMPTY_FILE = Message(gettext_noop("文件是空的，请选择填写好的花名册文件后重新上传"))
MSG_PASSWORD = Message(gettext_noop(
    "工作簿设置了打开密码，系统无法读取；请在 Excel 中取消密码后重新上传"))
MSG_CORRUPT = Message(gettext_noop("文件已损坏或不是有效的 Excel 工作簿，无法读取；请用 Excel 打开后重新保存再上传"))
MSG_CORRUPT_COMPRESSION = Message(gettext_noop(
    "文件已损坏或不是有效的 Excel 工作簿，无法读取；请用 Excel 打开后重新保存再上传（使用了不支持的压缩方式）"))
MSG_XML_ENTITIES = Message(gettext_noop(
    "工作簿中含有不允许的 XML 文档类型声明（DOCTYPE/ENTITY），疑似恶意构造的文件，已拒绝"))
MSG_ENCODING = Message(gettext_noop("文件编码无法识别：请将 CSV 文件另存为“CSV UTF-8（逗号分隔）”后重新上传"))
MSG_UNSUPPORTED = gettext_noop("不支持的文件类型“.%(extension)s”：请上传 .xlsx、.xls 或 .csv 格式的花名册")
MSG_NO_EXTENSION = gettext_noop("不支持的文件类型（无扩展名）：请上传 .xlsx、.xls 或 .csv 格式的花名册")
MSG_NOT_WORKBOOK = gettext_noop("文件扩展名为 .%(extension)s，但内容不是 Excel 工作簿，而是%(kind)s")
MSG_NOT_TEXT = gettext_noop("文件扩展名为 .%(extension)s，但内容不是文本，而是%(kind)s")
MSG_CSV_IS_WORKBOOK = gettext_noop(
    "文件扩展名为 .csv，但内容是 Excel 工作簿（.%(actual)s）；请将扩展名改为 .%(actual)s 后重新上传")
MSG_ZIP_NOT_WORKBOOK = gettext_noop("文件内容不是 Excel 工作簿，而是%(kind)s")
MSG_TOO_MANY_PARTS = gettext_noop("工作簿包含的部件过多（%(count)d 个），疑似恶意构造的文件，已拒绝")
MSG_TOO_LARGE_UNPACKED = gettext_noop(
    "工作簿解压后超过 %(limit)d MB（数十万行），超出 Excel 文件的处理上限；请在 Excel 中“另存为”CSV（逗号分隔）"
    "文件后上传，CSV 文件可一次导入更多行")
MSG_ZIP_BOMB = gettext_noop(
    "工作簿解压后的大小异常（超过 %(size).1f MB，为文件大小的 %(ratio)d 倍），"
    "疑似恶意构造的压缩文件（“zip 炸弹”），已拒绝")
MSG_TOO_BIG = gettext_noop("文件大小为 %(size).1f MB，超过上限 %(limit)s MB；请拆分为多个文件后分批上传")
MSG_CSV_ERROR = gettext_noop("CSV 文件格式错误：第 %(row)d 行（文本第 %(line)d 行）：%(error)s")
# What a file named as a roster really is, said in the refusal.
KIND_PDF = Message(gettext_noop("PDF 文件"))
KIND_IMAGE = Message(gettext_noop("图片"))
KIND_ARCHIVE = Message(gettext_noop("压缩包"))
KIND_ZIP = Message(gettext_noop("普通压缩包（ZIP）"))
KIND_WORD = Message(gettext_noop("Word 文档"))
KIND_POWERPOINT = Message(gettext_noop("PowerPoint 演示文稿"))
KIND_ODS = Message(gettext_noop("OpenDocument 表格（.ods）；请用 Excel 打开后另存为 .xlsx 再上传"))
KIND_ODF = Message(gettext_noop("OpenDocument 文档"))
KIND_ODF_FILE = Message(gettext_noop("OpenDocument 文件；请用 Excel 打开后另存为 .xlsx 再上传"))
KIND_HTML = Message(gettext_noop("网页（HTML）格式的表格；请用 Excel 打开后另存为 .xlsx 再上传"))
KIND_XML = Message(gettext_noop("XML 文件（可能是“XML 电子表格 2003”格式）；请用 Excel 打开后另存为 .xlsx 再上传"))
KIND_TEXT = Message(gettext_noop("文本文件（可能是 CSV）；请将扩展名改为 .csv，或用 Excel 打开后另存为 .xlsx 再上传"))
KIND_UNKNOWN = Message(gettext_noop("无法识别的内容"))


class RosterFileError(Exception):
    """The whole upload is refused. ``message`` is Chinese and safe to show; ``str(error) == message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RawSheet:
    """One sheet's rows as raw cells, not yet matched or normalised.

    ``rows`` yields ``(row number as the user sees it, cells)`` with ``cells[0]`` in column A; a cell is
    ``""`` when empty, a ``str`` for CSV, and whatever calamine gives for workbooks (str, int, float,
    bool, date, datetime, time, timedelta). ``merged`` lists merged ranges as
    ``(first_row, first_col, last_row, last_col)`` with 1-based rows and 0-based columns. ``formulas()``
    returns ``{row number: {column index: "=formula text"}}`` for ``.xlsx`` (empty otherwise); it is only
    computed when called. ``date1904`` is True for workbooks using the 1904 date system;
    ``cells_are_text`` is True when every cell is a ``str`` (CSV); ``lines`` (CSV) holds the text line
    a record starts on, for the records after a quoted line break (filled as the rows are read).
    """

    name: str
    rows: Iterator[tuple[int, list]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: Callable[[], dict[int, dict[int, str]]] = dict
    date1904: bool = False
    cells_are_text: bool = False
    lines: dict[int, int] = field(default_factory=dict)  # CSV: row -> text line, where a line break shifted them


# ------------------------------------------------------------------------------------------ sniffing


def _extension(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    return suffix


_BINARY_KINDS = (
    (b"%PDF", KIND_PDF),
    (b"\x89PNG", KIND_IMAGE),
    (b"\xff\xd8\xff", KIND_IMAGE),
    (b"GIF8", KIND_IMAGE),
    (b"Rar!", KIND_ARCHIVE),
    (b"7z\xbc\xaf", KIND_ARCHIVE),
    (b"\x1f\x8b", KIND_ARCHIVE),
)


def _binary_kind(head: bytes) -> str | None:
    """What a known non-Excel binary file is, by its magic bytes, in Chinese; None when not recognised."""
    return next((kind for magic, kind in _BINARY_KINDS if head.startswith(magic)), None)


def _describe_text(head: bytes) -> str:
    """What text content named as a workbook is, in Chinese, with advice."""
    lower = head[:1024].lstrip().lower()
    if lower.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in lower:
        return KIND_HTML
    if lower.startswith(b"<?xml"):
        return KIND_XML
    return KIND_TEXT


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes decode as UTF-16 (with BOM), UTF-8 or GB18030 and contain no NUL."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    sample = head[:65536]
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample)  # final=False: a character cut at the end of the sample is fine
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_kind(head: bytes) -> str | None:
    """What an Office-style zip is from the member names in its first bytes, or None for a workbook."""
    if b"word/" in head:
        return KIND_WORD
    if b"ppt/" in head:
        return KIND_POWERPOINT
    if b"opendocument.spreadsheet" in head:
        return KIND_ODS
    if b"opendocument" in head:
        return KIND_ODF
    return None


def _ole2_encrypted(data: bytes | mmap.mmap) -> bool:
    """True when an OLE2 compound file has an ``EncryptedPackage``/``EncryptionInfo`` directory entry.

    A heuristic on the directory: each 128-byte entry starts with the UTF-16LE name (64 bytes) followed by
    the name's byte length including the terminating NUL; entries are 128-byte aligned in the file.
    """
    for name in _ENCRYPTED_STREAMS:
        encoded = name.encode("utf-16-le")
        length = struct.pack("<H", len(encoded) + 2)
        position = data.find(encoded)
        while position != -1:
            if position % 128 == 0 and data[position + 64 : position + 66] == length:
                return True
            position = data.find(encoded, position + 1)
    return False


def sniff_format(data_head: bytes, filename: str) -> str:
    """Return ``"xlsx"``, ``"xls"`` or ``"csv"`` for an upload, judged by its content (magic bytes) and
    checked against the file name's extension.

    ``data_head`` should be the first 64 KB or more of the file. A zip (``PK``) is an ``.xlsx`` unless its
    first member names show a Word, PowerPoint or OpenDocument file (the full check of the zip directory is
    :func:`check_safety`'s); an OLE2 container (``D0CF11E0``) is an ``.xls``, unless it holds an
    ``EncryptedPackage`` stream, which is an ``.xlsx`` saved with an open password; anything else that
    decodes as text is CSV. An ``.xlsx`` named ``.xls`` or the other way round is read by its content,
    since both are Excel workbooks. Raises :class:`RosterFileError` for an empty file, an extension other
    than ``.xlsx``/``.xls``/``.csv``, a password-protected workbook, or content that is not what the
    extension claims (the message says what the file really is).
    """
    extension = _extension(filename)
    if extension not in FORMATS:
        raise RosterFileError(Message(MSG_UNSUPPORTED, extension=extension) if extension
                              else Message(MSG_NO_EXTENSION))
    if not data_head:
        raise RosterFileError(MSG_EMPTY_FILE)

    if data_head.startswith(OLE2_MAGIC):
        if _ole2_encrypted(data_head):
            raise RosterFileError(MSG_PASSWORD)
        actual = "xls"
    elif data_head.startswith((ZIP_MAGIC, ZIP_EMPTY_MAGIC)):
        kind = _zip_kind(data_head)
        if kind is not None:
            raise RosterFileError(Message(MSG_NOT_WORKBOOK, extension=extension, kind=kind))
        actual = "xlsx"
    elif _binary_kind(data_head) is None and _looks_like_text(data_head):
        actual = "csv"
    else:
        kind = _binary_kind(data_head) or KIND_UNKNOWN
        raise RosterFileError(Message(MSG_NOT_TEXT if extension == "csv" else MSG_NOT_WORKBOOK,
                                      extension=extension, kind=kind))

    if extension == "csv" and actual != "csv":
        raise RosterFileError(Message(MSG_CSV_IS_WORKBOOK, actual=actual))
    if extension != "csv" and actual == "csv":
        raise RosterFileError(Message(MSG_NOT_WORKBOOK, extension=extension, kind=_describe_text(data_head)))
    return actual


# ------------------------------------------------------------------------------------------ safety


def _size_of(source: str | Path | bytes) -> int:
    return len(source) if isinstance(source, bytes | bytearray) else Path(source).stat().st_size


def _open_binary(source: str | Path | bytes) -> io.BufferedIOBase:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else open(source, "rb")


def _member_chunks(raw_file: io.BufferedIOBase, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield the decompressed bytes of one zip member, decompressing the raw stream here so that the real
    size is seen even when the zip directory declares a false one. Memory stays within a few chunks."""
    raw_file.seek(info.header_offset)
    local_header = raw_file.read(30)
    if len(local_header) != 30 or local_header[:4] != ZIP_MAGIC:
        raise RosterFileError(MSG_CORRUPT)
    name_length, extra_length = struct.unpack("<HH", local_header[26:30])
    raw_file.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining > 0:
            chunk = raw_file.read(min(_CHUNK, remaining))
            if not chunk:
                raise RosterFileError(MSG_CORRUPT)
            remaining -= len(chunk)
            yield chunk
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise RosterFileError(MSG_CORRUPT_COMPRESSION)
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        while remaining > 0 and not decompressor.eof:
            data = raw_file.read(min(_CHUNK, remaining))
            if not data:
                raise RosterFileError(MSG_CORRUPT)
            remaining -= len(data)
            while data and not decompressor.eof:
                yield decompressor.decompress(data, _CHUNK)
                data = decompressor.unconsumed_tail
        if not decompressor.eof:
            raise RosterFileError(MSG_CORRUPT)
    except zlib.error:
        raise RosterFileError(MSG_CORRUPT) from None


def _describe_zip(names: set[str]) -> str:
    if any(name.startswith("word/") for name in names):
        return KIND_WORD
    if any(name.startswith("ppt/") for name in names):
        return KIND_POWERPOINT
    if "content.xml" in names and "mimetype" in names:
        return KIND_ODF_FILE
    return KIND_ZIP


def scan_xlsx(
    source: str | Path | bytes, *, max_uncompressed_bytes: int = 200 * MB, max_ratio: int = 100
) -> set[str]:
    """Check an ``.xlsx`` zip for bombs, XML entities, encryption and the presence of a workbook; return
    the names of the worksheet members that contain formulas (``<f>`` elements).

    Every XML member (``.xml``, ``.rels``, ``.vml``) is decompressed once, chunk by chunk, counting its
    real size. Raises :class:`RosterFileError` as described in :func:`check_safety`.
    """
    file_size = _size_of(source)
    with _open_binary(source) as raw_file:
        try:
            archive = zipfile.ZipFile(raw_file)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise RosterFileError(MSG_CORRUPT) from None
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            raise RosterFileError(Message(MSG_ZIP_NOT_WORKBOOK, kind=_describe_zip(names)))
        if len(infos) > _MAX_ZIP_MEMBERS:
            raise RosterFileError(Message(MSG_TOO_MANY_PARTS, count=len(infos)))
        if any(info.flag_bits & 0x1 for info in infos):
            raise RosterFileError(MSG_PASSWORD)
        declared = sum(info.file_size for info in infos)
        ratio_limit = max(max_ratio * file_size, _RATIO_FLOOR)
        _check_expansion(declared, file_size, max_uncompressed_bytes, ratio_limit)

        total = 0
        with_formulas: set[str] = set()
        for info in infos:
            if not info.filename.lower().endswith(_XML_SUFFIXES):
                continue
            is_sheet = info.filename.startswith("xl/worksheets/")
            tail = b""
            for chunk in _member_chunks(raw_file, info):
                total += len(chunk)
                _check_expansion(total, file_size, max_uncompressed_bytes, ratio_limit)
                window = tail + chunk
                # a one-byte search is a memchr, many times faster than a multi-byte one over XML full of "<"
                if b"!" in window and any(marker in window for marker in _FORBIDDEN_XML):
                    raise RosterFileError(MSG_XML_ENTITIES)
                if is_sheet and b"f" in window and any(marker in window for marker in _FORMULA_MARKERS):
                    with_formulas.add(info.filename)
                tail = chunk[-32:]
    return with_formulas


def _check_expansion(total: int, file_size: int, max_uncompressed_bytes: int, ratio_limit: int) -> None:
    if total > max_uncompressed_bytes and total <= ratio_limit:  # an honest workbook, only a very large one
        raise RosterFileError(Message(MSG_TOO_LARGE_UNPACKED, limit=max_uncompressed_bytes // MB))
    if total > ratio_limit:
        raise RosterFileError(Message(MSG_ZIP_BOMB, size=total / MB, ratio=total // max(file_size, 1)))


def check_size(path_or_bytes: str | Path | bytes, *, max_bytes: int) -> None:
    """Refuse an empty file and one larger than ``max_bytes`` with :class:`RosterFileError`."""
    size = _size_of(path_or_bytes)
    if size == 0:
        raise RosterFileError(MSG_EMPTY_FILE)
    if size > max_bytes:
        raise RosterFileError(Message(MSG_TOO_BIG, size=size / MB, limit=f"{max_bytes / MB:g}"))


def check_safety(
    path_or_bytes: str | Path | bytes,
    fmt: str,
    *,
    max_bytes: int = 100 * MB,
    max_uncompressed_bytes: int = 200 * MB,
    max_ratio: int = 100,
) -> None:
    """Refuse an upload that is unsafe or too large to open; return None when it may be read.

    For every format: an empty file and a file over ``max_bytes``. For ``xlsx``: a zip that cannot be read
    or holds no ``xl/workbook.xml``; more than 10,000 members; encrypted members; XML members whose real
    decompressed total passes ``max_uncompressed_bytes`` or (once above 10 MB) ``max_ratio`` times the
    file size; any XML member containing ``<!DOCTYPE`` or ``<!ENTITY``. For ``xls``: an OLE2 container
    with an ``EncryptedPackage``/``EncryptionInfo`` stream (a password-protected ``.xlsx``). Raises
    :class:`RosterFileError`.
    """
    check_size(path_or_bytes, max_bytes=max_bytes)
    if fmt == "xlsx":
        scan_xlsx(path_or_bytes, max_uncompressed_bytes=max_uncompressed_bytes, max_ratio=max_ratio)
    elif fmt == "xls":
        if isinstance(path_or_bytes, bytes | bytearray):
            encrypted = _ole2_encrypted(bytes(path_or_bytes))
        else:
            with open(path_or_bytes, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                encrypted = _ole2_encrypted(data)
        if encrypted:
            raise RosterFileError(MSG_PASSWORD)


# ------------------------------------------------------------------------------------------ CSV


def detect_encoding(path: str | Path) -> str:
    """Return the Python codec of a CSV file: ``utf-8-sig`` (UTF-8 with BOM, as Excel's "CSV UTF-8"
    writes), ``utf-16`` (with BOM), ``utf-8`` when the whole file is valid UTF-8, else ``gb18030`` (a
    superset of GBK and GB2312, what Chinese Excel writes for plain "CSV"). The UTF-8 check streams the
    file in 1 MB chunks."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _sniff_delimiter(sample: str) -> str:
    """Comma, tab or semicolon, whichever csv.Sniffer finds in the first lines; comma when unsure."""
    lines = sample.splitlines()[:20]
    if len(lines) > 1 and len(sample) >= _CHUNK // 16:
        lines = lines[:-1]  # the last line of a truncated sample may be cut
    text = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(text, delimiters=",\t;").delimiter
    except csv.Error:
        counts = {delimiter: text.count(delimiter) for delimiter in ",\t;"}
        best = max(counts, key=lambda delimiter: counts[delimiter])
        return best if counts[best] else ","


def iter_csv_sheet(path: str | Path) -> RawSheet:
    """Open a CSV roster as a :class:`RawSheet` (encoding by :func:`detect_encoding`, delimiter sniffed,
    an Excel ``sep=;`` first line honoured). Rows are records, numbered from 1 as a spreadsheet shows
    them (a quoted value with line breaks stays one row). Rows are read lazily; a decoding or CSV error
    raises :class:`RosterFileError` when it is reached."""
    encoding = detect_encoding(path)
    lines: dict[int, int] = {}
    return RawSheet(name="", rows=_csv_rows(path, encoding, lines), cells_are_text=True, lines=lines)


def _csv_rows(path: str | Path, encoding: str, lines: dict[int, int]) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        with open(path, encoding=encoding, newline="") as f:
            sample = f.read(_CHUNK // 16)
            f.seek(0)
            first_line = sample.split("\n", 1)[0].strip()
            if re.fullmatch(r'"?sep=(.)"?', first_line):
                delimiter = first_line.replace('"', "")[4]
                f.readline()
                number = 1
            else:
                delimiter = _sniff_delimiter(sample)
            reader = csv.reader(f, delimiter=delimiter)
            for number, record in enumerate(reader, number + 1):  # noqa: B020 - the count goes on from here
                if reader.line_num != number:  # a quoted line break: say where the record's text starts
                    lines[number] = reader.line_num - sum(cell.count("\n") for cell in record)
                yield number, record
    except UnicodeDecodeError:
        raise RosterFileError(MSG_ENCODING) from None
    except csv.Error as error:
        raise RosterFileError(Message(MSG_CSV_ERROR, row=number + 1, line=reader.line_num,
                                      error=str(error))) from None


# ------------------------------------------------------------------------------------------ workbooks

_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)"
)
_SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_index(letters: str) -> int:
    """0-based index of a column name: ``A`` -> 0, ``AA`` -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letter(index: int) -> str:
    """Column name of a 0-based index: 0 -> ``A``, 26 -> ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _workbook_layout(path: str | Path) -> tuple[dict[str, str], bool]:
    """Sheet name -> zip member of its XML, and whether the workbook uses the 1904 date system. Safe to
    parse with ElementTree because :func:`scan_xlsx` has refused any DOCTYPE/ENTITY."""
    with zipfile.ZipFile(path) as archive:
        # S314: safe here, scan_xlsx has refused every member with a DOCTYPE or ENTITY declaration
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        try:
            relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        except KeyError:
            return {}, False
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relationships}
    members = {}
    date1904 = False
    for element in workbook.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            target = targets.get(element.get(f"{{{_RELATIONSHIPS_NS}}}id"), "")
            members[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return members, date1904


def xlsx_formulas(path: str | Path, member: str) -> dict[int, dict[int, str]]:
    """The formulas of one worksheet XML member: ``{row number: {column index: "=text"}}``.

    Streams the member and cuts it at row ends. A shared formula's followers store no text of their own;
    they get the text of the formula they share (as written in its first cell, references not shifted).
    """
    formulas: dict[int, dict[int, str]] = {}
    shared: dict[bytes, str] = {}
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        carry = b""
        while True:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            if chunk:
                ends = [match.end() for match in _ROW_END.finditer(data, max(0, len(carry) - 16))]
                if not ends:
                    carry = data
                    continue
                block, carry = data[: ends[-1]], data[ends[-1] :]
            else:
                block, carry = data, b""
            if any(marker in block for marker in _FORMULA_MARKERS):
                _collect_formulas(block, formulas, shared)
            if not chunk:
                return formulas


def _collect_formulas(block: bytes, formulas: dict[int, dict[int, str]], shared: dict[bytes, str]) -> None:
    for match in _FORMULA_CELL.finditer(block):
        cell_attributes, formula_attributes, text = match.groups()
        reference = _CELL_REF.search(cell_attributes)
        if reference is None:
            continue  # a cell without r="A1" cannot be placed; calamine's cached value stays
        shared_index = _SHARED_INDEX.search(formula_attributes)
        if text:
            formula = html.unescape(text.decode("utf-8", "replace"))
            if shared_index:
                shared[shared_index.group(1)] = formula
        else:
            formula = shared.get(shared_index.group(1), "") if shared_index else ""
        row = int(reference.group(2))
        formulas.setdefault(row, {})[column_index(reference.group(1).decode())] = "=" + formula


# An .xls cell holding a formula: the caller refuses it, since its text is unknown.
XLS_FORMULA = "=（公式）"  # not translated: a marker, never shown
_BIFF_FORMULA, _BIFF_BOUNDSHEET, _BIFF_BOF = 0x0006, 0x0085, 0x0809


def xls_formula_cells(path: str | Path) -> dict[str, dict[int, dict[int, str]]]:
    """The formula cells of an ``.xls`` (BIFF8) workbook: ``{sheet name: {row number: {column index:
    XLS_FORMULA}}}``, from the FORMULA records of its Workbook stream. Unreadable streams give ``{}``
    (calamine then reports the file itself)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(stream).read()
    except (OSError, ValueError, struct.error):
        return {}
    names_at: dict[int, str] = {}  # stream offset of a sheet's BOF record -> sheet name
    found: dict[str, dict[int, dict[int, str]]] = {}
    position, sheet = 0, None
    while position + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, position)
        body = position + 4
        if kind == _BIFF_BOUNDSHEET and size >= 8:  # offset, state, type, then a short Unicode string
            length, wide = data[body + 6], data[body + 7] & 1
            raw = data[body + 8 : body + 8 + length * (2 if wide else 1)]
            names_at[struct.unpack_from("<I", data, body)[0]] = raw.decode("utf-16-le" if wide else "latin-1")
        elif kind == _BIFF_BOF:
            sheet = names_at.get(position)
        elif kind == _BIFF_FORMULA and sheet is not None and size >= 4:
            row, column = struct.unpack_from("<HH", data, body)
            found.setdefault(sheet, {}).setdefault(row + 1, {})[column] = XLS_FORMULA
        position = body + size
    return found


def iter_workbook_sheets(
    path: str | Path, fmt: str, *, formula_members: set[str] | None = None
) -> Iterator[RawSheet]:
    """Yield the visible worksheets of an ``.xlsx``/``.xls`` workbook, in workbook order, as
    :class:`RawSheet` objects read with python-calamine. Only sheets whose XML member is in
    ``formula_members`` (from :func:`scan_xlsx`) get their formulas scanned. Call :func:`check_safety`
    first. Raises :class:`RosterFileError` for a workbook calamine cannot read or one with a password.
    """
    members, date1904 = _workbook_layout(path) if fmt == "xlsx" else ({}, False)
    xls_formulas = xls_formula_cells(path) if fmt == "xls" else {}
    try:
        if Path(path).suffix.lower() == f".{fmt}":
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # calamine picks the reader by the path's extension; from a file object it sniffs the content
            with open(path, "rb") as f:
                workbook = python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError:
        raise RosterFileError(MSG_PASSWORD) from None
    except (python_calamine.CalamineError, OSError, ValueError):
        raise RosterFileError(MSG_CORRUPT) from None
    with workbook:
        for index, metadata in enumerate(workbook.sheets_metadata):
            if metadata.visible != python_calamine.SheetVisibleEnum.Visible:
                continue
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
            except python_calamine.PasswordError:
                raise RosterFileError(MSG_PASSWORD) from None
            except python_calamine.CalamineError:
                raise RosterFileError(MSG_CORRUPT) from None
            member = members.get(metadata.name)
            has_formulas = formula_members is not None and member in formula_members

            def formulas(member: str | None = member, has_formulas: bool = has_formulas, name=metadata.name) -> dict:
                if fmt == "xls":
                    return xls_formulas.get(name, {})
                return xlsx_formulas(path, member) if has_formulas and member else {}

            merged = [
                (first[0] + 1, first[1], last[0] + 1, last[1]) for first, last in (sheet.merged_cell_ranges or [])
            ]
            yield RawSheet(
                name=metadata.name, rows=_sheet_rows(sheet), merged=merged, formulas=formulas, date1904=date1904
            )


def _sheet_rows(sheet: python_calamine.CalamineSheet) -> Iterator[tuple[int, list]]:
    """calamine's rows numbered from 1 and shifted so that index 0 is column A (its rows start at row 1
    but at the first used column)."""
    start = sheet.start
    offset = start[1] if start else 0
    padding = [""] * offset
    try:
        if offset:
            for number, row in enumerate(sheet.iter_rows(), 1):
                yield number, padding + row
        else:
            yield from enumerate(sheet.iter_rows(), 1)
    except python_calamine.CalamineError:
        raise RosterFileError(MSG_CORRUPT) from None


def cell_text(cell: object) -> str:
    """The text a user sees for a raw cell: whole floats without ``.0`` (``5.10402198001011e+17`` ->
    ``510402198001011000``), dates as ISO ``2019-03-01``, booleans as ``TRUE``/``FALSE``."""
    if type(cell) is str:
        return cell
    if type(cell) is float:
        if not cell.is_integer() or abs(cell) >= 1e21:
            return repr(cell)
        # beyond 2**53 int() shows binary noise (…1008); the shortest repr is what Excel stored (…1000)
        return str(int(cell)) if abs(cell) < 2**53 else format(Decimal(repr(cell)), "f")
    if type(cell) is bool:
        return "TRUE" if cell else "FALSE"
    if type(cell) is datetime.datetime:
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(" ")
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    return str(cell)
