"""Nurture: a lost deal its owner comes back to on a chosen day. Pure.

A lost deal in nurture is WAITING for its day; on that day, in the owner's working hours and
timezone (the due reminders' rule, domain/reminders.py), the owner gets one DM with Reopen, Not yet
and Drop. Reopened by any path, it came BACK; dropped, it is DROPPED and nobody is reminded again.
Once per day is the outbox key's job: Not yet picks a new day, so a new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.i18n import N_
from domain.dates import DateError, parse_date
from domain.errors import UserError
from domain.picked_day import after_today

KIND = "nurture"  # the outbox rows' kind
WAITING, DROPPED, BACK = "waiting", "dropped", "back"
STOP_WORDS = ("off", "stop", "drop", "uit", "aus")  # `/deal nurture #N off`


@dataclass(frozen=True)
class Nurtured:
    """A lost deal as its nurture DM shows it."""

    number: int
    name: str
    lost_reason: str | None
    on: date


def nurture_key(team_id: str, deal_id: int, on: date) -> str:
    """One nurture DM per deal and day: the outbox's unique key makes it so."""
    return f"nurture:{team_id}:{deal_id}:{on.isoformat()}"


@dataclass(frozen=True)
class NurtureRef:
    """What a nurture DM's button acts on: the deal, and the day the DM was for (a deal whose day
    changed since, or that left nurture, is not the one the rep is answering)."""

    deal: int
    on: date

    def encode(self) -> str:
        return f"{self.deal}:{self.on.isoformat()}"

    @classmethod
    def parse(cls, value: str) -> NurtureRef | None:
        number, _, on = (value or "").partition(":")
        try:
            return cls(int(number), date.fromisoformat(on))
        except ValueError:
            return None


def remind_on(picked: date | None, today: date) -> date:
    """The day to remind the owner: after today (today's reminder would be no reminder)."""
    return after_today(picked, today, N_("Pick the day to be reminded of the deal."))


def parse_nurture_day(text: str, today: date) -> date | None:
    """`/deal nurture #N <date>`'s date (any form the deal dates take), or None for off/stop/drop."""
    words = (text or "").strip()
    if not words:
        raise UserError(N_("Say when to remind you, like `/deal nurture #12 2027-03-01` or `next month`."))
    if words.lower() in STOP_WORDS:
        return None
    try:
        picked = parse_date(words, today)
    except DateError as err:
        raise UserError(N_("I can't read `{date}` as a date. Try 2027-03-01."), date=words[:40]) from err
    return remind_on(picked, today)
