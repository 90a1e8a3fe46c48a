"""When a next step's reminder is due: the owner's day and working hours, weekends, overdue steps."""

from datetime import UTC, date, datetime, time

import pytest

from domain.errors import UserError
from domain.nudges import DEFAULT_HOURS, WorkingHours
from domain.reminders import ReminderRef, overdue_since, reminder_due, reminder_key, snooze_to
from domain.zones import zone

AMS, NYC, TOKYO = zone("Europe/Amsterdam"), zone("America/New_York"), zone("Asia/Tokyo")
TUE = date(2026, 11, 24)  # a Tuesday
SAT = date(2026, 11, 28)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "now", "tz", "hours", "expected"),
    [
        (TUE, utc(24, 10), AMS, DEFAULT_HOURS, True),  # 11:00 on the day
        (TUE, utc(24, 7, 59), AMS, DEFAULT_HOURS, False),  # 08:59: before work
        (TUE, utc(24, 8), AMS, DEFAULT_HOURS, True),  # 09:00 sharp
        (TUE, utc(24, 16), AMS, DEFAULT_HOURS, False),  # 17:00: work is over
        (TUE, utc(23, 10), AMS, DEFAULT_HOURS, False),  # the day before
        (TUE, utc(24, 10), NYC, DEFAULT_HOURS, False),  # 05:00 in New York
        (TUE, utc(24, 14), NYC, DEFAULT_HOURS, True),  # 09:00 in New York
        (TUE, utc(23, 23), TOKYO, DEFAULT_HOURS, False),  # Tuesday 08:00 in Tokyo: before work
        (TUE, utc(24, 0), TOKYO, DEFAULT_HOURS, True),  # Tuesday 09:00 in Tokyo, Monday in UTC
        (TUE, utc(25, 10), AMS, DEFAULT_HOURS, True),  # overdue: the next working moment will do
        (SAT, utc(28, 10), AMS, DEFAULT_HOURS, False),  # a Saturday is no working day
        (SAT, utc(29, 10), AMS, DEFAULT_HOURS, False),  # nor Sunday
        (SAT, utc(30, 8), AMS, DEFAULT_HOURS, True),  # Monday 09:00: overdue since Saturday
        (SAT, utc(28, 10), AMS, WorkingHours(frozenset({6}), time(10), time(14)), True),  # a Saturday team
        (TUE, utc(24, 8, 30), AMS, WorkingHours(frozenset({2}), time(10), time(14)), False),  # 09:30 < 10
    ],
)
def test_a_reminder_is_due_on_the_day_in_the_owners_working_hours(due, now, tz, hours, expected):
    assert reminder_due(due, now, tz, hours) is expected


@pytest.mark.parametrize(
    ("due", "now", "tz", "expected"),
    [
        (TUE, utc(24, 10), AMS, None),  # due today
        (TUE, utc(25, 10), AMS, TUE),
        (TUE, utc(24, 23, 30), AMS, TUE),  # already Wednesday in Amsterdam
        (TUE, utc(25, 3), NYC, None),  # still Tuesday in New York
        (SAT, utc(30, 8), AMS, SAT),
    ],
)
def test_overdue_since_is_by_the_owners_date(due, now, tz, expected):
    assert overdue_since(due, now, tz) == expected


def test_a_changed_due_date_makes_a_new_key():
    assert reminder_key("T1", 7, TUE) == "reminder:T1:7:2026-11-24"
    assert reminder_key("T1", 7, TUE) != reminder_key("T1", 7, SAT)
    assert reminder_key("T1", 7, TUE) != reminder_key("T2", 7, TUE)


@pytest.mark.parametrize("value", ["", "12", "x:2026-11-24", "12:soon", "12:2026-13-01"])
def test_a_malformed_button_value_reads_as_none(value):
    assert ReminderRef.parse(value) is None


def test_a_button_value_round_trips():
    ref = ReminderRef(12, TUE)
    assert ReminderRef.parse(ref.encode()) == ref


@pytest.mark.parametrize(
    ("picked", "ok"), [(None, False), (TUE, False), (date(2026, 11, 23), False), (SAT, True)]
)
def test_a_snooze_moves_the_step_to_a_day_after_today(picked, ok):
    if ok:
        assert snooze_to(picked, TUE) == picked
    else:
        with pytest.raises(UserError):
            snooze_to(picked, TUE)
