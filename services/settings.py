"""Reading and changing a team's settings in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from bot.db import Database
from bot.i18n import N_
from domain.errors import UserError
from domain.settings_form import TeamSettings
from models.tables import OPEN, Deal, LostReason, Stage, Team
from models.teams import ensure_team, forget_stages, lost_reasons, stages


@dataclass
class Current:
    team: Team
    stages: list[Stage]  # open stages, in order
    reasons: list[LostReason]


def current(db: Database, team_id: str, now: datetime) -> Current:
    with db.write() as s:
        team = ensure_team(s, team_id, now)
        return Current(team, [st for st in stages(s, team_id) if st.kind == OPEN], lost_reasons(s, team_id))


def apply(db: Database, team_id: str, new: TeamSettings, now: datetime) -> None:
    """Change everything or nothing; a stage with open deals cannot be removed."""
    with db.write() as s:
        team = ensure_team(s, team_id, now)
        _apply_stages(s, team_id, new)
        _apply_reasons(s, team_id, new.reasons)
        for name in ("channel_id", "digest_channel_id", "digest_weekday", "digest_time", "timezone", "work_days",
                     "work_start", "work_end", "escalation", "currency", "language"):
            setattr(team, name, getattr(new, name))
        team.manager_ids = ",".join(new.managers)
        s.add(team)
    forget_stages(db.url, team_id)  # committed: requests read the new stages from now on


def _apply_stages(s, team_id: str, new: TeamSettings) -> None:
    every = list(s.exec(select(Stage).where(Stage.team_id == team_id)))
    by_key = {st.key: st for st in every}
    kept = {line.key for line in new.stages if line.key}
    for stage in every:
        if stage.kind == OPEN and stage.active and stage.key not in kept:
            open_deals = s.exec(select(func.count()).select_from(Deal).where(
                Deal.team_id == team_id, Deal.stage_id == stage.id)).one()
            if open_deals:
                raise UserError(N_("{stage} still has {count} open deals. Move them to another stage first "
                                   "(`/deal list {stage}`)."), stage=stage.name, count=open_deals)
            stage.active = False  # kept for the history that mentions it
            s.add(stage)
    for position, line in enumerate(new.stages):
        stage = by_key.get(line.key) if line.key else None
        if stage is None:
            stage = Stage(team_id=team_id, key=_new_key(line.name, by_key), name=line.name, position=position,
                          kind=OPEN)
            by_key[stage.key] = stage
        stage.name, stage.position, stage.active = line.name, position, True
        stage.probability, stage.stall_days = line.probability, line.stall_days
        s.add(stage)
    for offset, stage in enumerate(sorted((st for st in every if st.kind != OPEN), key=lambda st: st.position)):
        stage.position = len(new.stages) + offset  # won and lost stay last
        s.add(stage)


def _new_key(name: str, taken: dict) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:30] or "stage"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _apply_reasons(s, team_id: str, texts: list[str]) -> None:
    existing = {r.text.lower(): r for r in lost_reasons(s, team_id)}
    keys = {r.key for r in existing.values()}
    for reason in existing.values():
        if reason.text.lower() not in (t.lower() for t in texts):
            s.delete(reason)
    for position, text in enumerate(texts):
        reason = existing.get(text.lower())
        if reason is None:
            reason = LostReason(team_id=team_id, key=_new_key(text, dict.fromkeys(keys)), text=text, position=position)
            keys.add(reason.key)
        reason.position = position
        s.add(reason)
