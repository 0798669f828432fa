"""An import's files at rest (decision 0011): the upload and its problem report sealed with the field
keys and private, problem values masked as the registry masks them, downloads logged, and every file
deleted after its retention period, the record saying so."""

from __future__ import annotations

import datetime
import importlib
import io
import os

import openpyxl
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from workforce.core.choices import AccessEvent, ChangeAction, Channel
from workforce.core.files import is_encrypted
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.imports import reports, retention, services, spill
from workforce.imports.choices import ImportStatus
from workforce.imports.masking import masked_problem_value
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.tests.test_services import ROWS, check, id_number, roster
from workforce.registry.tests.api_support import client_as

DUPLICATE = id_number("51040219850315123")  # 王五's


def stored(roster_import: RosterImport):
    return roster_import.file.storage.path(roster_import.file.name)


def bad_roster(personas):
    """王五 twice (a duplicate ID number), and a phone with a digit too many."""
    wrong_phone = [*ROWS[1][:2], "139123456789", *ROWS[1][3:]]
    return check(roster([ROWS[0], ROWS[0], wrong_phone]), personas.steel_hr)


def test_an_upload_is_kept_sealed_and_private(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)

    path = stored(roster_import)
    with open(path, "rb") as raw:
        content = raw.read()
    assert is_encrypted(path) and DUPLICATE.encode() not in content and b"13912345678" not in content
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700"
    with roster_import.file.open("rb") as read_back:
        assert read_back.read().decode("utf-8-sig").splitlines()[1].startswith("王五,")


def test_problem_values_are_stored_masked_yet_name_the_cell(personas):
    roster_import = bad_roster(personas)

    problems = list(ImportProblem.objects.filter(roster_import=roster_import, severity="error")
                    .values_list("row", "column", "value", "message"))
    assert problems == [  # both rows of a repeated ID number flagged, the number not repeated (issue 14)
        (2, "公民身份号码", "", "第 3 行的身份证号码与本行重复，请核实保留哪一行。"),
        (3, "公民身份号码", "", "与第 2 行的身份证号码重复，请核实保留哪一行。"),
        (4, "手机号码", "139*****6789", problems[2][3]),
    ]
    assert not ImportProblem.objects.filter(value__contains=DUPLICATE).exists()


def test_problem_messages_that_quote_the_file_mask_its_numbers_too(personas):
    shifted = [*ROWS[1], "13800001111"]  # a field too many: the message quotes it (issue 14)
    footer = ["制表人：张会计 13912345678"]  # a signature footer: its notice quotes it
    roster_import = check(roster([ROWS[0], shifted, footer]), personas.steel_hr)

    messages = list(ImportProblem.objects.filter(roster_import=roster_import).values_list("message", flat=True))
    assert any("138****1111" in message for message in messages)
    assert any("139****5678" in message for message in messages)
    assert not [message for message in messages if "13800001111" in message or "13912345678" in message]


def test_a_problem_value_is_masked_in_the_id_and_phone_columns_and_wherever_a_number_looks_like_one():
    assert masked_problem_value("id_number", " 51040219850315123X") == "510402********123X"
    assert masked_problem_value("phone", "+86 139-1234-5678") == "139****5678"
    assert masked_problem_value("id_number", "510402") == "510402"  # a division code identifies no one
    assert masked_problem_value("phone", '=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert masked_problem_value("name", "张三51040219850315123X") == "张三510402********123X"
    assert masked_problem_value("remarks", "电话13912345678，工号12345") == "电话139****5678，工号12345"
    assert masked_problem_value(None, "2021-13-01") == "2021-13-01"


def test_the_problem_report_is_sealed_and_its_download_logged_and_never_cached(personas, sign_in):
    roster_import = bad_roster(personas)

    client = sign_in(personas.steel_hr)
    pending = client.get(f"/imports/{roster_import.pk}/report.xlsx")  # built by the job (at once in tests)
    response = client.get(f"/imports/{roster_import.pk}/report.xlsx")

    assert (pending.status_code, response.status_code) == (302, 200)

    path = reports.report_path(roster_import)
    assert is_encrypted(path) and oct(path.stat().st_mode & 0o777) == "0o600"
    with open(path, "rb") as raw:
        assert b"PK" not in raw.read(64)

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["B3"].value == DUPLICATE  # the uploader's own sheet, marked, in full
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")
    assert list(AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).values_list("user", "target")) == [
        (personas.steel_hr.pk, f"import:{roster_import.pk}/report.xlsx")]


def test_the_original_file_downloads_as_uploaded_logged(personas, sign_in):
    roster_import = check(roster(ROWS), personas.steel_hr)

    response = sign_in(personas.steel_hr).get(f"/imports/{roster_import.pk}/file")

    assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1].startswith("王五,")
    assert int(response["Content-Length"]) == roster_import.size
    assert list(AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).values_list("target", flat=True)) == [
        f"import:{roster_import.pk}/original"]


# ---------------------------------------------------------------------------------------------- retention


