"""`salesbot serve` and `salesbot scheduler`: start in an order that fails early, stop cleanly.

Start: bind the port first (a port in use is one line and exit 2, before any scheduled work runs),
then the scheduler. Stop, on SIGTERM or SIGINT: readiness turns 503, the server stops accepting and
lets in-flight requests and the work their listeners started after the ack finish, the scheduler
finishes its current tick (so its outbox claim is sent and recorded, not left to a lease), then
the HTTP session and the database pools close. All within STOP_WITHIN seconds, exit code 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import time
from datetime import timedelta

from bot.config import Settings
from bot.db import Database
from bot.health import Health, listen
from bot.http import close_shared_session

log = logging.getLogger(__name__)

STOP_WITHIN = 8.0  # seconds from the signal; Kubernetes and Docker allow ten before SIGKILL


class StartError(Exception):
    """A setting that cannot work (a port in use, a missing token): one line naming it."""


def required(settings: Settings, http: bool) -> None:
    if not (settings.slack_bot_token or settings.multi_workspace):
        raise StartError(
            "SLACK_BOT_TOKEN: required (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces)"
        )
    if http and not settings.slack_signing_secret:
        raise StartError("SLACK_SIGNING_SECRET: required to check that requests come from Slack")


async def migrated(settings: Settings) -> str | None:
    """Apply pending migrations in a child process (bot/migrate.py says why); the head revision,
    or None when the migration failed (the child has logged why)."""
    job = {
        "url": settings.database_url,
        "level": settings.log_level,
        "format": settings.log_format,
        "secrets": settings.secrets(),
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.migrate", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate(json.dumps(job).encode())
    lines = out.decode().split()
    return lines[-1] if child.returncode == 0 and lines else None


async def serve(settings: Settings, http: bool = True) -> int:
    """The bot (HTTP or Socket Mode) with its scheduler unless SALESBOT_SCHEDULER=0; with
    http=False only the scheduler. Returns the exit code."""
    from bot.app import build_app
    from bot.deps import Deps, RatesFeed
    from bot.installations import reseal
    from bot.post_ack import PostAck
    from bot.server import Server
    from bot.startup import key_problem, token_problem
    from bot.token_cipher import TokenCipher
    from scheduler.runner import run_forever

    try:
        required(settings, http)
    except StartError as exc:
        print(f"salesbot: {exc}", file=sys.stderr)
        return 2
    # A wrong token or a missing key is one line now, not an apology to every rep later; checked
    # before the migration, so a failed start leaves the database untouched.
    problem = key_problem(settings) or await token_problem(settings)
    if problem:
        print(f"salesbot: {problem}", file=sys.stderr)
        return 2
    # From the start: a signal while starting (an orchestrator that gave up waiting) stops cleanly
    # once started, instead of killing the process half-way.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    head = await migrated(settings)
    if head is None:
        print("salesbot: the database migration failed (see above); nothing was started", file=sys.stderr)
        return 1
    db = Database(settings.database_url, threads=settings.salesbot_db_threads)
    if settings.multi_workspace:  # rows written before encryption, or under a key being rotated out
        resealed = reseal(db, TokenCipher(settings.salesbot_encryption_keys))
        if resealed:
            log.info("encrypted the tokens of %d stored installations", resealed)
    feed = RatesFeed(settings.salesbot_ecb_url) if settings.salesbot_ecb_url else None
    deps = Deps(
        db=db,
        retention=timedelta(days=settings.salesbot_retention_days),
        rates_feed=feed,
        post_ack=PostAck(settings.salesbot_post_ack_workers, settings.salesbot_post_ack_limit),
    )
    bolt = build_app(settings, deps)
    with_scheduler = settings.salesbot_scheduler or not http
    health = Health(db, settings.salesbot_scheduler_interval if with_scheduler else None, head=head)
    socket_mode = http and bool(settings.slack_app_token)

    server = listener = None
    name, port = ("HEALTH_PORT", settings.health_port) if socket_mode or not http else ("PORT", settings.port)
    try:
        if name == "PORT":
            server = await Server(
                bolt, db, settings.slack_signing_secret, host=settings.host, port=port, health=health
            ).start()
            log.info("listening on %s (Slack requests at /slack/events)", server.bound)
        else:
            listener = await listen(health, settings.host, port)
            log.info("health and metrics on %s:%s", settings.host, port)
    except OSError as exc:
        reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
        print(f"salesbot: {name}: cannot listen on {settings.host}:{port}: {reason}", file=sys.stderr)
        await _close(db, health)
        return 2

    link = None
    if socket_mode:  # connected before the scheduler starts, so a bad token stops nothing under way
        from bot.access import socket_mode_access
        from bot.socket_link import RefusedToken, SocketLink

        bolt.use(socket_mode_access)  # the access line, where no HTTP request is there to carry it
        link = SocketLink(bolt, settings.slack_app_token, base=settings.salesbot_reconnect_base)
        health.socket_connected = link.connected  # /readyz is 503 until connected, and while not
        try:
            connected = await link.connect(stop)
        except RefusedToken as refused:
            print(f"salesbot: SLACK_APP_TOKEN: Socket Mode could not connect: {refused}", file=sys.stderr)
            connected = False
            stop.set()
            code = 2
        else:
            code = 0
        if not connected:  # refused, or a signal while still trying
            if listener:
                await listener.cleanup()
            await _close(db, health)
            return code
        log.info("connected to Slack in Socket Mode")

    scheduler_stop = asyncio.Event()
    background = []  # held here so the loop keeps them; awaited at shutdown with every other task
    if with_scheduler:
        background.append(
            asyncio.create_task(
                run_forever(
                    deps,
                    deps.client_for,
                    interval=settings.salesbot_scheduler_interval,
                    stop=scheduler_stop,
                    heartbeat=health.ticked,
                ),
                name="scheduler",
            )
        )
    await stop.wait()
    deadline = time.monotonic() + STOP_WITHIN
    log.info("stopping: finishing in-flight requests and the scheduler's current tick")
    health.stopping = True
    scheduler_stop.set()
    if link:
        await link.close()
    if server:
        await server.stop()
    await _finish_tasks(deadline)
    if listener:
        await listener.cleanup()
    await _close(db, health)
    log.info("stopped")
    return 0


async def _finish_tasks(deadline: float) -> None:
    """Wait for the scheduler's tick and for listeners still at work after their ack (Bolt runs them
    as tasks of their own); cancel what is left at the deadline."""
    me = asyncio.current_task()
    pending = {t for t in asyncio.all_tasks() if t is not me}
    if not pending:
        return
    done, late = await asyncio.wait(pending, timeout=max(0.0, deadline - time.monotonic()))
    for task in late:
        log.warning("cancelled at shutdown: %s", task.get_name())
        task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            log.warning("%s ended with %r", task.get_name(), task.exception())
    if late:
        with contextlib.suppress(Exception):
            await asyncio.wait(late, timeout=1.0)


async def _close(db: Database, health: Health) -> None:
    await close_shared_session()
    health.close()
    db.dispose()
