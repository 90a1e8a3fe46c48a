"""Due reminders: when a deal's next step is to be called to its owner's mind, and the button value. Pure.

A step is reminded once per due date, on that day in the owner's working hours and timezone (the
nudges' rules, domain/nudges.py). A step whose day went by without one (the bot was down, the day
was a weekend) is reminded at the owner's next working moment, as overdue. Once per step and due
date is the outbox key's job: a changed due date makes a new key, so it is reminded on its new day,
and so does a new step (its sequence number), even when set again for the same day.

Several overdue steps of one owner (the bot's first day, or its return after an outage) are told in
one list, not one DM each: every step is still named, where a cap on their age would drop some unseen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_
from domain.nudges import WorkingHours, in_working_hours
from domain.picked_day import after_today

KIND = "step_reminder"  # the outbox rows' kind (the team's nudge summary is "reminder")


@dataclass(frozen=True)
class DueStep:
    """A deal's next step as its reminder shows it."""

    number: int
    name: str
    step: str
    due: date
    seq: int = 0  # the step's sequence number on its deal (models/tables.Deal.next_step_seq)


def reminder_due(due: date, now: datetime, tz: ZoneInfo, hours: WorkingHours) -> bool:
    """The owner's day has reached the due date, and `now` is in their working hours."""
    return now.astimezone(tz).date() >= due and in_working_hours(now, tz, hours)


def overdue_since(due: date, now: datetime, tz: ZoneInfo) -> date | None:
    """The due date when it lies before the owner's today (the reminder says "overdue since"), else None."""
    return due if due < now.astimezone(tz).date() else None


def reminder_key(team_id: str, deal_id: int, due: date, seq: int = 0) -> str:
    """One reminder per step and due date: the outbox's unique key makes it so. Step 0 (set before
    steps were numbered) keeps the key it had, so a reminder sent already is not sent again."""
    key = f"reminder:{team_id}:{deal_id}:{due.isoformat()}"
    return f"{key}:{seq}" if seq else key


def overdue_list_key(team_id: str, owner_id: str, step_keys: list[str]) -> str:
    """The one DM listing an owner's overdue steps: named by the steps it tells of."""
    digest = hashlib.sha256("|".join(sorted(step_keys)).encode()).hexdigest()[:16]
    return f"overdue:{team_id}:{owner_id}:{digest}"


@dataclass(frozen=True)
class ReminderRef:
    """What a reminder's button acts on: the deal, and the due date the reminder showed (a step
    changed since is not the one the rep is answering)."""

    deal: int
    due: date
    seq: int | None = None  # None: a reminder sent before steps were numbered (any step that day)

    def encode(self) -> str:
        base = f"{self.deal}:{self.due.isoformat()}"
        return base if self.seq is None else f"{base}:{self.seq}"

    @classmethod
    def parse(cls, value: str) -> ReminderRef | None:
        number, _, rest = (value or "").partition(":")
        due, _, seq = rest.partition(":")
        try:
            return cls(int(number), date.fromisoformat(due), int(seq) if seq else None)
        except ValueError:
            return None


def snooze_to(picked: date | None, today: date) -> date:
    """The step's new due date: a day after the owner's today (today would remind again at once)."""
    return after_today(picked, today, N_("Pick the day to move the step to."))
