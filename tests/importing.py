"""Helpers for the import tests: run an import the way the CLI does, and read back what it made."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from domain.importing.values import OwnerDirectory
from localslack.bench import TOKEN
from models.tables import Deal, Stage, StageChange
from services.transfer import ImportOptions, import_file
from services.transfer.importing import apply, scan

FIXTURES = Path(__file__).parent / "fixtures"


async def import_via_slack(bench, path: Path, team: str = "T0LOCAL", **options):
    """The import as `salesbot import` runs it, asking the local Slack who the owners are."""
    client = AsyncWebClient(token=TOKEN, base_url=bench.slack.api_url)
    return await import_file(bench.db, team, path, bench.now(), ImportOptions(**options), client)


def import_offline(db, path: Path, now, team: str = "T1", **options):
    """The import with no Slack at all: owners by Slack id, --owner-map and --owner only."""
    opts = ImportOptions(**options)
    return apply(db, team, scan(path, opts), OwnerDirectory({}, {}), now, opts)


def deals_of(db, team: str) -> list[Deal]:
    with db.read() as s:
        return list(s.exec(select(Deal).where(Deal.team_id == team).order_by(Deal.number)))


def history_of(db, team: str) -> list[tuple[int, str | None, str, str]]:
    """(deal number, from stage key, to stage key, ISO time in UTC) in time order."""
    with db.read() as s:
        keys = {st.id: st.key for st in s.exec(select(Stage).where(Stage.team_id == team))}
        numbers = {d.id: d.number for d in s.exec(select(Deal).where(Deal.team_id == team))}
        changes = s.exec(
            select(StageChange).where(StageChange.team_id == team).order_by(StageChange.at, StageChange.id)
        )
        return [
            (
                numbers[c.deal_id],
                keys.get(c.from_stage_id) if c.from_stage_id else None,
                keys[c.to_stage_id],
                c.at.isoformat(),
            )
            for c in changes
        ]
