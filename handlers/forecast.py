"""`/pipeline forecast`: the forecast by month, privately, for whoever asks."""

from __future__ import annotations

from handlers.common import Deps, tr
from handlers.pipeline_command import SUBCOMMANDS
from handlers.workspace import workspace
from services import forecast
from views.forecast import forecast_message


async def show(deps: Deps, body: dict, respond, client) -> None:
    _ = tr(body)
    computed = await deps.db.run(forecast.compute, deps.db, workspace(), deps.clock())
    await respond(**forecast_message(computed.forecast, _), response_type="ephemeral")


SUBCOMMANDS["forecast"] = show
