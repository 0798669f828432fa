"""Sensitive personal information (PIPL, MISSION.md): encrypted at rest, findable only through keyed
hashes, keys rotatable, and exports that Excel or WPS cannot turn into formulas."""

from __future__ import annotations

import base64
import csv
import datetime
import io

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.db import connection

from workforce.conftest import hire
from workforce.core.choices import Channel
from workforce.core.encryption import (
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    encrypt_many,
    keys_fingerprint,
    lookup_hash,
    lookup_hasher,
)
from workforce.core.exports import neutralise
from workforce.registry import services
from workforce.registry.models import Worker

ZHANG_ID = "51040219800101123X"
ZHANG_PHONE = "13800001234"
OLD_KEY = "Z3d6Y1Jtb2R1bGVzLWZvci10ZXN0cy1vbmx5LTMyYic="
NEW_KEY = "bmV3LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcyE="


def rows_holding(*secrets: str) -> list[tuple[str, str, str]]:
    """Every (table, column, value) of the database whose value contains one of ``secrets``."""
    found: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    is_binary = isinstance(value, bytes | memoryview)
                    text = bytes(value).decode("utf-8", "replace") if is_binary else str(value)
                    found.extend((table, column, text) for secret in secrets if secret in text)
    return found


# ------------------------------------------------------------------------------------- encryption at rest


def test_id_number_and_phone_are_stored_encrypted(personas):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_masked, phone_masked FROM registry_worker WHERE id = %s",
                       [personas.steel_worker.pk])
        id_number, phone, id_masked, phone_masked = cursor.fetchone()

    assert ZHANG_ID not in id_number and ZHANG_PHONE not in phone
    assert (decrypt(id_number), decrypt(phone)) == (ZHANG_ID, ZHANG_PHONE)
    assert (id_masked, phone_masked) == ("510402********123X", "138****1234")


def test_no_table_holds_a_plaintext_id_number_or_phone(personas, sign_in):
    """After registering, editing, hiring, searching, exporting and unmasking, the plaintext appears in no
    column of any table, including the change-log JSON and the access log."""
    worker = personas.steel_worker
    services.update_worker(worker, {"phone": "13900005678", "education": "college"}, expected_version=1,
                           acting_user=personas.dongqu_officer, channel=Channel.PAGE)
    hire(personas.small_firm, "510402800101123", "张三", start=datetime.date(2024, 7, 1))  # the legacy number
    client = sign_in(personas.dongqu_officer)
    client.get(f"/registry/workers/?q={ZHANG_ID}")
    client.get(f"/registry/workers/export.csv?unmasked=1&q={ZHANG_ID}")
    client.get("/registry/workers/export.csv?q=13900005678")
    client.post(f"/registry/workers/{worker.pk}/unmask/")

    assert rows_holding(ZHANG_ID, "510402800101123", "13900005678", ZHANG_PHONE, "510421199002023340") == []


def test_the_scan_finds_a_plaintext_when_there_is_one(personas):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_worker SET name = %s WHERE id = %s",
                       [f"x{ZHANG_ID}x", personas.steel_worker.pk])

    assert rows_holding(ZHANG_ID) == [("registry_worker", "name", f"x{ZHANG_ID}x")]


# --------------------------------------------------------------------------------------------- the keys


def test_decrypt_reverses_encrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    token = encrypt(ZHANG_ID)

    assert token != ZHANG_ID
    assert encrypt(ZHANG_ID) != token  # a fresh IV each time: equal values do not look equal at rest
    assert decrypt(token) == ZHANG_ID
    assert decrypt(encrypt("张三 13800001234")) == "张三 13800001234"


