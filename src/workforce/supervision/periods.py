"""Reporting periods: months, quarters or years, and the reports' due dates."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workforce.supervision.choices import Frequency


@dataclass(frozen=True)
class Period:
    """One reporting period, both ends inclusive."""

    frequency: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """A Chinese label: 2020年第1季度, 2020年3月, 2020年度."""
        if self.frequency == Frequency.MONTHLY:
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        if self.frequency == Frequency.QUARTERLY:
            return _("%(year)d年第%(quarter)d季度") % {"year": self.start.year,
                                                      "quarter": (self.start.month - 1) // 3 + 1}
        return _("%(year)d年度") % {"year": self.start.year}


def _months(frequency: str) -> int:
    months: dict[str, int] = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}
    return months[frequency]


def period_containing(frequency: str, day: datetime.date) -> Period:
    """The period of ``frequency`` that contains ``day``."""
    months = _months(frequency)
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (datetime.date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - datetime.timedelta(days=1))
    return Period(frequency, start, end)


def periods_between(frequency: str, first: datetime.date, last: datetime.date) -> Iterator[Period]:
    """Every period of ``frequency`` from the one containing ``first`` to the one containing ``last``."""
    period = period_containing(frequency, first)
    while period.start <= last:
        yield period
        period = period_containing(frequency, period.end + datetime.timedelta(days=1))
