"""`/deal find <words>` and the deal picker (an external_select): its options as the rep types,
and the deal they pick."""

from __future__ import annotations

from domain.commands import parse_deal_command
from domain.errors import UserError
from domain.refs import CardRef
from domain.search import read_search
from handlers.common import Deps, deal_verb, tr, user_of
from handlers.workspace import workspace
from services import deals
from services import search as searching
from views.deals import card_message
from views.ids import Action
from views.search import PICKED, deal_options, found_message


async def find_command(ack, body, respond, deps: Deps) -> None:
    await ack()
    _, team, now = tr(), workspace(), deps.clock()
    cmd = parse_deal_command(body.get("text", ""), now.date())
    search, db = cmd.extra["search"], deps.db
    if search.number is not None:  # `/deal find #12` is `/deal #12`, the fast path
        await respond(**card_message(await db.run(deals.card, db, team, search.number, now), _, now))
        return
    found = await db.run(searching.find, db, team, search, now)
    await respond(**found_message(found, cmd.text or "", _, now))


async def suggest(ack, body, deps: Deps) -> None:
    """Slack's options request for the picker: the answer is the ack, so it comes before anything
    else. Words that are no search (too short, too long, punctuation) get no options: a menu has
    no room for an explanation, and Slack shows "No results"."""
    team, now = workspace(), deps.clock()
    try:
        search = read_search(body.get("value"))
    except UserError:
        await ack(deal_options(None))
        return
    await ack(deal_options(await deps.db.run(searching.find, deps.db, team, search, now)))


async def picked(ack, body, client, deps: Deps) -> None:
    """A deal picked on the Home tab: its card in the rep's DM with the bot, where its buttons work."""
    await ack()
    _, team, user, now = tr(), workspace(), user_of(body), deps.clock()
    chosen = ((body.get("actions") or [{}])[0].get("selected_option") or {}).get("value", "")
    number = CardRef.parse(chosen).deal
    card = await deps.db.run(deals.card, deps.db, team, number, now)
    await client.chat_postMessage(channel=user, **card_message(card, _, now, _(PICKED, number=number)))


def register(app) -> None:
    app.command("/deal", matchers=[deal_verb("find")])(find_command)
    app.options(Action.DEAL_PICK)(suggest)
    app.action(Action.DEAL_PICK)(picked)
