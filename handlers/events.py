"""Slack retries an event it thinks we missed; each event id is acted on once."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from models.tables import ProcessedEvent


def claim_event(db: Database, team_id: str, event_id: str) -> bool:
    """Record the event id; False when it was already recorded (a retry)."""
    try:
        with db.write() as s:
            s.add(ProcessedEvent(team_id=team_id, event_id=event_id, at=datetime.now(UTC)))
        return True
    except IntegrityError:
        return False


class OncePerEvent(AsyncMiddleware):
    def __init__(self, db: Database):
        self.db = db

    async def async_process(self, *, req, resp, next):
        body = req.body
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if body.get("type") == "event_callback" and event_id:
            fresh = await self.db.run(claim_event, self.db, body.get("team_id") or "", event_id)
            if not fresh:
                return BoltResponse(status=200, body="")
        return await next()
