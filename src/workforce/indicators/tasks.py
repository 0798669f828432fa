"""Periodic jobs of the indicators (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from workforce.indicators import storage


@db_periodic_task(crontab(minute="*/5"))
def store_columns_after_changes() -> bool:
    """Every five minutes: when the registry changed, read it whole into columns and write them to the disk,
    so that the pages' processes replace the columns they brought up to date after the change (provisional:
    an update cannot see a change committed out of id order) and a new process reads a current file
    (decision 0006)."""
    return storage.store_current_columns()
