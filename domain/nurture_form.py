"""The Lost form's Nurture day, read into the deal form's field errors. Pure."""

from __future__ import annotations

from datetime import date

from domain.deal_form import FieldError
from domain.errors import UserError
from domain.nurture import remind_on
from domain.picked_day import read_day

# The Nurture day's block, in the Lost form and in the Not yet modal (views.ids.Block.NURTURE_DAY).
DAY = "nurture"


def read_lost_day(values: dict, today: date) -> tuple[date | None, dict[str, FieldError]]:
    """The Lost form's optional Nurture day, or its field error (a day not after today)."""
    try:
        picked = read_day(values, DAY)
        return (remind_on(picked, today) if picked else None), {}
    except UserError as err:
        return None, {DAY: FieldError(err.message, err.params)}
