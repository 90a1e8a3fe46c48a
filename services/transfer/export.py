"""`salesbot export`: everything a team has, as CSV files that `salesbot import --restore` reads back.

Deterministic: rows in a fixed order (numbers, positions, then time and insertion order), no
database ids (deals by number, stages by key, qualifications by their line in qualifications.csv),
so export -> restore -> export gives the same bytes. Every cell that a spreadsheet would take for
a formula is quoted (domain.importing.cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from bot.db import Database
from models.qualification_tables import Qualification, QualificationAnswer
from models.settings_tables import Goal
from models.tables import Deal, DealNote, DealNudge, LostReason, OwnerChange, Stage, StageChange, Team
from services.transfer.files import write_csv

TEAM_FIELDS = [
    "currency",
    "language",
    "timezone",
    "channel_id",
    "manager_ids",
    "work_days",
    "work_start",
    "work_end",
    "escalation",
    "digest_weekday",
    "digest_time",
    "digest_channel_id",
    "next_deal_number",
    "created_at",
]
STAGE_COLUMNS = ["key", "name", "position", "kind", "probability", "stall_days", "active"]
REASON_COLUMNS = ["key", "text", "position"]
DEAL_COLUMNS = [
    "number",
    "source_id",
    "name",
    "company",
    "amount",
    "currency",
    "stage",
    "stage_key",
    "close_date",
    "owner_id",
    "created_by",
    "notes",
    "lost_reason_key",
    "lost_reason",
    "created_at",
    "updated_at",
    "last_activity_at",
    "closed_at",
    "archived_at",  # archived deals are kept (services/archive.py); empty for the others
    "archived_by",
    "version",
]
HISTORY_COLUMNS = ["deal_number", "from_stage", "to_stage", "from_key", "to_key", "user_id", "at"]
OWNER_COLUMNS = ["deal_number", "from_user", "to_user", "by_user", "at"]
NOTE_COLUMNS = ["deal_number", "user_id", "text", "at"]
GOAL_COLUMNS = [
    "user_id",
    "period",
    "starts",
    "amount",
    "currency",
    "deal_count",
    "set_by",
    "set_at",
    "announced",
]
NUDGE_COLUMNS = [
    "deal_number",
    "nudged_at",
    "escalated_at",
    "snoozed_until",
    "snoozed_by",
    "snooze_reason",
    "nudges",  # owner nudges since the deal's last activity (migration 0028)
]
QUALIFICATION_COLUMNS = [
    "qualification",
    "deal_number",
    "deal_exists",
    "owner_id",
    "status",
    "asking",
    "follow_up",
    "channel_id",
    "question_ts",
    "turn",
    "started_by",
    "started_at",
    "updated_at",
]
ANSWER_COLUMNS = [
    "qualification",
    "question",
    "status",
    "min_cents",
    "max_cents",
    "currency",
    "on_date",
    "who",
    "evidence",
    "answered_by",
    "answered_at",
]


class UnknownTeam(LookupError):
    def __init__(self, team_id: str, known: list[str]):
        super().__init__(team_id)
        self.team_id, self.known = team_id, known


def text(value) -> str:
    """A value as our CSV writes it: '' for None, ISO for times, 1/0 for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def amount(cents: int | None) -> str:
    if cents is None:
        return ""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"  # exact, unlike cents / 100 past 2**53


@dataclass
class Counts:
    files: dict[str, int]


def known_teams(s: Session) -> list[str]:
    return list(s.exec(select(Team.id).order_by(col(Team.id))))


def export_team(db: Database, team_id: str, out: Path) -> dict[str, int]:
    """Write the team's files into `out`; returns the rows written per file. UnknownTeam when the
    database has no such team (nothing is written then)."""
    with db.read() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise UnknownTeam(team_id, known_teams(s))
        out.mkdir(parents=True, exist_ok=True)
        return _write_all(s, team, out)


