"""Making sure a workspace has its row and default pipeline before anything reads it."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from models.teams import ensure_team


def ensure(db: Database, team_id: str, now: datetime) -> None:
    """Create the team on first contact; later calls cost nothing (a team is deleted only after
    uninstalling: then forget_team)."""
    if team_id in db.known_teams:
        return
    with db.write() as s:
        ensure_team(s, team_id, now)
    db.known_teams.add(team_id)


def forget_team(db: Database, team_id: str) -> None:
    """A team whose data was deleted (services/retention.py) is created afresh if it comes back."""
    db.known_teams.discard(team_id)
    db.stage_cache.forget(team_id)
