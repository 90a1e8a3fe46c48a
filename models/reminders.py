"""Queries for due reminders: open deals whose next step is due, the reminders already enqueued, and
the changes a reminder's buttons make.

Each function runs inside the caller's session; the caller owns the transaction. The outbox row of a
reminder is its record (outbox rows are kept while the team is): no column says "reminded".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy
from sqlalchemy import String, case, cast, exists, literal
from sqlmodel import Session, col

from bot.i18n import N_
from domain.errors import UserError
from domain.next_steps import NextStep
from domain.reminders import ReminderRef
from models.deals import get_deal, record_activity
from models.delivery_tables import Outbox
from models.next_steps import set_next_step
from models.tables import OPEN, Deal, Stage, not_archived

# The furthest ahead of UTC a timezone runs (Kiribati, UTC+14): no owner's today is later.
AHEAD = timedelta(hours=14)


def due_steps(session: Session, team_id: str, now: datetime) -> list:
    """Open deals with a next step due on or before the latest today anywhere on earth, not yet
    reminded for that step and due date. Read-only rows (id, number, name, owner_id, next_step,
    next_step_due, next_step_seq):
    whether each is due in its owner's timezone and hours is the domain's to say."""
    latest_today = (now + AHEAD).date()
    query = (
        sqlalchemy.select(
            col(Deal.id),
            col(Deal.number),
            col(Deal.name),
            col(Deal.owner_id),
            col(Deal.next_step),
            col(Deal.next_step_due),
            col(Deal.next_step_seq),
        )
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(
            col(Deal.team_id) == team_id,
            not_archived(),
            col(Stage.kind) == OPEN,
            col(Deal.next_step).is_not(None),
            col(Deal.next_step) != "",
            col(Deal.next_step_due).is_not(None),
            col(Deal.next_step_due) <= latest_today,
            ~exists().where(col(Outbox.team_id) == team_id, col(Outbox.key) == _key_sql(team_id)),
        )
        .order_by(col(Deal.owner_id), col(Deal.next_step_due), col(Deal.number))
    )
    return list(session.execute(query))


def _key_sql(team_id: str):
    """domain.reminders.reminder_key in SQL, so that steps reminded already are skipped by the
    outbox's unique (team_id, key) index rather than read every sweep: a team's overdue steps stay
    overdue for months. A date cast to text is ISO on both SQLite and PostgreSQL; step 0 has no
    suffix, as in the key."""
    suffix = case(
        (col(Deal.next_step_seq) == 0, literal("")),
        else_=literal(":") + cast(col(Deal.next_step_seq), String),
    )
    return (
        literal(f"reminder:{team_id}:")
        + cast(col(Deal.id), String)
        + literal(":")
        + cast(col(Deal.next_step_due), String)
        + suffix
    )


def shown_deal(session: Session, team_id: str, ref: ReminderRef, lock: bool = False) -> Deal:
    """The deal a reminder's button acts on, if its step is still the one reminded of (same due date)
    and open; else a stale() UserError, and nothing changes."""
    deal = get_deal(session, team_id, ref.deal, lock=lock)
    stage = session.get(Stage, deal.stage_id)
    if stage is None or stage.kind != OPEN:
        raise UserError(N_("Deal #{number} is already closed."), number=deal.number).stale()
    if (
        not deal.next_step
        or deal.next_step_due != ref.due
        or (ref.seq is not None and deal.next_step_seq != ref.seq)
    ):
        raise UserError(
            N_("The next step on deal #{number} changed meanwhile. I changed nothing."),
            number=deal.number,
        ).stale()
    return deal


def mark_done(session: Session, team_id: str, ref: ReminderRef, now: datetime) -> Deal:
    """The reminded step done and cleared; activity, as `/deal next #N done` is."""
    shown_deal(session, team_id, ref, lock=True)
    return set_next_step(session, team_id, ref.deal, NextStep(None), now)


def move_due(session: Session, team_id: str, ref: ReminderRef, due: date, now: datetime) -> Deal:
    """The reminded step moved to `due`: its reminder comes on that day (a new key). Deciding to wait
    is working the deal, as a nudge's snooze is: activity."""
    deal = shown_deal(session, team_id, ref, lock=True)
    deal.next_step_due = due
    record_activity(session, deal, now)
    return deal
