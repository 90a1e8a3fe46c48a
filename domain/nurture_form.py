"""The Lost form's Nurture day, read into the deal form's field errors. Pure."""

from __future__ import annotations

from datetime import date

from domain.deal_form import FieldError
from domain.errors import UserError
from domain.nurture import read_day, remind_on


def read_lost_day(values: dict, today: date) -> tuple[date | None, dict[str, FieldError]]:
    """The Lost form's optional Nurture day, or its field error (a day not after today)."""
    try:
        picked = read_day(values)
        return (remind_on(picked, today) if picked else None), {}
    except UserError as err:
        return None, {"nurture": FieldError(err.message, err.params)}
