"""`/pipeline rates` (the rates in use) and `/pipeline rates set USD 0.92 [from:<date>]` (managers)."""

from __future__ import annotations

from bot.deps import Deps
from handlers.common import pipeline_words, set_text, tr, user_of
from handlers.workspace import workspace
from services import rates, roles
from views.rates import rate_set, rates_message


async def show_or_set(ack, body, respond, client, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user = workspace(), user_of(body)
    text = set_text(body)
    if text is not None:
        await roles.require_manager(deps, client, team, user)
        rate = await deps.db.run(rates.set_rate, deps.db, team, user, text, deps.clock())
        await respond(**rate_set(rate, _), response_type="ephemeral")
        return
    table = await deps.db.run(rates.table, deps.db, team, deps.clock())
    await respond(**rates_message(table, _), response_type="ephemeral")


def register(app) -> None:
    app.command("/pipeline", matchers=[pipeline_words("rates")])(show_or_set)
