"""The nurture DM (a lost deal's day has come: Reopen, Not yet, Drop), the Not yet modal, the DM's
line once answered, and the card's nurture line."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Translator
from domain.nurture import WAITING, Nurtured, NurtureRef
from models.tables import Deal
from views.common import actions, button, clip, context, escape, section
from views.ids import Action, Block, View, keyed
from views.modals import day_picker, input_block, modal

NAME_LIMIT = 120
LATER = timedelta(days=30)  # Not yet's first suggestion


def nurture_dm(_: Translator, deal: Nurtured) -> dict:
    """ "Time to look at #12 Acme again", the reason it was lost, and the buttons that answer it."""
    text = _(
        "Time to look at #{number} {name} again", number=deal.number, name=escape(clip(deal.name, NAME_LIMIT))
    )
    body = f":seedling: *{text}*\n" + _("You asked me to remind you of this lost deal today.")
    if deal.lost_reason:
        body += "\n" + _("*Lost:* {reason}", reason=escape(clip(deal.lost_reason, 500)))
    value = NurtureRef(deal.number, deal.on).encode()
    buttons = [
        button(_("Reopen"), Action.NURTURE_REOPEN, value, style="primary"),
        button(_("Not yet"), Action.NURTURE_NOT_YET, value),
        button(_("Drop"), Action.NURTURE_DROP, value),
    ]
    return {
        "text": text,
        "blocks": [section(body), actions(buttons, block_id=keyed(Block.NURTURE_ACTIONS, deal.number))],
    }


def not_yet_form(_: Translator, deal: Deal, today: date, metadata: str) -> dict:
    blocks = [
        section(f"*#{deal.number}* {escape(clip(deal.name, 200))}"),
        input_block(Block.NURTURE_DAY, _("Remind me again on"), day_picker(today + LATER)),
    ]
    return modal(View.NURTURE_NOT_YET, _("Not yet"), _("Remind me"), blocks, metadata, _)


def nurture_line(deal: Deal, _: Translator) -> str | None:
    """The card's line for a lost deal waiting in nurture."""
    if deal.nurture_state != WAITING or deal.nurture_on is None:
        return None
    return _("*Nurture:* I remind <@{owner}> on {date}.", owner=deal.owner_id, date=_.date(deal.nurture_on))


def nurtured_text(deal: Deal, _: Translator) -> str:
    assert deal.nurture_on is not None  # nurture_queries.start set it
    return _("I'll remind you of deal #{number} on {date}.", number=deal.number, date=_.date(deal.nurture_on))


def dropped_text(deal: Deal, _: Translator) -> str:
    return _("No more reminders of deal #{number}.", number=deal.number)


def reopened(_: Translator, stage: str) -> str:
    return _("↩️ Reopened in {stage}.", stage=stage)


def later(_: Translator, on: date) -> str:
    return _("💤 I'll remind you again on {date}.", date=_.date(on))


def dropped(_: Translator) -> str:
    return _("✓ Dropped: no more reminders of this deal.")


def stale(text: str) -> str:
    return f":warning: {text}"


def resolve(blocks: list[dict], number: int, status: str) -> list[dict]:
    """The DM's blocks with its buttons replaced by what became of the deal."""
    ids = (keyed(Block.NURTURE_ACTIONS, number), keyed(Block.NURTURE_OUTCOME, number))
    return [
        {**context(status), "block_id": keyed(Block.NURTURE_OUTCOME, number)}
        if b.get("block_id") in ids
        else b
        for b in blocks
    ]
