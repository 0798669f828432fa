"""Logging filters of the platform (settings.LOGGING)."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Drop the traceback from a record about a 4xx response: Django logs each 403 ("Forbidden (Permission
    denied)") with the PermissionDenied's traceback, which is no error of the server's; the line says
    enough. 5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
