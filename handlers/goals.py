"""`/pipeline goals` (this month's and quarter's goals) and `/pipeline goals set …` (managers)."""

from __future__ import annotations

from bot.deps import Deps
from domain.goals import parse_goal_command
from handlers.common import pipeline_words, set_text, tr, user_of
from handlers.workspace import workspace
from services import goals, roles
from views.goals import goal_set, goals_message


async def show_or_set(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user = workspace(), user_of(body)
    text = set_text(body)
    if text is not None:
        command = parse_goal_command(text, user)
        await roles.require_manager(deps, client, team, user)
        standing = await deps.db.run(goals.set_goal, deps.db, team, user, command, deps.clock())
        await respond(**goal_set(standing, _), response_type="ephemeral")
        return
    only = None if await roles.is_manager(deps, client, team, user) else user
    standings = await deps.db.run(goals.standings, deps.db, team, deps.clock(), only)
    await respond(**goals_message(standings, _), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_words("goals")])(show_or_set)
