"""Periodic jobs of the supervision module (huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from workforce.supervision.models import Plan
from workforce.supervision.services.alerts import refresh_alerts
from workforce.supervision.services.reports import open_reports


def run_daily(on) -> dict:
    """Open the reports of the current period and refresh the overdue alerts, as of ``on``."""
    opened = sum(open_reports(plan, on) for plan in Plan.objects.all())
    raised, resolved = refresh_alerts(on)
    return {"opened": opened, "raised": raised, "resolved": resolved}


@db_periodic_task(crontab(hour="1", minute="10"))
def supervision_daily() -> dict:
    """Every night: reports of a new period are opened, overdue items raise alerts (§III(三) 督促检查)."""
    return run_daily(timezone.localdate())
