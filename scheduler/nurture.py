"""The nurture DMs, sent by the stalled-deal sweep (scheduler/nudges.py calls `sweep` last), so that
`salesbot nudge --as-of` and the scheduler's tick exercise them.

Per team: find whose nurtured deals' day has come (no locks), ask Slack who those owners are (the
profiles the nudges just read are cached a day, so this is mostly no call at all), then decide
again and enqueue in one transaction (services/nurture.py). Sending is the outbox's job.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from services import nurture, users
from services.nudge_sweep import TeamSweep
from views import nurture as nurture_views

LOOKUPS = 8  # users.info calls in flight at once, as the nudges' sweep


async def sweep(deps: Deps, clients, now: datetime, team_id: str | None, dry_run: bool) -> list[TeamSweep]:
    """`clients`: team id -> Web API client (scheduler.clients.per_team)."""
    db, results = deps.db, []
    for team, owners in await db.run(nurture.lookups, db, now, team_id):
        client = await clients(team)
        if client is None:
            continue  # uninstalled: no one there to remind
        profiles = await users.profiles(
            db, client, team, owners, now, lanes=LOOKUPS, save=not dry_run, waits="nurture waits"
        )
        results.append(await db.run(nurture.record, db, team, profiles, now, nurture_views, dry_run))
    return results
