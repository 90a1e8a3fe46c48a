"""The pure rules of nudges: stall clocks, escalation episodes, working hours across zones and DST,
snoozes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import UserError
from domain.nudges import (
    DEFAULT_HOURS,
    NudgeState,
    WorkingHours,
    episode_key,
    escalation_due,
    in_working_hours,
    next_working_moment,
    nudge_due,
    snooze_end,
    stalled,
    working_hours,
)
from domain.zones import zone

AMS, NYC = zone("Europe/Amsterdam"), zone("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- stalls, repeats and escalations ------------------------------------------------------------


def test_stalled_means_idle_longer_than_the_threshold():
    last = utc(2026, 11, 2, 10)
    assert not stalled(last, 7, last + timedelta(days=7))  # exactly the threshold: not yet
    assert stalled(last, 7, last + timedelta(days=7, seconds=1))
    assert not stalled(last, None, last + timedelta(days=999))  # won and lost never stall
    assert not stalled(last, 0, last + timedelta(days=999))


def test_a_nudged_deal_waits_another_threshold_before_the_next_nudge():
    last = utc(2026, 11, 2, 10)
    first = last + timedelta(days=8)
    assert nudge_due(last, 7, NudgeState(), first)
    state = NudgeState(nudged_at=first)
    assert not nudge_due(last, 7, state, first)
    assert not nudge_due(last, 7, state, first + timedelta(days=7))
    assert nudge_due(last, 7, state, first + timedelta(days=7, minutes=1))


def test_activity_after_a_nudge_restarts_the_clock_from_the_activity():
    nudged = utc(2026, 11, 10, 9)
    activity = nudged + timedelta(days=1)
    state = NudgeState(nudged_at=nudged)
    assert not nudge_due(activity, 5, state, activity + timedelta(days=5))
    assert nudge_due(activity, 5, state, activity + timedelta(days=5, minutes=1))


def test_a_snooze_holds_nudges_and_escalations_until_it_ends():
    last = utc(2026, 11, 2, 10)
    until = last + timedelta(days=30)
    state = NudgeState(snoozed_until=until)
    assert not nudge_due(last, 5, state, until - timedelta(minutes=1))
    assert not escalation_due(last, 5, state, until - timedelta(minutes=1))
    assert nudge_due(last, 5, state, until)
    assert escalation_due(last, 5, state, until)


def test_escalation_after_twice_the_threshold_once_per_episode():
    last = utc(2026, 11, 2, 10)
    assert not escalation_due(last, 7, NudgeState(), last + timedelta(days=14))
    at = last + timedelta(days=14, hours=1)
    assert escalation_due(last, 7, NudgeState(), at)
    escalated = NudgeState(escalated_at=at)
    assert not escalation_due(last, 7, escalated, at + timedelta(days=60))
    later_activity = at + timedelta(days=1)  # a new episode begins
    assert not escalation_due(later_activity, 7, escalated, later_activity + timedelta(days=14))
    assert escalation_due(later_activity, 7, escalated, later_activity + timedelta(days=14, minutes=1))
    assert not escalation_due(last, None, NudgeState(), last + timedelta(days=999))


def test_episode_keys_are_stable_and_order_free():
    assert episode_key(["1@a", "2@b"]) == episode_key(["2@b", "1@a"])
    assert episode_key(["1@a"]) != episode_key(["1@b"])


# -- working hours ------------------------------------------------------------------------------


def test_settings_are_read_leniently():
    assert working_hours("12345", "09:00", "17:00") == DEFAULT_HOURS
    assert working_hours("246", "8:30", "12:00") == WorkingHours(frozenset({2, 4, 6}), time(8, 30), time(12))
    assert working_hours("", "nine", "17:00") == DEFAULT_HOURS
    assert working_hours("12345", "17:00", "09:00") == DEFAULT_HOURS  # an empty window would never nudge
    assert zone("Not/AZone", "Europe/Amsterdam") == AMS
    assert zone(None, "") == zone("UTC")


def test_inside_working_hours_is_now():
    now = utc(2026, 11, 24, 10)  # Tuesday 11:00 in Amsterdam
    assert next_working_moment(now, AMS) == now


def test_before_work_waits_for_the_start_the_same_day():
    assert next_working_moment(utc(2026, 11, 24, 5), AMS) == utc(2026, 11, 24, 8)  # 09:00 CET


def test_after_work_waits_for_the_next_morning():
    assert next_working_moment(utc(2026, 11, 24, 16), AMS) == utc(2026, 11, 25, 8)  # 17:00 CET is closed


def test_friday_evening_waits_for_monday():
    assert next_working_moment(utc(2026, 11, 27, 20), AMS) == utc(2026, 11, 30, 8)
    assert next_working_moment(utc(2026, 11, 28, 12), AMS) == utc(2026, 11, 30, 8)  # Saturday


def test_the_same_instant_is_day_in_amsterdam_and_night_in_new_york():
    now = utc(2026, 11, 24, 9)  # 10:00 in Amsterdam, 04:00 in New York
    assert next_working_moment(now, AMS) == now
    assert next_working_moment(now, NYC) == utc(2026, 11, 24, 14)  # 09:00 EST


def test_a_local_monday_can_still_be_sunday_in_utc():
    # Monday 00:30 in Auckland is Sunday 11:30 UTC; working hours start Monday 09:00 NZDT = Sunday 20:00 UTC.
    akl = zone("Pacific/Auckland")
    assert next_working_moment(utc(2026, 11, 29, 11, 30), akl) == utc(2026, 11, 29, 20)


def test_dst_spring_forward_keeps_nine_local():
    # Amsterdam moves to CEST on Sunday 29 March 2026: Monday 09:00 is 07:00 UTC, not 08:00.
    assert next_working_moment(utc(2026, 3, 27, 17), AMS) == utc(2026, 3, 30, 7)
    # New York moves to EDT on Sunday 8 March 2026: Monday 09:00 is 13:00 UTC.
    assert next_working_moment(utc(2026, 3, 6, 23), NYC) == utc(2026, 3, 9, 13)


def test_dst_fall_back_keeps_nine_local():
    # Amsterdam returns to CET on Sunday 25 October 2026: Monday 09:00 is 08:00 UTC.
    assert next_working_moment(utc(2026, 10, 23, 17), AMS) == utc(2026, 10, 26, 8)


def test_a_start_inside_the_dst_gap_becomes_a_real_instant_in_the_window():
    hours = WorkingHours(frozenset(range(1, 8)), time(2, 30), time(4, 0))
    # 02:30 does not exist in Amsterdam on 29 March 2026 (02:00 jumps to 03:00); it is read as 02:30 CET.
    result = next_working_moment(utc(2026, 3, 29, 0, 10), AMS, hours)
    assert result == utc(2026, 3, 29, 1, 30) and result.astimezone(AMS).time() == time(3, 30)
    assert in_working_hours(result, AMS, hours)


def test_custom_days():
    hours = working_hours("67", "10:00", "14:00")  # weekends only
    assert next_working_moment(utc(2026, 11, 24, 10), AMS, hours) == utc(2026, 11, 28, 9)


ZONES = [
    "Europe/Amsterdam",
    "America/New_York",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "UTC",
    "America/St_Johns",
]


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    tz=st.sampled_from(ZONES),
    days=st.sets(st.integers(1, 7), min_size=1),
    start=st.integers(0, 22),
    length=st.integers(1, 10),
)
def test_next_working_moment_is_the_earliest_working_instant(now, tz, days, start, length):
    hours = WorkingHours(
        frozenset(days), time(start), time(min(23, start + length), 59 if start + length > 23 else 0)
    )
    result = next_working_moment(now, zone(tz), hours)
    assert result.tzinfo == UTC and result >= now
    assert in_working_hours(result, zone(tz), hours)
    if result > now:  # nothing earlier was open: the minute before was closed
        assert not in_working_hours(result - timedelta(minutes=1), zone(tz), hours)
        assert result - now < timedelta(days=8)


# -- snoozes ------------------------------------------------------------------------------------


def test_snooze_presets():
    now = utc(2026, 11, 24, 10)
    assert snooze_end("3d", None, now, AMS) == now + timedelta(days=3)
    assert snooze_end("1w", None, now, AMS) == now + timedelta(days=7)


def test_snooze_until_a_date_ends_when_that_days_work_starts():
    now = utc(2026, 11, 24, 10)
    assert snooze_end("date", date(2026, 12, 1), now, AMS) == utc(2026, 12, 1, 8)
    assert snooze_end("3d", date(2026, 12, 1), now, NYC) == utc(2026, 12, 1, 14)  # a picked date wins
    assert snooze_end("date", date(2026, 12, 5), now, AMS) == utc(2026, 12, 7, 8)  # Saturday: Monday


@pytest.mark.parametrize(
    "picked,message",
    [
        (date(2026, 11, 23), "{date} is in the past. Pick a day after today."),
        (date(2026, 11, 24), "That is today. Pick a day after today."),
        (date(2028, 1, 1), "Snooze for a year at most."),
    ],
)
def test_snooze_refuses_past_today_and_far_dates(picked, message):
    with pytest.raises(UserError) as err:
        snooze_end("date", picked, utc(2026, 11, 24, 10), AMS)
    assert err.value.message == message


def test_today_is_the_owners_today():
    # 23:30 UTC on the 24th is already the 25th in Amsterdam, and still the 24th in New York.
    now = utc(2026, 11, 24, 23, 30)
    with pytest.raises(UserError):
        snooze_end("date", date(2026, 11, 25), now, AMS)
    assert snooze_end("date", date(2026, 11, 25), now, NYC) == utc(2026, 11, 25, 14)


def test_snooze_needs_a_choice():
    with pytest.raises(UserError):
        snooze_end("date", None, utc(2026, 11, 24, 10), AMS)
    with pytest.raises(UserError):
        snooze_end(None, None, utc(2026, 11, 24, 10), AMS)
