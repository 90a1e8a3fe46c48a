"""An uninstalled workspace's data: marked when it leaves, deleted after the retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from models.tables import Team

# The installation store's tables: slack_sdk owns them, and uninstalling already emptied them.
NOT_OURS = {"slack_bots", "slack_installations", "slack_oauth_states"}


def mark_uninstalled(session: Session, team_id: str, now: datetime) -> None:
    """From the first uninstall on: a second event (a retry, tokens_revoked after it) keeps the date."""
    team = session.get(Team, team_id)
    if team is not None and team.uninstalled_at is None:
        team.uninstalled_at = now
        session.add(team)


def clear_uninstalled(session: Session, team_id: str) -> None:
    team = session.get(Team, team_id)
    if team is not None and team.uninstalled_at is not None:
        team.uninstalled_at = None
        session.add(team)


def uninstalled_before(session: Session, before: datetime) -> list[str]:
    query = select(Team.id).where(col(Team.uninstalled_at).is_not(None), col(Team.uninstalled_at) <= before)
    return sorted(session.exec(query))


def purge_team(session: Session, team_id: str) -> dict[str, int]:
    """Every row of the team, children before their parents; how many went, per table."""
    counts: dict[str, int] = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name in NOT_OURS or "team_id" not in table.c:
            continue
        gone = session.execute(delete(table).where(table.c.team_id == team_id)).rowcount  # type: ignore[attr-defined]
        if gone:
            counts[table.name] = gone
    team = session.get(Team, team_id)
    if team is not None:
        session.delete(team)
        counts["team"] = 1
    return counts
