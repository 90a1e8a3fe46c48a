"""When a team's weekly digest is due, and which week it belongs to. Pure: `now` is passed in.

The schedule is a weekly rrule on the team's wall clock (ISO weekday and "HH:MM" in its timezone),
so 09:00 stays 09:00 across daylight saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import WEEKLY, rrule

from domain.zones import zone

DEFAULT_WEEKDAY, DEFAULT_TIME = 1, "09:00"
WEEK_DAYS = 7
WINDOW_DAYS = 90  # the trailing window of the rates


def parse_time(text: str | None) -> tuple[int, int]:
    try:
        hours, minutes = (int(p) for p in (text or DEFAULT_TIME).split(":"))
        if 0 <= hours < 24 and 0 <= minutes < 60:
            return hours, minutes
    except ValueError:
        pass
    return parse_time(DEFAULT_TIME)


def _weekly(local: datetime, weekday: int | None, at: str | None) -> rrule:
    """The team's weekly schedule on its wall clock, starting a little over a week before `local`."""
    hours, minutes = parse_time(at)
    iso_day = weekday if weekday is not None and 1 <= weekday <= 7 else DEFAULT_WEEKDAY
    start = (local - timedelta(days=WEEK_DAYS + 1)).replace(second=0, microsecond=0)
    return rrule(WEEKLY, byweekday=iso_day - 1, byhour=hours, byminute=minutes, bysecond=0, dtstart=start)


def latest_due(now: datetime, timezone: str | None, weekday: int | None, at: str | None) -> datetime:
    """The latest scheduled moment at or before `now` (UTC). Only the latest: after downtime of
    several weeks the missed ones are not replayed."""
    tz = zone(timezone)
    local = now.astimezone(tz).replace(tzinfo=None)
    due = _weekly(local, weekday, at).before(local, inc=True)
    assert due is not None  # the rule starts eight days back, so a weekly moment is always there
    return due.replace(tzinfo=tz).astimezone(UTC)


def next_due(after: datetime, timezone: str | None, weekday: int | None, at: str | None) -> datetime:
    """The first scheduled moment strictly after `after` (UTC), on the team's wall clock, so a week
    that spans a daylight saving change is 167 or 169 hours long."""
    tz = zone(timezone)
    local = after.astimezone(tz).replace(tzinfo=None)
    due = _weekly(local, weekday, at).after(local, inc=False)
    assert due is not None  # a weekly rule with no end has a next moment
    return due.replace(tzinfo=tz).astimezone(UTC)


def wall_clock_minus(moment: datetime, timezone: str | None, days: int) -> datetime:
    """The same wall-clock time `days` earlier, so consecutive weeks meet exactly across DST."""
    tz = zone(timezone)
    local = moment.astimezone(tz).replace(tzinfo=None) - timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime, timezone: str | None) -> date:
    return moment.astimezone(zone(timezone)).date()


def week_of(moment: datetime, timezone: str | None) -> date:
    """The Monday of the calendar week (in the team's timezone) the digest is due in. Outbox keys
    carry it, so a team gets one digest a week even if it changes its digest day mid-week."""
    day = local_date(moment, timezone)
    return day - timedelta(days=day.isoweekday() - 1)


def parse_moment(text: str, timezone: str | None) -> datetime:
    """An ISO-8601 date or time; without an offset it is the team's wall clock. ValueError if unreadable."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(timezone))
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Window:
    as_of: datetime  # the end of the digest's week, exclusive
    week_start: datetime
    window_start: datetime  # the start of the rates' trailing window
    timezone: str

    @property
    def today(self) -> date:
        """The team's date at the end of the week: close dates before it have slipped."""
        return local_date(self.as_of, self.timezone)

    @property
    def week_first_day(self) -> date:
        return local_date(self.week_start, self.timezone)


def window(as_of: datetime, timezone: str | None, window_days: int = WINDOW_DAYS) -> Window:
    tz = timezone or "UTC"
    return Window(
        as_of=as_of.astimezone(UTC),
        week_start=wall_clock_minus(as_of, tz, WEEK_DAYS),
        window_start=wall_clock_minus(as_of, tz, window_days),
        timezone=tz,
    )
