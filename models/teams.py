"""A workspace's own settings: created with the default pipeline on first contact."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.stages import DEFAULT_LOST_REASONS, DEFAULT_STAGES, StageRef
from models.tables import LostReason, Stage, Team


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
                session.add(Stage(team_id=team_id, key=key, name=name, position=position, kind=kind,
                                  probability=probability, stall_days=stall_days))
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
    return list(session.exec(query.order_by(Stage.position)))


def stage_refs(rows: list[Stage]) -> list[StageRef]:
    return [StageRef(id=s.id, key=s.key, name=s.name, kind=s.kind) for s in rows]


def lost_reasons(session: Session, team_id: str) -> list[LostReason]:
    query = select(LostReason).where(LostReason.team_id == team_id).order_by(LostReason.position)
    return list(session.exec(query))
