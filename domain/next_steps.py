"""A deal's next step: reading `/deal next #N <text> [due:<date>]` and the Next step modal. Pure.

The due date is read against `today`, the day the rep typed it, and may not lie before it: a step
due yesterday would be overdue the moment it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.i18n import N_
from domain.dates import DateError, parse_date
from domain.errors import UserError
from domain.text_safety import is_blank

MAX_STEP = 500
DONE_WORDS = ("done", "klaar", "erledigt")
# `due:` (also Dutch `voor:`/`op:` and German `bis:`) and its value, which runs to the end of the line,
# so "due:next friday" needs no quotes.
_DUE = re.compile(r"(?:^|\s)(?:due|voor|bis):\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class NextStep:
    """A step to set, or (text None) the current step done and cleared."""

    text: str | None
    due: date | None = None


def parse_next_step(tail: str, today: date) -> NextStep:
    """The words after `/deal next #N`: the step and an optional `due:<date>`, or `done`."""
    tail = tail.strip()
    if tail.lower() in DONE_WORDS:
        return NextStep(None)
    due = None
    found = _DUE.search(tail)
    if found:
        due = due_date(found.group(1).strip(), today)
        tail = tail[: found.start()].strip()
    return NextStep(check_step(tail), due)


def check_step(text: str) -> str:
    text = text.strip()
    if not text or is_blank(text):
        raise UserError(
            N_(
                "Write the next step after the deal number, like "
                "`/deal next #12 Send the proposal due:friday`."
            )
        )
    if len(text) > MAX_STEP:
        raise UserError(
            N_("That next step is too long ({length} characters). Keep it under {limit}."),
            length=len(text),
            limit=MAX_STEP,
        )
    return text


def due_date(value: str, today: date) -> date:
    try:
        due = parse_date(value, today)
    except DateError as exc:
        raise UserError(
            N_("I can't read the due date `{date}`. Try 2026-12-15, 15 Dec or friday."), date=value[:40]
        ) from exc
    return check_due(due, today)


def check_due(due: date, today: date) -> date:
    if due < today:
        raise UserError(
            N_("The due date {date} has passed. Pick today or a later day."), date=due.isoformat()
        )
    return due


MISSING, OVERDUE = "missing", "overdue"


def step_gap(step: str | None, due: date | None, today: date) -> str | None:
    """What a deal's next step lacks on `today`: MISSING (none set), OVERDUE (due before today), or
    None (a step, due today, later or on no date)."""
    if not step:
        return MISSING
    if due is not None and due < today:
        return OVERDUE
    return None


@dataclass(frozen=True)
class StepCounts:
    """Of a team's open deals, how many have no next step, and how many one that is overdue."""

    missing: int = 0
    overdue: int = 0
