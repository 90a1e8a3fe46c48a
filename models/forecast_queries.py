"""The forecast's SQL: the pipeline, the stage changes since a month's start and the wins of each
month, each a GROUP BY in the database (portable to SQLite and PostgreSQL), scoped by team. The
arithmetic that turns them into month starts is domain/replay.py.

Months are written into the queries as CASE ladders over their boundaries (at most a few dozen),
so the grouping needs no date function of either backend.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from domain.metrics import Money
from domain.replay import ChangeGroup, PipelineGroup, WonGroup
from models.digest_queries import _last_closes, open_at
from models.scan import hashed_groups, history_changes
from models.tables import Deal, StageChange, not_archived


def _pick(column, bounds: list, values: list):
    """values[k] for the first bound k the value is below; values[-1] past the last (or when NULL).

    A binary search written as nested CASEs: about log2(n) comparisons a row instead of up to n (a
    backtest's 30 month starts cost a million rows 30 comparisons each). `bounds` ascend."""

    def search(lo: int, hi: int):
        # the answer is in [lo, hi]: a NULL compares false all the way to values[-1]
        if lo == hi:
            return values[lo]
        mid = (lo + hi) // 2
        return case((column < bounds[mid], search(lo, mid)), else_=search(mid + 1, hi))

    return search(0, len(bounds))


def _ladder(column, bounds: list, beyond: int):
    """The index of the first bound the value is below; `beyond` past the last (or when NULL)."""
    return _pick(column, bounds, [literal(k) for k in range(len(bounds))] + [literal(beyond)])


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
    sc = history_changes(session, team_id, starts[0])  # in order, not by index (models/scan.py)
    rows = (
        select(
            _ladder(col(sc.at), starts[1:], len(ends)).label("at_k"),
            col(sc.from_stage_id).label("from_id"),
            col(sc.to_stage_id).label("to_id"),
            col(Deal.currency).label("currency"),
            _ladder(col(Deal.close_date), ends, len(ends)).label("close_k"),
            col(Deal.amount_cents).label("cents"),
        )
        .select_from(sc)
        .join(Deal, col(Deal.id) == col(sc.deal_id))
        .where(col(sc.team_id) == team_id, col(sc.at) >= starts[0])
    )
    query = _grouped(rows, ["at_k", "from_id", "to_id", "currency", "close_k"])
    with hashed_groups(session):
        found = session.execute(query).all()
    return [ChangeGroup(int(k), a, b, c, int(ck), n, int(cents)) for k, a, b, c, ck, n, cents in found]


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


def won_by_month(
    session: Session,
    team_id: str,
    starts: list[datetime],
    ends: list[date],
    won_ids: list[int],
    closed_ids: list[int],
) -> list[WonGroup]:
    """won_in for every month k in [starts[k], starts[k + 1]) (due by ends[k]) in one query: each
    close is placed in its month by a ladder, and "the last close of its month" and "the stage at
    the month's start" look no further than that month's bounds."""
    c, later, first = aliased(StageChange), aliased(StageChange), aliased(StageChange)
    tables = StageChange.metadata.tables  # the columns' types, so values bind as the columns store them
    at_type, day_type = tables["stage_change"].c.at.type, tables["deal"].c.close_date.type
    inner = starts[1:-1]  # the bounds between the months
    month_start = _pick(col(c.at), inner, [literal(s, at_type) for s in starts[:-1]])
    month_end = _pick(col(c.at), inner, [literal(s, at_type) for s in starts[1:]])
    due_by = _pick(col(c.at), inner, [literal(e, day_type) for e in ends])
    later_close = select(literal(1)).where(
        col(later.deal_id) == col(c.deal_id),
        col(later.to_stage_id).in_(closed_ids),
        col(later.at) < month_end,
        col(later.at) >= col(c.at),  # implied by the next line; starts the index range at c
        or_(col(later.at) > col(c.at), and_(col(later.at) == col(c.at), col(later.id) > col(c.id))),
    )
    stage_then = (
        select(col(first.from_stage_id))
        .where(col(first.deal_id) == col(c.deal_id), col(first.at) >= month_start)
        .order_by(col(first.at), col(first.id))
        .limit(1)
        .scalar_subquery()
    )
    due = and_(col(Deal.close_date).is_not(None), col(Deal.close_date) < due_by)
    rows = (
        select(
            _ladder(col(c.at), inner, len(inner)).label("k"),
            stage_then.label("stage_id"),
            case((due, 1), else_=0).label("due"),
            col(Deal.currency).label("currency"),
            col(Deal.amount_cents).label("cents"),
        )
        .select_from(c)
        .join(Deal, col(Deal.id) == col(c.deal_id))
        .where(
            col(c.team_id) == team_id,
            col(c.to_stage_id).in_(won_ids),
            col(c.at) >= starts[0],
            col(c.at) < starts[-1],
            ~later_close.exists(),
        )
    )
    query = _grouped(rows, ["k", "stage_id", "due", "currency"])
    return [
        WonGroup(int(k), s, bool(d), cur, n, int(cents)) for k, s, d, cur, n, cents in session.execute(query)
    ]


def won_since(
    session: Session,
    team_id: str,
    since: list[datetime],
    end: datetime,
    won_ids: list[int],
    closed_ids: list[int],
) -> list[Money]:
    """The amounts won in [s, end) for each s of `since`, per currency, in one query. Windows that
    end together nest: a deal's last close in [s, end) is its last close in the widest of them,
    when that is at or after s (and it has none in [s, end) otherwise)."""
    cl = _last_closes(team_id, closed_ids, min(since), end)
    sums = [func.coalesce(func.sum(case((cl.c.at >= s, col(Deal.amount_cents)), else_=0)), 0) for s in since]
    query = (
        select(col(Deal.currency), *sums)
        .select_from(cl)
        .join(Deal, col(Deal.id) == cl.c.deal_id)
        .where(cl.c.to_stage_id.in_(won_ids), not_archived())
        .group_by(col(Deal.currency))
    )
    won: list[Money] = [{} for _ in since]
    for currency, *cents in session.execute(query):
        for money, value in zip(won, cents, strict=True):
            if value:
                money[currency] = int(value)
    return [dict(sorted(m.items())) for m in won]


def pipeline_at(
    session: Session, team_id: str, at: datetime, open_ids: list[int], bounds: list[date]
) -> list[PipelineGroup]:
    """The deals open just before `at`, by the first bound their close date is before (len(bounds):
    none, or no close date). With no stage change at or after `at` (the forecast for now), that is
    the open deals as they stand, made before `at`: no per-deal look for later changes."""
    later = select(literal(1)).where(col(StageChange.team_id) == team_id, col(StageChange.at) >= at).limit(1)
    if session.execute(later).first() is not None:
        return pipeline_rebuilt_at(session, team_id, at, open_ids, bounds)
    rows = select(
        col(Deal.stage_id).label("stage_id"),
        col(Deal.currency).label("currency"),
        _ladder(col(Deal.close_date), bounds, len(bounds)).label("close_k"),
        col(Deal.amount_cents).label("cents"),
    ).where(
        col(Deal.team_id) == team_id,
        not_archived(),
        col(Deal.stage_id).in_(open_ids),
        col(Deal.created_at) < at,
    )
    query = _grouped(rows, ["stage_id", "currency", "close_k"])
    return [PipelineGroup(s, c, int(k), n, int(cents)) for s, c, k, n, cents in session.execute(query)]


def pipeline_rebuilt_at(
    session: Session, team_id: str, at: datetime, open_ids: list[int], bounds: list[date]
) -> list[PipelineGroup]:
    """pipeline_at for any moment: the deals open just before `at` rebuilt as the digest does."""
    d = open_at(team_id, at, open_ids)
    rows = select(
        d.c.stage_id.label("stage_id"),
        d.c.currency.label("currency"),
        _ladder(d.c.close_date, bounds, len(bounds)).label("close_k"),
        d.c.amount_cents.label("cents"),
    )
    query = _grouped(rows, ["stage_id", "currency", "close_k"])
    return [PipelineGroup(s, c, int(k), n, int(cents)) for s, c, k, n, cents in session.execute(query)]
