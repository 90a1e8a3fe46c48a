"""The nurture DM's buttons (Reopen, Not yet, Drop) and its Not yet modal; the Edit form's Archive button.

Each button acts only on the day the DM was for (a deal nurtured again, dropped or reopened since
is stale), then shows the outcome in place of the DM's buttons: through the action's response_url,
or for Not yet's modal the response_url it keeps in its metadata.
"""

from __future__ import annotations

from domain.errors import UserError
from domain.nurture import Nurtured, NurtureRef, remind_on
from domain.picked_day import read_day
from domain.refs import BUTTON_OUT_OF_DATE, CardRef, FormMeta
from domain.zones import zone
from handlers.common import send_to_response_url, tr, user_of
from handlers.workspace import workspace
from services import archive, nurture
from views import nurture as v
from views.archive import archived_modal
from views.common import shown_stage
from views.deals import card_message
from views.ids import Action, Block, View


def _ref(value: str | None) -> NurtureRef:
    ref = NurtureRef.parse(value or "")
    if ref is None:
        raise UserError(BUTTON_OUT_OF_DATE)
    return ref


async def on_reopen(ack, body, action, respond, deps):
    """Straight back into the stage it was lost from, as `/deal reopen` does; the card below the DM
    offers the other stages."""
    await ack()
    ref, _, now = _ref(action.get("value")), tr(), deps.clock()
    try:
        card = await deps.db.run(nurture.reopen, deps.db, workspace(), user_of(body), ref, now)
    except UserError as err:
        await _resolve(body, respond, ref, _stale(err))
        return
    await _resolve(body, respond, ref, v.reopened(_, shown_stage(card.stage, _)))
    await respond(replace_original=False, **card_message(card, _, now))


async def on_not_yet(ack, body, action, client, respond, deps):
    await ack()
    ref, _ = _ref(action.get("value")), tr()
    try:
        deal, tz = await deps.db.run(nurture.for_not_yet, deps.db, workspace(), user_of(body), ref)
    except UserError as err:
        await _resolve(body, respond, ref, _stale(err))
        return
    meta = FormMeta(ref.deal, response_url=body.get("response_url"), zone=tz.key, day=ref.on.isoformat())
    today = deps.clock().astimezone(tz).date()
    await client.views_open(trigger_id=body["trigger_id"], view=v.not_yet_form(_, deal, today, meta.encode()))


async def on_not_yet_submit(ack, body, view, deps):
    """The new day; the DM's line then says when it comes again."""
    _, meta, now = tr(), FormMeta.of(view), deps.clock()
    ref = _ref(f"{meta.deal}:{meta.day}")
    try:
        on = remind_on(
            read_day(view["state"]["values"], Block.NURTURE_DAY), now.astimezone(zone(meta.zone)).date()
        )
        deal = await deps.db.run(nurture.not_yet, deps.db, workspace(), ref, on, now)
    except UserError as err:
        await ack(response_action="errors", errors={Block.NURTURE_DAY: err.text(_)})
        return
    await ack()
    if meta.response_url:
        shown = v.nurture_dm(_, Nurtured(deal.number, deal.name, deal.lost_reason, ref.on))
        blocks = v.resolve(shown["blocks"], deal.number, v.later(_, on))
        await send_to_response_url(
            meta.response_url, text=shown["text"], blocks=blocks, replace_original=True
        )


async def on_drop(ack, body, action, respond, deps):
    await ack()
    ref, _ = _ref(action.get("value")), tr()
    try:
        await deps.db.run(nurture.drop, deps.db, workspace(), ref, deps.clock())
    except UserError as err:
        await _resolve(body, respond, ref, _stale(err))
        return
    await _resolve(body, respond, ref, v.dropped(_))


async def on_archive(ack, body, action, client, deps):
    """The Edit form's Archive button (after Slack's confirmation): the form says it is done."""
    await ack()
    number = CardRef.parse(action.get("value")).deal
    card = await deps.db.run(archive.archive, deps.db, workspace(), user_of(body), number, deps.clock())
    view = body.get("view") or {}
    await client.views_update(
        view_id=view.get("id"), hash=view.get("hash"), view=archived_modal(tr(), card.deal)
    )


def register(app) -> None:
    app.action(Action.NURTURE_REOPEN)(on_reopen)
    app.action(Action.NURTURE_NOT_YET)(on_not_yet)
    app.action(Action.NURTURE_DROP)(on_drop)
    app.view(View.NURTURE_NOT_YET)(on_not_yet_submit)
    app.action(Action.DEAL_ARCHIVE)(on_archive)


def _stale(err: UserError) -> str:
    """A deal that changed since the DM: its line says so. Any other error is the rep's to hear."""
    if not err.refresh:
        raise err
    return v.stale(err.text(tr()))


async def _resolve(body: dict, respond, ref: NurtureRef, status: str) -> None:
    message = body.get("message") or {}
    blocks = v.resolve(message.get("blocks") or [], ref.deal, status)
    await respond(text=message.get("text") or status, blocks=blocks, replace_original=True)
