"""Making sure a workspace has its row and default pipeline before anything reads it."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from models.teams import ensure_team, forget_stages

_known: set[tuple[int, str]] = set()


def ensure(db: Database, team_id: str, now: datetime) -> None:
    """Create the team on first contact; later calls cost nothing (a team is deleted only after
    uninstalling: then forget_team)."""
    key = (id(db), team_id)
    if key in _known:
        return
    with db.write() as s:
        ensure_team(s, team_id, now)
    _known.add(key)


def forget_team(db: Database, team_id: str) -> None:
    """A team whose data was deleted (services/retention.py) is created afresh if it comes back."""
    _known.discard((id(db), team_id))
    forget_stages(db.url, team_id)


def forget(db: Database) -> None:
    """Tests empty the database between cases; the cache must forget what it knew."""
    for key in [k for k in _known if k[0] == id(db)]:
        _known.discard(key)
    forget_stages(db.url)
