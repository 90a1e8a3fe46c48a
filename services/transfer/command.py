"""`salesbot import`, behind the argument parsing in bot/cli.py: options in, lines out, exit code.

Exit codes: 0 all rows imported (or would be), 1 some rows rejected, 2 nothing could be done (an
unreadable file, a bad option, an ambiguous date column, a refused restore).
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.db import Database
from bot.http import close_shared_session
from bot.migrate import upgrade
from domain.errors import UserError
from domain.importing.values import SLACK_USER
from services.transfer import ImportOptions, ImportRefused, import_file, restore_team
from services.transfer.files import FileProblem
from services.transfer.owners import DirectoryProblem
from services.transfer.report import describe
from services.transfer.restore import RestoreRefused


class BadOption(ValueError):
    pass


def pairs(items: list[str], flag: str) -> dict[str, str]:
    """A=B items, or CSV files of A,B lines (a header row A,B is skipped when B is not a value)."""
    found: dict[str, str] = {}
    for item in items:
        path = Path(item)
        if "=" not in item and path.exists():
            with path.open(newline="", encoding="utf-8-sig") as fh:
                for row in csv.reader(fh):
                    if len(row) >= 2 and row[0].strip():
                        found[row[0].strip()] = row[1].strip()
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadOption(f"{flag} takes SOURCE=TARGET or a CSV file, not {item!r}")
        found[key.strip()] = value.strip()
    return found


def options_from(args) -> ImportOptions:
    columns = pairs(args.map, "--map")
    mapped = pairs([args.owner_map] if args.owner_map else [], "--owner-map")
    owner_map = {k.lower(): v for k, v in mapped.items()}
    owner_map.pop("owner", None)  # a header row
    for value, user in owner_map.items():
        if not SLACK_USER.match(user):
            raise BadOption(f"--owner-map maps {value!r} to {user!r}, which is not a Slack user id (U…)")
    if args.owner and not SLACK_USER.match(args.owner):
        raise BadOption(f"--owner takes a Slack user id (U…), not {args.owner!r}")
    return ImportOptions(
        columns=columns,
        stage_map=pairs(args.stage_map, "--stage-map"),
        owner_map=owner_map,
        default_owner=args.owner,
        date_order=args.date_order,
        dry_run=args.dry_run,
        skip_rejected=args.skip_rejected,
    )


async def run_import(settings: Settings, args, now: datetime, clients, out: TextIO | None = None) -> int:
    """`clients` is bot.app.clients, passed in by the CLI so that services never import the app."""
    out, err = out or sys.stdout, sys.stderr if out is None else out
    if bool(args.restore) == bool(args.file):
        print("Give either a FILE to import or --restore DIR.", file=err)
        return 2
    if args.restore:
        upgrade(settings.database_url)
        db = Database(settings.database_url)
        try:
            counts = restore_team(db, args.team, Path(args.restore), now)
        except (FileProblem, RestoreRefused) as exc:
            print(f"nothing restored: {exc}", file=err)
            return 2
        finally:
            db.dispose()
        for name, count in counts.items():
            print(f"{name}: {count} rows restored", file=out)
        return 0
    try:
        options = options_from(args)
    except BadOption as exc:
        print(str(exc), file=err)
        return 2
    if not options.dry_run:
        upgrade(settings.database_url)  # a dry run migrates nothing: it reads what is there
    db = Database(settings.database_url)
    try:
        client = None
        if settings.slack_bot_token or settings.multi_workspace:
            client = await clients(settings, db)(args.team)
        result = await import_file(db, args.team, Path(args.file), now, options, client)
    except (FileProblem, ImportRefused, DirectoryProblem) as exc:
        print(f"cannot import {args.file}: {exc}", file=err)
        return 2
    except UserError as exc:
        print(f"cannot import {args.file}: {exc.message.format(**exc.params)}", file=err)
        return 2
    finally:
        await close_shared_session()
        db.dispose()
    if client is None and result.unmatched_owners:
        print("(no SLACK_BOT_TOKEN: owners were matched by Slack id and --owner-map only)", file=out)
    for line in describe(result, options.dry_run):
        print(line, file=out)
    return 1 if result.rejected_count else 0
