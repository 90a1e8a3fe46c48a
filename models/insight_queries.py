"""Bottlenecks' SQL: how long deals have been in their stage now, and how long deals stayed in a
stage before leaving it, as whole-day histograms grouped in the database (a median needs no row
per deal then), scoped by team."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from domain.bottlenecks import Age, Exit
from domain.metrics import DAY, StalledDeal
from models.digest_queries import epoch
from models.scan import hashed_groups, history_changes
from models.tables import Deal, StageChange, not_archived


class whole(FunctionElement):
    """A non-negative number cut to a whole number: SQLite's CAST truncates, PostgreSQL's rounds."""

    type = Integer()
    inherit_cache = True


@compiles(whole, "sqlite")
def _whole_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@compiles(whole)
def _whole_default(element, compiler, **kw):
    return f"CAST(FLOOR({compiler.process(element.clauses, **kw)}) AS INTEGER)"


def _entered(deal_id, before: datetime):
    """When the deal's latest stage change before `before` was: its entry into the stage it was in."""
    return (
        select(func.max(col(StageChange.at)))
        .where(col(StageChange.deal_id) == deal_id, col(StageChange.at) < before)
        .scalar_subquery()
    )


def ages_now(session: Session, team_id: str, open_ids: list[int], now: datetime) -> list[Age]:
    """The open deals now, by stage and whole days since they entered it."""
    entered = _entered(col(Deal.id), now)
    rows = (
        select(
            col(Deal.stage_id).label("stage_id"),
            whole((now.timestamp() - epoch(entered)) / DAY).label("days"),
        )
        .where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(open_ids))
        .subquery("ages")
    )
    query = select(rows.c.stage_id, rows.c.days, func.count()).group_by(rows.c.stage_id, rows.c.days)
    return [Age(stage, max(int(days or 0), 0), n) for stage, days, n in session.execute(query)]


def exits_between(
    session: Session, team_id: str, open_ids: list[int], start: datetime, split: datetime, end: datetime
) -> list[Exit]:
    """Changes out of an open stage in [start, end), by where they went and the whole days spent in
    the stage before (since the deal's previous change); `recent` for those at or after `split`."""
    # c: four months of changes, in table order where that is faster (models/scan.py); p: the previous
    c, p = history_changes(session, team_id, start, "exit_change"), aliased(StageChange)
    # The latest earlier change is the first row walking ix_stage_change_deal back from c (LIMIT 1),
    # where max() read every earlier change of the deal: the same time, found in 20-25 % less of
    # PostgreSQL's time for the four months' 112,966 exits at 100,000 deals.
    entered = (
        select(col(p.at))
        .where(
            col(p.deal_id) == col(c.deal_id),
            col(p.at) <= col(c.at),  # implied by the next line; ends the index range at c
            or_(col(p.at) < col(c.at), and_(col(p.at) == col(c.at), col(p.id) < col(c.id))),
        )
        .order_by(col(p.deal_id).desc(), col(p.at).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = (
        select(
            col(c.from_stage_id).label("from_id"),
            col(c.to_stage_id).label("to_id"),
            whole((epoch(col(c.at)) - epoch(entered)) / DAY).label("days"),
            (col(c.at) >= split).label("recent"),
        )
        .where(
            col(c.team_id) == team_id,
            col(c.from_stage_id).in_(open_ids),
            col(c.at) >= start,
            col(c.at) < end,
        )
        .subquery("exits")
    )
    keys = [rows.c.from_id, rows.c.to_id, rows.c.days, rows.c.recent]
    query = select(*keys, func.count()).group_by(*keys)
    with hashed_groups(session):
        found = session.execute(query).all()
    return [Exit(a, b, max(int(days or 0), 0), bool(recent), n) for a, b, days, recent, n in found]


def oldest_in_stage(session: Session, team_id: str, stage_id: int, now: datetime, limit: int = 3):
    """The deals longest in a stage now (as StalledDeal rows: idle_days is days in the stage)."""
    entered = _entered(col(Deal.id), now).label("entered")
    query = (
        select(
            col(Deal.number),
            col(Deal.name),
            col(Deal.owner_id),
            col(Deal.amount_cents),
            col(Deal.currency),
            epoch(entered),
        )
        .where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id) == stage_id)
        # A deal without a stage change first on both backends (PostgreSQL sorts NULL last by
        # default), as domain/open_deals.oldest_in_stage does.
        .order_by(epoch(entered).nulls_first(), col(Deal.number))
        .limit(limit)
    )
    return [
        StalledDeal(
            number, name, owner, stage_id, cents, currency, int((now.timestamp() - float(at or 0)) // DAY)
        )
        for number, name, owner, cents, currency, at in session.execute(query)
    ]
