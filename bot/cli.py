"""The `salesbot` command: serve, migrate, scheduler, digest, demo."""

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
    digest = commands.add_parser("digest", help="post the weekly digest for the week ending at --as-of, once")
    digest.add_argument("--as-of", dest="as_of", default=None,
                        help="end of the week, ISO-8601 (default: now); without an offset, the team's local time")
    digest.add_argument("--team", default=None, help="a Slack team id (default: every team)")
    digest.add_argument("--dry-run", action="store_true", help="print the digest; post nothing")
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
    if args.command == "digest":
        return asyncio.run(post_digest(Settings(), args.as_of, args.team, args.dry_run))
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(language=args.lang, database_url=args.database))
    return 2  # pragma: no cover - argparse rejects unknown commands


async def post_digest(settings: Settings, as_of: str | None, team: str | None, dry_run: bool,
                      out=None, clock=None) -> int:
    """`salesbot digest`: through the outbox, under the scheduler's keys, so neither it nor a second
    run posts the same week again."""
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.i18n import translator
    from domain.digest_schedule import parse_moment
    from handlers.common import retry_handlers, utcnow
    from scheduler.outbox import dispatch
    from scheduler.runner import worker_name
    from services import digest
    from views.digest import as_text, digest_message

    out, clock = out or sys.stdout, clock or utcnow
    if not dry_run and not settings.slack_bot_token:
        print("Set SLACK_BOT_TOKEN (or use --dry-run).", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        now = clock()
        found = await db.run(digest.teams, db, team)
        if not found:
            print(f"No team {team}." if team else "No teams yet.", file=sys.stderr)
            return 1
        client = None if dry_run else AsyncWebClient(token=settings.slack_bot_token, base_url=settings.api_url,
                                                      retry_handlers=retry_handlers())
        for team_id, timezone in found:
            try:
                moment = parse_moment(as_of, timezone) if as_of else now
            except ValueError:
                print(f"--as-of {as_of!r} is not an ISO-8601 date or time.", file=sys.stderr)
                return 2
            if moment > now:
                print("--as-of is in the future: the week has not ended yet.", file=sys.stderr)
                return 2
            if dry_run:
                computed = await db.run(digest.compute, db, team_id, moment)
                _ = translator(computed.language)
                print(f"# {team_id}, week ending {moment.isoformat()}\n", file=out)
                print(as_text(digest_message(computed, _)["blocks"]), file=out)
                continue
            added = await db.run(digest.enqueue_digest, db, team_id, moment, now)
            if not added:
                print(f"{team_id}: the digest of that week was already posted (or it has no channel or managers).",
                      file=out)
            sent = await dispatch(db, client, f"cli:{worker_name()}", clock, team_id=team_id)
            states = ", ".join(f"{d.id} {d.status}" + (f" ({d.error})" if d.error else "") for d in sent)
            print(f"{team_id}: {added} queued; sent: {states or 'nothing'}", file=out)
        return 0
    finally:
        db.dispose()


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
