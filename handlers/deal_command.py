"""`/deal`: parse the text, run the use case, answer privately."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.deps import Deps
from bot.i18n import N_, Translator, language_of, translator
from domain.commands import DealCommand
from domain.errors import UserError
from domain.refs import FormMeta, Origin
from handlers.common import offer_if_entered, parsed_deal_command, tr, user_of
from handlers.workspace import workspace
from services import archive, deals, next_steps, nurture, reassign, users
from views.archive import archived_text, unarchived_text
from views.common import context, escape
from views.deals import card_message, deal_list, help_text, moved_text, reassigned_dm, reopened_text
from views.modals import deal_form, lost_form
from views.next_steps import NEXT_DONE, STEP_SET
from views.nurture import dropped_text, nurtured_text


@dataclass(frozen=True)
class Asked:
    """One `/deal` request, parsed: what every verb's use case needs."""

    deps: Deps
    body: dict
    respond: Any
    client: Any
    team: str
    user: str
    now: datetime
    cmd: DealCommand
    _: Translator

    @property
    def db(self) -> Database:
        return self.deps.db


async def deal_command(ack, body, respond, client, context, deps: Deps) -> None:
    await ack()
    _ = tr()
    team, user, now = workspace(), user_of(body), deps.clock()
    cmd = parsed_deal_command(body, context, now.date())
    verb = VERBS.get(cmd.action)
    if verb is None:  # pragma: no cover - the parser only returns the verbs below (qualify: its own listener)
        raise UserError(N_("I don't know `{verb}`. Try `/deal help`."), verb=escape(cmd.action))
    await verb(Asked(deps, body, respond, client, team, user, now, cmd, _))


async def help_(a: Asked) -> None:
    await a.respond(text=a._("What I can do"), blocks=help_text(a._))


async def form(a: Asked) -> None:
    """`/deal` alone or `/deal edit #N`: the deal form."""
    stages, currency, deal = await a.db.run(deals.form_data, a.db, a.team, a.now, a.cmd.number)
    meta = FormMeta(a.cmd.number, origin=Origin.COMMAND, response_url=a.body.get("response_url")).encode()
    archivable = deal is not None and await a.db.run(archive.may_archive, a.db, a.team, a.user)
    view = deal_form(a._, stages, currency, a.user, meta, deal=deal, archivable=archivable)
    await a.client.views_open(trigger_id=a.body["trigger_id"], view=view)


async def add(a: Asked) -> None:
    card = await a.db.run(deals.add, a.db, a.team, a.user, a.cmd, a._, a.now)
    await a.respond(**card_message(card, a._, a.now, a._("Added deal #{number}.", number=card.deal.number)))
    await offer_if_entered(a.deps, a.client, a.team, card)


async def show(a: Asked) -> None:
    card = await a.db.run(deals.card, a.db, a.team, a.cmd.number, a.now)
    await a.respond(**card_message(card, a._, a.now))


async def list_(a: Asked) -> None:
    found = await a.db.run(deals.listing, a.db, a.team, a.user, a.cmd, a._, a.now)
    blocks = deal_list(found.title, found.rows, found.total, a._, a.now, found.empty)
    if found.note:
        blocks.append(context(found.note))
    await a.respond(text=found.title, blocks=blocks)


async def move(a: Asked) -> None:
    changed = await a.db.run(deals.move, a.db, a.team, a.user, a.cmd.number, a.cmd.stage, a._, a.now)
    await a.respond(**card_message(changed.card, a._, a.now, moved_text(changed, a._)))
    await offer_if_entered(a.deps, a.client, a.team, changed.card)


async def won(a: Asked) -> None:
    card = await a.db.run(deals.won, a.db, a.team, a.user, a.cmd.number, a.now)
    headline = a._(":tada: Deal #{number} is won.", number=card.deal.number)
    await a.respond(**card_message(card, a._, a.now, headline))


async def lost(a: Asked) -> None:
    """`/deal lost #N reason` closes it; without a reason, the lost form asks for one."""
    if a.cmd.text:
        card = await a.db.run(deals.lost, a.db, a.team, a.user, a.cmd.number, None, a.cmd.text, a._, a.now)
        headline = a._("Deal #{number} is marked lost.", number=card.deal.number)
        await a.respond(**card_message(card, a._, a.now, headline))
        return
    deal, reasons = await a.db.run(deals.for_lost_form, a.db, a.team, a.cmd.number, a.now)
    meta = FormMeta(deal.number, deal.stage_id, Origin.COMMAND, a.body.get("response_url")).encode()
    await a.client.views_open(trigger_id=a.body["trigger_id"], view=lost_form(a._, deal, reasons, meta))


