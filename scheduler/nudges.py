"""The stalled-deal sweep, as a scheduler job and as `salesbot nudge`.

Per team: find who is due (no locks), ask Slack who those people are (timezone, still there;
cached a day), then decide again under lock and record + enqueue in one transaction
(services/nudge_sweep.py). Sending is the outbox's job: the scheduler's tick dispatches after its jobs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.deps import Deps
from scheduler import nurture as nurture_sweep
from scheduler.clients import per_team
from services import nudge_sweep, preferences, reminders, users
from services.nudge_sweep import TeamSweep
from views import nudges as nudge_views
from views import preferences as preference_views
from views import reminders as reminder_views

log = logging.getLogger(__name__)

LOOKUPS = 8  # users.info calls in flight at once (services.users.profiles)
WAITS = "their deals wait for the next sweep"  # for whoever could not be looked up


async def sweep(
    deps: Deps, client, now: datetime, team_id: str | None = None, dry_run: bool = False
) -> list[TeamSweep]:
    db = deps.db
    clients = per_team(client)
    results = []
    # Due reminders (services/reminders.py) ride along: the same owners' profiles decide them; and
    # so do the daily summaries of what people chose to hold (services/preferences.py).
    reminding = dict(await db.run(reminders.lookups, db, now, team_id))
    wanted = dict(await db.run(nudge_sweep.lookups, db, now, team_id))
    holding = dict(await db.run(preferences.lookups, db, now, team_id))
    for team in sorted(wanted.keys() | reminding.keys() | holding.keys()):
        people = sorted(set(wanted.get(team, [])) | set(reminding.get(team, [])))
        client = await clients(team)
        if client is None:
            continue  # uninstalled: no one there to nudge
        profiles = await users.profiles(
            db, client, team, people, now, lanes=LOOKUPS, save=not dry_run, waits=WAITS
        )
        if team in wanted:
            results.append(await db.run(nudge_sweep.record, db, team, profiles, now, nudge_views, dry_run))
        if team in reminding:
            results.append(await db.run(reminders.record, db, team, profiles, now, reminder_views, dry_run))
        # Read again after the records: what they held just now goes in today's summary too.
        held = dict(await db.run(preferences.lookups, db, now, team)).get(team, [])
        if held:
            more = set(held) - profiles.keys()
            profiles |= await users.profiles(
                db, client, team, more, now, lanes=LOOKUPS, save=not dry_run, waits=WAITS
            )
            results.append(
                await db.run(preferences.summaries, db, team, profiles, now, preference_views, dry_run)
            )
    results += await nurture_sweep.sweep(deps, clients, now, team_id, dry_run)  # lost deals' days
    return results


async def nudge_job(deps: Deps, client, now: datetime) -> None:
    for result in await sweep(deps, client, now):
        if result.messages or result.waiting or result.busy:
            log.info(
                "team %s: nudged %s, escalated %s, %s messages queued%s%s",
                result.team_id,
                result.nudged,
                result.escalated,
                len(result.messages),
                f", waiting on {result.waiting}" if result.waiting else "",
                ", another sweep held the team" if result.busy else "",
            )


def describe(results: list[TeamSweep], dry_run: bool) -> list[str]:
    """Plain lines for the operator at the terminal."""
    lines = []
    verb = "would send" if dry_run else "queued"
    for r in results:
        if r.busy:
            lines.append(f"{r.team_id}: another sweep is running for this team; skipped")
        for m in r.messages:
            lines.append(
                f"{r.team_id}: {verb} {m.kind} to {m.channel} from {m.not_before:%Y-%m-%d %H:%M} UTC: "
                f"{m.message['text']}"
            )
        if r.waiting:
            lines.append(
                f"{r.team_id}: could not look up {', '.join(r.waiting)}; their deals wait for the next sweep"
            )
    if not any(r.messages for r in results):
        lines.append("nothing is due")
    return lines
