"""Housekeeping: the record of handled deliveries is only needed while Slack may still retry."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.deps import Deps
from models.deliveries import prune

KEEP = timedelta(days=2)


async def prune_deliveries(deps: Deps, client, now: datetime) -> None:
    await deps.db.run(prune, deps.db, now - KEEP)
