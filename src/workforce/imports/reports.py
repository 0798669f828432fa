"""The downloadable copy of an upload with its bad cells highlighted and a column of messages."""

from __future__ import annotations

import os
import time
import uuid
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

from workforce.imports.models import RosterImport
from workforce.imports.parsing import read_roster
from workforce.imports.services import MAX_BYTES, MAX_ROWS
from workforce.imports.workbooks import build_error_report


def report_path(roster_import: RosterImport) -> Path:
    """Where the report of the import's latest check is kept (beside the uploads, outside the web root)."""
    checked = int(roster_import.checked_at.timestamp()) if roster_import.checked_at else 0
    return Path(settings.MEDIA_ROOT) / "imports" / "reports" / f"{roster_import.pk}-{checked}.xlsx"


BUILD_TIMEOUT = 3600  # seconds: a build marker older than this was left by a job that died


def _marker(roster_import: RosterImport) -> Path:
    return report_path(roster_import).with_suffix(".building")


def claim_report_build(roster_import: RosterImport) -> bool:
    """True if the caller should queue the report's build: it is not there and no job is building it
    (the claim is a file created exclusively, so two requests queue one build)."""
    if report_path(roster_import).exists():
        return False
    marker = _marker(roster_import)
    marker.parent.mkdir(parents=True, exist_ok=True)
    try:
        if time.time() - marker.stat().st_mtime > BUILD_TIMEOUT:
            marker.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def error_report_response(roster_import: RosterImport) -> FileResponse | None:
    """The report of the import's latest check, or None while it is not built yet: a request never
    builds it (a 200,000-row report takes a minute, issue 14); the caller queues the job
    (``claim_report_build``) and says it is being prepared."""
    path = report_path(roster_import)
    if not path.exists():
        return None
    stem = roster_import.original_name.rsplit(".", 1)[0]
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{stem}-问题报告.xlsx")


def write_error_report(roster_import: RosterImport) -> Path:
    """Re-read the upload (its recognised columns, in file order) and mark the stored problems on it.

    About 20 s for 100,000 rows, so the check job builds it when the check found problems.
    """
    header, rows = read_roster(roster_import.file.path, roster_import.original_name, max_rows=MAX_ROWS,
                               max_bytes=MAX_BYTES)
    keys = [key for _index, key in sorted(header.columns.items())]
    titles = [header.headers[key] for key in keys]
    column_of = {title: index for index, title in enumerate(titles)}
    problems: dict[tuple[int, int], list] = defaultdict(list)
    row_messages: dict[int, list] = defaultdict(list)
    for problem in roster_import.problems.all().iterator():
        entry = (problem.severity, problem.message)
        if problem.column in column_of:
            problems[(problem.row, column_of[problem.column])].append(entry)
        else:
            row_messages[problem.row].append(entry)
    path = report_path(roster_import)
    path.parent.mkdir(parents=True, exist_ok=True)
    _marker(roster_import).touch()  # a request meanwhile says "being prepared" and queues nothing
    partial = path.with_suffix(f".{uuid.uuid4().hex}.part")  # never shared by two builders
    with partial.open("wb") as handle:
        build_error_report(handle, headers=titles, rows=((row.number, [row.raw.get(key, "") for key in keys])
                                                         for row in rows),
                           problems=problems, row_messages=row_messages)
    partial.replace(path)  # a reader never sees half a workbook
    _marker(roster_import).unlink(missing_ok=True)
    return path
