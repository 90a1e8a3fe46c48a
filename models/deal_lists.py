"""Deals in lists: a filtered page of them, the stalled ones, and the pipeline's totals per stage.

Every query is scoped by team and leaves archived deals out (`not_archived`); each runs inside the
caller's session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from models.tables import OPEN, Deal, Stage, not_archived, saved_id
from models.teams import cached_stages


def list_deals(
    session: Session,
    team_id: str,
    *,
    owner_id: str | None = None,
    stage_id: int | None = None,
    open_only: bool = True,
    stalled_at: datetime | None = None,
    due_before: date | None = None,
    due_on: date | None = None,
    limit: int = 20,
) -> tuple[list[Deal], int]:
    """Deals matching a filter, most recently active first (by next step's due date when filtering on
    it), and how many match in all."""
    query = (
        select(Deal)
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(Deal.team_id == team_id, not_archived())
    )
    if owner_id:
        query = query.where(Deal.owner_id == owner_id)
    if stage_id:
        query = query.where(Deal.stage_id == stage_id)
    elif open_only:
        query = query.where(Stage.kind == OPEN)
    if stalled_at is not None:
        query = query.where(stalled_condition(session, team_id, stalled_at))
    if due_before is not None:
        query = query.where(col(Deal.next_step_due) < due_before)
    if due_on is not None:
        query = query.where(col(Deal.next_step_due) == due_on)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order: list[Any] = [col(Deal.last_activity_at).desc(), col(Deal.number).desc()]
    if due_before is not None or due_on is not None:
        order.insert(0, col(Deal.next_step_due))
    rows = session.exec(query.order_by(*order).limit(limit))
    return list(rows), total


def stalled_condition(session: Session, team_id: str, now: datetime):
    """SQL condition: idle past the threshold of the deal's stage. One term per stage keeps it
    portable. On SQLite the stage ids go in once more as an IN list, so that its planner (which has
    no statistics: the app runs no ANALYZE) reads the deals through ix_deal_team_stage; without it,
    it read a big team's through ix_deal_team_owner, three times slower. PostgreSQL plans better
    without it (it walks ix_deal_team_activity and stops at the list's limit)."""
    stalling = {
        saved_id(s): s.stall_days for s in cached_stages(session, team_id) if s.kind == OPEN and s.stall_days
    }
    if not stalling:
        return false()
    idle = or_(
        *[
            and_(col(Deal.stage_id) == stage_id, col(Deal.last_activity_at) < now - timedelta(days=days))
            for stage_id, days in stalling.items()
        ]
    )
    if session.get_bind().dialect.name == "sqlite":
        return and_(col(Deal.stage_id).in_(list(stalling)), idle)
    return idle


@dataclass
class PipelineLine:
    """One line of `/pipeline`: an open stage, a currency, and its deals' count and value (the
    digest's per-stage sums at a moment are domain.metrics.StageTotal)."""

    stage: Stage
    currency: str | None
    count: int
    cents: int


def pipeline_totals(session: Session, team_id: str, owner_id: str | None = None) -> list[PipelineLine]:
    """Count and value of open deals per stage and currency, summed in SQL."""
    rows = cached_stages(session, team_id)
    open_ids = [s.id for s in rows if s.kind == OPEN]  # closed deals are most of a big team's: not read
    query = (
        select(Deal.stage_id, Deal.currency, func.count(), func.coalesce(func.sum(col(Deal.amount_cents)), 0))
        .where(Deal.team_id == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
        .group_by(col(Deal.stage_id), col(Deal.currency))
    )
    if owner_id:
        query = query.where(Deal.owner_id == owner_id)
    sums: dict[int, list[tuple[str | None, int, int]]] = {}
    for stage_id, currency, count, cents in session.exec(query):
        sums.setdefault(stage_id, []).append((currency, count, int(cents or 0)))  # coalesce: never None
    result = []
    for stage in rows:
        if stage.kind != OPEN:
            continue
        for shown_currency, count, cents in sums.get(saved_id(stage), [(None, 0, 0)]):
            result.append(PipelineLine(stage, shown_currency, count, cents))
    return result
