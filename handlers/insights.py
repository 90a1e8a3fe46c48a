"""`/pipeline insights`: the stages that hold deals up, privately, for whoever asks."""

from __future__ import annotations

from handlers.common import Deps, team_of, tr
from handlers.pipeline_command import SUBCOMMANDS
from services import insights
from views.insights import insights_message


async def show(deps: Deps, body: dict, respond, client) -> None:
    _ = tr(body)
    found = await deps.db.run(insights.compute, deps.db, team_of(body), deps.clock())
    await respond(**insights_message(found, _), response_type="ephemeral")


SUBCOMMANDS["insights"] = show
