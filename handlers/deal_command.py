"""`/deal`: parse the text, run the use case, answer privately."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.i18n import N_, language_of, translator
from domain.commands import parse_deal_command
from domain.errors import UserError
from handlers.common import Deps, guarded, offer_if_entered, team_of, tr, user_of
from services import deals, users
from views.common import context, escape, metadata
from views.deals import card_message, deal_list, help_text, moved_text
from views.modals import deal_form, lost_form

# `/deal qualify #N` is the qualification's own listener (handlers/qualify.py), handed in by
# handlers/__init__.py: async (deps, body, respond, client, number) -> None.
Qualify = Callable[[Deps, dict, Any, Any, int], Awaitable[None]]


def register(app, deps: Deps, qualify: Qualify) -> None:
    @app.command("/deal")
    @guarded
    async def deal_command(ack, body, respond, client):
        await ack()
        await run(deps, body, respond, client, qualify)


async def run(deps: Deps, body: dict, respond, client, qualify: Qualify) -> None:
    _ = tr(body)
    team, user, now = team_of(body), user_of(body), deps.clock()
    cmd = parse_deal_command(body.get("text", ""), now.date())
    db = deps.db
    if cmd.action == "help":
        await respond(text=_("What I can do"), blocks=help_text(_))
    elif cmd.action == "modal" or cmd.action == "edit":
        stages, currency, deal = await db.run(deals.form_data, db, team, now, cmd.number)
        meta = metadata(o="cmd", u=body.get("response_url"), n=cmd.number)
        await client.views_open(
            trigger_id=body["trigger_id"], view=deal_form(_, stages, currency, user, meta, deal=deal)
        )
    elif cmd.action == "add":
        card = await db.run(deals.add, db, team, user, cmd, _, now)
        await respond(**card_message(card, _, now, _("Added deal #{number}.", number=card.deal.number)))
        await offer_if_entered(deps, client, team, card)
    elif cmd.action == "show":
        card = await db.run(deals.card, db, team, cmd.number, now)
        await respond(**card_message(card, _, now))
    elif cmd.action == "list":
        found = await db.run(deals.listing, db, team, user, cmd, _, now)
        blocks = deal_list(found.title, found.rows, found.total, _, now, found.empty)
        if found.note:
            blocks.append(context(found.note))
        await respond(text=found.title, blocks=blocks)
    elif cmd.action == "move":
        changed = await db.run(deals.move, db, team, user, cmd.number, cmd.stage, _, now)
        await respond(**card_message(changed.card, _, now, moved_text(changed, _)))
        await offer_if_entered(deps, client, team, changed.card)
    elif cmd.action == "won":
        card = await db.run(deals.won, db, team, user, cmd.number, now)
        await respond(
            **card_message(card, _, now, _(":tada: Deal #{number} is won.", number=card.deal.number))
        )
    elif cmd.action == "lost" and cmd.text:
        card = await db.run(deals.lost, db, team, user, cmd.number, None, cmd.text, _, now)
        await respond(
            **card_message(card, _, now, _("Deal #{number} is marked lost.", number=card.deal.number))
        )
    elif cmd.action == "lost":
        deal, reasons = await db.run(deals.for_lost_form, db, team, cmd.number, now)
        meta = metadata(o="cmd", u=body.get("response_url"), n=deal.number, s=deal.stage_id)
        await client.views_open(trigger_id=body["trigger_id"], view=lost_form(_, deal, reasons, meta))
    elif cmd.action == "language":
        await set_language(deps, body, respond, client, team, user, cmd.text)
    elif cmd.action == "qualify":
        await qualify(deps, body, respond, client, cmd.number)
    elif cmd.action == "note":
        card = await db.run(deals.note, db, team, user, cmd.number, cmd.text, now)
        await respond(
            **card_message(card, _, now, _("Note logged on deal #{number}.", number=card.deal.number))
        )
    else:  # pragma: no cover - the parser only returns the actions above
        raise UserError(N_("I don't know `{verb}`. Try `/deal help`."), verb=escape(cmd.action))


async def set_language(deps: Deps, body: dict, respond, client, team: str, user: str, choice: str) -> None:
    """`/deal language nl|de|en|auto`: the rep's own choice, over their Slack locale."""
    language = None if choice == "auto" else choice
    now = deps.clock()
    await deps.db.run(users.set_language, deps.db, team, user, language, now)
    if language is None:
        found = await users.profile(deps.db, client, team, user, now, fresh=True)
        language = language_of(found.locale)
    deps.languages.remember((team, user), language)
    _ = translator(language or await deps.languages.of_team(team))
    # TRANSLATORS: said in the language just chosen; name that language ("Nederlands", "Deutsch").
    await respond(text=_("From now on I speak English with you."))
