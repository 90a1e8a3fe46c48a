"""`/pipeline insights`: the stages that hold deals up, and the deals that may be worth marking
lost (a rep's own; a manager's whole team). Their Mark lost button is a deal action
(handlers/deal_actions.py)."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import pipeline_word, tr, user_of
from handlers.workspace import workspace
from services import candidates, insights, roles
from views.insights import insights_message


async def show(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user = workspace(), user_of(body)
    owner = None if await roles.is_manager(deps, client, team, user) else user
    found = await deps.db.run(insights.compute, deps.db, team, deps.clock())
    listed = await deps.db.run(candidates.compute, deps.db, team, deps.clock(), owner)
    await respond(**insights_message(found, _, listed, manager=owner is None), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_word("insights")])(show)
