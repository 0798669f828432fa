"""The query planner's statistics. PostgreSQL's autovacuum gathers them by itself; SQLite has none until
ANALYZE runs, and without them it may pick the wrong index: an enterprise's staff list read the employer's
tens of thousands of spells instead of the page's fifty workers' own (bench/load)."""

from __future__ import annotations

from django.db import connections

# Rows SQLite samples per index: statistics good enough for choosing indexes in a fraction of a second at
# a million workers, where a full ANALYZE reads every table.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_planner_statistics(using: str = "default") -> None:
    """Gather fresh planner statistics on the database ``using`` (after bulk loads; nightly)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
