"""The downloadable copy of an upload with its bad cells highlighted and a column of messages.

It is a full copy of the sheet (every ID number and phone), so it is sealed at rest like the upload
(``core.files``), kept no longer than the upload's retention period (``retention``), and each download
is written to the access log."""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent
from workforce.core.files import open_encrypted, private_directory, write_encrypted
from workforce.imports.models import RosterImport
from workforce.imports.parsing import RosterFileError
from workforce.imports.services import open_roster
from workforce.imports.workbooks import build_error_report


def reports_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "reports"


def report_path(roster_import: RosterImport, *, checked_only: bool = False) -> Path:
    """Where the report of the import's latest check is kept (beside the uploads, outside the web root);
    once a commit of the rows without errors found more rows with errors (``skipped_at_commit``), a report
    of its own, with their problems too (``checked_only``: the check's)."""
    checked = int(roster_import.checked_at.timestamp()) if roster_import.checked_at else 0
    found_at_commit = 0 if checked_only else (roster_import.counts or {}).get("committed", {}).get(
        "skipped_at_commit", 0)
    return reports_folder() / (f"{roster_import.pk}-{checked}-{found_at_commit}.xlsx" if found_at_commit
                               else f"{roster_import.pk}-{checked}.xlsx")


def forget_report(roster_import: RosterImport, *, checked_only: bool = False) -> None:
    """Delete the import's report (``checked_only``: the check's, which a commit has outdated)."""
    report_path(roster_import, checked_only=checked_only).unlink(missing_ok=True)


def _marker(roster_import: RosterImport) -> Path:
    return report_path(roster_import).with_suffix(".building")


def claim_report_build(roster_import: RosterImport) -> bool:
    """True if the caller should queue the report's build: it is not there and no job is building it
    (the claim is a file created exclusively, so two requests queue one build)."""
    if report_path(roster_import).exists():
        return False
    marker = _marker(roster_import)
    private_directory(marker.parent)
    try:
        # A marker older than the timeout was left by a job that died.
        if time.time() - marker.stat().st_mtime > settings.IMPORT_REPORT_BUILD_TIMEOUT_SECONDS:
            marker.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def error_report_response(roster_import: RosterImport, request) -> FileResponse | None:
    """The report of the import's latest check, its download logged; or None while it is not built yet:
    a request never builds it (a 200,000-row report takes a minute, issue 14), the caller queues the job
    (``claim_report_build``) and says it is being prepared. Raises ``RosterFileError`` once the upload
    has been deleted and no report is left."""
    path = report_path(roster_import)
    if not path.exists():
        if roster_import.file_purged_at is not None or not roster_import.file:
            raise RosterFileError(_("原文件已按保存期限删除，请重新上传。"))
        return None
    stem = roster_import.original_name.rsplit(".", 1)[0]
    response = FileResponse(open_encrypted(path), as_attachment=True, filename=f"{stem}-问题报告.xlsx")
    log_access(AccessEvent.EXPORT, request=request, target=f"import:{roster_import.pk}/report.xlsx")
    return response


def write_error_report(roster_import: RosterImport) -> Path:
    """Re-read the upload (its recognised columns, in file order) and mark the stored problems on it.

    About 20 s for 100,000 rows, so the check job builds it when the check found problems. It is built
    once and served to everyone, in the platform's language (Chinese) whoever's request queued it: it is
    the uploader's own Chinese sheet, with its Chinese header 问题说明, to be corrected and uploaded again
    (the page, the exports and the API show the same messages in the reader's language).
    """
    marker = _marker(roster_import)
    private_directory(marker.parent)
    marker.touch()  # a request meanwhile says "being prepared" and queues nothing
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return _write_marked_report(roster_import)
    finally:  # built or failed, the next request may queue a build again
        marker.unlink(missing_ok=True)


def _write_marked_report(roster_import: RosterImport) -> Path:
    header, rows = open_roster(roster_import)
    keys = [key for _index, key in sorted(header.columns.items())]
    titles = [header.headers[key] for key in keys]
    column_of = {title: index for index, title in enumerate(titles)}
    problems: dict[tuple[int, int], list] = defaultdict(list)
    row_messages: dict[int, list] = defaultdict(list)
    for problem in roster_import.problems.all().iterator():
        entry = (problem.severity, problem.text)
        if problem.column in column_of:
            problems[(problem.row, column_of[problem.column])].append(entry)
        else:
            row_messages[problem.row].append(entry)
    path = report_path(roster_import)
    with tempfile.TemporaryFile() as plain:  # unnamed: gone with the process
        build_error_report(plain, headers=titles, rows=((row.number, [row.raw.get(key, "") for key in keys])
                                                        for row in rows),
                           problems=problems, row_messages=row_messages)
        plain.seek(0)
        write_encrypted(path, plain)  # atomic, its partial file never shared by two builders
    return path
