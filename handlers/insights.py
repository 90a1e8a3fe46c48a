"""`/pipeline insights`: the stages that hold deals up, and the deals that may be worth marking
lost (a rep's own; a manager's whole team), with a one-click Mark lost that prefills the reason."""

from __future__ import annotations

from domain.disqualify import LostRef
from handlers.common import Deps, guarded, tr, user_of
from handlers.deal_actions import origin
from handlers.pipeline_command import SUBCOMMANDS
from handlers.workspace import workspace
from services import candidates, deals, insights, roles
from views.insights import DISQUALIFY_LOST, insights_message
from views.modals import lost_form


async def show(deps: Deps, body: dict, respond, client) -> None:
    _ = tr(body)
    team, user = workspace(), user_of(body)
    owner = None if await roles.is_manager(deps, client, team, user) else user
    found = await deps.db.run(insights.compute, deps.db, team, deps.clock())
    listed = await deps.db.run(candidates.compute, deps.db, team, deps.clock(), owner)
    await respond(**insights_message(found, _, listed, manager=owner is None), response_type="ephemeral")


async def mark_lost(deps: Deps, body: dict, action: dict, client) -> None:
    """The Mark lost modal, its reason prefilled; submitting it is the usual "deal_lost" form."""
    ref = LostRef.parse(action.get("value", ""))
    if ref is None:
        return
    _ = tr(body)
    deal, reasons = await deps.db.run(deals.for_lost_form, deps.db, workspace(), ref.number, deps.clock())
    reason = ref.reason if any(r.key == ref.reason for r in reasons) else None
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=lost_form(_, deal, reasons, origin(body, ref.number), reason),
    )


def register(app, deps: Deps) -> None:
    @app.action(DISQUALIFY_LOST)
    @guarded
    async def on_mark_lost(ack, body, action, client):
        await ack()
        await mark_lost(deps, body, action, client)


SUBCOMMANDS["insights"] = show
