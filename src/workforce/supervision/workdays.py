"""Deadlines in calendar days or in statutory working days (docs/decisions/0007-supervision.md).

Working days follow the State Council's yearly holiday notice as published in ``chinese_calendar``:
weekends and public holidays are off, make-up working days (调休上班) are working days. Calendar-day
periods follow 《民法典》 Art. 201 and 203: the starting day is not counted, and a period whose last
day is a rest day ends on the next working day.

For a year the package has no notice for yet, weekends alone are taken as rest days (a later package
release corrects this; deadlines already stored keep their date).
"""

from __future__ import annotations

import datetime
import logging

import chinese_calendar

from workforce.supervision.choices import DayUnit

ONE_DAY = datetime.timedelta(days=1)
logger = logging.getLogger(__name__)
_years_warned: set[int] = set()  # one warning per uncovered year and process, not one per day counted


def is_working_day(day: datetime.date) -> bool:
    """True on a statutory working day: a weekday that is no public holiday, or a make-up working day."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Intended fallback (docs/decisions/0007-supervision.md), but a deadline computed this way may move
        # once the year's holiday notice is published: say so in the log.
        if day.year not in _years_warned:
            _years_warned.add(day.year)
            logger.warning("chinese_calendar has no holiday notice for %d: counting weekends only as rest days",
                           day.year)
        return day.weekday() < 5


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted); ``days`` ≥ 0."""
    day = start
    remaining = days
    while remaining > 0:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def due_date(start: datetime.date, days: int, unit: str) -> datetime.date:
    """The last day of a period of ``days`` days counted from ``start`` in ``unit``
    (:class:`DayUnit`): calendar days end on a working day (Art. 203), working days are counted one by one."""
    if days < 0:
        raise ValueError("days must not be negative")
    if unit == DayUnit.WORKING:
        return add_working_days(start, days)
    return next_working_day(start + datetime.timedelta(days=days))


def is_overdue(due: datetime.date | None, done: bool, today: datetime.date) -> bool:
    """Overdue from the day after the due date until done; the due date itself is still in time."""
    return due is not None and not done and today > due
