"""Spreadsheet exports that are safe to open in Excel and stream without holding the rows in memory,
and the rule that no download is kept by a browser or proxy cache."""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import xlsxwriter
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from workforce.core.clock import local_text

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a cell inert: text starting with a formula trigger gets a leading apostrophe (OWASP CSV
    injection advice), so Excel and WPS show it as text and never evaluate it. A moment the platform recorded
    (an aware datetime) becomes its China-time text; a cell's own naive datetime stays as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return local_text(value)  # a moment recorded by the platform: China time, as every page shows it
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def is_download(response: HttpResponseBase) -> bool:
    """A file handed to the user to save (exports, original rosters, reports, attachments)."""
    return response.get("Content-Disposition", "").startswith("attachment")


def forbid_caching(response: HttpResponseBase) -> HttpResponseBase:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0 proxies): no browser or proxy
    keeps a copy of a download holding personal data (issue 13 point 6). Applied to every download by
    ``core.middleware.SecurityHeadersMiddleware``, so a new door cannot forget it."""
    patch_cache_control(response, no_store=True, private=True)
    response["Pragma"] = "no-cache"
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """Stream a UTF-8 (with BOM, so Excel reads Chinese correctly) CSV of neutralised cells."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_text(neutralise(cell)) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _csv_text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    """Write an .xlsx in constant memory to a temporary file and stream it; every cell is written as
    a value (strings never become formulas)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header, bold)
    for index, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            value = neutralise(cell)
            if isinstance(value, datetime.date):
                sheet.write_datetime(index, column, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, str):
                sheet.write_string(index, column, value)
            else:
                sheet.write(index, column, value)
    workbook.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# Rows fetched from the database at a time while an export streams (its memory stays flat).
EXPORT_BATCH = 2000


def export_stamp() -> str:
    """The China-time minute an export was made, as its file name ends: ``20261207-2126``."""
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def export_response(fmt: str, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
                    ) -> StreamingHttpResponse | FileResponse | None:
    """A CSV or XLSX response named ``<filename_stem>-<export_stamp()>.<fmt>``, or ``None`` for an
    unknown format."""
    makers: dict[str, Callable[..., StreamingHttpResponse | FileResponse]] = {
        "csv": csv_response, "xlsx": xlsx_response}
    maker = makers.get(fmt)
    return maker(f"{filename_stem}-{export_stamp()}.{fmt}", header, rows) if maker else None
