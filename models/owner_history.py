"""A deal's owner history: each change of hands, recorded by models.deals.give_to in its transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import Deal, OwnerChange, saved_id


def record(session: Session, deal: Deal, from_user: str, by: str, now: datetime) -> None:
    session.add(
        OwnerChange(
            team_id=deal.team_id,
            deal_id=saved_id(deal),
            from_user=from_user,
            to_user=deal.owner_id,
            by_user=by,
            at=now,
        )
    )


def recent(session: Session, deal: Deal, limit: int = 3) -> list[OwnerChange]:
    """The deal's latest changes of hands, newest first (what its card shows)."""
    query = (
        select(OwnerChange)
        .where(OwnerChange.deal_id == saved_id(deal))
        .order_by(col(OwnerChange.at).desc(), col(OwnerChange.id).desc())
    )
    return list(session.exec(query.limit(limit)))


def given_away(session: Session, team_id: str, from_user: str, limit: int = 20) -> list[tuple[Deal, str]]:
    """The deals taken from `from_user` (someone who left), newest first, each with its new owner."""
    query = (
        select(Deal, OwnerChange.to_user)
        .join(OwnerChange, col(OwnerChange.deal_id) == col(Deal.id))
        .where(OwnerChange.team_id == team_id, OwnerChange.from_user == from_user)
        .order_by(col(OwnerChange.at).desc(), col(OwnerChange.id).desc())
    )
    return [(deal, to_user) for deal, to_user in session.exec(query.limit(limit))]
