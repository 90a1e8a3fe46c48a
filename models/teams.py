"""A workspace's own settings: created with the default pipeline on first contact.

A team's stages are read on nearly every request (cards, lists, Home, /pipeline) and change only
through /pipeline settings, so reads that only show them may take them from memory
(`cached_stages`): services.settings.save forgets a team's entry when it commits, and entries
expire after STAGE_TTL, so another replica's change is seen within that time. Writes that depend on
a stage (moving a deal into it) still read it from the database under their transaction.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

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


STAGE_TTL = 60.0  # seconds another replica's settings change may take to show here

_cache_lock = threading.Lock()
_cached: dict[tuple[str, str], tuple[float, list[Stage]]] = {}  # (database, team) -> (expires, every stage)
_generation = 0  # bumped by forget_stages, so a read that raced a change is not kept


def _database(session_or_url) -> str:
    bind = (
        session_or_url.get_bind().engine.url
        if isinstance(session_or_url, Session)
        else make_url(str(session_or_url))
    )
    return str(bind)


def cached_stages(session: Session, team_id: str, include_inactive: bool = False) -> list[Stage]:
    """The team's stages in order, as `stages` returns them, from memory when fresh. The objects are
    shared, detached copies: read them, never change them or add them to a session."""
    global _generation
    key = (_database(session), team_id)
    with _cache_lock:
        found, generation = _cached.get(key), _generation
    if found is None or found[0] <= time.monotonic():
        rows = [_detached_copy(st) for st in stages(session, team_id, include_inactive=True)]
        if not rows:
            return []  # a team not made yet: nothing worth remembering
        found = (time.monotonic() + STAGE_TTL, rows)
        with _cache_lock:
            if _generation == generation:
                _cached[key] = found
    return list(found[1]) if include_inactive else [st for st in found[1] if st.active]


def _detached_copy(stage: Stage) -> Stage:
    copy = Stage(**stage.model_dump())
    make_transient_to_detached(copy)  # added to a session by mistake, it is never inserted a second time
    return copy


def forget_stages(session_or_url, team_id: str | None = None) -> None:
    """Forget what memory holds of a team's stages (of every team's, without team_id) after a change."""
    global _generation
    database = _database(session_or_url)
    with _cache_lock:
        _generation += 1
        for key in [k for k in _cached if k[0] == database and team_id in (None, k[1])]:
            del _cached[key]


def stage_refs(rows: list[Stage]) -> list[StageRef]:
    return [StageRef(id=saved_id(s), key=s.key, name=s.name, kind=s.kind) for s in rows]


def lost_reasons(session: Session, team_id: str) -> list[LostReason]:
    query = select(LostReason).where(LostReason.team_id == team_id).order_by(col(LostReason.position))
    return list(session.exec(query))
