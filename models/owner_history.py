"""A deal's owner history: each change of hands, recorded by models.deals.give_to in its transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
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
    return list(session.exec(_RECENT, params={"deal": saved_id(deal), "limit": limit}))


# Built once, as every card reads it: building a statement costs about what running it does.
_RECENT = (
    select(OwnerChange)
    .where(col(OwnerChange.deal_id) == bindparam("deal"))
    .order_by(col(OwnerChange.at).desc(), col(OwnerChange.id).desc())
    .limit(bindparam("limit"))
)


def given_away(session: Session, team_id: str, from_user: str, limit: int = 20) -> list[tuple[Deal, str]]:
    """The deals taken from `from_user` (someone who left), newest first, each with its new owner."""
    query = (
        select(Deal, OwnerChange.to_user)
        .join(OwnerChange, col(OwnerChange.deal_id) == col(Deal.id))
        .where(OwnerChange.team_id == team_id, OwnerChange.from_user == from_user)
        .order_by(col(OwnerChange.at).desc(), col(OwnerChange.id).desc())
    )
    return [(deal, to_user) for deal, to_user in session.exec(query.limit(limit))]
