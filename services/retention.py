"""A workspace that uninstalls keeps its data for the retention period, so that a reinstall finds
everything as it was; after it, the data is deleted (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from models import retention
from services import teams


def uninstalled(db: Database, team_id: str, now: datetime) -> None:
    with db.write() as s:
        retention.mark_uninstalled(s, team_id, now)
    # The process that serves requests forgets the team now: the purge may run in another one
    # (`salesbot scheduler`), and a reinstall after it must find the team created afresh.
    teams.forget_team(db, team_id)


def reinstalled(db: Database, team_id: str) -> None:
    with db.write() as s:
        retention.clear_uninstalled(s, team_id)


def expired(db: Database, before: datetime) -> list[str]:
    """The teams uninstalled at or before `before`."""
    with db.read() as s:
        return retention.uninstalled_before(s, before)


def purge(db: Database, team_id: str) -> dict[str, int]:
    """Delete every row of the team; how many went, per table. A later install starts afresh."""
    with db.write() as s:
        counts = retention.purge_team(s, team_id)
    teams.forget_team(db, team_id)
    return counts
