"""The digest's flows through a window, in SQL: the deals created, the stage changes by direction,
and the entries into each stage that moved on. GROUP BYs portable to SQLite and PostgreSQL, scoped
by team; the pipeline at a moment and the closes are models/digest_queries.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, false, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from domain.metrics import OPEN, WON, MoveCount, NewGroup, OwnerEntered, StageInfo
from models.digest_queries import ids
from models.tables import Deal, Stage, StageChange, not_archived


def new_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[NewGroup]:
    """Deals created in [start, end): their creation is the stage change with no `from` stage."""
    query = (
        select(col(Deal.currency), func.count(), func.coalesce(func.sum(col(Deal.amount_cents)), 0))
        .select_from(StageChange)
        .join(Deal, col(Deal.id) == col(StageChange.deal_id))
        .where(
            col(StageChange.team_id) == team_id,
            col(StageChange.at) >= start,
            col(StageChange.at) < end,
            col(StageChange.from_stage_id).is_(None),
            not_archived(),
        )
        .group_by(col(Deal.currency))
    )
    return [NewGroup(currency, count, int(cents)) for currency, count, cents in session.execute(query)]


def moves_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[MoveCount]:
    src, dst = aliased(Stage), aliased(Stage)
    forward = col(dst.position) > col(src.position)
    query = (
        select(col(src.kind), col(dst.kind), forward, func.count())
        .select_from(StageChange)
        .join(src, col(src.id) == col(StageChange.from_stage_id))
        .join(dst, col(dst.id) == col(StageChange.to_stage_id))
        .join(Deal, col(Deal.id) == col(StageChange.deal_id))
        .where(
            col(StageChange.team_id) == team_id,
            col(StageChange.at) >= start,
            col(StageChange.at) < end,
            not_archived(),
        )
        .group_by(col(src.kind), col(dst.kind), forward)
    )
    return [MoveCount(a, b, bool(fwd), count) for a, b, fwd, count in session.execute(query)]


def entered_by_owner(
    session: Session, team_id: str, stages: list[StageInfo], start: datetime, end: datetime
) -> list[OwnerEntered]:
    """Per deal owner (today's, as every figure of the digest uses) and open stage: the deals that
    entered the stage in [start, end), and how many of them later (before `end`) entered a stage
    beyond it: a later open stage, or won. Skipping a stage counts as moving beyond the stage left;
    moving back does not. The team's per stage is their sum (domain.metrics.per_stage)."""
    first, beyond = _first_entries(team_id, stages, start, end)
    query = (
        select(
            col(Deal.owner_id),
            first.c.stage_id,
            func.count(),
            func.coalesce(func.sum(case((beyond, 1), else_=0)), 0),
        )
        .select_from(first)
        .join(Deal, col(Deal.id) == first.c.deal_id)
        .where(not_archived())
        .group_by(col(Deal.owner_id), first.c.stage_id)
    )
    return [
        OwnerEntered(owner, stage_id, entered, int(moved_on))
        for owner, stage_id, entered, moved_on in session.execute(query)
    ]


def _first_entries(team_id: str, stages: list[StageInfo], start: datetime, end: datetime):
    """Each (deal, open stage) first entered in [start, end), and whether it later moved beyond it.

    "Some entry was followed by a move beyond" is the same as "the first entry was", so each
    (deal, stage) is probed once, from its first entry in the window. Same-instant changes are
    ordered by id, and a deal's first entry is taken to be its lowest id there (ids follow time)."""
    e = aliased(StageChange)
    first = (
        select(
            col(e.deal_id),
            col(e.to_stage_id).label("stage_id"),
            func.min(col(e.at)).label("first_at"),
            func.min(col(e.id)).label("first_id"),
        )
        .where(
            col(e.team_id) == team_id,
            col(e.to_stage_id).in_(ids(stages, OPEN)),
            col(e.at) >= start,
            col(e.at) < end,
        )
        .group_by(col(e.deal_id), col(e.to_stage_id))
        .subquery("first_entries")
    )
    # "Beyond" each open stage as id lists from `stages` (every stage of the team), so the probe
    # below reads only the index: no join to the stage table per (deal, stage).
    f = aliased(StageChange)
    won_ids = ids(stages, WON)
    beyond_stage = or_(
        false(),  # no open stage: nothing was entered, and or_() wants a term
        *(
            and_(
                first.c.stage_id == s.id,
                col(f.to_stage_id).in_(
                    won_ids + [o.id for o in stages if o.kind == OPEN and o.position > s.position]
                ),
            )
            for s in stages
            if s.kind == OPEN
        ),
    )
    beyond = (
        select(literal(1))
        .select_from(f)
        .where(
            col(f.deal_id) == first.c.deal_id,
            col(f.at) < end,
            col(f.at) >= first.c.first_at,  # implied by the next line; starts the index range there
            or_(
                col(f.at) > first.c.first_at,
                and_(col(f.at) == first.c.first_at, col(f.id) > first.c.first_id),
            ),
            beyond_stage,
        )
        .exists()
    )
    return first, beyond
