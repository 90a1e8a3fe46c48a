"""Stalled deals, working hours and snoozes: when a nudge is due and when it may be delivered. Pure.

A deal is stalled when it has been idle longer than its stage's threshold (T days). Its owner is
nudged then, and again only after another T without activity: the clock runs from the later of
the last activity and the last nudge. Past 2T the team's managers or channel hear of it, once per
stall episode (an episode ends with any activity; a snooze counts as activity).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_
from domain.disqualify import nudges_after
from domain.errors import UserError

DEFAULT_DAYS = frozenset({1, 2, 3, 4, 5})
DEFAULT_START, DEFAULT_END = time(9, 0), time(17, 0)
SNOOZE_PRESETS = {"3d": timedelta(days=3), "1w": timedelta(weeks=1)}
SNOOZE_DATE = "date"
MAX_SNOOZE = timedelta(days=366)


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]  # ISO weekdays, 1 = Monday
    start: time
    end: time


DEFAULT_HOURS = WorkingHours(DEFAULT_DAYS, DEFAULT_START, DEFAULT_END)


def _hhmm(text: str) -> time | None:
    try:
        hours, minutes = (int(p) for p in text.strip().split(":"))
        return time(hours, minutes)
    except (ValueError, AttributeError):
        return None


def working_hours(days: str | None, start: str | None, end: str | None) -> WorkingHours:
    """A team's settings as working hours; anything unreadable falls back to Mon–Fri 09:00–17:00, so a
    typo in the settings never silences or floods the nudges."""
    parsed_days = frozenset(int(c) for c in (days or "") if c in "1234567") or DEFAULT_DAYS
    s, e = _hhmm(start or ""), _hhmm(end or "")
    if s is None or e is None or e <= s:
        s, e = DEFAULT_START, DEFAULT_END
    return WorkingHours(parsed_days, s, e)


def next_working_moment(now: datetime, tz: ZoneInfo, hours: WorkingHours = DEFAULT_HOURS) -> datetime:
    """`now` if it falls inside working hours in `tz`, else the next start of working hours; in UTC.

    Local wall-clock times are built per day with zoneinfo, so a DST change between now and then
    moves the UTC result by the hour it should (09:00 stays 09:00 local)."""
    local = now.astimezone(tz)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.isoweekday() not in hours.days:
            continue
        # Round-tripping through UTC normalises a start that falls in a DST gap to a real instant.
        start = datetime.combine(day, hours.start, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, hours.end, tzinfo=tz).astimezone(UTC)
        if now < start:
            return start
        if now < end:
            return now.astimezone(UTC)
    return now.astimezone(UTC)  # unreachable: some weekday is always a working day


def in_working_hours(moment: datetime, tz: ZoneInfo, hours: WorkingHours = DEFAULT_HOURS) -> bool:
    local = moment.astimezone(tz)
    return local.isoweekday() in hours.days and hours.start <= local.time().replace(tzinfo=None) < hours.end


def days_idle(last_activity_at: datetime, now: datetime) -> int:
    return max(0, (now - last_activity_at) // timedelta(days=1))


@dataclass(frozen=True)
class NudgeState:
    """What is known of a deal's nudges (all None for a deal never nudged)."""

    nudged_at: datetime | None = None  # when the last owner nudge was (to be) delivered
    escalated_at: datetime | None = None
    snoozed_until: datetime | None = None


def stalled(last_activity_at: datetime, stall_days: int | None, now: datetime) -> bool:
    if not stall_days:
        return False
    return now - last_activity_at > timedelta(days=stall_days)


def clock_start(last_activity_at: datetime, state: NudgeState) -> datetime:
    """Where the owner's clock runs from: the last activity, or the last nudge if that came later."""
    if state.nudged_at and state.nudged_at > last_activity_at:
        return state.nudged_at
    return last_activity_at


def snoozed(state: NudgeState, now: datetime) -> bool:
    return state.snoozed_until is not None and now < state.snoozed_until


def nudge_due(last_activity_at: datetime, stall_days: int | None, state: NudgeState, now: datetime) -> bool:
    """Stalled, not snoozed, and a whole threshold since the last activity and the last nudge."""
    if snoozed(state, now):
        return False
    return stalled(clock_start(last_activity_at, state), stall_days, now)


def escalation_due(
    last_activity_at: datetime, stall_days: int | None, state: NudgeState, now: datetime
) -> bool:
    """Idle past twice the threshold, not snoozed, and not escalated since the last activity."""
    if not stall_days or snoozed(state, now):
        return False
    if state.escalated_at is not None and state.escalated_at >= last_activity_at:
        return False  # this episode was escalated already
    return now - last_activity_at > timedelta(days=2 * stall_days)


