"""Modal submissions: new deal, edit, note and lost. Field errors go back into the modal."""

from __future__ import annotations

from bot.i18n import N_
from domain.deal_form import FieldError, field, read_deal_form
from domain.errors import UserError
from handlers.common import Deps, guarded, read_metadata, send_to_response_url, team_of, tr, user_of
from handlers.home import publish_home
from services import deals
from views.common import context
from views.deals import card_message


def register(app, deps: Deps) -> None:
    db = deps.db

    @app.view("deal_new")
    @guarded
    async def on_new(ack, body, view, client):
        new, errors = read_deal_form(view["state"]["values"], user_of(body))
        await submit(deps, ack, body, view, client, errors, "stage",
                     lambda now: deals.create(db, team_of(body), user_of(body), new, now),
                     N_("Added deal #{number}."), replace=False,
                     check=lambda now: deals.check_form(db, team_of(body), now, stage_id=new.stage_id))

    @app.view("deal_edit")
    @guarded
    async def on_edit(ack, body, view, client):
        new, errors = read_deal_form(view["state"]["values"], user_of(body))
        await submit(deps, ack, body, view, client, errors, "name",
                     lambda now: deals.update(db, team_of(body), user_of(body), deal_number(view), new, now),
                     N_("Deal #{number} saved."),
                     check=lambda now: deals.check_form(db, team_of(body), now, number=deal_number(view),
                                                        stage_id=new.stage_id))

    @app.view("deal_note")
    @guarded
    async def on_note(ack, body, view, client):
        text = (field(view["state"]["values"], "note").get("value") or "").strip()
        errors = {}
        if not text:
            errors["note"] = FieldError(N_("Write a note first."), {})
        elif len(text) > 3000:
            errors["note"] = FieldError(N_("Keep the note under {limit} characters."), {"limit": 3000})
        await submit(deps, ack, body, view, client, errors, "note",
                     lambda now: deals.note(db, team_of(body), user_of(body), deal_number(view), text, now),
                     N_("Note logged on deal #{number}."),
                     check=lambda now: deals.check_form(db, team_of(body), now, number=deal_number(view)))

    @app.view("deal_lost")
    @guarded
    async def on_lost(ack, body, view, client):
        key = (field(view["state"]["values"], "reason").get("selected_option") or {}).get("value")
        details = (field(view["state"]["values"], "details").get("value") or "").strip() or None
        errors = {} if key or details else {"reason": FieldError(N_("Pick a reason or write one."), {})}
        shown_stage = read_metadata(view).get("s")
        shown_stage = shown_stage if isinstance(shown_stage, int) else None
        await submit(deps, ack, body, view, client, errors, "reason",
                     lambda now: deals.lost(db, team_of(body), user_of(body), deal_number(view), key, details,
                                            tr(body), now, expected_stage_id=shown_stage),
                     N_("Deal #{number} is marked lost."),
                     check=lambda now: deals.check_form(db, team_of(body), now, number=deal_number(view), lost=True,
                                                        expected_stage_id=shown_stage))


def deal_number(view: dict) -> int:
    """The deal a modal is about, from its private metadata (which only the bot writes)."""
    number = read_metadata(view).get("n")
    if not isinstance(number, int) or not 0 < number < 10**9:
        raise UserError(N_("That form is out of date. Open the deal again with `/deal #N`."))
    return number


async def submit(deps: Deps, ack, body: dict, view: dict, client, errors: dict[str, FieldError], field: str,
                 change, headline: str, replace: bool = True, check=None) -> None:
    """Field errors go back into the modal; otherwise close the modal, then run the change and show
    the card. What the change would refuse (a stage removed meanwhile, a deal closed) is found by
    `check`, a read, before the ack and lands on `field`; the write itself comes after the ack, so
    the modal never waits for the database's write lock. Should the change still be refused (it
    happened in the moment between), the rep is told where the modal came from."""
    _ = tr(body)
    if errors:
        await ack(response_action="errors", errors={k: _(e.message, **e.params) for k, e in errors.items()})
        return
    now = deps.clock()
    try:
        if check is not None:
            await deps.db.run_before_ack(check, now)
    except UserError as err:
        await ack(response_action="errors", errors={field: err.text(_)})
        return
    await ack()
    try:
        card = await deps.db.run(change, now)
    except UserError as err:
        if err.refresh:  # the deal moved on meanwhile: show it as it is now, with why nothing changed
            card = await deps.db.run(deals.card, deps.db, team_of(body), deal_number(view), now)
            message = card_message(card, _, now)
            message["blocks"] = [context(":warning: " + err.text(_))] + message["blocks"]
            await show(deps, body, client, view, message, replace)
            return
        text = _("Nothing was saved: {reason}", reason=err.text(_))
        await show(deps, body, client, view, {"text": text, "blocks": [context(":warning: " + text)]}, False,
                   error=True)
        return
    message = card_message(card, _, now, _(headline, number=card.deal.number))
    await show(deps, body, client, view, message, replace)


async def show(deps: Deps, body: dict, client, view: dict, message: dict, replace: bool = True,
               error: bool = False) -> None:
    """Put the result where the modal came from: the card it was opened on, the command, or Home
    (an error from Home comes by DM)."""
    meta = read_metadata(view)
    if meta.get("o") == "home" and not error:
        await publish_home(deps, client, team_of(body), user_of(body))
    elif meta.get("u"):
        await send_to_response_url(meta["u"], response_type="ephemeral",
                                   replace_original=replace and meta.get("o") == "msg", **message)
    else:
        await client.chat_postMessage(channel=user_of(body), **message)
