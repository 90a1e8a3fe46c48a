"""The goal part of the settings modal, read with the same rules as `/pipeline goals set`. Pure."""

from __future__ import annotations

from bot.i18n import N_
from domain.deal_form import FieldError
from domain.errors import UserError
from domain.goals import MONTH, PERIODS, TEAM, GoalCommand, parse_deal_count, parse_goal_amount
from domain.view_state import field

WHO, PERIOD, AMOUNT, DEALS = "goal_who", "goal_period", "goal_amount", "goal_deals"


def read_goal_form(values: dict) -> tuple[GoalCommand | None, dict[str, FieldError]]:
    """The goal to set (for the chosen rep, else the team), or None when no amount was typed:
    the other settings are saved without touching any goal. A mistake is a field error."""
    amount_text = (field(values, AMOUNT).get("value") or "").strip()
    deals_text = (field(values, DEALS).get("value") or "").strip()
    if not amount_text:
        if deals_text:
            return None, {AMOUNT: FieldError(N_("Give the goal's amount too, like 50k."), {})}
        return None, {}
    errors: dict[str, FieldError] = {}
    amount = deal_count = None
    try:
        amount = parse_goal_amount(amount_text)
    except UserError as err:
        errors[AMOUNT] = FieldError(err.message, err.params)
    try:
        deal_count = parse_deal_count(deals_text) if deals_text else None
    except UserError as err:
        errors[DEALS] = FieldError(err.message, err.params)
    if errors or amount is None:
        return None, errors
    period = (field(values, PERIOD).get("selected_option") or {}).get("value") or MONTH
    who = field(values, WHO).get("selected_user") or TEAM
    return GoalCommand(who, amount, period if period in PERIODS else MONTH, deal_count), {}
