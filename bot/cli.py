"""The `salesbot` command: serve, migrate, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import Settings
from bot.db import Database
from bot.migrate import upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="salesbot", description="A Slack bot that is a sales team's assistant.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the bot (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    commands.add_parser("migrate", help="apply pending database migrations")
    commands.add_parser("scheduler", help="run only the scheduler (nudges, digests), without the HTTP server")
    demo = commands.add_parser("demo", help="a scripted tour against the built-in local Slack; no tokens needed")
    demo.add_argument("--lang", default="en", choices=["en"])
    demo.add_argument("--database", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    quiet = args.command == "demo"  # the tour's output is the point; logs would drown it
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "migrate":
        settings = Settings()
        upgrade(settings.database_url)
        print("database is up to date")
        return 0
    if args.command == "serve":
        return asyncio.run(serve(Settings()))
    if args.command == "scheduler":
        return asyncio.run(serve(Settings(), http=False))
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(language=args.lang, database_url=args.database))
    return 2  # pragma: no cover - argparse rejects unknown commands


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
    scheduler = asyncio.create_task(run_forever(deps, bolt.client)) if settings.salesbot_scheduler else None
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        await AsyncSocketModeHandler(bolt, settings.slack_app_token).start_async()
    else:
        await Server(bolt, db, port=settings.port).serve_forever()
    if scheduler:
        scheduler.cancel()
    return 0


if __name__ == "__main__":
    sys.exit(main())
