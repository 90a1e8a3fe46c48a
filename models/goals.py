"""Goals' rows, and what counts toward them: the won deals closed inside a goal's period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.metrics import WON
from models.settings_tables import Goal
from models.tables import Deal, Stage, not_archived


@dataclass(frozen=True)
class Won:
    cents: int
    deals: int


def set_goal(session: Session, goal: Goal) -> Goal:
    """Insert, or replace the amount of the goal already set for that person and period. A changed
    amount keeps the thresholds told: a raised goal is told again only past what it already heard."""
    found = session.exec(
        select(Goal).where(
            Goal.team_id == goal.team_id,
            Goal.user_id == goal.user_id,
            Goal.period == goal.period,
            Goal.starts == goal.starts,
        )
    ).first()
    if found is None:
        session.add(goal)
        session.flush()
        return goal
    found.amount_cents, found.currency, found.deal_count = goal.amount_cents, goal.currency, goal.deal_count
    found.set_by, found.set_at = goal.set_by, goal.set_at
    session.add(found)
    return found


def goals_from(session: Session, team_id: str, starts: list) -> list[Goal]:
    """The team's goals for the periods beginning on any of `starts` (this month's, this quarter's)."""
    query = select(Goal).where(Goal.team_id == team_id, col(Goal.starts).in_(starts), Goal.amount_cents > 0)
    return list(session.exec(query.order_by(col(Goal.period), col(Goal.user_id))))


def _won_in(query, team_id: str, owner: str | None, start: datetime, end: datetime):
    """`query` narrowed to the won deals closed in [start, end): the owner's, or the team's (None)."""
    query = query.join(Stage, col(Stage.id) == col(Deal.stage_id)).where(
        Deal.team_id == team_id,
        not_archived(),
        Stage.kind == WON,
        col(Deal.closed_at) >= start,
        col(Deal.closed_at) < end,
    )
    return query if owner is None else query.where(Deal.owner_id == owner)


def won_between(
    session: Session, team_id: str, owner: str | None, currency: str, start: datetime, end: datetime
) -> Won:
    """Won deals in `currency` closed in [start, end): the owner's, or the whole team's (None)."""
    totals = select(func.coalesce(func.sum(Deal.amount_cents), 0), func.count()).where(
        Deal.currency == currency
    )
    cents, count = session.exec(_won_in(totals, team_id, owner, start, end)).one()
    return Won(int(cents or 0), int(count or 0))


def teams_with_goals(session: Session, since) -> list[str]:
    """Teams with a goal for a period starting on or after `since` (a quarter back covers both kinds)."""
    query = select(Goal.team_id).where(col(Goal.starts) >= since).distinct()
    return sorted(session.exec(query))


def won_deals_between(
    session: Session, team_id: str, owner: str | None, start: datetime, end: datetime
) -> list[tuple[int, str, datetime]]:
    """(cents, currency, closed_at) of the won deals closed in [start, end), for converting."""
    rows = select(Deal.amount_cents, Deal.currency, Deal.closed_at)
    return [
        (c or 0, cur, at)
        for c, cur, at in session.exec(_won_in(rows, team_id, owner, start, end))
        if at is not None
    ]
