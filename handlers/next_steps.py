"""The Next step button on a deal card or Home, and its modal."""

from __future__ import annotations

from domain.next_step_form import read_next_step_form
from domain.next_steps import NextStep
from handlers.common import Deps, deal_number, guarded, parse_value, tr
from handlers.deal_actions import origin
from handlers.deal_command import STEP_SET
from handlers.deal_forms import submit
from handlers.workspace import workspace
from services import next_steps
from views.next_steps import NEXT_STEP_ACTION, next_step_form


def register(app, deps: Deps) -> None:
    @app.action(NEXT_STEP_ACTION)
    @guarded
    async def on_next_step(ack, body, action, client):
        await open_form(deps, ack, body, action, client)

    @app.view(NEXT_STEP_ACTION)
    @guarded
    async def on_next_step_saved(ack, body, view, client):
        await on_submit(deps, ack, body, view, client)


async def open_form(deps: Deps, ack, body, action, client) -> None:
    await ack()
    number, shown_stage, _target = parse_value(action["value"])
    deal = await deps.db.run(next_steps.for_form, deps.db, workspace(), number, deps.clock())
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=next_step_form(tr(body), deal, origin(body, number, shown_stage)),
    )


async def on_submit(deps: Deps, ack, body, view, client) -> None:
    step, errors = read_next_step_form(view["state"]["values"], deps.clock().date())
    number = deal_number(view)
    await submit(
        deps,
        ack,
        body,
        view,
        client,
        errors,
        "step",
        lambda now: next_steps.set_step(deps.db, workspace(), number, _read(step), now),
        STEP_SET,
    )


def _read(step: NextStep | None) -> NextStep:
    """The form's step, in a change that run_form runs only when the form read without errors."""
    assert step is not None
    return step
