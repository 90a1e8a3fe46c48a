"""Slack retries an event it thinks we missed, and a proxy or a flaky network can deliver a command
or a click twice: each is acted on once. Events are known by their event_id; commands and
interactions by their trigger_id, which Slack makes anew for every invocation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse

from bot.db import Database
from models.deliveries import claim_event

TRIGGER = re.compile(r"^[A-Za-z0-9.]{8,60}$")


class OncePerEvent(AsyncMiddleware):
    def __init__(self, db: Database, clock: Callable[[], datetime]):
        self.db = db
        self.clock = clock  # the one clock `prune` compares with

    async def async_process(self, *, req, resp, next):
        key = delivery_key(req.body if isinstance(req.body, dict) else {})
        if key:
            fresh = await self.db.run(claim_event, self.db, req.context.team_id or "", key, self.clock())
            if not fresh:
                return BoltResponse(status=200, body="")
        return await next()


def delivery_key(body: dict) -> str | None:
    if body.get("type") == "event_callback":
        return body.get("event_id") or None
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and TRIGGER.match(trigger):
        return "t:" + trigger
    return None
