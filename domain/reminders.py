"""Due reminders: when a deal's next step is to be called to its owner's mind, and the button value. Pure.

A step is reminded once per due date, on that day in the owner's working hours and timezone (the
nudges' rules, domain/nudges.py). A step whose day went by without one (the bot was down, the day
was a weekend) is reminded at the owner's next working moment, as overdue. Once per due date is
the outbox key's job: a changed due date makes a new key, so it is reminded on its new day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_
from domain.errors import UserError
from domain.nudges import WorkingHours, in_working_hours

KIND = "step_reminder"  # the outbox rows' kind (the team's nudge summary is "reminder")


@dataclass(frozen=True)
class DueStep:
    """A deal's next step as its reminder shows it."""

    number: int
    name: str
    step: str
    due: date


def reminder_due(due: date, now: datetime, tz: ZoneInfo, hours: WorkingHours) -> bool:
    """The owner's day has reached the due date, and `now` is in their working hours."""
    return now.astimezone(tz).date() >= due and in_working_hours(now, tz, hours)


def overdue_since(due: date, now: datetime, tz: ZoneInfo) -> date | None:
    """The due date when it lies before the owner's today (the reminder says "overdue since"), else None."""
    return due if due < now.astimezone(tz).date() else None


def reminder_key(team_id: str, deal_id: int, due: date) -> str:
    """One reminder per deal and due date: the outbox's unique key makes it so."""
    return f"reminder:{team_id}:{deal_id}:{due.isoformat()}"


@dataclass(frozen=True)
class ReminderRef:
    """What a reminder's button acts on: the deal, and the due date the reminder showed (a step
    changed since is not the one the rep is answering)."""

    deal: int
    due: date

    def encode(self) -> str:
        return f"{self.deal}:{self.due.isoformat()}"

    @classmethod
    def parse(cls, value: str) -> ReminderRef | None:
        number, _, due = (value or "").partition(":")
        try:
            return cls(int(number), date.fromisoformat(due))
        except ValueError:
            return None


def snooze_to(picked: date | None, today: date) -> date:
    """The step's new due date: a day after the owner's today (today would remind again at once)."""
    if picked is None:
        raise UserError(N_("Pick the day to move the step to."))
    if picked <= today:
        raise UserError(N_("Pick a day after today."))
    return picked
