"""Helpers for the nurture tests: a lost deal waiting for its day, and the nurture DMs sent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from bot.i18n import translator
from domain.nurture import WAITING
from models.tables import Deal
from services import deals
from tests.nudging import TEAM, TUESDAY_10_UTC, seed

TUESDAY = TUESDAY_10_UTC.date()
FRIDAY = TUESDAY + timedelta(days=3)
FRIDAY_10_UTC = TUESDAY_10_UTC + timedelta(days=3)  # 11:00 in Amsterdam


def lost_and_nurtured(bench, owner: str, name: str, on: date, stage: str = "negotiation") -> int:
    """A deal lost from `stage` a day before bench.now(), waiting in nurture for `on`; its number."""
    number = seed(bench, owner, name, stage=stage, idle_days=3)
    lost_at = bench.now() - timedelta(days=1)
    deals.lost(bench.db, TEAM, owner, number, None, "Went with a competitor", translator("en"), lost_at)
    with bench.db.write() as s:
        row = s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()
        row.nurture_on, row.nurture_state, row.nurture_at = on, WAITING, lost_at
        s.add(row)
    return number


def deal(bench, number: int) -> Deal:
    with bench.db.read() as s:
        return s.exec(select(Deal).where(Deal.team_id == TEAM, Deal.number == number)).one()


def nurture_dms(bench, user: str) -> list:
    """The DMs a user got that are nurture DMs (they carry its action row, or its outcome once answered)."""
    return [
        m
        for m in bench.slack.dms(user)
        if any(
            str(b.get("block_id", "")).startswith(("nurture_actions:", "nurture_outcome:")) for b in m.blocks
        )
    ]


def outcome(message, number: int) -> str | None:
    """What the DM says became of the deal, once its buttons gave way; None while they show."""
    block = next((b for b in message.blocks if b.get("block_id") == f"nurture_outcome:{number}"), None)
    return block["elements"][0]["text"] if block else None
