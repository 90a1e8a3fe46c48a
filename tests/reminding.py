"""Helpers for the due-reminder tests: a deal with a next step due on a day, and the reminders sent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from models.tables import Deal
from services import nudges
from tests.nudging import TEAM, TUESDAY_10_UTC, seed

TUESDAY = TUESDAY_10_UTC.date()
WEDNESDAY = TUESDAY + timedelta(days=1)
WEDNESDAY_10_UTC = TUESDAY_10_UTC + timedelta(days=1)  # 11:00 in Amsterdam, 05:00 in New York


def with_step(bench, owner: str, name: str, step: str, due: date) -> int:
    """A fresh deal (not stalled: no nudge) whose next step is due on `due`; its number."""
    number = seed(bench, owner, name, idle_days=1)
    set_step(bench, number, step, due)
    return number


def set_step(bench, number: int, step: str | None, due: date | None) -> None:
    with bench.db.write() as s:
        row = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        row.next_step, row.next_step_due = step, due
        s.add(row)


def deal(bench, number: int) -> Deal:
    return nudges.state(bench.db, TEAM, number)[0]


def reminder_dms(bench, user: str) -> list:
    """The DMs a user got that are due reminders (they carry the reminder's action row)."""
    return [
        m
        for m in bench.slack.dms(user)
        if any(
            str(b.get("block_id", "")).startswith(("reminder_actions:", "reminder_outcome:"))
            for b in m.blocks
        )
    ]


def outcome(message, number: int) -> str | None:
    """What the reminder says became of the step, once its buttons gave way; None while they show."""
    block = next((b for b in message.blocks if b.get("block_id") == f"reminder_outcome:{number}"), None)
    return block["elements"][0]["text"] if block else None