def snooze_end(
    choice: str | None, picked: date | None, now: datetime, tz: ZoneInfo, hours: WorkingHours = DEFAULT_HOURS
) -> datetime:
    """When a snooze ends. A picked date wins over the preset: the snooze ends when that day's work
    starts in the owner's timezone. Dates today or earlier are refused: they would end at once."""
    if picked is not None:
        today = now.astimezone(tz).date()
        if picked < today:
            raise UserError(N_("{date} is in the past. Pick a day after today."), date=picked)
        if picked == today:
            raise UserError(N_("That is today. Pick a day after today."))
        start_of_day = datetime.combine(picked, time(0), tzinfo=tz)
        end = next_working_moment(start_of_day, tz, hours)
    elif choice in SNOOZE_PRESETS:
        end = now + SNOOZE_PRESETS[choice]
    elif choice == SNOOZE_DATE:
        raise UserError(N_("Pick the date to snooze until."))
    else:
        raise UserError(N_("Choose how long to snooze."))
    if end - now > MAX_SNOOZE:
        raise UserError(N_("Snooze for a year at most."))
    return end


def episode_key(parts: list[str]) -> str:
    """A short stable digest of what a message is about (deal ids with their clock starts), so the
    same decision taken twice makes the same outbox key and is enqueued once."""
    return hashlib.sha256("|".join(sorted(parts)).encode()).hexdigest()[:20]


# A stalled deal as the sweep decides on it, a plain tuple in this order (models.nudges.DUE_COLUMNS):
# its id, number, stage, owner and last activity, then its nudge state (HAS_STATE None: never nudged).
ID, NUMBER, STAGE, OWNER, ACTIVITY, HAS_STATE, NUDGED, ESCALATED, SNOOZED, NUDGES = range(10)


@dataclass
class Decided:
    """A sweep's decisions over its stalled deals; the lists keep the rows' order."""

    due: list[tuple] = field(default_factory=list)  # whose owner is nudged
    escalate: list[tuple] = field(default_factory=list)
    nudges: dict[int, int] = field(default_factory=dict)  # due deal id -> nudges once this one counts
    clocks: dict[int, str] = field(default_factory=dict)  # due deal id -> "id@clock start"
    episodes: dict[int, str] = field(default_factory=dict)  # escalated id -> "id@last activity"


def decide(
    rows: Iterable[tuple],
    stall_days: dict[int, int | None],
    now: datetime,
    escalating: bool,
    keys: bool = True,
) -> Decided:
    """nudge_due and escalation_due for each row, and (with `keys`) the parts of the outbox keys.

    A deal never nudged nor snoozed (nearly all of a first sweep's 41,681 at 100,000 deals) is due
    once idle past its stage's threshold and escalated past twice that: the rules for an empty
    state, against each stage's cut-offs worked out once, and its clock is its last activity, so one
    string serves both keys. One loop over plain tuples: per-row objects and attribute reads were
    half of the sweep's decisions."""
    found = Decided()
    due, escalate, nudges, clocks, episodes = (
        found.due,
        found.escalate,
        found.nudges,
        found.clocks,
        found.episodes,
    )
    idle_since = {k: now - timedelta(days=d) for k, d in stall_days.items() if d}
    twice_since = {k: now - timedelta(days=2 * d) for k, d in stall_days.items() if d}
    for row in rows:
        deal_id, activity = row[ID], row[ACTIVITY]
        if row[HAS_STATE] is None:
            cutoff = idle_since.get(row[STAGE])
            if cutoff is None or activity >= cutoff:
                continue
            due.append(row)
            nudges[deal_id] = 1
            if keys:
                clocks[deal_id] = part = f"{deal_id}@{activity.isoformat()}"
            if escalating and activity < twice_since[row[STAGE]]:
                escalate.append(row)
                if keys:
                    episodes[deal_id] = part
            continue
        state = NudgeState(nudged_at=row[NUDGED], escalated_at=row[ESCALATED], snoozed_until=row[SNOOZED])
        days = stall_days.get(row[STAGE])
        if nudge_due(activity, days, state, now):
            due.append(row)
            nudges[deal_id] = nudges_after(row[NUDGES] or 0, row[NUDGED], activity)
            if keys:
                clocks[deal_id] = f"{deal_id}@{clock_start(activity, state).isoformat()}"
        if escalating and escalation_due(activity, days, state, now):
            escalate.append(row)
            if keys:
                episodes[deal_id] = f"{deal_id}@{activity.isoformat()}"
    return found
