"""Periodic jobs of the registry (huey)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from workforce.registry.models import Certificate, EmploymentSpell
from workforce.registry.services.facts import refresh_current_facts_of, refresh_headcounts_of, today


def refresh_facts_changed_by_calendar(day: datetime.date) -> int:
    """Refresh the summary columns of workers whose facts changed by the calendar alone on ``day``:
    a spell that ended the day before or starts on the day, a certificate that expired the day before. Union
    rolls are not touched: re-sealing a roll on the day a period starts or ends would tell a dump-differ who is
    a member (decision 0009), and no summary column holds membership. Returns the number of workers refreshed."""
    yesterday = day - datetime.timedelta(days=1)
    worker_ids = set(
        EmploymentSpell.objects.filter(Q(end_date=yesterday) | Q(start_date=day)).values_list("worker_id", flat=True)
    )
    worker_ids |= set(
        Certificate.objects.filter(Q(valid_until=yesterday) | Q(issued_on=day)).values_list("worker_id", flat=True)
    )
    refresh_current_facts_of(worker_ids, day)
    refresh_headcounts_of(EmploymentSpell.objects.filter(Q(end_date=yesterday) | Q(start_date=day)).values_list(
        "employer_id", flat=True), day)
    return len(worker_ids)


@db_periodic_task(crontab(hour="0", minute="30"))
def refresh_facts_daily() -> int:
    """Every night: keep the "current" columns true as spells end and certificates expire."""
    return refresh_facts_changed_by_calendar(today())