def _write_all(s: Session, team: Team, out: Path) -> dict[str, int]:
    team_id = team.id
    counts: dict[str, int] = {}
    every = list(
        s.exec(select(Stage).where(Stage.team_id == team_id).order_by(col(Stage.position), col(Stage.id)))
    )
    names = {st.id: st.name for st in every}
    keys = {st.id: st.key for st in every}

    def put(name: str, header: list[str], rows) -> None:
        counts[name] = write_csv(out / name, header, ([text(v) for v in row] for row in rows))

    put("team.csv", ["setting", "value"], ([f, getattr(team, f)] for f in TEAM_FIELDS))
    put("stages.csv", STAGE_COLUMNS, ([getattr(st, c) for c in STAGE_COLUMNS] for st in every))
    reasons = s.exec(
        select(LostReason)
        .where(LostReason.team_id == team_id)
        .order_by(col(LostReason.position), col(LostReason.id))
    )
    put("lost_reasons.csv", REASON_COLUMNS, ([getattr(r, c) for c in REASON_COLUMNS] for r in reasons))
    deals = list(s.exec(select(Deal).where(Deal.team_id == team_id).order_by(col(Deal.number))))
    numbers = {d.id: d.number for d in deals}
    put(
        "deals.csv",
        DEAL_COLUMNS,
        (
            [
                d.number,
                d.source_id,
                d.name,
                d.company,
                amount(d.amount_cents),
                d.currency,
                names[d.stage_id],
                keys[d.stage_id],
                d.close_date,
                d.owner_id,
                d.created_by,
                d.notes,
                d.lost_reason_key,
                d.lost_reason,
                d.created_at,
                d.updated_at,
                d.last_activity_at,
                d.closed_at,
                d.archived_at,
                d.archived_by,
                d.version,
            ]
            for d in deals
        ),
    )
    changes = s.exec(
        select(StageChange)
        .where(StageChange.team_id == team_id)
        .order_by(col(StageChange.at), col(StageChange.id))
    )
    put(
        "stage_history.csv",
        HISTORY_COLUMNS,
        (
            [
                numbers[c.deal_id],
                names.get(c.from_stage_id) if c.from_stage_id else None,
                names[c.to_stage_id],
                keys.get(c.from_stage_id) if c.from_stage_id else None,
                keys[c.to_stage_id],
                c.user_id,
                c.at,
            ]
            for c in changes
        ),
    )
    owners = s.exec(
        select(OwnerChange)
        .where(OwnerChange.team_id == team_id)
        .order_by(col(OwnerChange.at), col(OwnerChange.id))
    )
    put(
        "owner_history.csv",
        OWNER_COLUMNS,
        ([numbers[c.deal_id], c.from_user, c.to_user, c.by_user, c.at] for c in owners),
    )
    notes = s.exec(
        select(DealNote).where(DealNote.team_id == team_id).order_by(col(DealNote.at), col(DealNote.id))
    )
    put("notes.csv", NOTE_COLUMNS, ([numbers[n.deal_id], n.user_id, n.text, n.at] for n in notes))
    nudges = sorted(
        s.exec(select(DealNudge).where(DealNudge.team_id == team_id)), key=lambda n: numbers[n.deal_id]
    )
    put(
        "nudges.csv",
        NUDGE_COLUMNS,
        (
            [
                numbers[n.deal_id],
                n.nudged_at,
                n.escalated_at,
                n.snoozed_until,
                n.snoozed_by,
                n.snooze_reason,
                n.nudges,
            ]
            for n in nudges
        ),
    )
    goals = s.exec(
        select(Goal)
        .where(Goal.team_id == team_id)
        .order_by(col(Goal.starts), col(Goal.period), col(Goal.user_id))
    )
    put(
        "goals.csv",
        GOAL_COLUMNS,
        (
            [
                g.user_id,
                g.period,
                g.starts,
                amount(g.amount_cents),
                g.currency,
                g.deal_count,
                g.set_by,
                g.set_at,
                g.announced,
            ]
            for g in goals
        ),
    )
    quals = list(
        s.exec(
            select(Qualification)
            .where(Qualification.team_id == team_id)
            .order_by(col(Qualification.deal_number), col(Qualification.started_at), col(Qualification.id))
        )
    )
    index = {q.id: i for i, q in enumerate(quals, start=1)}
    put(
        "qualifications.csv",
        QUALIFICATION_COLUMNS,
        (
            [
                index[q.id],
                q.deal_number,
                q.deal_id is not None,
                q.owner_id,
                q.status,
                q.asking,
                q.follow_up,
                q.channel_id,
                q.question_ts,
                q.turn,
                q.started_by,
                q.started_at,
                q.updated_at,
            ]
            for q in quals
        ),
    )
    answers = sorted(
        s.exec(select(QualificationAnswer).where(QualificationAnswer.team_id == team_id)),
        key=lambda a: (index[a.qualification_id], a.question),
    )
    put(
        "qualification_answers.csv",
        ANSWER_COLUMNS,
        ([index[a.qualification_id]] + [getattr(a, c) for c in ANSWER_COLUMNS[1:]] for a in answers),
    )
    return counts
