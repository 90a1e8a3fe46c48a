"""Export a team's data as CSV files, and import deals from a CSV file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from bot.db import Database
from domain.amounts import Amount
from domain.csv_import import ImportedDeal, Rejected, map_columns, read_rows
from domain.deal_form import NewDeal
from models import deals as q
from models.tables import OPEN, Deal, DealNote, Stage, StageChange, saved_id
from models.teams import ensure_team, stage_refs, stages

DEAL_COLUMNS = [
    "number",
    "name",
    "company",
    "amount",
    "currency",
    "stage",
    "close_date",
    "owner_id",
    "notes",
    "lost_reason",
    "created_at",
    "last_activity_at",
    "closed_at",
]


def _amount(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_team(db: Database, team_id: str, out: Path) -> dict[str, int]:
    """Write deals.csv, stage_history.csv and notes.csv; returns the rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    with db.read() as s:
        names = {st.id: st.name for st in s.exec(select(Stage).where(Stage.team_id == team_id))}
        deals = list(s.exec(select(Deal).where(Deal.team_id == team_id).order_by(col(Deal.number))))
        numbers = {d.id: d.number for d in deals}
        rows = [
            [
                d.number,
                d.name,
                d.company or "",
                _amount(d.amount_cents),
                d.currency,
                names[d.stage_id],
                _iso(d.close_date),
                d.owner_id,
                d.notes or "",
                d.lost_reason or "",
                _iso(d.created_at),
                _iso(d.last_activity_at),
                _iso(d.closed_at),
            ]
            for d in deals
        ]
        counts["deals.csv"] = _write(out / "deals.csv", DEAL_COLUMNS, rows)
        changes = s.exec(
            select(StageChange)
            .where(StageChange.team_id == team_id)
            .order_by(col(StageChange.at), col(StageChange.id))
        )
        counts["stage_history.csv"] = _write(
            out / "stage_history.csv",
            ["deal_number", "from_stage", "to_stage", "user_id", "at"],
            [
                [
                    numbers[c.deal_id],
                    names.get(c.from_stage_id, ""),
                    names[c.to_stage_id],
                    c.user_id,
                    _iso(c.at),
                ]
                for c in changes
            ],
        )
        notes = s.exec(
            select(DealNote).where(DealNote.team_id == team_id).order_by(col(DealNote.at), col(DealNote.id))
        )
        counts["notes.csv"] = _write(
            out / "notes.csv",
            ["deal_number", "user_id", "text", "at"],
            [[numbers[n.deal_id], n.user_id, n.text, _iso(n.at)] for n in notes],
        )
    return counts


def _write(path: Path, header: list[str], rows: list[list]) -> int:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


@dataclass
class ImportResult:
    columns: dict[str, str]
    deals: list[ImportedDeal]
    rejected: list[Rejected]
    numbers: list[int]  # the numbers the imported deals got (empty on a dry run)


def import_deals(
    db: Database,
    team_id: str,
    path: Path,
    user_id: str,
    now: datetime,
    *,
    dry_run: bool = False,
    overrides: dict[str, str] | None = None,
    default_owner: str | None = None,
) -> ImportResult:
    """Read the file, check every row, and (unless dry_run) add the good rows in one transaction."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        headers = reader.fieldnames or []
        rows = list(reader)
    columns = map_columns(headers, overrides)
    with db.write() as s:
        ensure_team(s, team_id, now)
        team_stages = stages(s, team_id)
    first_open = next(st for st in team_stages if st.kind == OPEN)
    found, rejected = read_rows(
        rows, columns, stage_refs(team_stages), saved_id(first_open), default_owner, now.date()
    )
    numbers: list[int] = []
    if not dry_run and found:
        with db.write() as s:
            team = ensure_team(s, team_id, now)
            kinds = {st.id: st.kind for st in team_stages}
            for row in found:
                amount = Amount(row.amount_cents, row.currency) if row.amount_cents is not None else None
                deal = q.create_deal(
                    s,
                    team_id,
                    user_id,
                    NewDeal(
                        name=row.name,
                        owner_id=row.owner_id,
                        company=row.company,
                        amount=amount,
                        currency=row.currency or team.currency,
                        stage_id=row.stage_id,
                        close_date=row.close_date,
                        notes=row.notes,
                    ),
                    now,
                )
                if kinds[row.stage_id] == "lost":
                    deal.lost_reason = row.lost_reason
                numbers.append(deal.number)
    return ImportResult(columns, found, rejected, numbers)