def test_files_are_deleted_after_their_retention_period_and_the_record_says_so(personas, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    abandoned = bad_roster(personas)
    reports.write_error_report(abandoned)
    committed = check(roster(ROWS), personas.steel_hr)
    services.commit_roster_import(committed, acting_user=personas.steel_hr)
    files = (stored(abandoned), reports.report_path(abandoned), stored(committed))
    now = timezone.now()
    with time_machine.travel(now + datetime.timedelta(days=29), tick=False):
        assert retention.purge_expired_files() == {"uploads": 0, "reports": 0}  # 30 days not yet over
    with time_machine.travel(now + datetime.timedelta(days=31), tick=False):
        out = io.StringIO()
        call_command("purge_import_files", stdout=out)

    assert out.getvalue() == "Deleted 1 uploads and 1 problem reports.\n"
    abandoned.refresh_from_db()
    assert abandoned.file.name == "" and abandoned.file_purged_at.date() == (now + datetime.timedelta(days=31)).date()
    assert [os.path.exists(path) for path in files] == [False, False, True]  # committed: kept (0008)
    assert abandoned.problems.count() == 3  # masked, kept with the record


def test_a_report_build_marker_is_deleted_with_the_files_and_never_sealed(personas, settings):
    roster_import = bad_roster(personas)
    assert reports.claim_report_build(roster_import)  # a request queued the build; no job has run it yet
    marker = reports.report_path(roster_import).with_suffix(".building")

    call_command("reencrypt_files", stdout=io.StringIO())

    assert marker.read_bytes() == b""  # an empty marker, not a sealed file
    retention.purge_import_files(roster_import)
    assert not marker.exists()


def test_a_committed_file_is_deleted_only_when_its_own_retention_period_is_set(personas, settings):
    committed = check(roster(ROWS), personas.steel_hr)
    services.commit_roster_import(committed, acting_user=personas.steel_hr)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366), tick=False):
        assert retention.purge_expired_files() == {"uploads": 0, "reports": 0}
        settings.IMPORT_COMMITTED_FILE_RETENTION_DAYS = 365
        assert retention.purge_expired_files() == {"uploads": 1, "reports": 0}
    committed.refresh_from_db()
    assert committed.file_purged_at is not None and committed.status == ImportStatus.COMMITTED


def test_a_preview_whose_file_was_deleted_says_so_and_cannot_be_committed(personas, sign_in):
    roster_import = check(roster(ROWS), personas.steel_hr)
    retention.purge_import_files(roster_import, timezone.now())
    client = sign_in(personas.steel_hr)

    page = client.get(f"/imports/{roster_import.pk}/").content.decode()
    response = client.post(f"/imports/{roster_import.pk}/commit/", follow=True)
    download = client.get(f"/imports/{roster_import.pk}/file", follow=True)

    assert "原文件及问题报告已按保存期限于" in page and "确认导入" not in page and "下载原文件" not in page
    assert "原文件已按保存期限删除，不能导入；请重新上传。" in response.content.decode()
    assert "原文件已按保存期限删除。" in download.content.decode()
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.PREVIEW
    assert not spill.spill_path(roster_import).exists()


# ---------------------------------------------------------------------------------------------- migration


def test_the_migration_seals_files_kept_before_and_masks_their_problems(personas, settings):
    roster_import = check(roster(ROWS), personas.steel_hr)
    plain = roster_import.file.open("rb").read()
    with open(stored(roster_import), "wb") as legacy:  # as kept before decision 0011
        legacy.write(plain)
    report = reports.report_path(roster_import)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"PK\x03\x04 a plaintext workbook")
    ImportProblem.objects.create(roster_import=roster_import, row=3, column="身份证号", value=DUPLICATE,
                                 message="与第 2 行的身份证号码重复。")
    migration = importlib.import_module("workforce.imports.migrations.0002_files_sealed_retention_and_commit_lease")

    migration.seal_files_and_mask_problems(apps, None)

    assert is_encrypted(stored(roster_import)) and is_encrypted(report)
    with roster_import.file.open("rb") as read_back:
        assert read_back.read() == plain
    assert list(roster_import.problems.exclude(column="政治面貌").values_list("value", flat=True)) == [
        "510402********" + DUPLICATE[-4:]]


def test_the_api_shows_when_the_file_was_deleted_and_answers_409_for_its_report(personas):
    roster_import = bad_roster(personas)
    retention.purge_import_files(roster_import, timezone.now())
    client = client_as(personas, "steel_hr")

    detail = client.get(f"/api/imports/{roster_import.pk}/").json()
    report = client.get(f"/api/imports/{roster_import.pk}/report/")

    assert detail["file_purged_at"] is not None and detail["can_commit"] is False
    assert (report.status_code, report.json()) == (409, {"detail": "原文件已按保存期限删除，请重新上传。",
                                                         "code": "file_purged"})


def test_purging_an_import_file_leaves_a_change_log_row(personas):
    roster_import = bad_roster(personas)

    retention.purge_import_files(roster_import)

    entry = ChangeLogEntry.objects.get(content_type=ContentType.objects.get_for_model(RosterImport),
                                       object_id=str(roster_import.pk))
    assert (entry.action, entry.channel, entry.note) == (ChangeAction.UPDATE, Channel.SYSTEM, "删除保存期满的导入文件")
    assert list(entry.after) == ["file_purged_at"]
