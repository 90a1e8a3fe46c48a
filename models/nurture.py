"""Queries for nurture: lost deals whose day has come, the changes a nurture makes, and the digest's counts.

Each function runs inside the caller's session; the caller owns the transaction. The outbox row of a
nurture DM is its record, as a due reminder's is (models/reminders.py): no column says "reminded".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy
from sqlalchemy import String, cast, exists, func, literal
from sqlmodel import Session, col, select

from bot.i18n import N_
from domain.errors import UserError
from domain.nurture import BACK, DROPPED, WAITING, NurtureRef
from models.deals import get_deal, record_activity
from models.delivery_tables import Outbox
from models.reminders import AHEAD
from models.tables import LOST, Deal, Stage, not_archived


def due(session: Session, team_id: str, now: datetime) -> list:
    """Lost deals waiting in nurture whose day has come somewhere on earth, not yet reminded for that
    day. Read-only rows (id, number, name, owner_id, lost_reason, nurture_on): whether the day has
    come in the owner's timezone and hours is the domain's to say."""
    query = (
        sqlalchemy.select(
            col(Deal.id),
            col(Deal.number),
            col(Deal.name),
            col(Deal.owner_id),
            col(Deal.lost_reason),
            col(Deal.nurture_on),
        )
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(
            col(Deal.team_id) == team_id,
            not_archived(),
            col(Stage.kind) == LOST,
            col(Deal.nurture_state) == WAITING,
            col(Deal.nurture_on) <= (now + AHEAD).date(),
            ~exists().where(col(Outbox.team_id) == team_id, col(Outbox.key) == _key_sql(team_id)),
        )
        .order_by(col(Deal.owner_id), col(Deal.nurture_on), col(Deal.number))
    )
    return list(session.execute(query))


def _key_sql(team_id: str):
    """domain.nurture.nurture_key in SQL, so that deals reminded already are skipped by the outbox's
    unique (team_id, key) index rather than read every sweep. A date cast to text is ISO on both."""
    return (
        literal(f"nurture:{team_id}:")
        + cast(col(Deal.id), String)
        + literal(":")
        + cast(col(Deal.nurture_on), String)
    )


def start(session: Session, deal: Deal, on: date, now: datetime) -> None:
    """A (locked) lost deal waits in nurture for `on`; a day set again replaces the one before."""
    stage = session.get(Stage, deal.stage_id)
    if stage is None or stage.kind != LOST:
        raise UserError(
            N_("Deal #{number} is not lost: only a lost deal can be nurtured."), number=deal.number
        )
    deal.nurture_on, deal.nurture_state, deal.nurture_at = on, WAITING, now
    record_activity(session, deal, now)


def stop(session: Session, deal: Deal, now: datetime) -> None:
    """No more reminders for a (locked) deal in nurture."""
    if deal.nurture_state != WAITING:
        raise UserError(N_("Deal #{number} is not in nurture."), number=deal.number)
    deal.nurture_state, deal.nurture_at = DROPPED, now
    record_activity(session, deal, now)


def shown_deal(session: Session, team_id: str, ref: NurtureRef, lock: bool = False) -> Deal:
    """The deal a nurture DM's button acts on, if it still waits for the day the DM was for;
    else a stale() UserError, and nothing changes."""
    deal = get_deal(session, team_id, ref.deal, lock=lock)
    if deal.nurture_state != WAITING or deal.nurture_on != ref.on:
        raise UserError(
            N_("Deal #{number} changed since this reminder. I changed nothing."), number=deal.number
        ).stale()
    return deal


@dataclass(frozen=True)
class NurtureCounts:
    """The digest's line: lost deals waiting in nurture now, and those that came back in the period."""

    waiting: int
    back: int


def counts(session: Session, team_id: str, start_at: datetime, end_at: datetime) -> NurtureCounts:
    waiting = session.exec(
        select(func.count())
        .select_from(Deal)
        .where(col(Deal.team_id) == team_id, not_archived(), col(Deal.nurture_state) == WAITING)
    ).one()
    back = session.exec(
        select(func.count())
        .select_from(Deal)
        .where(
            col(Deal.team_id) == team_id,
            not_archived(),
            col(Deal.nurture_state) == BACK,
            col(Deal.nurture_at) >= start_at,
            col(Deal.nurture_at) < end_at,
        )
    ).one()
    return NurtureCounts(waiting, back)
