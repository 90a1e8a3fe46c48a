"""Reading the Next step modal into a step, or field errors. Pure.

Its own module: domain.deal_form (its helpers) imports domain.commands, which reads `/deal next`
through domain.next_steps, so the form reader cannot live there.
"""

from __future__ import annotations

from datetime import date

from bot.i18n import N_
from domain.deal_form import FieldError
from domain.errors import UserError
from domain.next_steps import NextStep, check_due, check_step
from domain.view_state import field

STEP, DUE = "step", "due"  # the modal's inputs (views/next_steps.py)


def read_next_step_form(values: dict, today: date) -> tuple[NextStep | None, dict[str, FieldError]]:
    errors: dict[str, FieldError] = {}
    text, due = None, None
    typed = (field(values, STEP).get("value") or "").strip()
    try:
        if not typed:
            raise UserError(N_("Write the next step first."))
        text = check_step(typed)
    except UserError as err:
        errors[STEP] = FieldError(err.message, err.params)
    picked = field(values, DUE).get("selected_date")
    if picked:
        try:
            due = check_due(date.fromisoformat(picked), today)
        except UserError as err:
            errors[DUE] = FieldError(err.message, err.params)
    if errors or text is None:
        return None, errors
    return NextStep(text, due), {}
