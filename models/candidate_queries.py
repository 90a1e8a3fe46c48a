"""The rows disqualify candidates are picked from (domain/disqualify.py). Scoped by team."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from domain.bant import DISQUALIFY
from domain.disqualify import OpenDeal
from models.qualification_tables import Qualification
from models.qualify import snapshots
from models.tables import Deal, DealNudge, not_archived

COLUMNS = (Deal.number, Deal.name, Deal.owner_id, Deal.amount_cents, Deal.currency, Deal.close_date)
Owners = str | list[str] | None  # one owner, some, or the whole team


def _scope(query, team_id: str, open_ids: list[int], owner: Owners):
    query = query.where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
    if isinstance(owner, list):
        return query.where(col(Deal.owner_id).in_(owner))
    return query.where(col(Deal.owner_id) == owner) if owner else query


def overdue(
    session: Session, team_id: str, open_ids: list[int], before: date, owner: Owners, limit: int | None = None
):
    """Open deals whose expected close is before `before`; with a limit, the `limit` longest past
    (one owner's, through ix_deal_team_owner_stage_close: the nudge shows only a few)."""
    query = _scope(select(*(col(c) for c in COLUMNS)), team_id, open_ids, owner).where(
        col(Deal.close_date) < before
    )
    if limit is not None:
        query = query.order_by(col(Deal.close_date), col(Deal.number)).limit(limit)
    return [OpenDeal(*row) for row in session.execute(query)]


def bant_disqualified(session: Session, team_id: str, open_ids: list[int], owner: Owners):
    """Open deals whose BANT answers so far give the verdict "disqualify". The team's qualified deals
    first, then those of them in scope: joined, SQLite's planner walked every open deal instead."""
    qualified = list(
        session.scalars(select(col(Qualification.deal_id)).where(col(Qualification.team_id) == team_id))
    )
    if not qualified:
        return []
    query = _scope(select(col(Deal.id), *(col(c) for c in COLUMNS)), team_id, open_ids, owner).where(
        col(Deal.id).in_(qualified)
    )
    rows = {row[0]: OpenDeal(*row[1:]) for row in session.execute(query)}
    found = snapshots(session, team_id, list(rows))
    return [rows[deal_id] for deal_id, snap in found.items() if snap.score.verdict == DISQUALIFY]


def nudged(
    session: Session, team_id: str, open_ids: list[int], at_least: int, owner: Owners
) -> list[tuple[int, OpenDeal, int]]:
    """Open deals nudged at least `at_least` times with no activity since the last nudge: (deal id,
    deal, nudges). Read through ix_deal_nudge_team_nudges: few deals have a streak."""
    query = _scope(
        select(col(Deal.id), *(col(c) for c in COLUMNS), col(DealNudge.nudges)).join(
            DealNudge, col(DealNudge.deal_id) == col(Deal.id)
        ),
        team_id,
        open_ids,
        owner,
    ).where(
        col(DealNudge.team_id) == team_id,
        col(DealNudge.nudges) >= at_least,
        col(DealNudge.nudged_at) >= col(Deal.last_activity_at),
    )
    return [(row[0], OpenDeal(*row[1:-1]), row[-1]) for row in session.execute(query)]
