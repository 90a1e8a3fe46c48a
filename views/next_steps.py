"""How a next step reads on cards, lists and Home, its button, and the Next step modal."""

from __future__ import annotations

from datetime import date

from bot.i18n import N_, Translator
from domain.next_step_form import DUE, STEP
from domain.next_steps import MAX_STEP
from models.tables import Deal
from views.common import button, clip, escape
from views.ids import Action, View
from views.modals import day_picker, input_block, modal, text_input


def step_text(deal: Deal, _: Translator, today: date, limit: int = MAX_STEP) -> str | None:
    """ "Send the proposal · due Dec 4, 2026 (overdue)", or None when the deal has no next step."""
    if not deal.next_step:
        return None
    text = escape(clip(deal.next_step, limit))
    if deal.next_step_due is None:
        return text
    if deal.next_step_due < today:
        return _("{step} · due {date} (overdue)", step=text, date=_.date(deal.next_step_due))
    if deal.next_step_due == today:
        return _("{step} · due today", step=text)
    return _("{step} · due {date}", step=text, date=_.date(deal.next_step_due))


def next_step_button(deal: Deal, value: str, _: Translator) -> dict:
    return button(_("Next step"), Action.DEAL_NEXT_STEP, value)


def next_step_form(_: Translator, deal: Deal, metadata: str) -> dict:
    """What the rep does next (prefilled with the current step) and when."""
    when = day_picker(deal.next_step_due, _("Pick a date"))
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*#{deal.number}* {escape(clip(deal.name, 200))}"},
        },
        input_block(
            STEP, _("What"), text_input(deal.next_step, MAX_STEP, placeholder=_("Send the proposal"))
        ),
        input_block(DUE, _("When"), when, optional=True),
    ]
    return modal(View.DEAL_NEXT_STEP, _("Next step"), _("Save"), blocks, metadata, _)


# Headlines of a set or completed step, shown above the card (the command's and the form's).
STEP_SET = N_("Next step set on deal #{number}.")
NEXT_DONE = N_("Next step on deal #{number} is done. What comes next? `/deal next #{number} <step>`")
