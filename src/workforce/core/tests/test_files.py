"""Files at rest (decision 0011): sealed with the field keys in authenticated chunks, private modes,
read back transparently, re-sealed after a key rotation."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from workforce.core import files
from workforce.core.files import (
    CHUNK,
    HEADER_BYTES,
    STRIDE,
    EncryptedFileSystemStorage,
    decrypted_copy,
    open_encrypted,
    reencrypt,
    write_encrypted,
)

OLD_KEY = "Z3d6Y1Jtb2R1bGVzLWZvci10ZXN0cy1vbmx5LTMyYic="
NEW_KEY = "bmV3LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcyE="
SHEET = "姓名,公民身份号码,手机号码\n张三,51040219800101123X,13912345678\n".encode()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7])
def test_a_sealed_file_reads_back_whole_and_from_any_position(tmp_path, size):
    data = os.urandom(size)
    path = tmp_path / "sealed.bin"
    write_encrypted(path, io.BytesIO(data))

    with open_encrypted(path) as sealed:
        assert sealed.read() == data
        sealed.seek(size // 2)
        assert sealed.read() == data[size // 2:]
        assert sealed.seek(0, io.SEEK_END) == size


def test_a_sealed_file_holds_no_plaintext_and_only_its_owner_may_read_it(tmp_path):
    path = tmp_path / "new" / "folder" / "roster.csv"
    write_encrypted(path, io.BytesIO(SHEET))

    raw = path.read_bytes()
    assert raw.startswith(b"WFENC\x01") and b"5104021980" not in raw and "张三".encode() not in raw
    assert (oct(path.stat().st_mode & 0o777), oct(path.parent.stat().st_mode & 0o777)) == ("0o600", "0o700")
    assert not list(path.parent.glob("*.part"))


@pytest.mark.parametrize("damage", ["flip a byte", "cut the last chunk", "swap two chunks", "graft another file"])
def test_an_altered_file_is_refused_not_read_wrongly(tmp_path, damage):
    data = os.urandom(2 * CHUNK + 10)
    path, other = tmp_path / "a.bin", tmp_path / "b.bin"
    write_encrypted(path, io.BytesIO(data))
    write_encrypted(other, io.BytesIO(data))
    raw = bytearray(path.read_bytes())
    first, second = raw[HEADER_BYTES:HEADER_BYTES + STRIDE], raw[HEADER_BYTES + STRIDE:HEADER_BYTES + 2 * STRIDE]
    if damage == "flip a byte":
        raw[HEADER_BYTES + 100] ^= 1
    elif damage == "cut the last chunk":
        raw = raw[:HEADER_BYTES + 2 * STRIDE]
    elif damage == "swap two chunks":
        raw[HEADER_BYTES:HEADER_BYTES + 2 * STRIDE] = second + first
    else:
        raw[HEADER_BYTES:HEADER_BYTES + STRIDE] = other.read_bytes()[HEADER_BYTES:HEADER_BYTES + STRIDE]
    path.write_bytes(bytes(raw))

    with pytest.raises(ValueError), open_encrypted(path) as sealed:
        sealed.read()


def test_a_large_upload_is_sealed_a_chunk_at_a_time(settings, tmp_path):
    storage = EncryptedFileSystemStorage(location=tmp_path)
    upload = SimpleUploadedFile("big.csv", os.urandom(30 * CHUNK))

    tracemalloc.start()
    name = storage.save("imports/big.csv", upload)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # About 8 MB whatever the size (measured: the same for 10 and 40 MB), never a copy of the file
    # (the upload itself was in memory before).
    assert peak < 10 * CHUNK
    with storage.open(name) as stored:
        assert stored.read() == upload.file.getvalue()


def test_the_storage_seals_what_it_saves_and_reads_it_back_as_uploaded(tmp_path):
    storage = EncryptedFileSystemStorage(location=tmp_path)
    name = storage.save("imports/2026/12/roster.csv", SimpleUploadedFile("roster.csv", SHEET))

    assert b"13912345678" not in (tmp_path / name).read_bytes()
    assert oct((tmp_path / name).stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "imports" / "2026").stat().st_mode & 0o777) == "0o700"
    with storage.open(name) as stored:
        assert stored.read() == SHEET
    with storage.open(name) as stored, decrypted_copy(stored) as path:
        assert path.read_bytes() == SHEET  # for the parsers that open a file by name
        assert not path.exists() or str(path).startswith("/proc/self/fd/")  # never a name in a directory


def test_files_are_sealed_again_under_the_new_key_after_a_rotation(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.MEDIA_ROOT = tmp_path
    sealed, plain = tmp_path / "imports" / "2026" / "old.csv", tmp_path / "supervision" / "legacy.pdf"
    write_encrypted(sealed, io.BytesIO(SHEET))
    plain.parent.mkdir(parents=True)
    plain.write_bytes(SHEET)  # kept before files were sealed

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("reencrypt_files", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key dropped
    for path in (sealed, plain):
        with open_encrypted(path) as read_back:
            assert read_back.read() == SHEET
    assert reencrypt(sealed) is False  # already under the current key: left as it is


def test_a_file_sealed_under_a_key_no_longer_configured_is_refused(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    path = tmp_path / "a.bin"
    write_encrypted(path, io.BytesIO(SHEET))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEYS"), open_encrypted(path) as sealed:
        sealed.read()
    assert files.is_encrypted(path)


def test_a_failed_write_leaves_the_file_as_it_was_and_no_partial_file(tmp_path):
    path = tmp_path / "reports" / "1-0.xlsx"
    write_encrypted(path, io.BytesIO(SHEET))

    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError("No space left on device")

    with pytest.raises(OSError):
        write_encrypted(path, Broken())

    with open_encrypted(path) as read_back:
        assert read_back.read() == SHEET
    assert [child.name for child in path.parent.iterdir()] == ["1-0.xlsx"]  # each writer's partial file removed