async def reopen(a: Asked) -> None:
    """`/deal reopen #N [stage]`: a won or lost deal back in an open stage."""
    assert a.cmd.number is not None  # the parser asks for the deal's number
    card = await a.db.run(deals.reopen, a.db, a.team, a.user, a.cmd.number, a.cmd.stage, a._, a.now)
    await a.respond(**card_message(card, a._, a.now, reopened_text(card, a._)))
    await offer_if_entered(a.deps, a.client, a.team, card)


async def note(a: Asked) -> None:
    card = await a.db.run(deals.note, a.db, a.team, a.user, a.cmd.number, a.cmd.text, a.now)
    headline = a._("Note logged on deal #{number}.", number=card.deal.number)
    await a.respond(**card_message(card, a._, a.now, headline))


async def next_(a: Asked) -> None:
    """`/deal next #N <step> [due:<date>]` sets the step; `/deal next #N done` completes it."""
    assert a.cmd.number is not None  # the parser asks for the deal's number
    card = await a.db.run(next_steps.set_step, a.db, a.team, a.cmd.number, a.cmd.extra["step"], a.now)
    headline = NEXT_DONE if card.deal.next_step is None else STEP_SET
    await a.respond(**card_message(card, a._, a.now, a._(headline, number=card.deal.number)))


async def reassign_(a: Asked) -> None:
    """`/deal reassign #N @user`: the deal to another person; they are told by DM."""
    assert a.cmd.number is not None  # the parser asks for the deal's number
    to = await reassign.assignee(a.db, a.client, a.team, a.cmd.extra["to"], a.now)
    card = await a.db.run(reassign.reassign, a.db, a.team, a.user, a.cmd.number, to, a.now, reassigned_dm)
    headline = a._("Deal #{number} is now <@{owner}>'s.", number=card.deal.number, owner=to.user_id)
    await a.respond(**card_message(card, a._, a.now, headline))


async def nurture_(a: Asked) -> None:
    """`/deal nurture #N <day>|off`: a lost deal's owner is reminded of it that day."""
    assert a.cmd.number is not None  # the parser asks for the deal's number
    deal = await a.db.run(nurture.nurture, a.db, a.team, a.cmd.number, a.cmd.close, a.now)
    said = nurtured_text(deal, a._) if a.cmd.close else dropped_text(deal, a._)
    await a.respond(text=said)


async def archive_(a: Asked) -> None:
    """`/deal archive #N` and `/deal unarchive #N`: managers and admins only."""
    assert a.cmd.number is not None  # the parser asks for the deal's number
    change = archive.archive if a.cmd.action == "archive" else archive.unarchive
    card = await a.db.run(change, a.db, a.team, a.user, a.cmd.number, a.now)
    said = archived_text if a.cmd.action == "archive" else unarchived_text
    await a.respond(**card_message(card, a._, a.now, said(card.deal, a._)))


async def language(a: Asked) -> None:
    await set_language(a.deps, a.body, a.respond, a.client, a.team, a.user, a.cmd.text or "auto")


def register(app) -> None:
    app.command("/deal")(deal_command)


async def set_language(deps: Deps, body: dict, respond, client, team: str, user: str, choice: str) -> None:
    """`/deal language nl|de|en|auto`: the rep's own choice, over their Slack locale."""
    language = None if choice == "auto" else choice
    now = deps.clock()
    await deps.db.run(users.set_language, deps.db, team, user, language, now)
    if language is None:
        found = await users.profile(deps.db, client, team, user, now, fresh=True)
        language = language_of(found.locale)
    languages = deps.languages
    assert languages is not None  # handlers.register_all sets it before any listener runs
    languages.remember((team, user), language)
    _ = translator(language or await languages.of_team(team))
    # TRANSLATORS: said in the language just chosen; name that language ("Nederlands", "Deutsch").
    await respond(text=_("From now on I speak English with you."))


# The parser's verb -> its use case. `qualify` and `find` are handlers/qualify.py's and
# handlers/search.py's own listeners.
VERBS: dict[str, Callable[[Asked], Awaitable[None]]] = {
    "help": help_,
    "modal": form,
    "edit": form,
    "add": add,
    "show": show,
    "list": list_,
    "move": move,
    "won": won,
    "lost": lost,
    "note": note,
    "reopen": reopen,
    "next": next_,
    "reassign": reassign_,
    "nurture": nurture_,
    "archive": archive_,
    "unarchive": archive_,
    "language": language,
}
