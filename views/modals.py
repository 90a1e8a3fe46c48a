"""Modals: the deal form (new and edit), logging a note, and marking a deal lost."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.i18n import Translator
from domain.amounts import CODES
from domain.capture import Captured
from domain.deal_form import DealField
from domain.stages import LOST_DETAILS_MAX, reason_label, stage_label
from models.tables import Deal, LostReason, Stage
from views.archive import archive_block
from views.common import MAX_OPTIONS, clip, escape, option, plain
from views.ids import Action, Block, View

NOTE_MAX = 3000


def input_block(
    block_id: str, label: str, element: dict, optional: bool = False, hint: str | None = None
) -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def text_input(initial: str | None, max_length: int, multiline: bool = False, placeholder: str | None = None):
    element = {
        "type": "plain_text_input",
        "action_id": Action.VALUE,
        "max_length": max_length,
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = clip(initial, max_length)
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def day_picker(initial: date | None = None, placeholder: str | None = None) -> dict:
    """A datepicker, the one element of its input block (read back by domain.picked_day.read_day)."""
    picker: dict = {"type": "datepicker", "action_id": Action.VALUE}
    if initial:
        picker["initial_date"] = initial.isoformat()
    if placeholder:
        picker["placeholder"] = plain(placeholder)
    return picker


def select(options: list[dict], initial_value: str | None) -> dict:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": Action.VALUE,
        "options": options[:MAX_OPTIONS],
    }
    chosen = next((o for o in options if o["value"] == initial_value), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def modal(
    callback_id: str, title: str, submit: str, blocks: list[dict], metadata: str, _: Translator
) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain(_("Cancel"), 24),
        "blocks": blocks,
        "private_metadata": metadata,
    }


def deal_form(
    _: Translator,
    stages: list[Stage],
    currency: str,
    owner_id: str,
    metadata: str,
    deal: Deal | None = None,
    archivable: bool = False,
) -> dict:
    """The New deal modal, or the Edit modal when a deal is given (with `archivable`, for managers and
    admins, its Archive button)."""
    stage_options = [option(stage_label(s, _), str(s.id)) for s in stages]
    currencies = sorted(CODES | {currency})
    amount = None
    if deal and deal.amount_cents is not None:
        amount = f"{deal.amount_cents / 100:.2f}".removesuffix(".00")
    close = day_picker(deal.close_date if deal else None, _("Pick a date"))
    owner = {
        "type": "users_select",
        "action_id": Action.VALUE,
        "initial_user": deal.owner_id if deal else owner_id,
    }
    blocks = [
        input_block(
            DealField.NAME,
            _("Deal name"),
            text_input(deal.name if deal else None, 200, placeholder=_("Acme renewal")),
        ),
        input_block(
            DealField.COMPANY, _("Company"), text_input(deal.company if deal else None, 200), optional=True
        ),
        input_block(
            DealField.AMOUNT,
            _("Amount"),
            text_input(amount, 40, placeholder="50k"),
            optional=True,
            hint=_("Like 50000, 50k, 1.2m or €50.000."),
        ),
        input_block(
            DealField.CURRENCY,
            _("Currency"),
            select([option(c, c) for c in currencies], deal.currency if deal else currency),
        ),
        input_block(
            DealField.STAGE, _("Stage"), select(stage_options, str(deal.stage_id if deal else stages[0].id))
        ),
        input_block(DealField.CLOSE, _("Expected close date"), close, optional=True),
        input_block(DealField.OWNER, _("Owner"), owner),
        input_block(
            DealField.NOTES,
            _("Notes"),
            text_input(deal.notes if deal else None, NOTE_MAX, multiline=True),
            optional=True,
        ),
    ]
    if deal and archivable and deal.archived_at is None:
        blocks.append(archive_block(_, deal))
    if deal:
        return modal(
            View.DEAL_EDIT, _("Edit deal #{number}", number=deal.number), _("Save"), blocks, metadata, _
        )
    return modal(View.DEAL_NEW, _("New deal"), _("Add deal"), blocks, metadata, _)


def note_form(_: Translator, deal: Deal, metadata: str) -> dict:
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*#{deal.number}* {escape(clip(deal.name, 200))}"},
        },
        input_block(DealField.NOTE, _("Note"), text_input(None, NOTE_MAX, multiline=True)),
    ]
    return modal(View.DEAL_NOTE, _("Log a note"), _("Save"), blocks, metadata, _)


def lost_form(
    _: Translator, deal: Deal, reasons: list[LostReason], metadata: str, reason: str | None = None
) -> dict:
    """`reason`: a lost reason key to prefill (a disqualify candidate's)."""
    reason_options = [option(reason_label(r.key, r.text, _), r.key) for r in reasons]
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*#{deal.number}* {escape(clip(deal.name, 200))}"},
        },
        input_block(DealField.REASON, _("Why was it lost?"), select(reason_options, reason), optional=True),
        input_block(
            DealField.DETAILS,
            _("In your own words"),
            text_input(None, LOST_DETAILS_MAX, multiline=True),
            optional=True,
            hint=_("Pick a reason, write one, or both."),
        ),
        input_block(  # read by domain.nurture_form.read_lost_day
            Block.NURTURE_DAY,
            _("Nurture: remind me on"),
            day_picker(placeholder=_("Pick a date")),
            optional=True,
            hint=_("If the deal may come back, I remind you that day."),
        ),
    ]
    return modal(View.DEAL_LOST, _("Mark as lost"), _("Mark lost"), blocks, metadata, _)


def captured_deal_form(
    _: Translator,
    stages: list[Stage],
    currency: str,
    owner_id: str,
    metadata: str,
    captured: Captured,
    notes: str | None = None,
) -> dict:
    """The New deal modal prefilled from a message (domain/capture.py); what it did not read stays
    empty, and the rep checks the rest before adding the deal."""
    view = deal_form(_, stages, currency, owner_id, metadata)
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    amount = captured.amount
    texts = {
        DealField.NAME: captured.name,
        DealField.COMPANY: captured.company,
        DealField.AMOUNT: f"{amount.cents / 100:.2f}".removesuffix(".00") if amount else None,
        DealField.NOTES: notes,
    }
    for block_id, text in texts.items():
        if text:
            elements[block_id]["initial_value"] = clip(text, elements[block_id]["max_length"])
    choices = {DealField.CURRENCY: amount.currency if amount else None, DealField.STAGE: captured.stage_id}
    for block_id, value in choices.items():
        chosen = next((o for o in elements[block_id]["options"] if o["value"] == str(value)), None)
        if value is not None and chosen:
            elements[block_id]["initial_option"] = chosen
    if captured.close:
        elements[DealField.CLOSE]["initial_date"] = captured.close.isoformat()
    return view
