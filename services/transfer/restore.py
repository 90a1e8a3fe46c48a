"""`salesbot import --restore DIR`: a team exactly as `salesbot export` wrote it, into a team that
has no deals yet (a new database, or a workspace that has only just met the bot).

One transaction: the team's settings, stages and lost reasons replace the defaults; deals keep
their numbers, source ids, versions and times; stage history, notes, nudge and snooze state,
qualifications and their answers follow, each inserted in the order the files list them, so that
ties in time keep their order and exporting again gives the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import bindparam, delete, func, insert, update
from sqlmodel import col, select

from bot.db import Database
from domain.importing.cells import unguard
from domain.search import logged
from models.qualification_tables import Qualification, QualificationAnswer
from models.settings_tables import Goal
from models.tables import (
    Deal,
    DealNote,
    DealNudge,
    LostReason,
    OwnerChange,
    Stage,
    StageChange,
    search_columns,
)
from models.teams import ensure_team
from services.transfer.export import TEAM_FIELDS
from services.transfer.files import FileProblem

INTS = {"next_deal_number", "digest_weekday", "position", "probability", "stall_days", "version", "turn"}


class RestoreRefused(Exception):
    pass


def _fold_logs(s, by_number: dict, notes: Iterator[dict[str, str]]) -> None:
    """Each deal's searchable logged notes (Deal.search_log), derived as /deal note builds them:
    oldest first through domain.search.logged. Not in the backup, and a bulk insert skips the ORM."""
    logs: dict[int, str] = {}
    for r in sorted(notes, key=lambda r: r["at"]):  # ISO times in UTC, as the export writes them
        deal_id = by_number[int(r["deal_number"])]
        logs[deal_id] = logged(logs.get(deal_id, ""), r["text"])
    if logs:
        table = Deal.__table__  # type: ignore[attr-defined]
        statement = (
            update(table).where(table.c.id == bindparam("deal_id")).values(search_log=bindparam("v_log"))
        )
        s.execute(statement, [{"deal_id": d, "v_log": log} for d, log in logs.items()])


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    path = folder / name
    if not path.exists():
        raise FileProblem(f"{path} is missing: restore reads a folder written by `salesbot export`")
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield {k: unguard(v) for k, v in row.items()}


def _opt(value: str) -> str | None:
    return value if value != "" else None


def _int(value: str) -> int | None:
    return int(value) if value != "" else None


def _moment(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _cents(value: str) -> int | None:
    if not value:
        return None
    sign = -1 if value.startswith("-") else 1
    whole, _, frac = value.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


def restore_team(db: Database, team_id: str, folder: Path, now: datetime) -> dict[str, int]:
    """Returns the rows restored per file. A file that is not as `salesbot export` writes it
    (a missing column, a value that does not read) refuses the whole restore: nothing is written."""
    try:
        return _restore(db, team_id, folder, now)
    except (KeyError, ValueError, csv.Error) as exc:
        raise RestoreRefused(f"{folder} is not a backup as salesbot export writes it ({exc!r})") from exc


def _restore(db: Database, team_id: str, folder: Path, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.write() as s:
        team = ensure_team(s, team_id, now)
        if s.exec(select(func.count()).select_from(Deal).where(Deal.team_id == team_id)).one():
            raise RestoreRefused(f"team {team_id} already has deals: restore only into a team without any")
        settings = {r["setting"]: r["value"] for r in _rows(folder, "team.csv")}
        for name in TEAM_FIELDS:
            if name in settings:
                raw = settings[name]
                value = int(raw) if name in INTS else _moment(raw) if name == "created_at" else raw
                setattr(team, name, value if value != "" or name == "manager_ids" else None)
        # The defaults ensure_team made give way to the team's own stages and reasons.
        for model in (StageChange, Stage, LostReason, Goal):
            s.execute(delete(model).where(col(model.team_id) == team_id))
        s.flush()
        stages: dict[str, int] = {}
        count = 0
        for row in _rows(folder, "stages.csv"):
            stage = Stage(
                team_id=team_id,
                key=row["key"],
                name=row["name"],
                position=int(row["position"]),
                kind=row["kind"],
                probability=int(row["probability"]),
                stall_days=_int(row["stall_days"]),
                active=row["active"] == "1",
            )
            s.add(stage)
            s.flush()
            assert stage.id is not None
            stages[stage.key] = stage.id
            count += 1
        counts["stages.csv"] = count
        reasons = [
            {"team_id": team_id, "key": r["key"], "text": r["text"], "position": int(r["position"])}
            for r in _rows(folder, "lost_reasons.csv")
        ]
        if reasons:
            s.execute(insert(LostReason.__table__), reasons)  # type: ignore[attr-defined]
        counts["lost_reasons.csv"] = len(reasons)
        deals = [
            {
                "team_id": team_id,
                "number": int(r["number"]),
                "source_id": _opt(r["source_id"]),
                "name": r["name"],
                "company": _opt(r["company"]),
                "amount_cents": _cents(r["amount"]),
                "currency": r["currency"],
                "stage_id": stages[r["stage_key"]],
                "close_date": _day(r["close_date"]),
                "owner_id": r["owner_id"],
                "created_by": r["created_by"],
                "notes": _opt(r["notes"]),
                "lost_reason_key": _opt(r["lost_reason_key"]),
                "lost_reason": _opt(r["lost_reason"]),
                "created_at": _moment(r["created_at"]),
                "updated_at": _moment(r["updated_at"]),
                "last_activity_at": _moment(r["last_activity_at"]),
                "closed_at": _moment(r["closed_at"]),
                "version": int(r["version"]),
                # Not in the backup: derived, and folded as this version folds (a bulk insert).
                **search_columns(r["name"], _opt(r["company"]), _opt(r["notes"])),
                "archived_at": _moment(r.get("archived_at") or ""),  # older exports have none
                "archived_by": _opt(r.get("archived_by") or ""),
            }
            for r in _rows(folder, "deals.csv")
        ]
        table = Deal.__table__  # type: ignore[attr-defined]
        ids = (
            s.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), deals)
            .scalars()
            .all()
            if deals
            else []
        )
        by_number = {d["number"]: i for d, i in zip(deals, ids, strict=True)}
        counts["deals.csv"] = len(deals)

        def bulk(model, name: str, make, optional: bool = False) -> None:
            if optional and not (folder / name).exists():
                return  # an export from before that file existed
            rows = [make(r) for r in _rows(folder, name)]
            if rows:
                s.execute(insert(model.__table__), rows)
            counts[name] = len(rows)

        bulk(
            StageChange,
            "stage_history.csv",
            lambda r: {
                "team_id": team_id,
                "deal_id": by_number[int(r["deal_number"])],
                "from_stage_id": stages[r["from_key"]] if r["from_key"] else None,
                "to_stage_id": stages[r["to_key"]],
                "user_id": r["user_id"],
                "at": _moment(r["at"]),
            },
        )
        bulk(
            OwnerChange,
            "owner_history.csv",
            lambda r: {
                "team_id": team_id,
                "deal_id": by_number[int(r["deal_number"])],
                "from_user": r["from_user"],
                "to_user": r["to_user"],
                "by_user": r["by_user"],
                "at": _moment(r["at"]),
            },
            optional=True,  # exports before owner history (migration 0019) have none
        )
        bulk(
            DealNote,
            "notes.csv",
            lambda r: {
                "team_id": team_id,
                "deal_id": by_number[int(r["deal_number"])],
                "user_id": r["user_id"],
                "text": r["text"],
                "at": _moment(r["at"]),
            },
        )
        _fold_logs(s, by_number, _rows(folder, "notes.csv"))
        bulk(
            DealNudge,
            "nudges.csv",
            lambda r: {
                "team_id": team_id,
                "deal_id": by_number[int(r["deal_number"])],
                "nudged_at": _moment(r["nudged_at"]),
                "escalated_at": _moment(r["escalated_at"]),
                "snoozed_until": _moment(r["snoozed_until"]),
                "snoozed_by": _opt(r["snoozed_by"]),
                "snooze_reason": _opt(r["snooze_reason"]),
                "nudges": int(r.get("nudges") or 0),  # exports before the column (0028's count) have none
            },
        )
        if (folder / "goals.csv").exists():  # exports before goals (issue 19) have none
            bulk(
                Goal,
                "goals.csv",
                lambda r: {
                    "team_id": team_id,
                    "user_id": r["user_id"],
                    "period": r["period"],
                    "starts": _day(r["starts"]),
                    "amount_cents": _cents(r["amount"]),
                    "currency": r["currency"],
                    "deal_count": _int(r["deal_count"]),
                    "set_by": r["set_by"],
                    "set_at": _moment(r["set_at"]),
                    "announced": int(r["announced"]),
                },
            )
        qualifications: dict[str, int] = {}
        count = 0
        for r in _rows(folder, "qualifications.csv"):
            q = Qualification(
                team_id=team_id,
                deal_id=by_number.get(int(r["deal_number"])) if r["deal_exists"] == "1" else None,
                deal_number=int(r["deal_number"]),
                owner_id=r["owner_id"],
                status=r["status"],
                asking=_opt(r["asking"]),
                follow_up=_opt(r["follow_up"]),
                channel_id=_opt(r["channel_id"]),
                question_ts=_opt(r["question_ts"]),
                turn=int(r["turn"]),
                started_by=r["started_by"],
                started_at=datetime.fromisoformat(r["started_at"]),
                updated_at=datetime.fromisoformat(r["updated_at"]),
            )
            s.add(q)
            s.flush()
            assert q.id is not None
            qualifications[r["qualification"]] = q.id
            count += 1
        counts["qualifications.csv"] = count
        bulk(
            QualificationAnswer,
            "qualification_answers.csv",
            lambda r: {
                "team_id": team_id,
                "qualification_id": qualifications[r["qualification"]],
                "question": r["question"],
                "status": r["status"],
                "min_cents": _int(r["min_cents"]),
                "max_cents": _int(r["max_cents"]),
                "currency": _opt(r["currency"]),
                "on_date": _day(r["on_date"]),
                "who": _opt(r["who"]),
                "evidence": r["evidence"],
                "answered_by": r["answered_by"],
                "answered_at": _moment(r["answered_at"]),
            },
        )
    db.stage_cache.forget(team_id)
    return counts
