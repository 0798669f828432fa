"""Background jobs of roster imports (huey): large files are checked and committed off the request."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from workforce.accounts.models import User
from workforce.imports import reports, retention, services, spill
from workforce.imports.choices import ImportStatus
from workforce.imports.models import RosterImport


@db_task()
def check_roster_import_task(roster_import_id: int) -> None:
    roster_import = services.check_roster_import(RosterImport.objects.get(pk=roster_import_id))
    if roster_import.status == ImportStatus.PREVIEW and roster_import.has_problems:
        reports.write_error_report(roster_import)  # ready when the uploader asks for it


@db_task()
def commit_roster_import_task(roster_import_id: int, acting_user_id: int, confirm_sync: bool,
                              attempt: int | None = None) -> None:
    """Run the commit claimed as ``attempt``; a claim taken for dead while the job waited in the queue
    (and perhaps claimed again since) is not this job's to run."""
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    if attempt is not None and (roster_import.status != ImportStatus.COMMITTING
                                or roster_import.commit_attempt != attempt):
        return
    services.commit_roster_import(roster_import, acting_user=User.objects.get(pk=acting_user_id),
                                  confirm_sync=confirm_sync)


@db_periodic_task(crontab(minute="40", hour="3"))
def remove_stale_spills_task() -> None:
    spill.remove_stale_spills()


@db_periodic_task(crontab(minute="*/5"))
def expire_dead_jobs_task() -> None:
    services.expire_dead_jobs()


@db_periodic_task(crontab(minute="50", hour="3"))
def purge_expired_files_task() -> None:
    retention.purge_expired_files()


@db_task()
def write_error_report_task(roster_import_id: int) -> None:
    """Build an import's problem report that a request found missing (``reports.claim_report_build``)."""
    reports.write_error_report(RosterImport.objects.get(pk=roster_import_id))
