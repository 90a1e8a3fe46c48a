"""`/pipeline`: the team's pipeline at a glance (or the rep's own, with `mine`)."""

from __future__ import annotations

from bot.deps import Deps
from bot.i18n import N_
from domain.errors import UserError
from handlers.common import tr, user_of
from handlers.workspace import workspace
from services import deals, goals, rates
from views.common import MAX_MESSAGE_BLOCKS
from views.deals import pipeline
from views.goals import goal_context
from views.rates import converted_context


async def pipeline_command(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    word = (body.get("text") or "").strip().lower()
    if word not in ("", "mine", "all", "team"):
        raise UserError(N_("`/pipeline` takes nothing, or `mine`. I don't know `{word}`."), word=word[:40])
    owner = user_of(body) if word == "mine" else None
    rows, forecast = await deps.db.run(deals.pipeline, deps.db, workspace(), deps.clock(), owner)
    standings = await deps.db.run(goals.standings, deps.db, workspace(), deps.clock(), user_of(body))
    title = _("Your pipeline") if owner else _("Team pipeline")
    values = [row.values for row in rows]
    converted = await deps.db.run(rates.convert_totals, deps.db, workspace(), deps.clock(), values, forecast)
    blocks = pipeline(title, rows, forecast, _)
    extra = [*converted_context(converted, _), *goal_context(standings, _)]
    blocks = [*blocks[:1], *extra, *blocks[1:]][:MAX_MESSAGE_BLOCKS]  # under the title
    await respond(text=title, blocks=blocks)


def register(app) -> None:
    app.command("/pipeline")(pipeline_command)
