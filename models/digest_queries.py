"""The digest's SQL for the pipeline at a moment and the closes in a window (its flows through a
window are models/flow_queries.py): every aggregate is a GROUP BY in the database, portable to
SQLite and PostgreSQL (no window functions), and every query is scoped by team.

The state of the pipeline "at T" is the state just before T (everything that happened at or after T
belongs to the next week, as the windows are [start, end)). It is rebuilt from the stage history, not
stored: a deal's stage at T is its current stage, unless it changed at or after T, in which case it
is the `from` stage of its first such change (a creation then means it did not exist yet). Only
changes since T are read for that, through ix_stage_change_team_at, so a digest for "now" costs
nothing extra, and "a week ago" reads one week of history.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, or_, select, text, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from domain.metrics import (
    DAY,
    LOST,
    OPEN,
    WON,
    ClosedGroup,
    OpenGroup,
    ReasonCount,
    StageInfo,
    StageTotal,
    StalledDeal,
)
from domain.open_deals import OpenDeal
from domain.stages import QUALIFICATION
from models.tables import Deal, Stage, StageChange, not_archived, saved_id

CLOSED = (WON, LOST)


class epoch(FunctionElement):
    """Seconds since 1970 of a timestamp column, the one date function the two backends spell differently."""

    type = Float()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # SQLite keeps naive UTC text; julianday() reads it.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch)
def _epoch_default(element, compiler, **kw):
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


def seconds(value) -> int:
    """A sum of seconds from the database (float on SQLite, numeric on PostgreSQL), to whole seconds."""
    return int(round(float(value or 0)))


def stage_infos(session: Session, team_id: str) -> list[StageInfo]:
    rows = session.scalars(
        select(Stage).where(col(Stage.team_id) == team_id).order_by(col(Stage.position), col(Stage.id))
    )
    return [
        StageInfo(saved_id(s), s.key, s.name, s.position, s.kind, s.probability, s.stall_days, s.active)
        for s in rows
    ]


def _before(x: type[StageChange], at: datetime, other: type[StageChange]):
    """`other` is a change of the same deal at or after `at` that comes before `x` (ties on the
    timestamp broken by id)."""
    return and_(
        col(other.deal_id) == col(x.deal_id),
        col(other.at) >= at,
        col(other.at) <= col(x.at),  # implied by the next line; bounds the index range on both sides
        or_(col(other.at) < col(x.at), and_(col(other.at) == col(x.at), col(other.id) < col(x.id))),
    )


def open_at(team_id: str, at: datetime, open_ids: list[int]):
    """Every deal open just before `at`, with the stage it was in (subquery: stage_id, id, ...): the
    deals in an open stage now that have not changed since (through ix_deal_team_stage), plus the
    deals that have, in the stage their first change since then left (a creation leaves none)."""
    change, earlier, since = aliased(StageChange), aliased(StageChange), aliased(StageChange)
    columns: tuple[Mapped[Any], ...] = (
        col(Deal.id),
        col(Deal.number),
        col(Deal.name),
        col(Deal.owner_id),
        col(Deal.currency),
        col(Deal.amount_cents),
        col(Deal.close_date),
        col(Deal.last_activity_at),
    )
    unchanged = select(col(Deal.stage_id).label("stage_id"), *columns).where(
        col(Deal.team_id) == team_id,
        not_archived(),
        col(Deal.stage_id).in_(open_ids),
        col(Deal.created_at) < at,
        # team_id too: PostgreSQL then finds "changed since" through ix_stage_change_team_at
        # instead of reading every team's stage changes (12 % of the digest at 100,000 deals)
        ~select(literal(1))
        .where(col(since.deal_id) == col(Deal.id), col(since.team_id) == team_id, col(since.at) >= at)
        .exists(),
    )
    first_after = (
        select(col(change.deal_id), col(change.from_stage_id))
        .where(
            col(change.team_id) == team_id,
            col(change.at) >= at,
            ~select(literal(1)).where(_before(change, at, earlier)).exists(),
        )
        .subquery("first_after")
    )
    changed = (
        select(first_after.c.from_stage_id.label("stage_id"), *columns)
        .select_from(first_after)
        .join(Deal, col(Deal.id) == first_after.c.deal_id)
        .where(first_after.c.from_stage_id.in_(open_ids), not_archived(), col(Deal.created_at) < at)
    )
    return union_all(unchanged, changed).subquery("open_at")


def _open_deals_at(team_id: str, stages: list[StageInfo], at: datetime):
    """Deals open at `at`, with when they entered that stage and since when they have been idle."""
    d = open_at(team_id, at, ids(stages, OPEN))
    entered = (
        select(func.max(col(StageChange.at)))
        .where(col(StageChange.deal_id) == d.c.id, col(StageChange.at) < at)
        .correlate(d)
        .scalar_subquery()
    )
    inner = select(d, entered.label("entered_at")).subquery("open_entered")
    # Activity after `at` hides the last activity before it; the stage entry is then the best we know.
    idle_since = case((inner.c.last_activity_at < at, inner.c.last_activity_at), else_=inner.c.entered_at)
    stalled = and_(
        col(Stage.stall_days).is_not(None), epoch(idle_since) < at.timestamp() - col(Stage.stall_days) * DAY
    )
    return inner, idle_since, stalled


def open_groups(
    session: Session, team_id: str, stages: list[StageInfo], at: datetime, today: date, week_first_day: date
) -> list[OpenGroup]:
    o, _idle, stalled = _open_deals_at(team_id, stages, at)
    slipped = and_(o.c.close_date.is_not(None), o.c.close_date < today)
    slipped_week = and_(slipped, o.c.close_date >= week_first_day)
    one = lambda cond: func.coalesce(func.sum(case((cond, 1), else_=0)), 0)  # noqa: E731
    query = (
        select(
            o.c.stage_id,
            o.c.owner_id,
            o.c.currency,
            func.count(),
            func.coalesce(func.sum(o.c.amount_cents), 0),
            func.sum(at.timestamp() - epoch(o.c.entered_at)),
            one(stalled),
            one(slipped),
            func.coalesce(func.sum(case((slipped, o.c.amount_cents), else_=0)), 0),
            one(slipped_week),
        )
        .select_from(o)
        .join(Stage, col(Stage.id) == o.c.stage_id)
        .group_by(o.c.stage_id, o.c.owner_id, o.c.currency)
    )
    return [
        OpenGroup(
            stage_id, owner, currency, count, int(cents), seconds(age), int(st), int(sl), int(sl_c), int(sl_w)
        )
        for stage_id, owner, currency, count, cents, age, st, sl, sl_c, sl_w in session.execute(query)
    ]


def stalled_deals(
    session: Session,
    team_id: str,
    stages: list[StageInfo],
    at: datetime,
    limit: int = 5,
    owner_id: str | None = None,
) -> list[StalledDeal]:
    """The stalled deals idle longest (ties: the larger deal number, the newer deal, first); only
    `owner_id`'s when given."""
    o, idle_since, stalled = _open_deals_at(team_id, stages, at)
    idle = epoch(idle_since)
    query = (
        select(o.c.number, o.c.name, o.c.owner_id, o.c.stage_id, o.c.amount_cents, o.c.currency, idle)
        .select_from(o)
        .join(Stage, col(Stage.id) == o.c.stage_id)
        .where(stalled)
        .order_by(idle, o.c.number.desc())
        .limit(limit)
    )
    if owner_id is not None:
        query = query.where(o.c.owner_id == owner_id)
    return [
        StalledDeal(
            number, name, owner, stage_id, cents, currency, int((at.timestamp() - seconds(since)) // DAY)
        )
        for number, name, owner, stage_id, cents, currency, since in session.execute(query)
    ]


def pipeline_at(session: Session, team_id: str, stages: list[StageInfo], at: datetime) -> list[StageTotal]:
    d = open_at(team_id, at, ids(stages, OPEN))
    query = select(
        d.c.stage_id, d.c.currency, func.count(), func.coalesce(func.sum(d.c.amount_cents), 0)
    ).group_by(d.c.stage_id, d.c.currency)
    return [
        StageTotal(stage_id, currency, count, int(cents))
        for stage_id, currency, count, cents in session.execute(query)
    ]


def changed_since(session: Session, team_id: str, at: datetime) -> bool:
    """Whether any of the team's deals changed stage at or after `at` (one index probe): if none did,
    the deals open just before `at` are the deals open now, made before it."""
    later = select(literal(1)).where(col(StageChange.team_id) == team_id, col(StageChange.at) >= at).limit(1)
    return session.execute(later).first() is not None


def open_now(session: Session, team_id: str, stages: list[StageInfo], at: datetime) -> list[OpenDeal] | None:
    """The deals in an open stage now, each with its entry into that stage and its idle time as
    seen from `at`, in one read for every figure that counts them (domain/open_deals.py); None
    when a stage changed at or after `at`, which the queries above rebuild from the history."""
    if changed_since(session, team_id, at):
        return None
    entered = (
        select(func.max(col(StageChange.at)))
        .where(col(StageChange.deal_id) == col(Deal.id), col(StageChange.at) < at)
        .scalar_subquery()
    )
    d = (
        select(
            col(Deal.id).label("id"),
            col(Deal.number).label("number"),
            col(Deal.name).label("name"),
            col(Deal.owner_id).label("owner_id"),
            col(Deal.stage_id).label("stage_id"),
            col(Deal.currency).label("currency"),
            col(Deal.amount_cents).label("cents"),
            col(Deal.close_date).label("close_date"),
            (col(Deal.created_at) < at).label("created_before"),
            col(Deal.last_activity_at).label("last_activity_at"),
            entered.label("entered_at"),
            and_(col(Deal.next_step).is_not(None), col(Deal.next_step) != "").label("has_step"),
            col(Deal.next_step_due).label("step_due"),
        )
        .where(col(Deal.team_id) == team_id, not_archived(), col(Deal.stage_id).in_(ids(stages, OPEN)))
        .subquery("open_now")
    )
    # The same seconds as _open_deals_at's: epoch() of the same values, in the database. As float8:
    # PostgreSQL's EXTRACT gives numeric, read as Decimal and converted (0.05 s of 0.17 s at 45,000
    # deals), where the cast gives the same float (checked on all 100,000 of the benchmark's).
    idle_since = case((d.c.last_activity_at < at, d.c.last_activity_at), else_=d.c.entered_at)
    query = select(
        d.c.id,
        d.c.number,
        d.c.name,
        d.c.owner_id,
        d.c.stage_id,
        d.c.currency,
        d.c.cents,
        d.c.close_date,
        d.c.created_before,
        cast(epoch(d.c.entered_at), Float),
        cast(epoch(idle_since), Float),
        d.c.has_step,
        d.c.step_due,
    )
    # Core, not the ORM's row loading, and tuples made straight from the rows (a third of the time
    # at 45,000 open deals); the columns' types already give floats, booleans and dates.
    return [OpenDeal._make(row) for row in session.connection().execute(query)]


def ids(stages: list[StageInfo], *kinds: str) -> list[int]:
    """Stage ids by kind, written into the queries: `to_stage_id IN (...)` lets both databases range
    over ix_stage_change_team_to_at without first asking the stage table."""
    return [s.id for s in stages if s.kind in kinds]


def jit_off(session: Session) -> None:
    """PostgreSQL's JIT spends longer compiling these sub-second queries than running them (a
    quarter of a second each at a million stage changes): off, for this transaction only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def _last_closes(team_id: str, closed: list[int], start: datetime, end: datetime):
    """Changes into won/lost in [start, end) that are the deal's last close in that window: a deal
    lost and then won in the same window counts once, as won."""
    c, later = aliased(StageChange), aliased(StageChange)
    later_close = select(literal(1)).where(
        col(later.deal_id) == col(c.deal_id),
        col(later.to_stage_id).in_(closed),
        col(later.at) < end,
        col(later.at) >= col(c.at),  # implied by the next line; starts the index range at c
        or_(col(later.at) > col(c.at), and_(col(later.at) == col(c.at), col(later.id) > col(c.id))),
    )
    return (
        select(col(c.deal_id), col(c.at), col(c.to_stage_id))
        .where(
            col(c.team_id) == team_id,
            col(c.to_stage_id).in_(closed),
            col(c.at) >= start,
            col(c.at) < end,
            ~later_close.exists(),
        )
        .subquery("closes")
    )


def closed_between(
    session: Session, team_id: str, stages: list[StageInfo], start: datetime, end: datetime
) -> list[ClosedGroup]:
    cl = _last_closes(team_id, ids(stages, *CLOSED), start, end)
    query = (
        select(
            col(Stage.kind),
            col(Deal.owner_id),
            col(Deal.currency),
            func.count(),
            func.count(col(Deal.amount_cents)),
            func.coalesce(func.sum(col(Deal.amount_cents)), 0),
            func.sum(epoch(cl.c.at) - epoch(col(Deal.created_at))),
        )
        .select_from(cl)
        .join(Deal, col(Deal.id) == cl.c.deal_id)
        .join(Stage, col(Stage.id) == cl.c.to_stage_id)
        .where(not_archived())
        .group_by(col(Stage.kind), col(Deal.owner_id), col(Deal.currency))
    )
    return [
        ClosedGroup(kind, owner, currency, count, priced, int(cents), seconds(cycle))
        for kind, owner, currency, count, priced, cents, cycle in session.execute(query)
    ]


def lost_reasons_between(
    session: Session, team_id: str, stages: list[StageInfo], start: datetime, end: datetime
) -> list[ReasonCount]:
    cl = _last_closes(team_id, ids(stages, *CLOSED), start, end)
    query = (
        select(col(Deal.lost_reason_key), func.count())
        .select_from(cl)
        .join(Deal, col(Deal.id) == cl.c.deal_id)
        .where(cl.c.to_stage_id.in_(ids(stages, LOST)), not_archived())
        .group_by(col(Deal.lost_reason_key))
    )
    return [ReasonCount(key, count) for key, count in session.execute(query)]


def qualification_coverage(session: Session, team_id: str, at: datetime) -> Fraction | None:
    """The share of the open deals past Qualification that have a complete BANT qualification, as
    (complete, past), or None when the team has no Qualification stage or no deal past it. Counted
    on the deals open now (a back-dated digest too: qualifications are not kept as history)."""
    from models.qualify import complete_qualification_deal_ids

    qualification = session.scalars(
        select(Stage).where(col(Stage.team_id) == team_id, col(Stage.key) == QUALIFICATION)
    ).first()
    if qualification is None:
        return None
    past = (
        select(col(Deal.id))
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(
            col(Deal.team_id) == team_id,
            not_archived(),
            col(Stage.kind) == OPEN,
            col(Stage.position) > qualification.position,
        )
    )
    total = session.scalar(select(func.count()).select_from(past.subquery()))
    if not total:
        return None
    complete = session.execute(
        select(func.count()).select_from(
            past.where(col(Deal.id).in_(complete_qualification_deal_ids(team_id))).subquery()
        )
    ).scalar_one()
    return Fraction(complete, total)
