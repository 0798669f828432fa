"""The query planner's statistics are gathered after bulk loads and nightly (core.planner)."""

from __future__ import annotations

import datetime

from django.db import connection

from workforce.core.planner import refresh_planner_statistics
from workforce.core.tasks import refresh_planner_statistics_task


def analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchall():
                return set()
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= 0")  # -1: never analysed
        return {row[0] for row in cursor.fetchall()}


def test_statistics_are_gathered_for_the_registry(personas):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert "registry_employmentspell" not in analysed_tables() or connection.vendor != "sqlite"

    refresh_planner_statistics()

    assert {"registry_employmentspell", "registry_worker"} <= analysed_tables()


def test_the_statistics_are_refreshed_every_night_at_half_past_two():
    runs = [hour for hour in range(24)
            if refresh_planner_statistics_task.s().validate_datetime(datetime.datetime(2026, 3, 2, hour, 30))]

    assert runs == [2]
