"""Writing a deal's next step."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.i18n import N_
from domain.errors import UserError
from domain.next_steps import NextStep
from models.deals import get_deal, record_activity
from models.tables import OPEN, Deal, Stage


def set_next_step(session: Session, team_id: str, number: int, step: NextStep, now: datetime) -> Deal:
    """Set the (locked, visible to the actor) deal's next step, or clear it when done. Either counts
    as activity: the rep worked the deal."""
    deal = get_deal(session, team_id, number, lock=True)
    stage = session.get(Stage, deal.stage_id)
    if stage is None or stage.kind != OPEN:
        raise UserError(N_("Deal #{number} is already closed."), number=number)
    if step.text is None and deal.next_step is None:
        raise UserError(N_("Deal #{number} has no next step to mark done."), number=number)
    deal.next_step, deal.next_step_due = step.text, step.due
    record_activity(session, deal, now)
    return deal
