"""The downloadable copy of an upload with its bad cells highlighted and a column of messages."""

from __future__ import annotations

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


def error_report_response(roster_import: RosterImport) -> FileResponse:
    """The report of the import's latest check: kept by the check job, or built now and kept."""
    path = report_path(roster_import)
    if not path.exists():
        write_error_report(roster_import)
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
    partial = path.with_suffix(".part")
    with partial.open("wb") as handle:
        build_error_report(handle, headers=titles, rows=((row.number, [row.raw.get(key, "") for key in keys])
                                                         for row in rows),
                           problems=problems, row_messages=row_messages)
    partial.replace(path)  # a reader never sees half a workbook
    return path
