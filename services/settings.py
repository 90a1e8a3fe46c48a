"""Reading and changing a team's settings in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from bot.db import Database
from bot.i18n import LANGUAGES, N_, translator
from domain.deal_form import FieldError
from domain.errors import UserError
from domain.goal_form import read_goal_form
from domain.settings_form import TeamSettings, read_settings
from domain.stages import DEFAULT_STAGE_NAMES, default_reason_text, stage_name
from models.tables import OPEN, Deal, LostReason, Stage, Team
from models.teams import ensure_team, lost_reasons, stages
from services.goals import put_goal


@dataclass
class Current:
    team: Team
    stages: list[Stage]  # open stages, in order
    reasons: list[LostReason]


def current(db: Database, team_id: str, now: datetime) -> Current:
    with db.write() as s:
        team = ensure_team(s, team_id, now)
        return Current(team, [st for st in stages(s, team_id) if st.kind == OPEN], lost_reasons(s, team_id))


def save(db: Database, team_id: str, values: dict, now: datetime, by: str = "") -> dict[str, FieldError]:
    """The settings form, read against the stages it names and applied, in one transaction: the
    form's ack waits on it, and Slack waits three seconds for that. Returns the field errors
    (nothing changed) or {}; a UserError when a removed stage still has open deals. A goal typed
    in the form is set (by `by`) in the same transaction, after the currency it may default to."""
    with db.write() as s:
        ensure_team(s, team_id, now)
        known = {st.key for st in stages(s, team_id) if st.kind == OPEN}
        new, errors = read_settings(values, known)
        goal, goal_errors = read_goal_form(values)
        if errors or goal_errors or new is None:
            return {**errors, **goal_errors}
        _apply(s, team_id, new, now)
        if goal is not None:
            put_goal(s, ensure_team(s, team_id, now), by, goal, now)
    db.stage_cache.forget(team_id)  # committed: requests read the new stages from now on
    return {}


def _apply(s, team_id: str, new: TeamSettings, now: datetime) -> None:
    """Change everything or nothing; a stage with open deals cannot be removed."""
    team = ensure_team(s, team_id, now)
    _apply_stages(s, team_id, new)
    _apply_reasons(s, team_id, new.reasons)
    for name in (
        "channel_id",
        "digest_channel_id",
        "digest_weekday",
        "digest_time",
        "timezone",
        "work_days",
        "work_start",
        "work_end",
        "escalation",
        "currency",
        "language",
        "formal",
        "announce_won",
        "announce_over_cents",
    ):
        setattr(team, name, getattr(new, name))
    team.manager_ids = ",".join(new.managers)
    s.add(team)


def _apply_stages(s, team_id: str, new: TeamSettings) -> None:
    every = list(s.exec(select(Stage).where(Stage.team_id == team_id)))
    by_key = {st.key: st for st in every}
    kept = {line.key for line in new.stages if line.key}
    for stage in every:
        if stage.kind == OPEN and stage.active and stage.key not in kept:
            open_deals = s.exec(
                select(func.count())
                .select_from(Deal)
                .where(Deal.team_id == team_id, Deal.stage_id == stage.id)
            ).one()
            if open_deals:
                raise UserError(
                    N_(
                        "{stage} still has open deals ({count}). Move them to another stage first "
                        "(`/deal list {stage}`)."
                    ),
                    stage=stage_name(stage.key, stage.name),
                    count=open_deals,
                )
            stage.active = False  # kept for the history that mentions it
            s.add(stage)
    for position, line in enumerate(new.stages):
        stage = by_key.get(line.key) if line.key else None
        if stage is None:
            stage = Stage(
                team_id=team_id, key=_new_key(line.name, by_key), name=line.name, position=position, kind=OPEN
            )
            by_key[stage.key] = stage
        stage.name, stage.position, stage.active = _stage_name(stage.key, line.name), position, True
        stage.probability, stage.stall_days = line.probability, line.stall_days
        s.add(stage)
    for offset, stage in enumerate(
        sorted((st for st in every if st.kind != OPEN), key=lambda st: st.position)
    ):
        stage.position = len(new.stages) + offset  # won and lost stay last
        s.add(stage)


def _stage_name(key: str, typed: str) -> str:
    """The form shows default stage names in the manager's language; a line that still says that
    (in any of our languages) keeps the default name, so every rep goes on seeing it in theirs."""
    default = DEFAULT_STAGE_NAMES.get(key)
    if default and typed.lower() in {translator(lang)(default).lower() for lang in LANGUAGES}:
        return default
    return typed


def _new_key(name: str, taken: dict) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:30] or "stage"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _names(reason: LostReason) -> set[str]:
    """What a reason's line in the settings form may say: its text, or (a default reason, which the
    form shows in the manager's language) any of its translations."""
    names = {reason.text.lower()}
    if default_reason_text(reason.key, reason.text) == reason.text:
        names.update(translator(lang)(reason.text).lower() for lang in LANGUAGES)
    return names


def _apply_reasons(s, team_id: str, texts: list[str]) -> None:
    reasons = lost_reasons(s, team_id)
    existing = {name: r for r in reasons for name in _names(r)}
    keys = {r.key for r in reasons}
    wanted = {t.lower() for t in texts}
    for old in reasons:
        if not _names(old) & wanted:
            s.delete(old)
    for position, text in enumerate(texts):
        reason = existing.get(text.lower())
        if reason is None:
            reason = LostReason(
                team_id=team_id, key=_new_key(text, dict.fromkeys(keys)), text=text, position=position
            )
            keys.add(reason.key)
        reason.position = position
        s.add(reason)
