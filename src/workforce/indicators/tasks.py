"""Periodic jobs of the indicators (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from workforce.indicators import engine


@db_periodic_task(crontab(minute="*/5"))
def store_columns_after_changes() -> bool:
    """Every five minutes: when the registry changed, read it into columns and write them to the disk in the
    background, so that the pages' processes read the file (under a second at 1,000,000 workers) instead of
    each paying the load from the database (decision 0006)."""
    return engine.store_current_columns()
