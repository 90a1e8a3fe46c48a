"""The bot as `serve` starts it in Socket Mode (SLACK_APP_TOKEN set), against the local Slack."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from localslack.client import SlackClient
from localslack.server import LocalSlack
from localslack.socket_mode import Envelope
from localslack.state import Message
from tests.processes import TOKEN, env_for, free_port, salesbot, stop, wait_ready

APP_TOKEN = "xapp-1-A0LOCAL-proc"


@dataclass
class SocketBot:
    slack: LocalSlack
    client: SlackClient
    health: str  # base URL of the health port
    proc: object

    async def command(self, user: str, text: str) -> tuple[Envelope, str]:
        """A /deal command as a slash_commands envelope; returns it and its response_url key."""
        body, key = self.client.command_body(user, text)
        envelope = await self.slack.socket_mode.send("slash_commands", dict(parse_qsl(body)))
        return envelope, key

    async def reply(self, key: str, timeout: float = 10.0) -> Message:
        return (await self.slack.wait_for(lambda: self.slack.responses.get(key), timeout))[-1]


@contextlib.asynccontextmanager
async def socket_bot(tmp_path, silent_close: bool = False, **extra: str) -> AsyncIterator[SocketBot]:
    slack = await LocalSlack(token=TOKEN).start()
    slack.socket_mode.silent_close = silent_close
    slack.socket_mode.app_tokens[APP_TOKEN] = slack.team_id
    slack.add_user("UALICE", "alice")
    health = free_port()
    database = f"sqlite:///{tmp_path / 'socket.db'}"
    env = env_for(slack, database, 0, SLACK_APP_TOKEN=APP_TOKEN, HEALTH_PORT=str(health), **extra)
    proc = salesbot("serve", env=env)
    try:
        await wait_ready(f"http://127.0.0.1:{health}/healthz", proc)
        await slack.socket_mode.wait_connected()
        client = SlackClient(slack, "http://unused", "unused")  # builds payloads; sends none itself
        yield SocketBot(slack, client, f"http://127.0.0.1:{health}", proc)
    finally:
        proc.terminate()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(proc.communicate, timeout=15)
        stop(proc)
        await slack.stop()
