"""Housekeeping: the record of handled deliveries is only needed while Slack may still retry; a sent
message's text only for a while after it went (its key stays for ever: it keeps it sent once); an
uninstalled workspace's data only for the retention period (docs/privacy.md)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps
from models.deliveries import prune
from models.outbox import empty_finished
from services import retention

log = logging.getLogger(__name__)

KEEP = timedelta(days=2)
MESSAGES_KEPT = timedelta(days=30)  # a sent message's text and chart, in case someone asks what went


async def prune_deliveries(deps: Deps, client, now: datetime) -> None:
    await deps.db.run(prune, deps.db, now - KEEP)


async def empty_sent_messages(deps: Deps, client, now: datetime) -> None:
    """A few times a day per process, not every tick: each run walks the old finished rows."""
    if deps.chores.due("empty_sent_messages", now):
        emptied = await deps.db.run(empty_finished, deps.db, now - MESSAGES_KEPT)
        if emptied:
            log.info("emptied %d outbox messages finished more than %s ago", emptied, MESSAGES_KEPT)


async def purge_uninstalled(deps: Deps, client, now: datetime) -> None:
    """Delete the teams uninstalled longer than the retention period ago. One that installed the
    app again meanwhile (it has a bot token) only loses its mark: its data is its own again."""
    for team_id in await deps.db.run(retention.expired, deps.db, now - deps.retention):
        store = deps.installations
        if store is not None and await store.async_find_bot(enterprise_id=None, team_id=team_id):
            await deps.db.run(retention.reinstalled, deps.db, team_id)
            log.info("workspace %s installed the app again: its data stays", team_id)
            continue
        counts = await deps.db.run(retention.purge, deps.db, team_id)
        log.info("workspace %s uninstalled before the retention period: deleted %s", team_id, counts)
