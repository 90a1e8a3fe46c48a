"""Archiving a deal: the Edit form's Archive button (managers and admins), the card's archived line,
and the modal that says it is done."""

from __future__ import annotations

from bot.i18n import Translator
from domain.refs import CardRef
from models.tables import Deal
from views.common import actions, button, context, person, plain, section
from views.ids import Action, Block


def archive_block(_: Translator, deal: Deal) -> dict:
    """Below the Edit form's fields, with Slack's own confirmation before it acts."""
    element = button(_("Archive deal"), Action.DEAL_ARCHIVE, CardRef(deal.number).encode(), style="danger")
    element["confirm"] = {
        "title": plain(_("Archive deal #{number}?", number=deal.number), 100),
        "text": plain(
            _(
                "It leaves the lists, Home and totals; the history and the export keep it. "
                "`/deal unarchive #{number}` brings it back.",
                number=deal.number,
            ),
            300,
        ),
        "confirm": plain(_("Archive"), 30),
        "deny": plain(_("Cancel"), 30),
    }
    return actions([element], block_id=Block.DEAL_ARCHIVE)


def archived_line(deal: Deal, _: Translator) -> str | None:
    if deal.archived_at is None:
        return None
    return _(
        ":file_cabinet: Archived by {who} on {date}. `/deal unarchive #{number}` brings it back.",
        who=person(deal.archived_by or "", _),
        date=_.date(deal.archived_at.date()),
        number=deal.number,
    )


def archived_text(deal: Deal, _: Translator) -> str:
    return _("Deal #{number} is archived.", number=deal.number)


def unarchived_text(deal: Deal, _: Translator) -> str:
    return _("Deal #{number} is back in the lists and totals.", number=deal.number)


def archived_modal(_: Translator, deal: Deal) -> dict:
    """What the Edit form turns into once its Archive button has acted."""
    return {
        "type": "modal",
        "title": plain(_("Deal archived"), 24),
        "close": plain(_("Close"), 24),
        "blocks": [section(archived_text(deal, _)), context(archived_line(deal, _) or "")],
    }
