"""Helpers shared by the parsing tests: files written with csv and xlsxwriter, and a reader."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from pathlib import Path

import xlsxwriter

from workforce.imports.parsing import (
    read_roster,
)
from workforce.imports.readers import OLE2_MAGIC

ID = "51040219800101123X"
ID2 = "510421199002023340"
HEADER = ["姓名", "公民身份号码", "户口性质", "入职日期"]
ROW = ["张三", ID, "农村户口", "2019-03-01"]
MB = 1024 * 1024


# ------------------------------------------------------------------------------------------ helpers


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, build=None) -> Path:
    """Rows are written as xlsxwriter infers (strings stay strings); ``build(workbook, sheet)`` adds more."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = workbook.add_worksheet("花名册")
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            elif value is not None:
                sheet.write(index, column, value)
    if build is not None:
        build(workbook, sheet)
    workbook.close()
    return path


def read(path: Path, filename: str | None = None, **limits) -> tuple:
    header, rows = read_roster(path, filename or path.name, **limits)
    return header, list(rows)


def messages(row) -> list[tuple[str, str, str]]:
    return [(problem.column, problem.message, problem.severity) for problem in row.problems]


def rewrite_zip(path: Path, replace: dict[str, bytes]) -> None:
    """Copy an xlsx with some members' contents replaced."""
    original = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info.filename, replace.get(info.filename, original.read(info.filename)))


def ole2_with_streams(*names: str, padding: int = 0) -> bytes:
    """A minimal OLE2 compound file: the header, optional filler sectors, and one directory sector whose
    128-byte entries carry the given UTF-16LE names and name lengths (as msoffcrypto and Excel write)."""
    header = OLE2_MAGIC + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3) + b"\xfe\xff\x09\x00"
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ("Root Entry", *names):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entries += encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded)) + b"\x00" * 62
    return header + b"\x00" * 512 * padding + entries.ljust(512, b"\x00")