def test_a_value_encrypted_under_the_old_key_decrypts_after_rotation(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = encrypt(ZHANG_ID)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    assert decrypt(old_token) == ZHANG_ID
    new_token = encrypt(ZHANG_ID)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert decrypt(new_token) == ZHANG_ID  # new values use the new key


def test_tokens_written_with_fernet_before_aes_gcm_still_decrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    legacy = Fernet(OLD_KEY.encode()).encrypt(ZHANG_ID.encode()).decode()

    assert decrypt(legacy) == ZHANG_ID
    assert not encrypt(ZHANG_ID).startswith("gAAAAA")  # new tokens are AES-GCM


def test_sealing_in_bulk_gives_each_value_its_own_token(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    tokens = encrypt_many([ZHANG_ID, ZHANG_ID, ZHANG_PHONE])

    assert [decrypt(token) for token in tokens] == [ZHANG_ID, ZHANG_ID, ZHANG_PHONE]
    assert len(set(tokens)) == 3  # a fresh nonce for each
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert decrypt(tokens[0]) == ZHANG_ID  # under the current key
    assert encrypt_many([]) == []


def test_blobs_are_sealed_with_aes_gcm_and_fernet_blobs_written_before_still_open(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    blob = encrypt_bytes(b"a spill frame")
    legacy = Fernet(OLD_KEY.encode()).encrypt(b"a spill frame")

    assert decrypt_bytes(blob) == decrypt_bytes(legacy) == b"a spill frame"
    assert blob[:1] == b"\x02" and b"spill" not in blob
    altered = bytearray(blob)
    altered[-1] ^= 1
    with pytest.raises(ValueError, match="cannot decrypt"):
        decrypt_bytes(bytes(altered))
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    with pytest.raises(ValueError, match="cannot decrypt"):
        decrypt_bytes(blob)


def test_the_keys_fingerprint_changes_with_either_key_and_does_not_reveal_them(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    first = keys_fingerprint()

    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY, NEW_KEY]
    rotated = keys_fingerprint()
    settings.LOOKUP_HASH_KEY = settings.LOOKUP_HASH_KEY + "-new"

    assert len({first, rotated, keys_fingerprint()}) == 3
    assert NEW_KEY not in first and OLD_KEY not in rotated


@pytest.mark.parametrize("key", ["a-lookup-hash-key-for-the-tests-only-32+", "k", "k" * 64, "a-very-long-key" * 10])
def test_the_prepared_lookup_hasher_gives_the_lookup_hash(settings, key):
    settings.LOOKUP_HASH_KEY = key

    assert lookup_hasher()(ZHANG_ID) == lookup_hash(ZHANG_ID)
    assert lookup_hasher()("张三") == lookup_hash("张三")

def test_an_altered_token_is_an_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    token = bytearray(base64.urlsafe_b64decode(encrypt(ZHANG_ID)))
    token[-1] ^= 1

    with pytest.raises(ValueError, match="cannot decrypt"):
        decrypt(base64.urlsafe_b64encode(bytes(token)).decode())


def test_a_stored_worker_reads_back_after_rotation(personas, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    worker = hire(personas.small_firm, "510411199207104563", "赵丽", phone="13700001111")

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    stored = Worker.objects.get(pk=worker.pk)
    assert (stored.id_number, stored.phone) == ("510411199207104563", "13700001111")


def test_a_value_under_a_dropped_key_is_an_error_not_empty(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = encrypt(ZHANG_ID)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEYS does not hold its key"):
        decrypt(token)


def test_lookup_hash_is_stable(settings):
    settings.LOOKUP_HASH_KEY = "a-lookup-hash-key-for-the-tests-only-32+"

    # HMAC-SHA256 under the key, pinned: a changed hash would orphan every stored lookup column.
    assert lookup_hash(ZHANG_ID) == "f71cb6cec831623066dd245ef25fca628c4370da1837f0938927cebd477db45d"
    assert lookup_hash(ZHANG_ID) == lookup_hash(ZHANG_ID)
    assert lookup_hash(ZHANG_ID) != lookup_hash("510421199002023340")
    settings.LOOKUP_HASH_KEY = "another-lookup-hash-key-for-tests-only-32"
    assert lookup_hash(ZHANG_ID) != "f71cb6cec831623066dd245ef25fca628c4370da1837f0938927cebd477db45d"


def test_workers_are_found_by_the_hash_of_their_id_number(personas):
    assert Worker.objects.get(id_number_hash=lookup_hash(ZHANG_ID)) == personas.steel_worker
    assert Worker.objects.get(phone_hash=lookup_hash(ZHANG_PHONE)) == personas.steel_worker


# ------------------------------------------------------------------------------------------------ exports


@pytest.mark.parametrize(("cell", "safe"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("张三", "张三"),
    ("1+1", "1+1"),
    ("", ""),
])
def test_neutralise_makes_formula_triggers_text(cell, safe):
    assert neutralise(cell) == safe


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""), (True, "是"), (False, "否"), (-1, -1), (3, 3), (2.5, 2.5),
    (datetime.date(2024, 5, 1), datetime.date(2024, 5, 1)),
])
def test_neutralise_keeps_numbers_and_dates_and_names_booleans(value, cell):
    assert neutralise(value) == cell


@pytest.fixture
def formula_worker(personas):
    return hire(personas.steel, "510402198503152016", '=HYPERLINK("x")')


def test_a_formula_name_is_exported_to_csv_as_text(formula_worker, personas, sign_in):
    response = sign_in(personas.city_admin).get("/registry/workers/export.csv")

    text = b"".join(response.streaming_content).decode("utf-8")
    names = [row[0] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))]
    assert '\'=HYPERLINK("x")' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_a_formula_name_is_exported_to_xlsx_as_text(formula_worker, personas, sign_in):
    response = sign_in(personas.city_admin).get("/registry/workers/export.xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    cell = cells['\'=HYPERLINK("x")']
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("x")', "s")
    assert sheet.cell(row=1, column=1).value == "姓名"
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))
