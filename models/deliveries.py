"""The record of deliveries already acted on (handlers/once.py): one row per event id or trigger id,
kept only while Slack may still retry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.sql.expression import Executable
from sqlmodel import col

from bot.db import Database, conflict_insert
from models.delivery_tables import ProcessedEvent


def claim_event(db: Database, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event id; False when it was already recorded (a retry). The primary key on
    (team_id, event_id) makes it so, across replicas too: the claim is one INSERT ... ON CONFLICT DO
    NOTHING, which inserts no row for a retry (no exception, no rollback), run before the ack."""
    return db.write_one(_claim(db), {"team_id": team_id, "event_id": event_id, "at": now}) == 1


_CLAIMS: dict[str, Executable] = {}  # dialect -> the claim's statement, built once: every request runs it


def _claim(db: Database) -> Executable:
    dialect = db.engine.dialect.name
    if dialect not in _CLAIMS:
        insert = conflict_insert(db.engine)(ProcessedEvent)
        _CLAIMS[dialect] = insert.on_conflict_do_nothing(index_elements=["team_id", "event_id"])
    return _CLAIMS[dialect]


def prune(db: Database, before: datetime) -> int:
    """Forget deliveries older than any retry could be (Slack retries for minutes, not days)."""
    with db.write() as s:
        return s.exec(delete(ProcessedEvent).where(col(ProcessedEvent.at) < before)).rowcount
