"""The `salesbot` command: serve, migrate, scheduler, nudge, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime

from bot.config import Settings
from bot.db import Database
from bot.migrate import upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="salesbot", description="A Slack bot that is a sales team's assistant.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the bot (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    commands.add_parser("migrate", help="apply pending database migrations")
    commands.add_parser("scheduler", help="run only the scheduler (nudges, digests), without the HTTP server")
    nudge = commands.add_parser("nudge", help="run one stalled-deal sweep now, and send what is due")
    nudge.add_argument("--as-of", type=iso_moment, default=None, metavar="ISO-8601",
                       help="sweep as if it were this moment (UTC unless an offset is given)")
    nudge.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    nudge.add_argument("--team", default=None, help="only this workspace (Slack team id)")
    demo = commands.add_parser("demo", help="a scripted tour against the built-in local Slack; no tokens needed")
    demo.add_argument("--lang", default="en", choices=["en", "nl", "de"])
    demo.add_argument("--database", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "migrate":
        settings = Settings()
        upgrade(settings.database_url)
        print("database is up to date")
        return 0
    if args.command == "serve":
        return asyncio.run(serve(Settings()))
    if args.command == "scheduler":
        return asyncio.run(serve(Settings(), http=False))
    if args.command == "nudge":
        return asyncio.run(nudge_once(Settings(), args.as_of, args.dry_run, args.team))
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(language=args.lang, database_url=args.database))
    return 2  # pragma: no cover - argparse rejects unknown commands


def iso_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 moment: {text!r} (try 2026-11-24T09:30)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def nudge_once(settings: Settings, as_of: datetime | None, dry_run: bool, team: str | None) -> int:
    """One sweep, then one dispatch of everything due (a dry run prints instead, and writes nothing)."""
    from slack_sdk.web.async_client import AsyncWebClient

    from handlers.common import Deps, retry_handlers, utcnow
    from scheduler.nudges import describe, sweep
    from scheduler.outbox import dispatch
    from scheduler.runner import worker_name

    if not settings.slack_bot_token:
        print("Set SLACK_BOT_TOKEN (see README): the sweep asks Slack for each owner's timezone.", file=sys.stderr)
        return 2
    if not dry_run:
        upgrade(settings.database_url)
    db = Database(settings.database_url)
    clock = (lambda: as_of) if as_of else utcnow
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.api_url,
                            retry_handlers=retry_handlers())
    try:
        results = await sweep(Deps(db=db, clock=clock), client, clock(), team_id=team, dry_run=dry_run)
        for line in describe(results, dry_run):
            print(line)
        if not dry_run:
            done = await dispatch(db, client, worker_name(), clock, team_id=team)
            counts = {status: sum(d.status == status for d in done) for status in ("sent", "pending", "dead")}
            print(f"sent {counts['sent']}, left pending {counts['pending']}, dropped {counts['dead']}")
    finally:
        db.dispose()
    return 0


async def serve(settings: Settings, http: bool = True) -> int:
    """The bot, with the scheduler in the same process unless SALESBOT_SCHEDULER=0."""
    from bot.app import build_app
    from bot.server import Server
    from handlers.common import Deps
    from scheduler.runner import run_forever

    if not settings.slack_bot_token or not settings.slack_signing_secret:
        print("Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README).", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    deps = Deps(db=db)
    bolt = build_app(settings, deps)
    if not http:
        await run_forever(deps, bolt.client)
        return 0
    if settings.salesbot_scheduler:
        asyncio.get_running_loop().create_task(run_forever(deps, bolt.client))
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        await AsyncSocketModeHandler(bolt, settings.slack_app_token).start_async()
        return 0
    await Server(bolt, db, port=settings.port).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
