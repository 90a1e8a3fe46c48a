"""Next-step use cases: set or complete a deal's next step, and what the Next step modal shows."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from domain.next_steps import NextStep
from models.next_steps import set_next_step
from services.deals import Card, card_for
from services.teams import ensure


def set_step(db: Database, team_id: str, number: int, step: NextStep, now: datetime) -> Card:
    """One transaction: the step and the deal's activity change together."""
    ensure(db, team_id, now)
    with db.write() as s:
        return card_for(s, team_id, set_next_step(s, team_id, number, step, now))
