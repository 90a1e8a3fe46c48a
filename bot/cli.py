"""The `salesbot` command: serve, scheduler, migrate, config, nudge, digest, export, import, erase-user,
demo.

This module imports only the standard library at the top, so `--help` and `--version` answer at
once; each command imports what it uses (Bolt, SQLAlchemy, matplotlib...) when it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

# Commands that work on the database: it must answer before they start.
USES_DATABASE = {
    *("serve", "scheduler", "migrate", "nudge", "digest", "forecast", "export", "import", "reassign"),
    *("erase-user", "rates"),
}


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("salesbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesbot", description="A Slack bot that is a sales team's assistant."
    )
    parser.add_argument("--version", action="version", version=f"salesbot {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the bot (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    commands.add_parser("migrate", help="apply pending database migrations")
    commands.add_parser("scheduler", help="run only the scheduler (nudges, digests), without the HTTP server")
    commands.add_parser("config", help="print the effective settings (secrets masked) and exit")
    nudge = commands.add_parser("nudge", help="run one stalled-deal sweep now, and send what is due")
    nudge.add_argument(
        "--as-of",
        type=iso_moment,
        default=None,
        metavar="ISO-8601",
        help="sweep as if it were this moment (UTC unless an offset is given)",
    )
    nudge.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and record nothing"
    )
    nudge.add_argument("--team", default=None, help="only this workspace (Slack team id)")
    digest = commands.add_parser("digest", help="post the weekly digest for the week ending at --as-of, once")
    digest.add_argument(
        "--as-of",
        dest="as_of",
        default=None,
        help="end of the week, ISO-8601 (default: now); without an offset, the team's local time",
    )
    digest.add_argument("--team", default=None, help="a Slack team id (default: every team)")
    digest.add_argument("--dry-run", action="store_true", help="print the digest; post nothing")
    forecast = commands.add_parser(
        "forecast", help="how accurate the forecast has been: --backtest replays the last months"
    )
    forecast.add_argument("--backtest", action="store_true", help="replay history (the only mode so far)")
    forecast.add_argument("--months", type=int, default=12, help="how many months back (default 12)")
    forecast.add_argument("--team", default=None, help="a Slack team id (default: every team)")
    forecast.add_argument("--as-of", default=None, help="ISO date: check the months before this one")
    demo = commands.add_parser(
        "demo", help="a scripted tour against the built-in local Slack; no tokens needed"
    )
    demo.add_argument("--lang", default="en", choices=["en", "nl", "de"], help="the language of the tour")
    demo.add_argument("--database", default=None, help="database URL (default: a fresh SQLite file)")
    demo.add_argument(
        "--formal",
        action="store_true",
        help='formal address in German ("Sie") and Dutch ("u"), a team setting',
    )
    export = commands.add_parser(
        "export", help="write everything a team has as CSV files (a backup that import --restore reads)"
    )
    export.add_argument("--team", required=True, help="Slack team id (T…)")
    export.add_argument("--out", default=".", help="folder for the CSV files (default: here)")
    move = commands.add_parser(
        "reassign", help="give all of a rep's open deals to another rep (someone left)"
    )
    move.add_argument("--team", required=True, help="Slack team id (T…)")
    move.add_argument("--from", dest="from_user", required=True, help="the Slack user id (U…) who had them")
    move.add_argument("--to", dest="to_user", required=True, help="the Slack user id (U…) who gets them")
    imp = commands.add_parser(
        "import", help="deals from another CRM's export or a spreadsheet (CSV or .xlsx), or a backup"
    )
    imp.add_argument("--team", required=True, help="Slack team id (T…)")
    imp.add_argument("file", nargs="?", help="the CSV or .xlsx file; its first row names the columns")
    imp.add_argument("--restore", metavar="DIR", help="restore a folder written by `salesbot export`")
    imp.add_argument(
        "--dry-run", action="store_true", help="check every row and print the plan; write nothing"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="which column holds a field (name, company, amount, currency, stage, status, close_date, "
        "created_at, closed_at, owner, notes, lost_reason, source_id, …); the rest is found by name",
    )
    imp.add_argument(
        "--stage-map",
        action="append",
        default=[],
        metavar="SOURCE=STAGE",
        help='where a source stage lands ("Proposal Made=proposal"), or a CSV file of such pairs',
    )
    imp.add_argument("--owner-map", metavar="FILE", help="a CSV file of owner cell, Slack user id pairs")
    imp.add_argument("--owner", default=None, help="Slack user id (U…) for rows whose owner matches nobody")
    imp.add_argument("--date-order", choices=["mdy", "dmy"], help="for date columns that read both ways")
    imp.add_argument(
        "--skip-rejected", action="store_true", help="import the good rows even when some are rejected"
    )
    erase = commands.add_parser(
        "erase-user", help="remove a person's data from a team (docs/privacy.md); their deals stay theirs"
    )
    erase.add_argument("--team", required=True, help="Slack team id (T…)")
    erase.add_argument("users", nargs="*", metavar="USER", help="Slack user ids (U…)")
    erase.add_argument("--dry-run", action="store_true", help="print what would be erased; change nothing")
    rates = commands.add_parser("rates", help="load an ECB reference-rate file (URL or path) for every team")
    rates.add_argument(
        "--load", required=True, metavar="SOURCE", help="eurofxref-daily.xml, its URL, or a path"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from bot import logs
    from bot.config import ConfigError, load

    try:
        settings = load()
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(f"salesbot: {line}", file=sys.stderr)
        return 2
    if args.command == "config":
        for name, value in settings.effective():
            print(f"{name}={value}")
        return 0
    # The tour's output is the point; logs would drown it.
    level = "WARNING" if args.command == "demo" else settings.log_level
    logs.setup(level, settings.log_format, settings.secrets())
    if args.command in USES_DATABASE:  # the probe opens no SQLite file: a dry run leaves none behind
        from bot.config import mask_url
        from bot.db import unreachable

        problem = unreachable(settings.database_url)
        if problem:
            print(
                f"salesbot: DATABASE_URL: {mask_url(settings.database_url)} does not answer: {problem}",
                file=sys.stderr,
            )
            return 2
    return run(args, settings)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        from bot.migrate import upgrade

        upgrade(settings.database_url)
        print("database is up to date")
        return 0
    if args.command in ("serve", "scheduler"):
        from bot.runtime import serve

        return asyncio.run(serve(settings, http=args.command == "serve"))
    if args.command == "export":
        return export_command(settings, args.team, args.out)
    if args.command == "import":
        return import_command(settings, args)
    if args.command == "reassign":
        return reassign_command(settings, args.team, args.from_user, args.to_user)
    if args.command == "rates":
        from bot.rates_cli import rates_command

        return rates_command(settings, args.load)
    if args.command == "erase-user":
        return erase_command(settings.database_url, args.team, args.users, args.dry_run)
    if args.command == "nudge":
        return asyncio.run(nudge_once(settings, args.as_of, args.dry_run, args.team))
    if args.command == "digest":
        return asyncio.run(post_digest(settings, args.as_of, args.team, args.dry_run))
    if args.command == "forecast":
        from bot.forecast_cli import backtest_command

        if not args.backtest:
            print("Add --backtest: it is the only thing `salesbot forecast` does so far.", file=sys.stderr)
            return 2
        return backtest_command(settings, args.months, args.team, args.as_of)
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(language=args.lang, database_url=args.database, formal=args.formal))
    return 2  # pragma: no cover - argparse rejects unknown commands


def reassign_command(settings: Settings, team: str, from_user: str, to_user: str) -> int:
    from bot.db import Database
    from bot.deps import utcnow
    from bot.migrate import upgrade
    from services.reassign import reassign_all

    if from_user == to_user:
        print("--from and --to are the same user: nothing to move.", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    count = reassign_all(Database(settings.database_url), team, from_user, to_user, utcnow())
    print(f"Moved {count} open deals from {from_user} to {to_user}.")
    return 0


def export_command(settings: Settings, team: str, out: str) -> int:
    from pathlib import Path

    from bot.db import Database
    from bot.migrate import upgrade
    from services.transfer import UnknownTeam, export_team

    upgrade(settings.database_url)
    try:
        counts = export_team(Database(settings.database_url), team, Path(out))
    except UnknownTeam as exc:
        known = ", ".join(exc.known) or "none yet"
        print(f"There is no team {exc.team_id} in this database. Teams: {known}.", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{Path(out) / name}: {count} rows")
    return 0


def erase_command(database_url: str, team: str, users: list[str], dry_run: bool, out=None) -> int:
    from bot.db import Database
    from bot.migrate import upgrade
    from services.erase import BadErase, erase_users

    out = out or sys.stdout
    upgrade(database_url)
    db = Database(database_url)
    try:
        done = erase_users(db, team, users, dry_run)
    except BadErase as exc:
        print(f"salesbot erase-user: {exc} Nothing was changed.", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    verb = "would erase" if dry_run else "erased"
    for person in done:
        counts = ", ".join(f"{name} {n}" for name, n in person.counts.items())
        print(f"{team} {person.user_id}: {verb} {counts}", file=out)
        if person.open_deals:
            print(
                f"{team} {person.user_id}: still owns {person.open_deals} open deals; move them with "
                f"`salesbot reassign` or `/deal reassign`.",
                file=out,
            )
    if dry_run:
        print("Dry run: nothing was changed.", file=out)
    return 0


def import_command(settings: Settings, args) -> int:
    from bot.app import clients
    from bot.deps import utcnow
    from services.transfer.command import run_import

    return asyncio.run(run_import(settings, args, utcnow(), clients))


def iso_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 moment: {text!r} (try 2026-11-24T09:30)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def nudge_once(settings: Settings, as_of: datetime | None, dry_run: bool, team: str | None) -> int:
    """One sweep, then one dispatch of everything due (a dry run prints instead, and writes nothing)."""
    from bot.app import clients
    from bot.db import Database
    from bot.deps import Deps, utcnow
    from bot.http import close_shared_session
    from bot.migrate import upgrade
    from scheduler.nudges import describe, sweep
    from scheduler.outbox import dispatch
    from scheduler.runner import worker_name

    if not settings.slack_bot_token and not settings.multi_workspace:
        print(
            "Set SLACK_BOT_TOKEN (see README): the sweep asks Slack for each owner's timezone.",
            file=sys.stderr,
        )
        return 2
    if not dry_run:
        upgrade(settings.database_url)
    db = Database(settings.database_url)
    clock = (lambda: as_of) if as_of else utcnow
    client = clients(settings, db)
    try:
        results = await sweep(Deps(db=db, clock=clock), client, clock(), team_id=team, dry_run=dry_run)
        for line in describe(results, dry_run):
            print(line)
        if not dry_run:
            done = await dispatch(db, client, worker_name(), clock, team_id=team)
            counts = {status: sum(d.status == status for d in done) for status in ("sent", "pending", "dead")}
            print(f"sent {counts['sent']}, left pending {counts['pending']}, dropped {counts['dead']}")
    finally:
        await close_shared_session()
        db.dispose()
    return 0


async def post_digest(
    settings: Settings, as_of: str | None, team: str | None, dry_run: bool, out=None, clock=None
) -> int:
    """`salesbot digest`: through the outbox, under the scheduler's keys, so neither it nor a second
    run posts the same week again."""
    from bot.app import clients
    from bot.db import Database
    from bot.deps import utcnow
    from bot.http import close_shared_session
    from bot.i18n import translator
    from bot.migrate import upgrade
    from domain.digest_schedule import parse_moment
    from scheduler.clients import per_team
    from scheduler.digest import queue_digest
    from scheduler.outbox import dispatch
    from scheduler.runner import worker_name
    from services import digest
    from views.digest import as_text, digest_message

    out, clock = out or sys.stdout, clock or utcnow
    if not dry_run and not (settings.slack_bot_token or settings.multi_workspace):
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
        client = None if dry_run else clients(settings, db)
        for team_id, timezone in found:
            try:
                moment = parse_moment(as_of, timezone) if as_of else now
            except ValueError:
                print(f"--as-of {as_of!r} is not an ISO-8601 date or time.", file=sys.stderr)
                return 2
            if moment > now:
                print("--as-of is in the future: the week has not ended yet.", file=sys.stderr)
                return 2
            # As with `nudge --as-of`, the run's clock is the moment asked for: the messages are
            # queued, claimed and sent as if it were then.
            at = (lambda moment=moment: moment) if as_of else clock
            if dry_run:
                computed = await db.run(digest.compute, db, team_id, moment)
                _ = translator(computed.language)
                print(f"# {team_id}, week ending {moment.isoformat()}\n", file=out)
                print(as_text(digest_message(computed, _)["blocks"]), file=out)
                continue
            languages = await digest.recipient_languages(
                db, await per_team(client)(team_id), team_id, moment, at()
            )
            added = await db.run(queue_digest, db, team_id, moment, at(), languages)
            if not added:
                print(
                    f"{team_id}: the digest of that week was already posted (or it has no "
                    f"channel or managers).",
                    file=out,
                )
            sent = await dispatch(db, client, f"cli:{worker_name()}", at, team_id=team_id)
            states = ", ".join(f"{d.id} {d.status}" + (f" ({d.error})" if d.error else "") for d in sent)
            print(f"{team_id}: {added} queued; sent: {states or 'nothing'}", file=out)
        return 0
    finally:
        await close_shared_session()
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
