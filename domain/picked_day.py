"""A day picked in a modal for something to come back later: read from the modal's datepicker, and
refused unless it is after today (today's would come back at once). Pure.

The nurture's Not yet (and the Lost form's Nurture day) and the reminder's Snooze pick their day
here; the nudge's Snooze reads its datepicker here too, and keeps its own rule (domain.nudges.snooze_end).
"""

from __future__ import annotations

from datetime import date

from bot.i18n import N_
from domain.errors import UserError
from domain.view_state import field


def read_day(values: dict, block: str) -> date | None:
    """The day picked in the datepicker of `block`, from Slack's view.state.values (None when left empty)."""
    picked = field(values, block).get("selected_date")
    try:
        return date.fromisoformat(picked) if picked else None
    except ValueError:
        raise UserError(N_("Pick a valid date.")) from None


def after_today(picked: date | None, today: date, missing: str) -> date:
    """The picked day, if after today; `missing` (a catalog id) is the error when none was picked."""
    if picked is None:
        raise UserError(missing)
    if picked <= today:
        raise UserError(N_("Pick a day after today."))
    return picked
