"""The downloadable copy of an upload with its bad cells highlighted and a column of messages."""

from __future__ import annotations

import tempfile
from collections import defaultdict

from django.http import FileResponse

from workforce.imports.models import RosterImport
from workforce.imports.parsing import read_roster
from workforce.imports.services import MAX_BYTES, MAX_ROWS
from workforce.imports.workbooks import build_error_report


def error_report_response(roster_import: RosterImport) -> FileResponse:
    """Re-read the upload (its recognised columns, in file order) and mark the stored problems on it.

    Large files take a while (about 20 s for 100,000 rows); building the report in the check job and
    keeping it is the next step (noted in the closing note of issue 4).
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
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    build_error_report(handle, headers=titles, rows=((row.number, [row.raw.get(key, "") for key in keys])
                                                     for row in rows),
                       problems=problems, row_messages=row_messages)
    handle.seek(0)
    stem = roster_import.original_name.rsplit(".", 1)[0]
    return FileResponse(handle, as_attachment=True, filename=f"{stem}-问题报告.xlsx")
