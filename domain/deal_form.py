"""Reading the deal modal's submitted values into a new deal, or field errors. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.i18n import N_
from domain.amounts import Amount, AmountError, amount_error, parse_amount
from domain.commands import INVISIBLE_NAME, MAX_COMPANY, MAX_NAME, MAX_NOTE
from domain.slack_ids import is_slack_id
from domain.text_safety import is_blank
from domain.view_state import field


class DealField(StrEnum):
    """The deal form's inputs (new and edit), the note form's and the Lost form's (views/modals.py), by
    the block ids Slack carries back."""

    NAME = "name"
    COMPANY = "company"
    AMOUNT = "amount"
    CURRENCY = "currency"
    STAGE = "stage"
    CLOSE = "close"
    OWNER = "owner"
    NOTES = "notes"
    NOTE = "note"  # the note form
    REASON = "reason"  # the Lost form, with DETAILS (its Nurture day: domain.nurture_form.DAY)
    DETAILS = "details"


@dataclass
class NewDeal:
    name: str
    owner_id: str
    company: str | None = None
    amount: Amount | None = None
    currency: str | None = None
    stage_id: int | None = None
    close_date: date | None = None
    notes: str | None = None


@dataclass
class FieldError:
    message: str
    params: dict


def read_deal_form(values: dict, default_owner: str) -> tuple[NewDeal | None, dict[str, FieldError]]:
    """values is Slack's view.state.values. Returns the deal, or the errors per block id."""
    errors: dict[str, FieldError] = {}
    name = (field(values, DealField.NAME).get("value") or "").strip()
    if not name:
        errors[DealField.NAME] = FieldError(N_("Give the deal a name."), {})
    elif is_blank(name):
        errors[DealField.NAME] = FieldError(INVISIBLE_NAME, {})
    elif len(name) > MAX_NAME:
        errors[DealField.NAME] = FieldError(
            N_("Keep the name under {limit} characters."), {"limit": MAX_NAME}
        )
    company = (field(values, DealField.COMPANY).get("value") or "").strip() or None
    if company and len(company) > MAX_COMPANY:
        errors[DealField.COMPANY] = FieldError(
            N_("Keep the company under {limit} characters."), {"limit": MAX_COMPANY}
        )
    amount = None
    amount_text = (field(values, DealField.AMOUNT).get("value") or "").strip()
    if amount_text:
        try:
            amount = parse_amount(amount_text)
        except AmountError as exc:
            err = amount_error(exc, amount_text)
            errors[DealField.AMOUNT] = FieldError(err.message, err.params)
    currency = ((field(values, DealField.CURRENCY).get("selected_option") or {}).get("value")) or None
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", str(currency)):
        errors[DealField.CURRENCY] = FieldError(N_("Pick a currency from the list."), {})
    stage_value = (field(values, DealField.STAGE).get("selected_option") or {}).get("value")
    stage_id = (
        int(stage_value) if isinstance(stage_value, str) and re.fullmatch(r"\d{1,9}", stage_value) else None
    )
    if stage_id is None:
        errors[DealField.STAGE] = FieldError(N_("Pick a stage."), {})
    close = None
    close_text = field(values, DealField.CLOSE).get("selected_date")
    if close_text:
        try:
            close = date.fromisoformat(close_text)
        except ValueError:
            errors[DealField.CLOSE] = FieldError(N_("Pick a valid date."), {})
        else:
            if not date(2000, 1, 1) <= close <= date(2100, 12, 31):
                errors[DealField.CLOSE] = FieldError(N_("Pick a date between 2000 and 2100."), {})
    owner = field(values, DealField.OWNER).get("selected_user") or default_owner
    if not is_slack_id(owner):
        errors[DealField.OWNER] = FieldError(N_("Pick a person from the list."), {})
    notes = (field(values, DealField.NOTES).get("value") or "").strip() or None
    if notes and len(notes) > MAX_NOTE:
        errors[DealField.NOTES] = FieldError(
            N_("Keep the notes under {limit} characters."), {"limit": MAX_NOTE}
        )
    if errors:
        return None, errors
    return NewDeal(
        name=name,
        owner_id=owner,
        company=company,
        amount=amount,
        currency=currency,
        stage_id=stage_id,
        close_date=close,
        notes=notes,
    ), {}


def read_note(values: dict) -> tuple[str, dict[str, FieldError]]:
    """The note modal (on a card or a nudge): the text, or why it cannot be saved."""
    text = (field(values, DealField.NOTE).get("value") or "").strip()
    if not text:
        return text, {DealField.NOTE: FieldError(N_("Write a note first."), {})}
    if len(text) > MAX_NOTE:
        return text, {
            DealField.NOTE: FieldError(N_("Keep the note under {limit} characters."), {"limit": MAX_NOTE})
        }
    return text, {}


def read_lost(values: dict) -> tuple[str | None, str | None, dict[str, FieldError]]:
    """The lost modal: a reason from the team's list, the rep's own words, or both."""
    key = (field(values, DealField.REASON).get("selected_option") or {}).get("value")
    details = (field(values, DealField.DETAILS).get("value") or "").strip() or None
    if not key and not details:
        return None, None, {DealField.REASON: FieldError(N_("Pick a reason or write one."), {})}
    return key, details, {}
