"""When the digest is due: the team's weekday and time on its own wall clock."""

from datetime import UTC, date, datetime

import pytest

from domain.digest_schedule import latest_due, next_due, parse_moment, week_of, window


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "now, due",
    [
        (utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 8, 0)),  # Monday 09:00 Amsterdam, exactly
        (utc(2026, 11, 30, 7, 59), utc(2026, 11, 23, 8, 0)),  # a minute early: last week's
        (utc(2026, 12, 3, 12, 0), utc(2026, 11, 30, 8, 0)),  # Thursday
        (utc(2026, 12, 30, 12, 0), utc(2026, 12, 28, 8, 0)),  # weeks later: only the latest
        (
            utc(2026, 3, 30, 7, 0),
            utc(2026, 3, 30, 7, 0),
        ),  # after the switch to summer time: 09:00 is 07:00 UTC
        (utc(2026, 3, 30, 7, 30), utc(2026, 3, 30, 7, 0)),
    ],
)
def test_monday_nine_in_amsterdam(now, due):
    assert latest_due(now, "Europe/Amsterdam", 1, "09:00") == due


def test_other_days_times_and_zones():
    # Friday 16:30 in New York (UTC-5 in December)
    assert latest_due(utc(2026, 12, 7, 0, 0), "America/New_York", 5, "16:30") == utc(2026, 12, 4, 21, 30)
    # Nonsense settings fall back to Monday 09:00 UTC instead of failing
    assert latest_due(utc(2026, 12, 2, 0, 0), "Mars/Olympus", 9, "25:99") == utc(2026, 11, 30, 9, 0)


def test_the_week_of_a_digest_is_its_monday_in_the_teams_zone():
    # Sunday 23:30 UTC is already Monday in Amsterdam
    assert week_of(utc(2026, 11, 29, 23, 30), "Europe/Amsterdam") == date(2026, 11, 30)
    assert week_of(utc(2026, 11, 29, 23, 30), "UTC") == date(2026, 11, 23)


def test_windows_keep_the_wall_clock_across_daylight_saving():
    w = window(utc(2026, 11, 30, 8, 0), "Europe/Amsterdam")
    assert w.week_start == utc(2026, 11, 23, 8, 0)
    assert w.window_start == utc(2026, 9, 1, 7, 0)  # 09:00 summer time
    assert (w.week_first_day, w.today) == (date(2026, 11, 23), date(2026, 11, 30))


def test_as_of_without_an_offset_is_the_teams_local_time():
    assert parse_moment("2026-11-30T09:00", "Europe/Amsterdam") == utc(2026, 11, 30, 8, 0)
    assert parse_moment("2026-11-30T09:00:00+00:00", "Europe/Amsterdam") == utc(2026, 11, 30, 9, 0)
    assert parse_moment("2026-11-30", "UTC") == utc(2026, 11, 30)
    with pytest.raises(ValueError):
        parse_moment("next monday", "UTC")


@pytest.mark.parametrize(
    "after, due",
    [
        (utc(2026, 11, 30, 8, 0), utc(2026, 12, 7, 8, 0)),  # exactly at a due moment: the next one
        (utc(2026, 12, 2, 12, 0), utc(2026, 12, 7, 8, 0)),  # mid-week
        # The week before summer time starts (29 March 2026) is 167 hours long: 09:00 is then 07:00 UTC
        (utc(2026, 3, 23, 8, 0), utc(2026, 3, 30, 7, 0)),
        # and the week before winter time (25 October 2026) 169 hours
        (utc(2026, 10, 19, 7, 0), utc(2026, 10, 26, 8, 0)),
    ],
)
def test_the_next_digest_is_due_on_the_teams_wall_clock(after, due):
    assert next_due(after, "Europe/Amsterdam", 1, "09:00") == due
