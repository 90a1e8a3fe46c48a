"""The announcements job: each tick, the team channel hears of each won deal and each new deal over
its amount, once (services/announce.py says what makes it once)."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.deps import Deps
from services.announce import announce, teams_to_check
from views import announce as announce_views

log = logging.getLogger(__name__)


async def announce_job(deps: Deps, client, now: datetime) -> None:
    for team_id in await deps.db.run(teams_to_check, deps.db):
        try:
            added = await deps.db.run(announce, deps.db, team_id, now, announce_views)
        except Exception:
            log.exception("announcements of team %s could not be made", team_id)
            continue
        if added:
            log.info("team %s: %d announcement(s) queued", team_id, added)
