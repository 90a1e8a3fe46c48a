"""The forecast's SQL: the pipeline, the stage changes since a month's start and the wins of each
month, each a GROUP BY in the database (portable to SQLite and PostgreSQL), scoped by team. The
arithmetic that turns them into month starts is domain/replay.py.

Months are written into the queries as CASE ladders over their boundaries (at most a few dozen),
so the grouping needs no date function of either backend.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from domain.replay import ChangeGroup, PipelineGroup, WonGroup
from models.digest_queries import _last_closes, open_at
from models.tables import Deal, StageChange, not_archived


def _ladder(column, bounds: list, beyond: int):
    """The index of the first bound the value is below; `beyond` past the last (or when NULL)."""
    return case(*((column < b, k) for k, b in enumerate(bounds)), else_=beyond)


def _grouped(rows, keys: list[str], amount: str = "cents"):
    """COUNT and SUM(amount) of a labelled row query, grouped by its `keys` columns. Grouping outside
    the row query lets PostgreSQL see that a CASE with bound parameters is the same in both places."""
    inner = rows.subquery("grouped_rows")
    columns = [inner.c[k] for k in keys]
    return select(*columns, func.count(), func.coalesce(func.sum(inner.c[amount]), 0)).group_by(*columns)


def pipeline_now(
    session: Session, team_id: str, open_ids: list[int], ends: list[date]
) -> list[PipelineGroup]:
    """The deals in an open stage now, by the first month end their close date is before."""
    rows = select(
        col(Deal.stage_id).label("stage_id"),
        col(Deal.currency).label("currency"),
        _ladder(col(Deal.close_date), ends, len(ends)).label("close_k"),
        col(Deal.amount_cents).label("cents"),
    ).where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
    query = _grouped(rows, ["stage_id", "currency", "close_k"])
    return [PipelineGroup(s, c, int(k), n, int(cents)) for s, c, k, n, cents in session.execute(query)]


def changes_since(
    session: Session, team_id: str, starts: list[datetime], ends: list[date]
) -> list[ChangeGroup]:
    """Every change at or after starts[0], by the month it is in (len(ends) once past starts[-1])."""
    rows = (
        select(
            _ladder(col(StageChange.at), starts[1:], len(ends)).label("at_k"),
            col(StageChange.from_stage_id).label("from_id"),
            col(StageChange.to_stage_id).label("to_id"),
            col(Deal.currency).label("currency"),
            _ladder(col(Deal.close_date), ends, len(ends)).label("close_k"),
            col(Deal.amount_cents).label("cents"),
        )
        .select_from(StageChange)
        .join(Deal, col(Deal.id) == col(StageChange.deal_id))
        .where(col(StageChange.team_id) == team_id, col(StageChange.at) >= starts[0])
    )
    query = _grouped(rows, ["at_k", "from_id", "to_id", "currency", "close_k"])
    return [
        ChangeGroup(int(k), a, b, c, int(ck), n, int(cents))
        for k, a, b, c, ck, n, cents in session.execute(query)
    ]


def won_in(
    session: Session,
    team_id: str,
    k: int,
    start: datetime,
    end: datetime,
    due_by: date,
    won_ids: list[int],
    closed_ids: list[int],
) -> list[WonGroup]:
    """The deals whose last close in [start, end) was a win, by the stage they were in at `start`:
    the `from` stage of their first change at or after it (they have one: the win)."""
    cl = _last_closes(team_id, closed_ids, start, end)
    first = aliased(StageChange)
    stage_then = (
        select(col(first.from_stage_id))
        .where(col(first.deal_id) == cl.c.deal_id, col(first.at) >= start)
        .order_by(col(first.at), col(first.id))
        .limit(1)
        .scalar_subquery()
    )
    due = and_(col(Deal.close_date).is_not(None), col(Deal.close_date) < due_by)
    rows = (
        select(
            stage_then.label("stage_id"),
            case((due, 1), else_=0).label("due"),
            col(Deal.currency).label("currency"),
            col(Deal.amount_cents).label("cents"),
        )
        .select_from(cl)
        .join(Deal, col(Deal.id) == cl.c.deal_id)
        .where(cl.c.to_stage_id.in_(won_ids))
    )
    query = _grouped(rows, ["stage_id", "due", "currency"])
    return [WonGroup(k, s, bool(d), c, n, int(cents)) for s, d, c, n, cents in session.execute(query)]


def pipeline_at(
    session: Session, team_id: str, at: datetime, open_ids: list[int], bounds: list[date]
) -> list[PipelineGroup]:
    """The deals open just before `at` (rebuilt as the digest does), by the first bound their close
    date is before (len(bounds): none, or no close date)."""
    d = open_at(team_id, at, open_ids)
    rows = select(
        d.c.stage_id.label("stage_id"),
        d.c.currency.label("currency"),
        _ladder(d.c.close_date, bounds, len(bounds)).label("close_k"),
        d.c.amount_cents.label("cents"),
    )
    query = _grouped(rows, ["stage_id", "currency", "close_k"])
    return [PipelineGroup(s, c, int(k), n, int(cents)) for s, c, k, n, cents in session.execute(query)]
