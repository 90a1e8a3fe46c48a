"""The goals job: each tick, every newly reached goal threshold is told once (services/goals.py says
what makes it once). Reaching it is checked here rather than when a deal is won, so a deal won by
import, by a form or by the card counts the same way."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.deps import Deps
from services.goals import announce, teams_to_check
from views.goals import goal_reached

log = logging.getLogger(__name__)


async def goal_job(deps: Deps, client, now: datetime) -> None:
    for team_id in await deps.db.run(teams_to_check, deps.db, now):
        try:
            added = await deps.db.run(announce, deps.db, team_id, now, goal_reached)
        except Exception:
            log.exception("goal thresholds of team %s could not be checked", team_id)
            continue
        if added:
            log.info("team %s: %d goal DM(s) queued", team_id, added)
