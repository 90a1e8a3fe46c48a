"""`/pipeline goals` (this month's and quarter's goals) and `/pipeline goals set …` (managers)."""

from __future__ import annotations

from domain.goals import parse_goal_command
from handlers.common import Deps, tr, user_of
from handlers.workspace import workspace
from services import goals, roles
from views.goals import goal_set, goals_message


async def goals_word(body: dict) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "goals"


async def show_or_set(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user = workspace(), user_of(body)
    words = (body.get("text") or "").split(maxsplit=2)
    if len(words) > 1 and words[1].lower() == "set":
        command = parse_goal_command(words[2] if len(words) > 2 else "", user)
        await roles.require_manager(deps, client, team, user)
        standing = await deps.db.run(goals.set_goal, deps.db, team, user, command, deps.clock())
        await respond(**goal_set(standing, _), response_type="ephemeral")
        return
    only = None if await roles.is_manager(deps, client, team, user) else user
    standings = await deps.db.run(goals.standings, deps.db, team, deps.clock(), only)
    await respond(**goals_message(standings, _), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[goals_word])(show_or_set)
