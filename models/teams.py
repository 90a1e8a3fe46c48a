"""A workspace's own settings: created with the default pipeline on first contact.

A team's stages are read on nearly every request (cards, lists, Home, /pipeline) and change only
through /pipeline settings, so reads that only show them may take them from memory
(`cached_stages`, kept by the Database: `Database.stage_cache`): services.settings.save forgets a
team's entry when it commits, and entries expire after bot.db.STAGE_TTL, so another replica's change
is seen within that time. Writes that depend on
a stage (moving a deal into it) still read it from the database under their transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from bot.db import STAGE_CACHE, TeamCache
from domain.stages import DEFAULT_LOST_REASONS, DEFAULT_STAGES, StageRef
from models.tables import LostReason, Stage, Team, saved_id


def ensure_team(session: Session, team_id: str, now: datetime) -> Team:
    """The team's row, created with the default stages and lost reasons if it is new."""
    team = session.get(Team, team_id)
    if team is not None:
        return team
    try:
        with session.begin_nested():
            team = Team(id=team_id, created_at=now)
            session.add(team)
            session.flush()  # the team row first: the stages refer to it
            for position, (key, name, kind, probability, stall_days) in enumerate(DEFAULT_STAGES):
                session.add(
                    Stage(
                        team_id=team_id,
                        key=key,
                        name=name,
                        position=position,
                        kind=kind,
                        probability=probability,
                        stall_days=stall_days,
                    )
                )
            for position, (key, text) in enumerate(DEFAULT_LOST_REASONS):
                session.add(LostReason(team_id=team_id, key=key, text=text, position=position))
    except IntegrityError:
        # Another request created it at the same moment: use theirs.
        team = session.get(Team, team_id)
        assert team is not None
    return team


def stages(session: Session, team_id: str, include_inactive: bool = False) -> list[Stage]:
    query = select(Stage).where(Stage.team_id == team_id)
    if not include_inactive:
        query = query.where(Stage.active == True)  # noqa: E712 - SQL comparison
    return list(session.exec(query.order_by(col(Stage.position))))


def cached_stages(session: Session, team_id: str, include_inactive: bool = False) -> list[Stage]:
    """The team's stages in order, as `stages` returns them, from the session's database's memory
    when fresh. The objects are shared, detached copies: read them, never change them or add them
    to a session. A session not made by a Database reads them from the database."""

    def read() -> list[Stage]:
        return [_detached_copy(st) for st in stages(session, team_id, include_inactive=True)]

    cache: TeamCache[list[Stage]] | None = session.info.get(STAGE_CACHE)
    every = read() if cache is None else cache.get(team_id, read)
    return list(every) if include_inactive else [st for st in every if st.active]


def _detached_copy(stage: Stage) -> Stage:
    copy = Stage(**stage.model_dump())
    make_transient_to_detached(copy)  # added to a session by mistake, it is never inserted a second time
    return copy


def forget_stages(session: Session, team_id: str) -> None:
    """Forget what the session's database holds in memory of a team's stages."""
    cache: TeamCache[list[Stage]] | None = session.info.get(STAGE_CACHE)
    if cache is not None:
        cache.forget(team_id)


def stage_refs(rows: list[Stage]) -> list[StageRef]:
    return [StageRef(id=saved_id(s), key=s.key, name=s.name, kind=s.kind) for s in rows]


def lost_reasons(session: Session, team_id: str) -> list[LostReason]:
    query = select(LostReason).where(LostReason.team_id == team_id).order_by(col(LostReason.position))
    return list(session.exec(query))
