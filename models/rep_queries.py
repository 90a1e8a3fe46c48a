"""Each rep's open deals now, for rep load (domain/rep_load.py). Scoped by team."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, col

from domain.rep_load import OwnerOpen
from models.tables import Deal, not_archived


def open_by_owner(session: Session, team_id: str, open_ids: list[int]) -> list[OwnerOpen]:
    query = (
        select(
            col(Deal.owner_id),
            col(Deal.currency),
            func.count(),
            func.coalesce(func.sum(col(Deal.amount_cents)), 0),
        )
        .where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
        .group_by(col(Deal.owner_id), col(Deal.currency))
    )
    return [OwnerOpen(owner, currency, n, int(cents)) for owner, currency, n, cents in session.execute(query)]
