"""Modal submissions: new deal, edit, note and lost. Field errors go back into the modal."""

from __future__ import annotations

from domain.deal_form import read_deal_form
from domain.errors import UserError
from handlers.common import Deps, guarded, read_metadata, send_to_response_url, team_of, tr, user_of
from handlers.home import publish_home
from services import deals
from views.deals import card_message


def register(app, deps: Deps) -> None:
    db = deps.db

    @app.view("deal_new")
    @guarded
    async def on_new(ack, body, view, client):
        _ = tr(body)
        new, errors = read_deal_form(view["state"]["values"], user_of(body))
        if errors:
            await ack(response_action="errors", errors={k: _(e.message, **e.params) for k, e in errors.items()})
            return
        now = deps.clock()
        try:
            card = await db.run(deals.create, db, team_of(body), user_of(body), new, now)
        except UserError as err:
            await ack(response_action="errors", errors={"stage": _(err.message, **err.params)})
            return
        await ack()
        await show(deps, body, client, view, card_message(
            card, _, now, _("Added deal #{number}.", number=card.deal.number)), replace=False)

    @app.view("deal_edit")
    @guarded
    async def on_edit(ack, body, view, client):
        _ = tr(body)
        meta = read_metadata(view)
        new, errors = read_deal_form(view["state"]["values"], user_of(body))
        if errors:
            await ack(response_action="errors", errors={k: _(e.message, **e.params) for k, e in errors.items()})
            return
        now = deps.clock()
        try:
            card = await db.run(deals.update, db, team_of(body), user_of(body), int(meta.get("n") or 0), new, now)
        except UserError as err:
            await ack(response_action="errors", errors={"name": _(err.message, **err.params)})
            return
        await ack()
        await show(deps, body, client, view, card_message(
            card, _, now, _("Deal #{number} saved.", number=card.deal.number)))

    @app.view("deal_note")
    @guarded
    async def on_note(ack, body, view, client):
        _ = tr(body)
        text = ((view["state"]["values"].get("note") or {}).get("value") or {}).get("value") or ""
        if not text.strip():
            await ack(response_action="errors", errors={"note": _("Write a note first.")})
            return
        if len(text) > 3000:
            await ack(response_action="errors", errors={"note": _("Keep the note under {limit} characters.",
                                                                  limit=3000)})
            return
        meta, now = read_metadata(view), deps.clock()
        try:
            card = await db.run(deals.note, db, team_of(body), user_of(body), int(meta.get("n") or 0),
                                text.strip(), now)
        except UserError as err:
            await ack(response_action="errors", errors={"note": _(err.message, **err.params)})
            return
        await ack()
        await show(deps, body, client, view, card_message(
            card, _, now, _("Note logged on deal #{number}.", number=card.deal.number)))

    @app.view("deal_lost")
    @guarded
    async def on_lost(ack, body, view, client):
        _ = tr(body)
        values = view["state"]["values"]
        key = (((values.get("reason") or {}).get("value") or {}).get("selected_option") or {}).get("value")
        details = (((values.get("details") or {}).get("value") or {}).get("value") or "").strip() or None
        if not key and not details:
            await ack(response_action="errors", errors={"reason": _("Pick a reason or write one.")})
            return
        meta, now = read_metadata(view), deps.clock()
        try:
            card = await db.run(deals.lost, db, team_of(body), user_of(body), int(meta.get("n") or 0), key,
                                details, _, now, expected_stage_id=meta.get("s"))
        except UserError as err:
            await ack(response_action="errors", errors={"reason": _(err.message, **err.params)})
            return
        await ack()
        await show(deps, body, client, view, card_message(
            card, _, now, _("Deal #{number} is marked lost.", number=card.deal.number)))


async def show(deps: Deps, body: dict, client, view: dict, message: dict, replace: bool = True) -> None:
    """Put the result where the modal came from: the card it was opened on, the command, or Home."""
    meta = read_metadata(view)
    if meta.get("o") == "home":
        await publish_home(deps, client, team_of(body), user_of(body))
    elif meta.get("u"):
        await send_to_response_url(meta["u"], response_type="ephemeral",
                                   replace_original=replace and meta.get("o") == "msg", **message)
    else:
        await client.chat_postMessage(channel=user_of(body), **message)
