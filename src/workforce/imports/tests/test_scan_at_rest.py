"""The probe of issue 13, as a test: after a realistic import (a roster with problems, its report and
problem export, then a clean roster committed, the registry and leavers exported, the original file
downloaded), scan ``MEDIA_ROOT``, the log output of the whole run (every logger, SQL included, and any
log file ``settings.LOGGING`` names) and every text and binary column of every table for valid ID
numbers (GB 11643 check digit) and mobile numbers: none may be found."""

from __future__ import annotations

import datetime
import io
import logging
import random
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from workforce.core.identifiers import id_check_digit, random_id_number
from workforce.imports.models import RosterImport
from workforce.imports.tests.test_services import roster

NUMBER = re.compile(rb"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")
TOKEN_CHARACTERS = re.compile(rb"[0-9A-Za-z+/=_-]")
LONG_TOKEN = 32  # a hex hash or base64 ciphertext; a number inside one is chance, not a leak


def _inside_token(data: bytes, start: int, end: int) -> bool:
    left, right = start, end
    while left > 0 and TOKEN_CHARACTERS.fullmatch(data[left - 1:left]):
        left -= 1
    while right < len(data) and TOKEN_CHARACTERS.fullmatch(data[right:right + 1]):
        right += 1
    token = data[left:right]
    return right - left >= LONG_TOKEN and re.search(rb"[A-Za-z]", token) is not None


def personal_numbers(data: bytes) -> list[str]:
    """Valid ID numbers and mobile numbers in ``data`` (read as bytes: UTF-8, GBK and ASCII digits are
    the same bytes), and in the members of a zip (an ``.xlsx``) it holds."""
    found = []
    for match in NUMBER.finditer(data):
        text = match.group().decode()
        if len(text) == 18 and id_check_digit(text[:17]) != text[17].upper():
            continue
        if not _inside_token(data, match.start(), match.end()):
            found.append(text)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                found += personal_numbers(archive.read(member))
    return found


def scan_media() -> dict[str, list[str]]:
    return {str(path): numbers for path in Path(settings.MEDIA_ROOT).rglob("*")
            if path.is_file() and (numbers := personal_numbers(path.read_bytes()))}


def scan_database() -> dict[str, list[str]]:
    """Every table, every column that holds text or bytes (and integers, which could hold a phone)."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, str | int | dict | list):
                        value = str(value).encode()
                    if isinstance(value, bytes) and (numbers := personal_numbers(value)):
                        found.setdefault(table, []).extend(numbers)
    return found


def scan_log_files() -> dict[str, list[str]]:
    names = [handler["filename"] for handler in settings.LOGGING.get("handlers", {}).values() if "filename" in handler]
    return {name: numbers for name in names
            if Path(name).exists() and (numbers := personal_numbers(Path(name).read_bytes()))}


def a_roster(rng: random.Random, count: int) -> list[list[str]]:
    rows = []
    for index in range(count):  # born by 2001: adults when hired in 2020 (issue 14 refuses hires under 16)
        number = random_id_number(rng, division_code="510402", birth_date=datetime.date(1980, 1, 1)
                                  + datetime.timedelta(days=rng.randrange(8000)), gender=rng.choice("MF"))
        # Names without digits (issue 14): 职工甲一, 职工甲二, ...
        name = "职工" + "甲乙丙丁戊己庚辛壬癸"[index // 10 % 10] + "一二三四五六七八九十"[index % 10]
        rows.append([name, number, f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}", "农村户口",
                     "6-17-02-02", "2020-01-01", "是", "固定期限", "2020-01-01", "2027-12-31", ""])
    return rows


def test_the_scanner_finds_plain_numbers_and_ignores_masks_hashes_and_wrong_check_digits():
    valid = "51040219800101123" + id_check_digit("51040219800101123")
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f"<t>{valid}</t><t>电话13912345678</t>")

    assert personal_numbers(f"张三,{valid},13912345678".encode()) == [valid, "13912345678"]
    assert personal_numbers(book.getvalue()) == [valid, "13912345678"]
    assert personal_numbers(f"510402********{valid[-4:]} 139****5678 5104021980010112{int(valid[16]) ^ 1}X".encode()
                            ) == []
    assert personal_numbers(b"9f3a13912345678b0c4e5d6f7a8b9c0d1e2f3a4b5c6d7e8f") == []  # inside a hash


@pytest.mark.django_db(transaction=True)
def test_no_id_or_mobile_number_is_left_in_files_logs_or_database_after_an_import(reference_data, personas, sign_in,
                                                                                  caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # every SQL statement and its parameters into the log
    rng = random.Random(13)
    rows = a_roster(rng, 40)
    client = sign_in(personas.steel_hr)
    try:
        # A roster with problems: a duplicate ID number, a phone with a digit too many, one too few.
        bad = [*rows[:5], rows[0], [*rows[5][:2], rows[5][2] + "9", *rows[5][3:]],
               [*rows[6][:2], rows[6][2][:-1], *rows[6][3:]]]
        client.post("/imports/upload/", {"file": roster(bad, name="有问题的花名册.csv"), "mode": "upsert"})
        checked = RosterImport.objects.get()
        assert checked.counts["errors"] == 4  # both rows of the repeated ID number (issue 14) and the two phones
        for url in (f"/imports/{checked.pk}/", f"/imports/{checked.pk}/report.xlsx",
                    f"/imports/{checked.pk}/problems.xlsx", f"/imports/{checked.pk}/problems.csv",
                    f"/api/imports/{checked.pk}/problems/"):
            response = client.get(url)
            assert response.status_code == 200, url
            b"".join(response.streaming_content) if response.streaming else response.content
        # The clean roster, as a full-roster sync that ends the steel worker, committed.
        client.post("/imports/upload/", {"file": roster(rows, name="花名册.xlsx.csv"), "mode": "sync"})
        clean = RosterImport.objects.latest("pk")
        client.post(f"/imports/{clean.pk}/commit/", {"confirm_sync": "on"})
        clean.refresh_from_db()
        assert (clean.status, clean.counts["committed"]["created"]) == ("committed", 40)
        admin = sign_in(personas.city_admin)
        for url in ("/registry/workers/export.csv?unmasked=1", "/registry/workers/export.xlsx?unmasked=1",
                    f"/imports/{clean.pk}/leavers.xlsx", f"/imports/{clean.pk}/file", "/registry/workers/",
                    "/api/registry/workers/?page_size=100"):
            response = admin.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if "unmasked" in url or url.endswith("/file"):
                assert rows[0][1] in personal_numbers(body)  # handed to the user, not kept
    finally:
        connection.force_debug_cursor = False

    assert "INSERT INTO" in caplog.text  # the SQL was logged, so the scan of the log means something
    assert (scan_media(), personal_numbers(caplog.text.encode()), scan_log_files(), scan_database()) == (
        {}, [], {}, {})
