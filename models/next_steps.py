"""Writing a deal's next step."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session, col

from bot.i18n import N_
from domain.errors import UserError
from domain.next_steps import NextStep, StepCounts
from models.deals import get_deal, record_activity
from models.tables import OPEN, Deal, Stage, not_archived


def set_next_step(session: Session, team_id: str, number: int, step: NextStep, now: datetime) -> Deal:
    """Set the (locked, visible to the actor) deal's next step, or clear it when done. Either counts
    as activity: the rep worked the deal."""
    deal = get_deal(session, team_id, number, lock=True)
    stage = session.get(Stage, deal.stage_id)
    if stage is None or stage.kind != OPEN:
        raise UserError(N_("Deal #{number} is already closed."), number=number)
    if step.text is None and deal.next_step is None:
        raise UserError(N_("Deal #{number} has no next step to mark done."), number=number)
    if step.text is not None and step.text != deal.next_step:
        deal.next_step_seq += 1  # another step: its own reminder (domain.reminders.reminder_key)
    deal.next_step, deal.next_step_due = step.text, step.due
    record_activity(session, deal, now)
    return deal


def step_counts(session: Session, team_id: str, today: date) -> StepCounts:
    """The team's open deals now without a next step, and with one due before `today` (the team's
    local date). Counted on the deals open now, a back-dated digest too: steps are not kept as history."""
    missing = or_(col(Deal.next_step).is_(None), col(Deal.next_step) == "")
    overdue = and_(~missing, col(Deal.next_step_due).is_not(None), col(Deal.next_step_due) < today)
    one = lambda cond: func.coalesce(func.sum(case((cond, 1), else_=0)), 0)  # noqa: E731
    row = session.execute(
        select(one(missing), one(overdue))
        .select_from(Deal)
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(col(Deal.team_id) == team_id, not_archived(), col(Stage.kind) == OPEN)
    ).one()
    return StepCounts(int(row[0]), int(row[1]))
