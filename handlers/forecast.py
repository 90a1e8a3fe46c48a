"""`/pipeline forecast`: the forecast by month, privately, for whoever asks."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import pipeline_word, tr
from handlers.workspace import workspace
from services import forecast
from views.forecast import forecast_message


async def show(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    computed = await deps.db.run(forecast.compute, deps.db, workspace(), deps.clock())
    await respond(**forecast_message(computed.forecast, _), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_word("forecast")])(show)
