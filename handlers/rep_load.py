"""`/pipeline team`: managers see every rep's load; a rep sees their own beside the team's median."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import pipeline_word, tr, user_of
from handlers.workspace import workspace
from services import rep_load, roles
from views.rep_load import rep_load_message


async def show(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user = workspace(), user_of(body)
    only = None if await roles.is_manager(deps, client, team, user) else user
    load = await deps.db.run(rep_load.compute, deps.db, team, deps.clock())
    await respond(**rep_load_message(load, _, only), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_word("team")])(show)
