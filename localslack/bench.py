"""The bot wired to the local Slack: the test bench, and the stage of `salesbot demo`."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from datetime import UTC, datetime

from bot.access import socket_mode_access
from bot.app import build_app
from bot.config import Settings
from bot.db import Database
from bot.deps import Deps, utcnow
from bot.health import Health
from bot.http import close_shared_session
from bot.post_ack import POST_ACK_TASK
from bot.server import Server
from bot.socket_link import SocketLink
from localslack.client import SlackClient
from localslack.server import LocalSlack

SIGNING_SECRET = "local-signing-secret"
TOKEN = "xoxb-local-token"
APP_TOKEN = "xapp-1-A0LOCAL-bench"  # the app-level token of the bench in Socket Mode
TRANSPORTS = ("http", "socket")
# A Fernet key (32 bytes, url-safe base64) for the tokens of workspaces installed on the bench.
ENCRYPTION_KEY = base64.urlsafe_b64encode(b"local-salesbot-key-32-bytes-long").decode()
# The bench's clock unless a test sets another: Tuesday 24 November 2026, 10:00 UTC. Fixed, so that no
# test depends on the day it runs; a test that wants the real clock says so with `now=utcnow`.
DEFAULT_NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


class Bench:
    """A running bot (real HTTP server, real database) talking to a running local Slack.

    transport="socket": the bot also holds the project's Socket Mode link to the local Slack, and
    the client sends commands, interactions and events over it instead of over HTTP (the HTTP
    server still runs, for OAuth pages and health)."""

    def __init__(
        self,
        db: Database,
        team_id: str = "T0LOCAL",
        multi_workspace: bool = False,
        now: datetime | Callable[[], datetime] = DEFAULT_NOW,
        encryption_keys: str = ENCRYPTION_KEY,
        transport: str = "http",
    ):
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, not {transport!r}")
        self.transport = transport
        self.db = db
        self.encryption_keys = encryption_keys
        self.multi_workspace = multi_workspace
        self.slack = LocalSlack(token=TOKEN, team_id=team_id)
        # A moment, which tests move by assigning `fixed_now`, or a clock such as `utcnow`.
        self.fixed_now: datetime | None = now if isinstance(now, datetime) else None
        self._clock = None if isinstance(now, datetime) else now
        self.deps = Deps(db=db, clock=self.now)
        self.server: Server | None = None
        self.client: SlackClient | None = None
        self.link: SocketLink | None = None

    def now(self) -> datetime:
        if self.fixed_now is not None:
            return self.fixed_now
        return (self._clock or utcnow)()

    async def start(self) -> Bench:
        await self.slack.start()
        self.slack.add_channel("C0SALES", "sales")
        settings = Settings(
            slack_bot_token="" if self.multi_workspace else TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=self.slack.api_url,
            database_url=self.db.url,
            salesbot_encryption_keys=self.encryption_keys,
        )
        if self.multi_workspace:  # workspaces install the app through OAuth instead
            settings.slack_client_id, settings.slack_client_secret = "local-client-id", "local-client-secret"
            settings.slack_authorize_url = self.slack.base_url + "/oauth/v2/authorize"
        self.settings = settings
        self.bolt = build_app(settings, self.deps)
        self.health = Health(self.db, clock=self.now)
        self.server = await Server(
            self.bolt, self.db, SIGNING_SECRET, host="127.0.0.1", port=0, health=self.health
        ).start()
        socket = None
        if self.transport == "socket":
            await self._link()
            socket = self.slack.socket_mode
        self.client = SlackClient(
            self.slack, self.server.url + "/slack/events", SIGNING_SECRET, socket=socket
        )
        return self

    async def _link(self) -> None:
        """Connect as `serve` does in Socket Mode (bot/runtime.py): the access line, then the link."""
        self.slack.socket_mode.app_tokens[APP_TOKEN] = self.slack.team_id
        self.bolt.use(socket_mode_access)
        self.link = SocketLink(self.bolt, APP_TOKEN, base=0.05)
        if not await self.link.connect(asyncio.Event()):
            raise RuntimeError("the bench could not connect over Socket Mode")
        await self.slack.socket_mode.wait_connected()

    async def stop(self) -> None:
        await settle()
        if self.client:
            await self.client.close()
        if self.link:
            await self.link.close()
        if self.server:
            await self.server.stop()
            self.health.close()
        await close_shared_session()
        await self.slack.stop()

    async def __aenter__(self) -> Bench:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()


async def settle(timeout: float = 5.0) -> None:
    """Let the listeners still working after their ack (Bolt runs each in a task of its own) finish,
    so that none writes to a database the next test has begun to empty."""
    me = asyncio.current_task()
    working = [t for t in asyncio.all_tasks() if t is not me and _after_ack(t)]
    if working:
        await asyncio.wait(working, timeout=timeout)


def _after_ack(task: asyncio.Task) -> bool:
    return task.get_name() == POST_ACK_TASK or getattr(task.get_coro(), "__qualname__", "").endswith(
        "run_ack_function_asynchronously"
    )
