"""Rosters refused whole, each with a clear message: empty, mislabelled, protected, oversized, zip bombs, entities."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workforce.imports.parsing import (
    RosterFileError,
    check_safety,
    read_roster,
    sniff_format,
)
from workforce.imports.readers import MSG_XML_ENTITIES
from workforce.imports.tests.support import HEADER, MB, ROW, ole2_with_streams, read, rewrite_zip, write_csv, write_xlsx

# ------------------------------------------------------------------------------------------ refusals


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"")

    with pytest.raises(RosterFileError, match="文件是空的"):
        read(path)


@pytest.mark.parametrize("rows", [[HEADER], [HEADER, ["", "", "", ""], []]])
def test_header_only_file_is_refused(tmp_path, rows):
    path = write_csv(tmp_path / "r.csv", rows)

    with pytest.raises(RosterFileError) as refused:
        read(path)

    assert refused.value.message == "文件中没有数据行"


def test_text_file_renamed_xlsx_is_refused_saying_what_it_is(tmp_path):
    path = write_csv(tmp_path / "r.txt", [HEADER, ROW])

    with pytest.raises(RosterFileError) as refused:
        read(path, "花名册.xlsx")

    assert refused.value.message.startswith("文件扩展名为 .xlsx，但内容不是 Excel 工作簿，而是文本文件")


def test_html_table_named_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "r.xls"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")

    with pytest.raises(RosterFileError, match=re.escape("网页（HTML）格式的表格；请用 Excel 打开后另存为 .xlsx")):
        read(path)


def test_workbook_named_csv_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])

    with pytest.raises(RosterFileError) as refused:
        read(path, "花名册.csv")

    assert refused.value.message == "文件扩展名为 .csv，但内容是 Excel 工作簿（.xlsx）；请将扩展名改为 .xlsx 后重新上传"


@pytest.mark.parametrize(("content", "kind"), [(b"%PDF-1.4\n%\xe2\xe3", "PDF 文件"), (b"\x89PNG\r\n", "图片"),
                                               (b"\x00\x01\x02\xff\xfe", "无法识别的内容")])
def test_binary_content_named_csv_is_refused_saying_what_it_is(content, kind):
    with pytest.raises(RosterFileError) as refused:
        sniff_format(content, "花名册.csv")
    assert refused.value.message == f"文件扩展名为 .csv，但内容不是文本，而是{kind}"


def test_unsupported_extension_is_refused():
    with pytest.raises(RosterFileError, match=re.escape("不支持的文件类型“.pdf”")):
        sniff_format(b"%PDF-1.4", "花名册.pdf")


def test_word_document_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(RosterFileError, match="而是Word 文档"):
        read(path)


@pytest.mark.parametrize("padding", [0, 200])
def test_password_protected_workbook_is_refused(tmp_path, padding):
    data = ole2_with_streams("EncryptionInfo", "EncryptedPackage", padding=padding)
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)

    with pytest.raises(RosterFileError) as refused:
        read(path)
    assert refused.value.message == "工作簿设置了打开密码，系统无法读取；请在 Excel 中取消密码后重新上传"
    with pytest.raises(RosterFileError, match="打开密码"):
        check_safety(data, "xls", max_bytes=10 * MB)


def test_ole2_name_in_cell_text_is_not_taken_for_encryption():
    data = ole2_with_streams("Workbook") + "xEncryptedPackage".encode("utf-16-le")

    assert sniff_format(data, "r.xls") == "xls"


def test_encrypted_zip_member_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # general purpose flag bit 0: encrypted
    path.write_bytes(bytes(data))

    with pytest.raises(RosterFileError, match="打开密码"):
        read(path)


def test_file_over_the_byte_limit_is_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *[ROW] * 100])

    with pytest.raises(RosterFileError) as refused:
        read(path, max_bytes=1000)

    assert refused.value.message.startswith("文件大小为 ")
    assert "超过上限" in refused.value.message


def test_rows_over_the_limit_are_refused_when_the_limit_is_crossed(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *[ROW] * 11])
    _, rows = read_roster(path, "r.csv", max_rows=10)

    assert isinstance(rows, Iterator)
    taken = [next(rows) for _ in range(10)]
    with pytest.raises(RosterFileError) as refused:
        next(rows)

    assert len(taken) == 10
    assert refused.value.message == "数据行超过上限 10 行；请拆分为多个文件后分批上传"


def test_exactly_max_rows_is_accepted(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *[ROW] * 10])

    _, rows = read(path, max_rows=10)

    assert len(rows) == 10


def _zeros_xlsx(path: Path, size: int) -> None:
    write_xlsx(path, [HEADER, ROW])
    original = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, original.read(info.filename))
                continue
            with out.open(info.filename, "w") as stream:
                stream.write(b'<worksheet><sheetData><row r="1"><c r="A1"><v>')
                chunk = b"0" * MB
                for _ in range(size // MB):
                    stream.write(chunk)
                stream.write(b"</v></c></row></sheetData></worksheet>")


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _zeros_xlsx(path, 40 * MB)
    assert path.stat().st_size < 100_000

    with pytest.raises(RosterFileError, match="疑似恶意构造的压缩文件"):
        read(path)


def test_zip_bomb_with_false_declared_sizes_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _zeros_xlsx(path, 40 * MB)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        while position != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[position + name_offset : position + name_offset + len(name)] == name:
                data[position + size_offset : position + size_offset + 4] = struct.pack("<I", 1000)
            position = data.find(signature, position + 4)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 1000

    with pytest.raises(RosterFileError, match="疑似恶意构造的压缩文件"):
        read(path)


def test_an_honest_workbook_past_the_size_limit_is_refused_with_advice_to_save_as_csv(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])

    with pytest.raises(RosterFileError, match="另存为”CSV"):
        read(path, max_uncompressed_bytes=1000)  # the limit is configurable


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_xml_with_external_entities_is_refused(tmp_path, member):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    original = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read(member)
    declaration, rest = original.split(b"?>", 1)
    evil = declaration + b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + rest.replace(
        b"\xe5\xbc\xa0\xe4\xb8\x89", b"&e;")
    rewrite_zip(path, {member: evil})

    with pytest.raises(RosterFileError) as refused:
        read(path)

    assert refused.value.message == MSG_XML_ENTITIES


def test_xml_comments_are_not_mistaken_for_declarations(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    original = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("xl/workbook.xml")
    rewrite_zip(path, {"xl/workbook.xml": original.replace(b"?>", b"?><!-- saved by WPS -->", 1)})

    _, rows = read(path)

    assert rows[0].values["name"] == "张三"


def test_corrupt_zip_is_refused(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)

    with pytest.raises(RosterFileError, match="文件已损坏"):
        read(path)


