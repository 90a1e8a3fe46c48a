"""The record of deliveries already acted on (handlers/once.py): one row per event id or trigger id,
kept only while Slack may still retry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col

from bot.db import Database, conflict_insert
from models.delivery_tables import ProcessedEvent


def claim_event(db: Database, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event id; False when it was already recorded (a retry). The primary key on
    (team_id, event_id) makes it so, across replicas too: the claim is one INSERT ... ON CONFLICT DO
    NOTHING, which inserts no row for a retry (no exception, no rollback), run before the ack."""
    claim = (
        conflict_insert(db.engine)(ProcessedEvent)
        .values(team_id=team_id, event_id=event_id, at=now)
        .on_conflict_do_nothing(index_elements=["team_id", "event_id"])
    )
    return db.write_one(claim) == 1


def prune(db: Database, before: datetime) -> int:
    """Forget deliveries older than any retry could be (Slack retries for minutes, not days)."""
    with db.write() as s:
        return s.exec(delete(ProcessedEvent).where(col(ProcessedEvent.at) < before)).rowcount
