"""The lease of a running check or commit job: how a job killed mid-way (``kill -9`` of the huey
worker, a lost machine) is told from one still working (decision 0011).

A job holds its lease while it runs: a small file beside the progress files whose time is
renewed every few seconds by a heartbeat thread, whatever the job is doing (a long statement in the
database included). A file, not a column: the commit is one transaction, and on SQLite nothing else
may write to the database while it is open. A job that dies stops beating; once its lease is older
than ``IMPORT_JOB_LEASE_SECONDS`` the import is taken for dead (``services.expire_dead_job``).
A dead commit's transaction died with it, so the registry holds nothing of it, and the commit may be
tried again; a dead check is refused, to be uploaded again. A job still waiting in the queue holds no
lease yet: it is waiting, not dead.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from django.conf import settings

from workforce.core.files import private_open


def lease_seconds() -> int:
    return settings.IMPORT_JOB_LEASE_SECONDS


def lease_path(roster_import) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{roster_import.pk}.lease"


def lease_age(roster_import, now: float | None = None) -> float | None:
    """Seconds since the commit job of ``roster_import`` last beat, or None if no job holds a lease."""
    try:
        renewed = lease_path(roster_import).stat().st_mtime
    except FileNotFoundError:
        return None
    return (time.time() if now is None else now) - renewed


def is_expired(roster_import, now: float | None = None) -> bool:
    age = lease_age(roster_import, now)
    return age is not None and age > lease_seconds()


def release(roster_import) -> None:
    lease_path(roster_import).unlink(missing_ok=True)


class JobLease:
    """Held by a check or commit job for as long as it runs: ``with JobLease(roster_import): …``. Beats every
    quarter of the lease (at most every 30 s) from a daemon thread, so it dies with the process."""

    def __init__(self, roster_import):
        self.path = lease_path(roster_import)
        self.interval = max(0.5, min(30.0, lease_seconds() / 4))
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"import-{roster_import.pk}-lease", daemon=True)

    def __enter__(self) -> JobLease:
        with private_open(self.path, "w") as handle:
            handle.write(str(os.getpid()))
        self.thread.start()
        return self

    def _beat(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                os.utime(self.path)
            except FileNotFoundError:  # taken for dead and cleared: nothing left to renew
                return

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join()
        self.path.unlink(missing_ok=True)
