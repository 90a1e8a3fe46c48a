"""Who may do what: workspace admins (users.info is_admin) and the team's listed managers change
settings and every deal; reps change their own deals and see the team's aggregates."""

from __future__ import annotations

from bot.db import Database
from bot.i18n import N_
from domain.errors import UserError
from models.tables import Team
from services.users import profile


def managers(db: Database, team_id: str) -> set[str]:
    with db.read() as s:
        team = s.get(Team, team_id)
        return set(team.managers) if team else set()


async def is_manager(deps, client, team_id: str, user_id: str) -> bool:
    """A listed manager, or a workspace admin. Asks Slack (cached a day) only when not listed."""
    if user_id in await deps.db.run(managers, deps.db, team_id):
        return True
    try:
        found = await profile(deps.db, client, team_id, user_id, deps.clock())
    except Exception:
        return False
    return found.is_admin and not found.deleted


async def require_manager(deps, client, team_id: str, user_id: str) -> None:
    if not await is_manager(deps, client, team_id, user_id):
        raise UserError(N_("Only workspace admins and the team's managers can do that."))
