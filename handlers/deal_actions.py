"""Buttons and selects on deal cards and the Home tab."""

from __future__ import annotations

from bot.deps import Deps
from domain.disqualify import LostRef
from domain.errors import UserError
from domain.refs import CardRef, FormMeta, Origin
from handlers.common import error_blocks, offer_if_entered, publish_home, tr, user_of
from handlers.workspace import workspace
from services import archive, deals
from views.deals import card_message, moved_text, reopened_text
from views.ids import Action
from views.modals import deal_form, lost_form, note_form
from views.next_steps import next_step_form


async def on_move(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.option(action["selected_option"]["value"])
    number, shown_stage, target = ref.deal, ref.shown_stage, ref.target
    _ = tr()
    await act(
        deps,
        body,
        client,
        respond,
        number,
        lambda now: deals.move(
            deps.db,
            workspace(),
            user_of(body),
            number,
            None,
            _,
            now,
            stage_id=target,
            expected_stage_id=shown_stage,
        ),
        lambda changed: moved_text(changed, _),
    )


async def on_won(ack, body, action, client, respond, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown_stage = ref.deal, ref.shown_stage
    _ = tr()
    await act(
        deps,
        body,
        client,
        respond,
        number,
        lambda now: deals.Changed(
            deals.won(deps.db, workspace(), user_of(body), number, now, expected_stage_id=shown_stage)
        ),
        lambda changed: _(":tada: Deal #{number} is won.", number=number),
    )


async def on_reopen(ack, body, action, client, respond, deps):
    """The Reopen button on a won or lost card: back into the stage it was closed from."""
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown_stage = ref.deal, ref.shown_stage
    _ = tr()
    await act(
        deps,
        body,
        client,
        respond,
        number,
        lambda now: deals.Changed(
            deals.reopen(
                deps.db, workspace(), user_of(body), number, None, _, now, expected_stage_id=shown_stage
            )
        ),
        lambda changed: reopened_text(changed.card, _),
    )


async def on_lost(ack, body, action, client, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown_stage = ref.deal, ref.shown_stage
    _ = tr()
    deal, reasons = await deps.db.run(deals.for_lost_form, deps.db, workspace(), number, deps.clock())
    await client.views_open(
        trigger_id=body["trigger_id"], view=lost_form(_, deal, reasons, origin(body, number, shown_stage))
    )


async def on_edit(ack, body, action, client, deps):
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown_stage = ref.deal, ref.shown_stage
    _ = tr()
    stages, currency, deal = await deps.db.run(deals.form_data, deps.db, workspace(), deps.clock(), number)
    archivable = await deps.db.run(archive.may_archive, deps.db, workspace(), user_of(body))
    meta = origin(body, number, shown_stage)
    view = deal_form(_, stages, currency, user_of(body), meta, deal=deal, archivable=archivable)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_note(ack, body, action, client, deps):
    await ack()
    number = CardRef.parse(action["value"]).deal
    deal = await deps.db.run(deals.for_modal, deps.db, workspace(), number, deps.clock())
    await client.views_open(trigger_id=body["trigger_id"], view=note_form(tr(), deal, origin(body, number)))


async def on_new(ack, body, client, deps):
    await ack()
    stages, currency, _deal = await deps.db.run(deals.form_data, deps.db, workspace(), deps.clock())
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=deal_form(tr(), stages, currency, user_of(body), FormMeta(origin=Origin.HOME).encode()),
    )


async def on_next_step(ack, body, action, client, deps):
    """The Next step button on a card or Home: the small what-and-when form."""
    await ack()
    ref = CardRef.parse(action["value"])
    number, shown_stage = ref.deal, ref.shown_stage
    deal = await deps.db.run(deals.for_modal, deps.db, workspace(), number, deps.clock())
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=next_step_form(tr(), deal, origin(body, number, shown_stage)),
    )


async def on_mark_lost(ack, body, action, client, deps):
    """`/pipeline insights`' Mark lost: the lost form with the reason prefilled; submitting it is the
    usual "deal_lost" form."""
    await ack()
    ref = LostRef.parse(action.get("value", ""))
    if ref is None:
        return
    deal, reasons = await deps.db.run(deals.for_lost_form, deps.db, workspace(), ref.number, deps.clock())
    reason = ref.reason if any(r.key == ref.reason for r in reasons) else None
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=lost_form(tr(), deal, reasons, origin(body, ref.number), reason),
    )


def register(app) -> None:
    app.action(Action.DEAL_NEXT_STEP)(on_next_step)
    app.action(Action.DISQUALIFY_LOST)(on_mark_lost)
    app.action(Action.DEAL_MOVE)(on_move)
    app.action(Action.DEAL_WON)(on_won)
    app.action(Action.DEAL_LOST)(on_lost)
    app.action(Action.DEAL_REOPEN)(on_reopen)
    app.action(Action.DEAL_EDIT)(on_edit)
    app.action(Action.DEAL_NOTE)(on_note)
    app.action(Action.HOME_NEW_DEAL)(on_new)


def origin(body: dict, number: int, shown_stage: int | None = None) -> str:
    """Where the modal was opened from, so its result can update that card or Home tab."""
    if (body.get("container") or {}).get("type") == "view":
        return FormMeta(number, shown_stage, Origin.HOME).encode()
    return FormMeta(number, shown_stage, Origin.MESSAGE, body.get("response_url")).encode()


async def act(deps: Deps, body: dict, client, respond, number: int, change, headline) -> None:
    """Run a change and show its card where the button was; a stale card is refreshed, not acted on."""
    _ = tr()
    now = deps.clock()
    changed = None
    try:
        changed = await deps.db.run(change, now)
        message = card_message(changed.card, _, now, headline(changed))
    except UserError as err:
        if not err.refresh:
            raise
        card = await deps.db.run(deals.card, deps.db, workspace(), number, now)
        message = card_message(card, _, now)
        message["blocks"] = error_blocks(_, err) + message["blocks"]
    if (body.get("container") or {}).get("type") == "view":
        await publish_home(deps, client, workspace(), user_of(body))
    else:
        await respond(replace_original=True, **message)
    if changed is not None:
        await offer_if_entered(deps, client, workspace(), changed.card)
