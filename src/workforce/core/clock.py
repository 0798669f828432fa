"""Times as people read them: every time shown (pages, exports, reports, change-log values) is China time
(``settings.TIME_ZONE``, Asia/Shanghai), whatever zone the server or the database runs in."""

from __future__ import annotations

import datetime

from django.utils import timezone

MINUTE = "%Y-%m-%d %H:%M"


def local_text(moment: datetime.datetime | None, pattern: str = MINUTE) -> str:
    """``moment`` formatted in China time (``pattern`` as strftime takes it); "" for ``None``. A naive
    ``moment`` is taken to be China time already."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime(pattern)


def local_iso(moment: datetime.datetime) -> str:
    """``moment`` in ISO 8601 with its China-time offset (``2026-12-08T01:26:00+08:00``)."""
    return timezone.localtime(moment).isoformat() if timezone.is_aware(moment) else moment.isoformat()
