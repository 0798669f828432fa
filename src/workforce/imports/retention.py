"""How long the files of roster imports are kept (decision 0011).

An upload holds every ID and phone number of a roster. It is kept, sealed, for
``IMPORT_FILE_RETENTION_DAYS`` after it was uploaded, unless it was committed: a committed file is the
first snapshot of every worker it created (decision 0008, the change log names its rows), so it is kept
for ``IMPORT_COMMITTED_FILE_RETENTION_DAYS`` after the commit (0: as long as the registry). Marked
problem reports, which can be built again from a kept upload, are kept ``IMPORT_FILE_RETENTION_DAYS``
after they were built. The import's record stays, saying when its file was deleted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change
from workforce.core.choices import ChangeAction, Channel
from workforce.core.clock import local_iso
from workforce.imports import leases, reports
from workforce.imports.choices import RUNNING, ImportStatus
from workforce.imports.models import RosterImport
from workforce.imports.services import progress_path
from workforce.imports.spill import remove_spill


def expired_imports(now: datetime.datetime):
    """The imports whose file has outlived its retention period (running ones are left alone)."""
    days = datetime.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    expired = ~Q(status=ImportStatus.COMMITTED) & Q(created_at__lt=now - days)
    if settings.IMPORT_COMMITTED_FILE_RETENTION_DAYS:
        committed_days = datetime.timedelta(days=settings.IMPORT_COMMITTED_FILE_RETENTION_DAYS)
        expired |= Q(status=ImportStatus.COMMITTED, committed_at__lt=now - committed_days)
    return RosterImport.objects.filter(expired, file_purged_at__isnull=True).exclude(status__in=RUNNING)


def purge_import_files(roster_import: RosterImport, now: datetime.datetime | None = None) -> int:
    """Delete an import's upload and everything made from it (reports, plan, progress); the record says
    when. Its problems stay: they hold masked values only. Returns how many reports were deleted."""
    if roster_import.file:
        roster_import.file.delete(save=False)
    its_reports = list(reports.reports_folder().glob(f"{roster_import.pk}-*.xlsx"))
    for path in [*its_reports, *reports.reports_folder().glob(f"{roster_import.pk}-*.building")]:
        path.unlink(missing_ok=True)  # and the build markers (issue 14): nothing is left to build from
    remove_spill(roster_import)
    progress_path(roster_import).unlink(missing_ok=True)
    leases.release(roster_import)
    roster_import.file_purged_at = now or timezone.now()
    with transaction.atomic():
        roster_import.save(update_fields=["file", "file_purged_at"])
        record_change(roster_import, ChangeAction.UPDATE, acting_user=None, channel=Channel.SYSTEM,
                      after={"file_purged_at": local_iso(roster_import.file_purged_at)},
                      note=_("删除保存期满的导入文件"))
    return len(its_reports)


def purge_expired_files(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the files whose retention period has passed; returns how many uploads and reports."""
    now = now or timezone.now()
    uploads = purged_reports = 0
    for roster_import in expired_imports(now).iterator():
        purged_reports += purge_import_files(roster_import, now)
        uploads += 1
    cutoff = now.timestamp() - settings.IMPORT_FILE_RETENTION_DAYS * 86400
    old_reports = [path for path in reports.reports_folder().glob("*.xlsx") if path.stat().st_mtime < cutoff]
    for path in old_reports:
        path.unlink(missing_ok=True)
    return {"uploads": uploads, "reports": purged_reports + len(old_reports)}
