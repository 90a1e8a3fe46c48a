"""Queries for nudges: stalled deals, their nudge state, and the locks that keep two sweeps apart.

Each function runs inside the caller's session; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.i18n import N_
from domain.errors import UserError
from domain.nudges import NudgeState
from domain.stages import stage_name
from models.deals import stalled_condition
from models.tables import Deal, DealNudge, Stage, Team


def teams(session: Session, team_id: str | None = None) -> list[Team]:
    query = select(Team).order_by(Team.id)
    if team_id:
        query = query.where(Team.id == team_id)
    return list(session.exec(query))


def lock_team(session: Session, team_id: str) -> Team | None:
    """The team row, locked for this sweep; None when another sweep holds it (PostgreSQL).

    One sweeper per team at a time means one DM per owner per sweep, never the owner's deals split
    over two half-sweeps. SQLite serialises writers anyway (BEGIN IMMEDIATE) and ignores the clause."""
    query = select(Team).where(Team.id == team_id).with_for_update(skip_locked=True)
    return session.exec(query).first()


def stalled_deals(session: Session, team_id: str, now: datetime, lock: bool = False) -> list[Deal]:
    """Open deals idle past their stage's threshold. With `lock`, each is locked and one a rep is
    changing right now is skipped: the next sweep takes it, with what the rep did."""
    query = (select(Deal).where(Deal.team_id == team_id, stalled_condition(session, team_id, now))
             .order_by(Deal.owner_id, Deal.last_activity_at, Deal.number))
    if lock:
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def nudge_rows(session: Session, deal_ids: list[int]) -> dict[int, DealNudge]:
    """Read after the deals are locked, so a snooze committed a moment ago is seen."""
    if not deal_ids:
        return {}
    return {r.deal_id: r for r in session.exec(select(DealNudge).where(DealNudge.deal_id.in_(deal_ids)))}


def state_of(row: DealNudge | None) -> NudgeState:
    if row is None:
        return NudgeState()
    return NudgeState(nudged_at=row.nudged_at, escalated_at=row.escalated_at, snoozed_until=row.snoozed_until)


def nudge_row(session: Session, deal: Deal) -> DealNudge:
    """The deal's nudge row, made if missing. The caller holds the deal's lock, so no one else makes it."""
    row = session.get(DealNudge, deal.id)
    if row is None:
        row = DealNudge(deal_id=deal.id, team_id=deal.team_id)
        session.add(row)
    return row


def check_fresh(session: Session, deal: Deal, shown_stage_id: int | None, user_id: str) -> None:
    """A nudge's button acts only on the deal the nudge showed: same stage, same owner."""
    if shown_stage_id is not None and deal.stage_id != shown_stage_id:
        stage = session.get(Stage, deal.stage_id)
        raise UserError(N_("Deal #{number} changed meanwhile: it is now in {stage}. I changed nothing."),
                        number=deal.number, stage=stage_name(stage.key, stage.name), stale=True)
    if deal.owner_id != user_id:
        raise UserError(N_("Deal #{number} changed meanwhile: it now belongs to {owner}. I changed nothing."),
                        number=deal.number, owner=f"<@{deal.owner_id}>", stale=True)
