"""Deadlines in calendar days and in statutory working days (weekends, holidays, make-up working days)."""

import datetime
import logging

import pytest

from workforce.supervision import workdays
from workforce.supervision.choices import DayUnit, Frequency
from workforce.supervision.periods import period_containing, periods_between
from workforce.supervision.workdays import add_working_days, due_date, is_overdue, is_working_day

D = datetime.date


def test_it_skips_the_national_day_holiday_when_counting_working_days():
    assert add_working_days(D(2019, 9, 30), 1) == D(2019, 10, 8)


def test_a_make_up_sunday_is_a_working_day():
    assert is_working_day(D(2019, 9, 29))  # Sunday, worked in exchange for the National Day week
    assert add_working_days(D(2019, 9, 27), 1) == D(2019, 9, 29)


def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day():
    assert due_date(D(2019, 9, 28), 3, DayUnit.CALENDAR) == D(2019, 10, 8)
    assert due_date(D(2019, 9, 2), 3, DayUnit.CALENDAR) == D(2019, 9, 5)


def test_ten_working_days_after_the_first_quarter_of_2020_skip_qingming():
    assert due_date(D(2020, 3, 31), 10, DayUnit.WORKING) == D(2020, 4, 15)


def test_a_year_without_a_published_holiday_notice_counts_weekends_only_and_says_so(caplog, monkeypatch):
    monkeypatch.setattr(workdays, "_years_warned", set())
    with caplog.at_level(logging.WARNING, logger="workforce.supervision.workdays"):
        assert add_working_days(D(2031, 1, 3), 3) == D(2031, 1, 8)
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", "chinese_calendar has no holiday notice for 2031: counting weekends only as rest days")]


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        due_date(D(2020, 1, 1), -1, DayUnit.WORKING)


def test_it_is_overdue_only_from_the_day_after_the_due_date():
    assert not is_overdue(D(2020, 4, 15), False, D(2020, 4, 15))
    assert is_overdue(D(2020, 4, 15), False, D(2020, 4, 16))
    assert not is_overdue(D(2020, 4, 15), True, D(2020, 4, 16))


def test_reporting_periods():
    quarter = period_containing(Frequency.QUARTERLY, D(2020, 5, 10))
    assert (quarter.start, quarter.end, quarter.label) == (D(2020, 4, 1), D(2020, 6, 30), "2020年第2季度")
    december = period_containing(Frequency.MONTHLY, D(2020, 12, 5))
    assert (december.start, december.end, december.label) == (D(2020, 12, 1), D(2020, 12, 31), "2020年12月")
    assert period_containing(Frequency.YEARLY, D(2020, 5, 1)).label == "2020年度"
    assert [p.label for p in periods_between(Frequency.QUARTERLY, D(2020, 2, 1), D(2020, 10, 1))] == [
        "2020年第1季度", "2020年第2季度", "2020年第3季度", "2020年第4季度"]
