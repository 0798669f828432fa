"""Periodic jobs of the platform as a whole (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from workforce.core.planner import refresh_planner_statistics


@db_periodic_task(crontab(hour="2", minute="30"))  # type: ignore[untyped-decorator]  # huey ships no types
def refresh_planner_statistics_task() -> None:
    """Nightly: the query planner's statistics follow the day's imports and edits."""
    refresh_planner_statistics()
