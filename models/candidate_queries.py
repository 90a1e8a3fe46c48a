"""The rows disqualify candidates are picked from (domain/disqualify.py). Scoped by team."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from domain.bant import DISQUALIFY
from domain.disqualify import OpenDeal
from models.qualify import snapshots
from models.tables import Deal, Qualification, not_archived

COLUMNS = (Deal.number, Deal.name, Deal.owner_id, Deal.amount_cents, Deal.currency, Deal.close_date)


def _scope(query, team_id: str, open_ids: list[int], owner: str | None):
    query = query.where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
    return query.where(col(Deal.owner_id) == owner) if owner else query


def overdue(session: Session, team_id: str, open_ids: list[int], before: date, owner: str | None):
    query = _scope(select(*(col(c) for c in COLUMNS)), team_id, open_ids, owner).where(
        col(Deal.close_date) < before
    )
    return [OpenDeal(*row) for row in session.execute(query)]


def bant_disqualified(session: Session, team_id: str, open_ids: list[int], owner: str | None):
    """Open deals whose BANT answers so far give the verdict "disqualify"."""
    query = _scope(
        select(col(Deal.id), *(col(c) for c in COLUMNS)).join(
            Qualification, col(Qualification.deal_id) == col(Deal.id)
        ),
        team_id,
        open_ids,
        owner,
    )
    rows = {row[0]: OpenDeal(*row[1:]) for row in session.execute(query)}
    found = snapshots(session, team_id, list(rows))
    return [rows[deal_id] for deal_id, snap in found.items() if snap.score.verdict == DISQUALIFY]
