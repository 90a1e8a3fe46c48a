"""Moving a team's deals in and out: import from another tool's export (`importing`, with the
file reading in `files` and the owner look-ups in `owners`), and backup and restore (`export`,
`restore`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

from bot.db import Database
from services.transfer.export import UnknownTeam, export_team
from services.transfer.importing import ImportOptions, ImportRefused, ImportResult, apply, scan
from services.transfer.owners import owner_directory
from services.transfer.restore import RestoreRefused, restore_team


async def import_file(
    db: Database,
    team_id: str,
    path: Path,
    now: datetime,
    options: ImportOptions,
    client: AsyncWebClient | None = None,
) -> ImportResult:
    """Scan the file, ask Slack who its owners are, then read and (unless a dry run) write every
    row in one transaction. Raises FileProblem, ImportRefused, DirectoryProblem or UserError for a
    file that cannot be imported at all; rows that cannot are in the result."""
    found = await db.run(scan, path, options)
    people = await owner_directory(client, found.owner_values, options.owner_map)
    return await db.run(apply, db, team_id, found, people, now, options)


__all__ = [
    "ImportOptions",
    "ImportRefused",
    "ImportResult",
    "RestoreRefused",
    "UnknownTeam",
    "export_team",
    "import_file",
    "restore_team",
]
